/* SPDX-License-Identifier: MIT */
/*
 * Hostile GHCB requests, one named case each (SEV-ES modes): GHCB pages outside RAM and at its
 * edges, scratch areas crossing the end of RAM or the shared buffer, lengths near 2^32 and
 * 2^64, unknown and SNP-only exit codes, SNP-only MSR-protocol requests. Each request's answer
 * is printed as "hostile: NAME: WHAT -> RESULT" (RESULT is sw_exit_info_1/sw_exit_info_2, or
 * what the guest saw); the test compares them with docs/reliability.md.
 */
#include "examples/hostile.h"
#include "ghcb/ghcb.h"

/* The end of the RAM below 4 GiB, from the start info's memory map. */
static uint64_t ram_end_below_4g(void)
{
	const struct hvm_start_info *si = pvh_phys_ptr(pvh_start_info_paddr, sizeof(*si));
	uint64_t end = 0;
	for (uint32_t i = 0; si && si->version >= 1 && i < si->memmap_entries && i < 128; i++) {
		const struct hvm_memmap_table_entry *e =
			pvh_phys_ptr(si->memmap_paddr + (uint64_t)i * sizeof(*e), sizeof(*e));
		if (e && e->type == 1 && e->addr + e->size <= 0x100000000ull && e->addr + e->size > end)
			end = e->addr + e->size;
	}
	return end;
}

static void page_set(uint32_t page, unsigned off, uint64_t v)
{
	volatile uint8_t *p = (volatile uint8_t *)(uintptr_t)page;
	*(volatile uint64_t *)(p + off) = v;
	p[0x3f0 + off / 64] |= (uint8_t)(1u << ((off / 8) % 8));
}

static uint64_t page_get(uint32_t page, unsigned off)
{
	return *(volatile uint64_t *)(uintptr_t)(page + off);
}

/* A request in the GHCB page at `page` (below 4 GiB): code and infos valid, usage 0. */
static void req_begin(uint32_t page, uint64_t code, uint64_t info1, uint64_t info2)
{
	memset((void *)(uintptr_t)page, 0, GHCB_PAGE_SIZE);
	page_set(page, GHCB_OFF(sw_exit_code), code);
	page_set(page, GHCB_OFF(sw_exit_info_1), info1);
	page_set(page, GHCB_OFF(sw_exit_info_2), info2);
	*(volatile uint16_t *)(uintptr_t)(page + 0xffa) = 2; /* protocol version */
}

static void req_print(const char *name, const char *what, uint32_t page)
{
	hostile_wrmsr_vmgexit(page);
	pvh_printf("hostile: %s: %s -> %llu/%llu\n", name, what,
		   (unsigned long long)page_get(page, GHCB_OFF(sw_exit_info_1)),
		   (unsigned long long)page_get(page, GHCB_OFF(sw_exit_info_2)));
}

uint64_t hostile_ghcb_string_out(uint16_t port, uint32_t gpa, uint32_t len)
{
	const uint32_t g = HOSTILE_GHCB_GPA;
	req_begin(g, GHCB_EXIT_IOIO, ghcb_ioio_info(port, 1, GHCB_IOIO_STR), len);
	page_set(g, GHCB_OFF(sw_scratch), gpa);
	hostile_wrmsr_vmgexit(g);
	return page_get(g, GHCB_OFF(sw_exit_info_1));
}

static int need_sev(const struct hostile_env *e, const char *name)
{
	if (e->sev)
		return 0;
	pvh_printf("hostile: %s: needs SEV-ES (--sev emulated)\n", name);
	return 2;
}

int hostile_ghcb_gpa(const struct hostile_env *e)
{
	uint64_t end = ram_end_below_4g();
	unsigned cbit = (unsigned)ghcb_msr_sev_info_cbit(e->entry_ghcb);
	const struct {
		const char *what;
		uint64_t gpa;
		int in_ram;
	} gpas[] = {
	    {"last page of RAM", end - 4096, 1},
	    {"first page past RAM", end, 0},
	    {"IOAPIC page", 0xfec00000u, 0},
	    {"last page below 4 GiB", 0xfffff000u, 0},
	    {"last page of 52-bit space", 0x000ffffffffff000ull, 0},
	    {"last page of 64-bit space", 0xfffffffffffff000ull, 0},
	    {"RAM page with the C-bit", HOSTILE_GHCB_GPA | 1ull << cbit, 1},
	    {"GPA 0", 0, 0},
	};
	if (need_sev(e, "ghcb-gpa"))
		return 2;
	pvh_printf("hostile: ghcb-gpa: RAM ends at 0x%llx, C-bit %u\n", (unsigned long long)end, cbit);
	for (unsigned i = 0; i < sizeof(gpas) / sizeof(gpas[0]); i++) {
		uint32_t page = (uint32_t)(gpas[i].gpa & ~((1ull << cbit) | 0xfffull));
		if (gpas[i].in_ram) {
			/* A CPUID request: served, it writes RAX and sw_exit_info_1 = 0. */
			req_begin(page, GHCB_EXIT_CPUID, 0, 0);
			page_set(page, GHCB_OFF(rax), 0);
			page_set(page, GHCB_OFF(rcx), 0);
			page_set(page, GHCB_OFF(sw_exit_info_1), 0x5a5a);
		}
		hostile_wrmsr_vmgexit(gpas[i].gpa);
		uint64_t msr = hostile_rdmsr(HOSTILE_GHCB_MSR);
		const char *seen = "resumed";
		if (gpas[i].in_ram)
			seen = page_get(page, GHCB_OFF(sw_exit_info_1)) == 0 &&
					       page_get(page, GHCB_OFF(rax)) != 0
				       ? "served"
				       : "not served";
		pvh_printf("hostile: ghcb-gpa: %s -> %s, MSR %s\n", gpas[i].what, seen,
			   msr == gpas[i].gpa ? "kept" : "changed");
	}
	return 0;
}

int hostile_scratch(const struct hostile_env *e)
{
	uint64_t end = ram_end_below_4g();
	const uint32_t g = HOSTILE_GHCB_GPA;
	const struct {
		const char *what;
		uint64_t scratch, len;
	} cases[] = {
	    {"in the shared buffer", g + 0x800, 4},
	    {"ending at the shared buffer's end", g + 0xff0 - 8, 8},
	    {"crossing the shared buffer's end", g + 0xff0 - 4, 8},
	    {"ending at the end of RAM", end - 8, 8},
	    {"crossing the end of RAM", end - 4, 8},
	    {"past the end of RAM", end, 4},
	    {"wrapping past 2^64", 0xfffffffffffffffcull, 8},
	    {"at GPA 0", 0, 4},
	};
	if (need_sev(e, "scratch"))
		return 2;
	pvh_printf("hostile: scratch: GHCB version %u\n",
		   (unsigned)ghcb_msr_sev_info_max(e->entry_ghcb));
	for (unsigned i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		/* An MMIO read of IOREGSEL into the scratch area */
		req_begin(g, GHCB_EXIT_MMIO_READ, 0xfec00000u, cases[i].len);
		page_set(g, GHCB_OFF(sw_scratch), cases[i].scratch);
		req_print("scratch", cases[i].what, g);
	}
	/* String I/O: 16 pages and one byte from the last page of RAM */
	req_begin(g, GHCB_EXIT_IOIO, ghcb_ioio_info(0x80, 1, GHCB_IOIO_IN | GHCB_IOIO_STR),
		  16 * 4096 + 1);
	page_set(g, GHCB_OFF(sw_scratch), end - 16 * 4096 - 1);
	req_print("scratch", "string IN of 16 pages + 1 byte", g);
	return 0;
}

int hostile_lengths(const struct hostile_env *e)
{
	const uint32_t g = HOSTILE_GHCB_GPA;
	const struct {
		const char *what;
		uint64_t code, info1, info2;
	} cases[] = {
	    {"MMIO read of 9 bytes", GHCB_EXIT_MMIO_READ, 0xfec00000u, 9},
	    {"MMIO read of 2^32-1 bytes", GHCB_EXIT_MMIO_READ, 0xfec00000u, 0xffffffffull},
	    {"MMIO read of 2^32 bytes", GHCB_EXIT_MMIO_READ, 0xfec00000u, 0x100000000ull},
	    {"MMIO write of 2^64-1 bytes", GHCB_EXIT_MMIO_WRITE, 0xfec00000u, ~0ull},
	    {"MMIO read of 2^63 bytes", GHCB_EXIT_MMIO_READ, 0xfec00000u, 1ull << 63},
	    {"MMIO read at 2^64-4, 8 bytes", GHCB_EXIT_MMIO_READ, 0xfffffffffffffffcull, 8},
	    {"string OUT of 2^31-1 bytes", GHCB_EXIT_IOIO, ghcb_ioio_info(0x80, 1, GHCB_IOIO_STR),
	     0x7fffffffull},
	    {"string OUT of 2^31 bytes", GHCB_EXIT_IOIO, ghcb_ioio_info(0x80, 1, GHCB_IOIO_STR),
	     0x80000000ull},
	    {"string OUT of 2^32-1 bytes", GHCB_EXIT_IOIO, ghcb_ioio_info(0x80, 1, GHCB_IOIO_STR),
	     0xffffffffull},
	    {"string OUT of 2^30 dwords", GHCB_EXIT_IOIO, ghcb_ioio_info(0x80, 4, GHCB_IOIO_STR),
	     0x40000000ull},
	    {"string OUT of 2^64-1 bytes", GHCB_EXIT_IOIO, ghcb_ioio_info(0x80, 1, GHCB_IOIO_STR),
	     ~0ull},
	    {"OUT of size 0", GHCB_EXIT_IOIO, 0x80ull << 16, 0},
	};
	if (need_sev(e, "lengths"))
		return 2;
	for (unsigned i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		req_begin(g, cases[i].code, cases[i].info1, cases[i].info2);
		page_set(g, GHCB_OFF(sw_scratch), g + 0x800);
		page_set(g, GHCB_OFF(rax), 0);
		req_print("lengths", cases[i].what, g);
	}
	return 0;
}

int hostile_events(const struct hostile_env *e)
{
	const uint32_t g = HOSTILE_GHCB_GPA;
	const struct {
		const char *what;
		uint64_t code;
	} cases[] = {
	    {"SNP page state change", GHCB_EXIT_SNP_PSC},
	    {"SNP guest request", GHCB_EXIT_GUEST_REQUEST},
	    {"SNP extended guest request", GHCB_EXIT_EXT_GUEST_REQUEST},
	    {"SNP AP creation", GHCB_EXIT_AP_CREATION},
	    {"exit code 0x80000014", 0x80000014ull},
	    {"exit code 0x8000fffc", 0x8000fffcull},
	    {"exit code 0x12345678", 0x12345678ull},
	    {"exit code 0x100000072", 0x100000072ull},
	    {"exit code 2^64-1", ~0ull},
	};
	/* MSR-protocol requests with no meaning for an SEV-ES guest: the MSR stays as written. */
	static const uint32_t msr_codes[] = {0x003, 0x016, 0x018, 0x0ff, 0x101, 0xfff};
	if (need_sev(e, "events"))
		return 2;
	for (unsigned i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		req_begin(g, cases[i].code, 0, 0);
		page_set(g, GHCB_OFF(rax), 0);
		req_print("events", cases[i].what, g);
	}
	for (unsigned i = 0; i < sizeof(msr_codes) / sizeof(msr_codes[0]); i++) {
		uint64_t v = 0xabcd000000000000ull | msr_codes[i];
		hostile_wrmsr_vmgexit(v);
		pvh_printf("hostile: events: MSR request 0x%03x -> MSR %s\n", msr_codes[i],
			   hostile_rdmsr(HOSTILE_GHCB_MSR) == v ? "kept" : "changed");
	}
	return 0;
}

int hostile_msr_snp(const struct hostile_env *e)
{
	uint32_t req = 0;
	size_t len;
	const char *v = pvh_cmdline_find(e->cmdline, "req", &len);
	if (need_sev(e, "msr-snp"))
		return 2;
	if (!v || pvh_parse_u32(v, len, &req)) {
		pvh_printf("hostile: msr-snp: req=N missing\n");
		return 2;
	}
	pvh_printf("hostile: msr-snp: MSR request 0x%03x\n", req);
	hostile_wrmsr_vmgexit(0x1000ull | req);
	pvh_printf("hostile: msr-snp: resumed after 0x%03x\n", req);
	return 3;
}
