/* SPDX-License-Identifier: MIT */
/* The ghcb guest's checks of GHCB page requests that succeed (docs/ghcb.md, Events). */
#include "ghcb_guest.h"

#define NO_DEVICE_PORT 0x510u      /* no device in pvh-sev: IN reads all ones */
#define COM1_SCRATCH_PORT 0x3ffu   /* 16550 scratch register: a byte that round-trips */
#define NO_DEVICE_MMIO 0xfed00000u /* no device in pvh-sev (no HPET): reads all ones */
#define MSR_SYSENTER_CS 0x174u     /* KVM keeps it for any guest; unused by this guest */
#define MSR_NONEXISTENT 0xdeadbeefu

static const struct {
	uint32_t fn, idx;
} page_cpuid_leaves[] = {{0, 0}, {1, 0}, {7, 0}, {0x80000001u, 0}, {0x80000008u, 0},
			 {CPUID_FN_SEV, 0}};

/* The results mark exactly sw_exit_info_1/2 and RAX, RBX, RCX, RDX valid. */
static int result_bitmap_ok(void)
{
	struct ghcb want;

	ghcb_clear_valid(&want);
	ghcb_set_valid(&want, GHCB_OFF(sw_exit_info_1));
	ghcb_set_valid(&want, GHCB_OFF(sw_exit_info_2));
	ghcb_set_valid(&want, GHCB_OFF(rax));
	ghcb_set_valid(&want, GHCB_OFF(rbx));
	ghcb_set_valid(&want, GHCB_OFF(rcx));
	ghcb_set_valid(&want, GHCB_OFF(rdx));
	return memcmp(want.save.valid_bitmap, ghcb_page->save.valid_bitmap,
		      sizeof(want.save.valid_bitmap)) == 0;
}

static void check_cpuid_leaf(const struct ghcb_opts *o, uint32_t fn, uint32_t idx)
{
	const struct ghcb_save_area *s = &ghcb_page->save;
	uint32_t got[4], insn[4] = {0, 0, 0, 0}, msr[4];
	char name[40];
	uint32_t r;
	int ok;

	ghcb_req_begin(GHCB_EXIT_CPUID, 0, 0);
	ghcb_req_set(GHCB_OFF(rax), fn);
	ghcb_req_set(GHCB_OFF(rcx), idx);
	r = ghcb_req_issue();
	got[0] = (uint32_t)s->rax;
	got[1] = (uint32_t)s->rbx;
	got[2] = (uint32_t)s->rcx;
	got[3] = (uint32_t)s->rdx;
	ok = r == GHCB_RESULT_OK && result_bitmap_ok();
	/* The MSR protocol asks with subleaf 0: the two must agree. */
	for (unsigned reg = 0; reg < 4 && idx == 0; reg++)
		msr[reg] = ghcb_msr_cpuid_value(ghcb_msr_proto(ghcb_msr_cpuid_req(fn, reg)));
	if (idx == 0)
		ok &= memcmp(got, msr, sizeof(got)) == 0;
	if (!o->hw) {
		ghcb_cpuid_insn(fn, idx, insn);
		ok &= ghcb_cpuid_insn_agrees(fn, got, insn);
	}
	pvh_snprintf(name, sizeof(name), "page_cpuid_0x%x_%u", fn, idx);
	ghcb_check(ok, name, "result %u, %x %x %x %x, CPUID insn %x %x %x %x", r, got[0], got[1],
		   got[2], got[3], insn[0], insn[1], insn[2], insn[3]);
}

static void check_ioio(const struct ghcb_opts *o)
{
	static const char single[] = "ghcb-out-single\n";
	uint64_t rax = 0;
	uint32_t r = 0;

	for (size_t i = 0; i < sizeof(single) - 1; i++)
		r |= ghcb_out(PVH_SEV_DEBUGCON_PORT, 1, (uint8_t)single[i]);
	ghcb_check(r == 0, "ioio_out_single", "result %u", r);
	r = ghcb_outs(PVH_SEV_DEBUGCON_PORT, "ghcb-out-string\n", 16);
	ghcb_check(r == 0, "ioio_out_string_shared_buffer", "result %u", r);
	memcpy(ghcb_scratch_page, "ghcb-out-scratch-page\n", 22);
	ghcb_req_begin(GHCB_EXIT_IOIO,
		       ghcb_ioio_info(PVH_SEV_DEBUGCON_PORT, 1, GHCB_IOIO_STR | GHCB_IOIO_REP), 22);
	ghcb_req_set(GHCB_OFF(sw_scratch), ghcb_scratch_gpa);
	r = ghcb_req_issue();
	if (o->max_ver >= 2) /* GHCB v2: the scratch area must lie in the GHCB's shared buffer */
		ghcb_check(r == GHCB_RESULT_ERROR &&
				   ghcb_page->save.sw_exit_info_2 == GHCB_ERR_INVALID_SCRATCH_AREA,
			   "ioio_out_string_scratch_page", "v2: result %u info2 %llu, want 2/%u", r,
			   (unsigned long long)ghcb_page->save.sw_exit_info_2,
			   GHCB_ERR_INVALID_SCRATCH_AREA);
	else
		ghcb_check(r == 0, "ioio_out_string_scratch_page", "result %u", r);

	r = ghcb_in(PVH_SEV_DEBUGCON_PORT, 1, 0x1122334455667700ull, &rax);
	ghcb_check(r == 0 && rax == 0x11223344556677e9ull, "ioio_in_byte_merges",
		   "result %u, rax 0x%llx", r, (unsigned long long)rax);
	r = ghcb_out(COM1_SCRATCH_PORT, 1, 0xa5) | ghcb_in(COM1_SCRATCH_PORT, 1, 0, &rax);
	ghcb_check(r == 0 && rax == 0xa5, "ioio_out_in_roundtrip", "result %u, rax 0x%llx", r,
		   (unsigned long long)rax);
	r = ghcb_in(NO_DEVICE_PORT, 4, 0xdeadbeef00000000ull, &rax);
	ghcb_check(r == 0 && rax == 0xffffffffull, "ioio_in_dword_zero_extends",
		   "result %u, rax 0x%llx", r, (unsigned long long)rax);
	memset(ghcb_page->shared_buffer, 0, 8);
	ghcb_req_begin(GHCB_EXIT_IOIO,
		       ghcb_ioio_info(NO_DEVICE_PORT, 2,
				      GHCB_IOIO_IN | GHCB_IOIO_STR | GHCB_IOIO_REP),
		       3);
	ghcb_req_set(GHCB_OFF(sw_scratch), ghcb_page_gpa + GHCB_SHARED_BUF_OFFSET);
	r = ghcb_req_issue();
	ghcb_check(r == 0 &&
			   memcmp(ghcb_page->shared_buffer, "\xff\xff\xff\xff\xff\xff\0\0", 8) ==
				   0,
		   "ioio_in_string", "result %u, buffer %02x %02x", r,
		   ghcb_page->shared_buffer[5], ghcb_page->shared_buffer[6]);
}

static uint32_t msr_access(uint32_t idx, int write, uint64_t *val)
{
	ghcb_req_begin(GHCB_EXIT_MSR, write ? 1 : 0, 0);
	ghcb_req_set(GHCB_OFF(rcx), idx);
	if (write) {
		ghcb_req_set(GHCB_OFF(rax), (uint32_t)*val);
		ghcb_req_set(GHCB_OFF(rdx), *val >> 32);
	}
	uint32_t r = ghcb_req_issue();
	if (!write)
		*val = (ghcb_page->save.rdx << 32) | (uint32_t)ghcb_page->save.rax;
	return r;
}

static void check_msr(void)
{
	uint64_t old = 0, v = 0x10, back = 0;
	uint32_t r;

	r = msr_access(MSR_SYSENTER_CS, 0, &old);
	r |= msr_access(MSR_SYSENTER_CS, 1, &v);
	r |= msr_access(MSR_SYSENTER_CS, 0, &back);
	r |= msr_access(MSR_SYSENTER_CS, 1, &old);
	ghcb_check(r == 0 && back == 0x10, "msr_write_read_roundtrip", "result %u, read 0x%llx", r,
		   (unsigned long long)back);
	r = msr_access(MSR_NONEXISTENT, 0, &v);
	ghcb_check(r == GHCB_RESULT_EXCEPTION && ghcb_page->save.sw_exit_info_2 == GHCB_EVENT_GP,
		   "msr_nonexistent_gp", "result %u, info2 0x%llx", r,
		   (unsigned long long)ghcb_page->save.sw_exit_info_2);
}

static void check_mmio(const struct ghcb_opts *o)
{
	uint8_t *buf = ghcb_page->shared_buffer;
	uint64_t scratch = ghcb_page_gpa + GHCB_SHARED_BUF_OFFSET;
	uint32_t r;
	int all_ones = 1;

	memset(buf, 0, 16);
	ghcb_req_begin(GHCB_EXIT_MMIO_READ, NO_DEVICE_MMIO, 8);
	ghcb_req_set(GHCB_OFF(sw_scratch), scratch);
	r = ghcb_req_issue();
	for (int i = 0; i < 8; i++)
		all_ones &= buf[i] == 0xff;
	ghcb_check(r == 0 && all_ones && buf[8] == 0, "mmio_read_no_device",
		   "result %u, bytes %02x..%02x %02x", r, buf[0], buf[7], buf[8]);
	/* Longer than 8 bytes: served in pieces with GHCB v1, INVALID_INPUT with v2. */
	memset(buf, 0, 16);
	ghcb_req_begin(GHCB_EXIT_MMIO_READ, NO_DEVICE_MMIO, 12);
	ghcb_req_set(GHCB_OFF(sw_scratch), scratch);
	r = ghcb_req_issue();
	all_ones = 1;
	for (int i = 0; i < 12; i++)
		all_ones &= buf[i] == 0xff;
	if (o->max_ver >= 2)
		ghcb_check(r == GHCB_RESULT_ERROR &&
				   ghcb_page->save.sw_exit_info_2 == GHCB_ERR_INVALID_INPUT &&
				   buf[0] == 0,
			   "mmio_read_12_bytes", "v2: result %u info2 %llu, want 2/%u", r,
			   (unsigned long long)ghcb_page->save.sw_exit_info_2,
			   GHCB_ERR_INVALID_INPUT);
	else
		ghcb_check(r == 0 && all_ones && buf[12] == 0, "mmio_read_12_bytes",
			   "result %u, bytes %02x..%02x %02x", r, buf[0], buf[11], buf[12]);
	memset(buf, 0x5a, 4);
	ghcb_req_begin(GHCB_EXIT_MMIO_WRITE, NO_DEVICE_MMIO, 4);
	ghcb_req_set(GHCB_OFF(sw_scratch), scratch);
	r = ghcb_req_issue();
	ghcb_check(r == 0, "mmio_write_no_device", "result %u", r);
}

static void check_simple_events(const struct ghcb_opts *o)
{
	uint64_t initial, got;
	uint32_t r;

	r = ghcb_call(GHCB_EXIT_NMI_COMPLETE, 0, 0);
	ghcb_check(r == 0, "nmi_complete", "result %u", r);
	ghcb_req_begin(GHCB_EXIT_WRITE_DR7, 0, 0);
	ghcb_req_set(GHCB_OFF(rax), 0x400);
	r = ghcb_req_issue() | ghcb_call(GHCB_EXIT_READ_DR7, 0, 0);
	ghcb_check(r == 0, "dr7_write_read", "result %u", r);
	r = ghcb_call(GHCB_EXIT_WBINVD, 0, 0);
	ghcb_check(r == 0, "wbinvd", "result %u", r);
	r = ghcb_call(GHCB_EXIT_HV_FEATURES, 0, 0);
	uint64_t info2 = ghcb_page->save.sw_exit_info_2;
	/* GHCB v1: KVM before 6.10 does not know the event (INVALID_EVENT); later KVM serves it
	 * whatever the version, so a v1 guest accepts both. */
	ghcb_check((r == 0 && info2 == GHCB_HV_FT_KVM) ||
			   (o->max_ver < 2 && r == GHCB_RESULT_ERROR &&
			    info2 == GHCB_ERR_INVALID_EVENT),
		   "hv_features", "result %u, info2 0x%llx", r, (unsigned long long)info2);

	r = ghcb_call(GHCB_EXIT_AP_JUMP_TABLE, GHCB_AP_JUMP_TABLE_GET, 0);
	initial = ghcb_page->save.sw_exit_info_2;
	pvh_printf("ghcb: AP jump table at start: 0x%llx\n", (unsigned long long)initial);
	r |= ghcb_call(GHCB_EXIT_AP_JUMP_TABLE, GHCB_AP_JUMP_TABLE_SET, 0x9f000);
	r |= ghcb_call(GHCB_EXIT_AP_JUMP_TABLE, GHCB_AP_JUMP_TABLE_GET, 0);
	got = ghcb_page->save.sw_exit_info_2;
	r |= ghcb_call(GHCB_EXIT_AP_JUMP_TABLE, GHCB_AP_JUMP_TABLE_SET, initial);
	ghcb_check(r == 0 && got == 0x9f000, "ap_jump_table_set_get", "result %u, got 0x%llx", r,
		   (unsigned long long)got);
}

void ghcb_checks_page_basic(const struct ghcb_opts *o)
{
	for (unsigned i = 0; i < sizeof(page_cpuid_leaves) / sizeof(page_cpuid_leaves[0]); i++)
		check_cpuid_leaf(o, page_cpuid_leaves[i].fn, page_cpuid_leaves[i].idx);
	ghcb_req_begin(GHCB_EXIT_CPUID, 0, 0);
	ghcb_req_set(GHCB_OFF(rax), 0xd);
	ghcb_req_set(GHCB_OFF(rcx), 0);
	ghcb_req_set(GHCB_OFF(xcr0), 1);
	uint32_t r = ghcb_req_issue();
	ghcb_check(r == 0, "page_cpuid_0xd_with_xcr0", "result %u", r);
	check_ioio(o);
	check_msr();
	check_mmio(o);
	check_simple_events(o);
}
