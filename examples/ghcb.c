/* SPDX-License-Identifier: MIT */
/*
 * ghcb: an SEV-ES guest that exercises every GHCB request pvh-sev serves and checks each
 * answer (docs/examples.md). 64-bit only. Its entry hook (ghcb_hook.S) reads the C-bit from the
 * GHCB MSR (SIF_HVM_GHCB: no CPUID) and puts it in CR3 and every page-table entry; guest_main
 * shares one GHCB page and from then on does all I/O through it, so the same binary runs under
 * --sev emulated --strict and on SEV-ES hardware (hw=1 skips what hardware does differently).
 *
 * Prints "PASS name" / "FAIL name: detail" per check through GHCB IOIO to port 0xe9, then
 * "ghcb: N checks, M failed" and exits through a GHCB IOIO OUT to the debug-exit port: 0 when
 * all passed, GHCB_GUEST_EXIT_FAILED otherwise, GHCB_GUEST_EXIT_NO_SEV_INFO when the GHCB MSR
 * did not read as a SEV_INFO response at entry.
 *
 * Command line: hw=1; term=1 ends after the checks with an MSR-protocol termination request
 * (reason set 1, code 7), term=2 with the TERM_REQUEST event (set 1, code 8), term=3 with the
 * UNSUPPORTED event.
 */
#include "ghcb_guest.h"

#define GHCB_GUEST_EXIT_FAILED 1u
#define GHCB_GUEST_EXIT_NO_SEV_INFO 2u
#define GHCB_GUEST_EXIT_BAD_TABLES 3u

static unsigned checks_run, checks_failed;

int ghcb_check(int ok, const char *name, const char *fmt, ...)
{
	char detail[160];
	va_list ap;

	checks_run++;
	if (ok) {
		pvh_printf("PASS %s\n", name);
		return 1;
	}
	checks_failed++;
	va_start(ap, fmt);
	pvh_vsnprintf(detail, sizeof(detail), fmt, ap);
	va_end(ap);
	pvh_printf("FAIL %s: %s\n", name, detail);
	return 0;
}

void ghcb_cpuid_insn(uint32_t fn, uint32_t idx, uint32_t out[4])
{
	__asm__ volatile("cpuid"
			 : "=a"(out[0]), "=b"(out[1]), "=c"(out[2]), "=d"(out[3])
			 : "a"(fn), "c"(idx));
}

int ghcb_cpuid_insn_agrees(uint32_t fn, const uint32_t ghcb[4], const uint32_t insn[4])
{
	if (memcmp(ghcb, insn, 4 * sizeof(uint32_t)) == 0)
		return 1;
	if (fn == 0 || fn == 0x80000000u || fn == 0x80000008u || fn == CPUID_FN_SEV)
		return 0;
	pvh_printf("NOTE cpuid 0x%x: GHCB %x %x %x %x, instruction %x %x %x %x\n", fn, ghcb[0],
		   ghcb[1], ghcb[2], ghcb[3], insn[0], insn[1], insn[2], insn[3]);
	return 1;
}

static int cmdline_flag(const char *cmdline, const char *key, uint32_t *val)
{
	size_t len;
	const char *v = pvh_cmdline_find(cmdline, key, &len);

	*val = 0;
	return v ? pvh_parse_u32(v, len, val) : 0;
}

static void finish(uint32_t term)
{
	pvh_printf("ghcb: %u checks, %u failed\n", checks_run, checks_failed);
	switch (term) {
	case 1:
		pvh_printf("ghcb: ending with an MSR-protocol termination (set 1, code 7)\n");
		ghcb_terminate(GHCB_TERM_SET_LINUX, 7);
	case 2:
		pvh_printf("ghcb: ending with a TERM_REQUEST event (set 1, code 8)\n");
		ghcb_call(GHCB_EXIT_TERM_REQUEST, GHCB_TERM_SET_LINUX | 8u << 4, 0);
		break;
	case 3:
		pvh_printf("ghcb: ending with an UNSUPPORTED event\n");
		ghcb_call(GHCB_EXIT_UNSUPPORTED, 0x1234, 0x5678);
		break;
	default:
		break;
	}
	pvh_exit(checks_failed ? GHCB_GUEST_EXIT_FAILED : 0);
}

int guest_main(const struct hvm_start_info *si)
{
	uint64_t info = ghcb_guest_entry_msr;
	const char *cmdline = NULL;
	struct ghcb_opts o = {0};
	uint32_t term = 0, hw = 0;

	if (ghcb_msr_info(info) != GHCB_MSR_SEV_INFO_RESP || !pvh_pte_extra_mask)
		return GHCB_GUEST_EXIT_NO_SEV_INFO; /* no GHCB: nothing safe to print through */
	if (ghcb_transport_init())
		return GHCB_GUEST_EXIT_BAD_TABLES;
	o.cbit = ghcb_msr_sev_info_cbit(info);
	o.max_ver = ghcb_msr_sev_info_max(info);
	if (si && si->magic == XEN_HVM_START_MAGIC_VALUE)
		cmdline = pvh_phys_str(si->cmdline_paddr, PVH_SEV_CMDLINE_MAX);
	if (cmdline_flag(cmdline, "hw", &hw) || cmdline_flag(cmdline, "term", &term))
		ghcb_check(0, "cmdline", "malformed hw= or term= in '%s'", cmdline);
	o.hw = hw != 0;
	pvh_printf("ghcb: SEV_INFO max=%u min=%u cbit=%u ghcb_gpa=0x%llx%s\n", o.max_ver,
		   ghcb_msr_sev_info_min(info), o.cbit, (unsigned long long)ghcb_page_gpa,
		   o.hw ? " (hw=1)" : "");
	ghcb_check(si && si->magic == XEN_HVM_START_MAGIC_VALUE &&
			   (si->flags & SIF_HVM_GHCB),
		   "start_info_ghcb_flag", "start_info flags lack SIF_HVM_GHCB");
	ghcb_checks_msr_protocol(&o);
	ghcb_checks_page_basic(&o);
	ghcb_checks_page_errors(&o);
	finish(term);
	return 0;
}
