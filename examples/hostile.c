/* SPDX-License-Identifier: MIT */
/*
 * hostile: throws seeded garbage at every surface pvh-sev exposes to a guest, to show the VMM
 * answers each with a defined result and never crashes or hangs (tests/integration/hostile.sh).
 *   - the AP doorbell: random values and widths, then IN;
 *   - the devices' ports (COM1, debugcon, i8042 status, unclaimed ports), reads and writes;
 *   - MMIO at random addresses above RAM;
 *   - bring-up slots filled with random bytes and marked UP_REQUESTED, then rung;
 *   - SEV-ES modes only: random GHCB MSR-protocol values and random GHCB pages, each followed
 *     by VMGEXIT (the request codes that would park or end the BSP are skipped).
 * Command line: seed=N (default 1), n=N iterations (default 2000). Exits 0 when it survives.
 * With case=NAME it runs one named hostile case instead (hostile_*.c, hostile.h), whose answers
 * and ending tests/integration/hostile_cases.sh checks against docs/reliability.md.
 */
#include "examples/hostile.h"

static uint64_t rng_state;

static uint64_t rnd(void)
{
	/* xorshift64*: deterministic per seed, no SSE */
	rng_state ^= rng_state >> 12;
	rng_state ^= rng_state << 25;
	rng_state ^= rng_state >> 27;
	return rng_state * 0x2545F4914F6CDD1Dull;
}

/* 32-bit guests have no 64-bit division: modulo on the high half. */
static uint32_t rnd32(void)
{
	return (uint32_t)(rnd() >> 32);
}

static void out_any(uint16_t port, uint32_t v, unsigned width)
{
	if (width == 1)
		__asm__ volatile("outb %b0, %w1" : : "a"(v), "Nd"(port));
	else if (width == 2)
		__asm__ volatile("outw %w0, %w1" : : "a"(v), "Nd"(port));
	else
		__asm__ volatile("outl %0, %w1" : : "a"(v), "Nd"(port));
}

static uint32_t in_any(uint16_t port)
{
	uint32_t v;
	__asm__ volatile("inl %w1, %0" : "=a"(v) : "Nd"(port));
	return v;
}

static void hit_doorbell(void)
{
	static const unsigned widths[] = {1, 2, 4, 4};
	out_any(PVH_SEV_AP_DOORBELL_PORT, (uint32_t)rnd(), widths[rnd() & 3]);
	(void)in_any(PVH_SEV_AP_DOORBELL_PORT);
}

/* Ports whose writes end the run (0xf4; 0xfe to 0x64) are left out: the test wants to see the
 * VMM survive the rest. */
static void hit_ports(void)
{
	static const uint16_t ports[] = {0x3f9, 0x3fa, 0x3fb, 0x3fc, 0x3fd, 0x3fe, 0x3ff,
					 0x60, 0x80, 0x5f1, 0x5f4, 0xcf8, 0xcfc, 0x1234};
	uint16_t port = ports[rnd32() % (sizeof(ports) / sizeof(ports[0]))];
	if (rnd() & 1)
		out_any(port, (uint32_t)rnd(), 1);
	else
		(void)in_any(port);
}

static void hit_mmio(void)
{
	/* Above 256 MiB of RAM and below 4 GiB, away from the LAPIC page. */
	volatile uint32_t *p = (volatile uint32_t *)(uintptr_t)(0x20000000u + (rnd() & 0x3ffffffcu));
	if ((uintptr_t)p >= 0xfee00000u && (uintptr_t)p < 0xfee01000u)
		return;
	if (rnd() & 1)
		*p = (uint32_t)rnd();
	else
		(void)*p;
}

static void hit_slot(uint32_t nr_vcpus)
{
	if (nr_vcpus < 2)
		return;
	uint32_t n = 1 + (uint32_t)(rnd32() % (nr_vcpus - 1));
	struct ap_slot *slot = (struct ap_slot *)(uintptr_t)(AP_AREA_GPA + AP_SLOTS_OFFSET +
							     n * AP_SLOT_SIZE);
	if (slot->state != AP_SLOT_STOPPED && slot->state != AP_SLOT_FAILED)
		return;
	uint32_t *ctx = (uint32_t *)&slot->ctx;
	for (unsigned i = 0; i < sizeof(slot->ctx) / 4; i++)
		ctx[i] = (uint32_t)rnd();
	/* Mostly invalid; the rare valid context enters code that is garbage too, which may end
	 * the whole run: the test accepts the documented endings. */
	slot->state = AP_SLOT_UP_REQUESTED;
	out_any(PVH_SEV_AP_DOORBELL_PORT, n, 4);
}

static void hit_ghcb_msr(void)
{
	uint64_t v = rnd();
	unsigned info = (unsigned)(v & 0xfff);
	/* The reset hold parks the BSP; 0x100 and the SNP-only requests end the run (as on KVM):
	 * both are tested elsewhere, here they would only cut the run short. */
	if (info == 0x006 || info == 0x100 || info == 0x010 || info == 0x012 || info == 0x014)
		v ^= 0x001;
	hostile_wrmsr_vmgexit(v);
}

static void hit_ghcb_page(void)
{
	static const uint64_t codes[] = {0x72, 0x7b, 0x7c, 0x80000001, 0x80000002, 0x80000003,
					 0x80000005, 0x80000010, 0x80000011, 0x8000fffd, 0x12345};
	uint64_t *page = (uint64_t *)(uintptr_t)HOSTILE_GHCB_GPA;
	for (unsigned i = 0; i < 512; i++)
		page[i] = rnd();
	page[0x390 / 8] = codes[rnd32() % (sizeof(codes) / sizeof(codes[0]))]; /* sw_exit_code */
	if (rnd() & 1)
		page[0xffc / 8] &= 0xffffffffull; /* ghcb_usage 0 half of the time */
	hostile_wrmsr_vmgexit(HOSTILE_GHCB_GPA);
}

static uint32_t nr_vcpus_of_ap_area(void)
{
	const volatile uint32_t *hdr = (const uint32_t *)(uintptr_t)(AP_AREA_GPA + AP_BRINGUP_OFFSET);
	return hdr[AP_HDR_OFF_NR_VCPUS / 4];
}

static const struct {
	const char *name;
	int (*run)(const struct hostile_env *e);
} hostile_cases[] = {
    {"ghcb-gpa", hostile_ghcb_gpa},     {"scratch", hostile_scratch},
    {"lengths", hostile_lengths},       {"events", hostile_events},
    {"msr-snp", hostile_msr_snp},       {"slots", hostile_slots},
    {"doorbells", hostile_doorbells},   {"init-storm", hostile_init_storm},
    {"exit-flood", hostile_exit_flood}, {"ap-triple", hostile_ap_triple},
    {"spin", hostile_spin},             {"console", hostile_console},
};

static int run_case(const char *name, size_t len, const struct hostile_env *e)
{
	for (unsigned i = 0; i < sizeof(hostile_cases) / sizeof(hostile_cases[0]); i++)
		if (pvh_strnlen(hostile_cases[i].name, 32) == len &&
		    !memcmp(hostile_cases[i].name, name, len))
			return hostile_cases[i].run(e);
	pvh_printf("hostile: no case '%.*s'\n", (int)len, name);
	return 2;
}

int guest_main(const struct hvm_start_info *si)
{
	const char *cmdline = NULL;
	uint32_t seed = 1, n = 2000;
	size_t len;
	const char *v;

	pvh_console_select(PVH_CONSOLE_DEBUGCON);
	if (si && si->magic == XEN_HVM_START_MAGIC_VALUE && si->cmdline_paddr)
		cmdline = pvh_phys_str(si->cmdline_paddr, PVH_SEV_CMDLINE_MAX);
	if ((v = pvh_cmdline_find(cmdline, "seed", &len)))
		pvh_parse_u32(v, len, &seed);
	if ((v = pvh_cmdline_find(cmdline, "n", &len)))
		pvh_parse_u32(v, len, &n);
	int sev = si && si->magic == XEN_HVM_START_MAGIC_VALUE && (si->flags & SIF_HVM_GHCB);
	uint32_t nr_vcpus = nr_vcpus_of_ap_area();
	if ((v = pvh_cmdline_find(cmdline, "case", &len))) {
		struct hostile_env e = {cmdline, nr_vcpus, sev, sev ? hostile_rdmsr(HOSTILE_GHCB_MSR) : 0};
		return run_case(v, len, &e);
	}
	rng_state = 0x9e3779b97f4a7c15ull ^ seed;
	pvh_printf("hostile: seed=%u n=%u sev=%d vcpus=%u\n", seed, n, sev, nr_vcpus);
	for (uint32_t i = 0; i < n; i++) {
		switch (rnd32() % (sev ? 7 : 5)) {
		case 0: hit_doorbell(); break;
		case 1: hit_ports(); break;
		case 2: hit_mmio(); break;
		case 3: hit_slot(nr_vcpus); break;
		case 4: hit_ports(); break;
		case 5: hit_ghcb_msr(); break;
		default: hit_ghcb_page(); break;
		}
	}
	pvh_printf("hostile: survived %u requests\n", n);
	return 0;
}
