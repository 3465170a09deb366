/* SPDX-License-Identifier: MIT */
/*
 * smp: brings up every AP of the VM and checks that each ran exactly once in the state it was
 * asked for (docs/smp.md). Command line:
 *   mode=bringup  (default) every AP through the bring-up page and the doorbell port; the
 *                 64-bit build starts odd vCPUs in long mode and even ones in 32-bit mode
 *   mode=initsipi every AP through INIT-SIPI-SIPI to a real-mode trampoline (smp_initsipi.c)
 *   mode=errors   the doorbell's and the stub's error answers (smp_errors.c)
 *   mode=mptable  the MP table lists exactly the VM's CPUs
 *   mode=park     (SEV-ES modes) every AP parks in the stub's AP reset hold, is woken by the
 *                 doorbell, parks again and is then brought up through its slot
 *   mode=parkjt   (SEV-ES modes) every AP parks the same way, then INIT-SIPI-SIPI releases it
 *                 and it leaves the stub through the AP jump table (smp_initsipi.c)
 *   cpus=N        the vCPU count the test expects (checked against the AP area header)
 *   spin=N        bound of every wait loop in iterations (default 50000000)
 * Exit status 0 on success, one SMP_EXIT_* (smp.h) per kind of failure.
 */
#include "examples/smp_guest.h"

#define SMP_SPIN_DEFAULT 50000000u

struct smp_record smp_records[SMP_MAX_CPUS];
volatile uint32_t smp_reported;
uint32_t smp_stack_base;
uint32_t smp_spin_limit = SMP_SPIN_DEFAULT;
extern char pvh_stack_top[];

#ifdef __x86_64__
#define SMP_PML4 ((uint32_t)(uintptr_t)pvh_pml4)
#else
#define SMP_PML4 0u
#endif

#ifdef __x86_64__
/* Long-mode APs land here from smp_ap_entry64 with the slot's RDI, RSI and RSP. */
void smp_ap_main64(uint64_t index, uint64_t token, uint64_t sp);
void smp_ap_main64(uint64_t index, uint64_t token, uint64_t sp)
{
	uint32_t a = 1, b, c = 0, d;
	uint64_t cr3;

	__asm__ volatile("cpuid" : "+a"(a), "=b"(b), "+c"(c), "=d"(d));
	__asm__ volatile("mov %%cr3, %0" : "=r"(cr3));
	if (index >= SMP_MAX_CPUS)
		return;
	struct smp_record *r = &smp_records[index];
	r->mode = SMP_MODE_64;
	r->token = (uint32_t)token;
	r->index = (uint32_t)index;
	r->apic_id = b >> 24;
	r->sp = (uint32_t)sp;
	r->cr3 = (uint32_t)cr3;
	__atomic_fetch_add(&r->runs, 1, __ATOMIC_SEQ_CST);
	__atomic_fetch_add(&smp_reported, 1, __ATOMIC_SEQ_CST);
}
#endif

uint32_t smp_doorbell(uint32_t n)
{
	pvh_outl(PVH_SEV_AP_DOORBELL_PORT, n);
	return smp_inl(PVH_SEV_AP_DOORBELL_PORT);
}

int smp_wait_reported(uint32_t want)
{
	for (uint32_t i = 0; i < smp_spin_limit; i++) {
		if (smp_reported >= want)
			return 0;
		__asm__ volatile("pause");
	}
	pvh_printf("smp: FAIL: %u of %u APs reported before spin=%u ran out\n", smp_reported, want,
		   smp_spin_limit);
	for (unsigned n = 1; n < SMP_MAX_CPUS && n <= want; n++)
		if (smp_records[n].runs == 0)
			pvh_printf("smp: AP %u silent, slot state %u\n", n, smp_slot(n)->state);
	return SMP_EXIT_AP_TIMEOUT;
}

uint32_t smp_wait_slot(unsigned n, uint32_t from)
{
	uint32_t s = from;

	for (uint32_t i = 0; i < smp_spin_limit && s == from; i++) {
		__asm__ volatile("pause");
		s = smp_slot(n)->state;
	}
	return s;
}

int smp_check_record(unsigned n, uint32_t mode, uint32_t token, uint32_t sp, uint32_t cr3)
{
	const volatile struct smp_record *r = &smp_records[n];

	if (r->runs != 1) {
		pvh_printf("smp: FAIL: AP %u ran %u times\n", n, r->runs);
		return SMP_EXIT_AP_RUNS;
	}
	if (r->mode != mode) {
		pvh_printf("smp: FAIL: AP %u runs in %u-bit mode, asked %u\n", n, r->mode, mode);
		return SMP_EXIT_AP_MODE;
	}
	if (r->token != token || r->index != n || r->sp != sp || r->cr3 != cr3) {
		pvh_printf("smp: FAIL: AP %u registers token=0x%x index=%u sp=0x%x cr3=0x%x\n", n,
			   r->token, r->index, r->sp, r->cr3);
		return SMP_EXIT_AP_REGS;
	}
	if (r->apic_id != n) {
		pvh_printf("smp: FAIL: AP %u has APIC ID %u\n", n, r->apic_id);
		return SMP_EXIT_AP_APIC_ID;
	}
	return 0;
}

/* Asks for AP n's start state: 64-bit for odd n in the 64-bit build, else 32-bit. */
static uint32_t fill_slot(unsigned n)
{
	struct ap_slot *s = smp_slot(n);
	uint32_t token = SMP_TOKEN_BRINGUP | n;

#ifdef __x86_64__
	if (n & 1) {
		smp_slot_fill64(s, (uintptr_t)smp_ap_entry64, smp_stack_top(n), (uintptr_t)pvh_pml4,
				n, token);
		return SMP_MODE_64;
	}
#endif
	smp_slot_fill32(s, (uint32_t)(uintptr_t)smp_ap_entry32, smp_stack_top(n), token, n);
	return SMP_MODE_32;
}

static int check_started(unsigned n, uint32_t mode)
{
	uint32_t cr3 = mode == SMP_MODE_64 ? SMP_PML4 : 0;
	int r = smp_check_record(n, mode, SMP_TOKEN_BRINGUP | n, smp_stack_top(n), cr3);

	if (r)
		return r;
	if (smp_slot(n)->state != AP_SLOT_RUNNING) {
		pvh_printf("smp: FAIL: slot %u state %u, expected running\n", n, smp_slot(n)->state);
		return SMP_EXIT_SLOT_STATE;
	}
	return 0;
}

static int run_bringup(uint32_t ncpus)
{
	uint32_t mode[SMP_MAX_CPUS], n64 = 0, r;

	for (unsigned n = 1; n < ncpus; n++) {
		mode[n] = fill_slot(n);
		n64 += mode[n] == SMP_MODE_64;
		/* The state word last: the stub reads the context only after seeing it. */
		__atomic_store_n(&smp_slot(n)->state, AP_SLOT_UP_REQUESTED, __ATOMIC_SEQ_CST);
		if ((r = smp_doorbell(n)) != AP_DB_OK) {
			pvh_printf("smp: FAIL: doorbell for vCPU %u answered %u\n", n, r);
			return SMP_EXIT_DOORBELL;
		}
	}
	if ((r = (uint32_t)smp_wait_reported(ncpus - 1)))
		return (int)r;
	for (unsigned n = 1; n < ncpus; n++)
		if ((r = (uint32_t)check_started(n, mode[n])))
			return (int)r;
	if (smp_reported != ncpus - 1) {
		pvh_printf("smp: FAIL: %u reports from %u APs\n", smp_reported, ncpus - 1);
		return SMP_EXIT_AP_RUNS;
	}
	pvh_printf("smp: bringup: %u of %u APs up (%u in 64-bit mode, %u in 32-bit mode)\n",
		   smp_reported, ncpus - 1, n64, ncpus - 1 - n64);
	return SMP_EXIT_OK;
}

int smp_ring_until_ok(unsigned n, int (*until)(unsigned n))
{
	for (uint32_t i = 0; i < smp_spin_limit / 50u + 1000u; i++) {
		uint32_t r = smp_doorbell(n);
		if (r == AP_DB_OK)
			return 0;
		if (r != AP_DB_ALREADY_STARTED) {
			pvh_printf("smp: FAIL: doorbell for vCPU %u answered %u\n", n, r);
			return SMP_EXIT_DOORBELL;
		}
		if (until && until(n))
			return 0;
	}
	pvh_printf("smp: FAIL: vCPU %u never waited in its AP reset hold\n", n);
	return SMP_EXIT_AP_TIMEOUT;
}

static int slot_taken(unsigned n) { return smp_slot(n)->state != AP_SLOT_UP_REQUESTED; }

/*
 * mode=park (SEV-ES modes): every AP is started with nothing to do, so it waits in the stub's
 * AP reset hold; a doorbell answers OK only once the VMM saw it there, and wakes it to find
 * nothing again. Then each slot is filled and the AP woken (or it finds the slot on its own).
 */
static int run_park(uint32_t ncpus)
{
	int r;

	for (unsigned n = 1; n < ncpus; n++)
		if ((r = smp_ring_until_ok(n, NULL))) /* the start */
			return r;
	for (unsigned n = 1; n < ncpus; n++)
		if ((r = smp_ring_until_ok(n, NULL))) /* parked, woken with nothing to do */
			return r;
	for (unsigned n = 1; n < ncpus; n++) {
		uint32_t mode = fill_slot(n);
		(void)mode;
		__atomic_store_n(&smp_slot(n)->state, AP_SLOT_UP_REQUESTED, __ATOMIC_SEQ_CST);
		if ((r = smp_ring_until_ok(n, slot_taken)))
			return r;
	}
	if ((r = smp_wait_reported(ncpus - 1)))
		return r;
	for (unsigned n = 1; n < ncpus; n++)
		if ((r = check_started(n, (n & 1) && sizeof(void *) == 8 ? SMP_MODE_64 : SMP_MODE_32)))
			return r;
	pvh_printf("smp: park: %u of %u APs parked, woken and up\n", smp_reported, ncpus - 1);
	return SMP_EXIT_OK;
}

static int run_mptable(uint32_t ncpus)
{
	struct smp_mp_summary mp;
	int r = smp_mp_walk(pvh_phys_ptr(PVH_SEV_MPFLOAT_GPA, 16), pvh_phys_ptr, &mp);

	if (r) {
		pvh_printf("smp: FAIL: MP table walk failed at step %d\n", -r);
		return SMP_EXIT_MPTABLE;
	}
	pvh_printf("smp: mptable: %u CPUs, BSP APIC ID %u, APIC IDs %s\n", mp.cpus,
		   mp.bsp_apic_id, mp.ids_dense ? "0..N-1" : "NOT dense");
	if (mp.cpus != ncpus || mp.bsp_count != 1 || mp.bsp_apic_id != 0 || !mp.ids_dense) {
		pvh_printf("smp: FAIL: MP table does not list the %u vCPUs\n", ncpus);
		return SMP_EXIT_MPTABLE;
	}
	return SMP_EXIT_OK;
}

/* The AP area header of docs/abi.md 4.2; returns the vCPU count or 0 when it is wrong. */
static uint32_t check_header(void)
{
	const volatile struct ap_bringup_header *h =
		(const void *)(uintptr_t)(AP_AREA_GPA + AP_BRINGUP_OFFSET);

	if (h->magic != AP_HDR_MAGIC || h->version != AP_HDR_VERSION ||
	    h->doorbell_port != PVH_SEV_AP_DOORBELL_PORT || h->slot_size != AP_SLOT_SIZE ||
	    h->slots_offset != AP_SLOTS_OFFSET || h->nr_vcpus == 0 ||
	    h->nr_vcpus > SMP_MAX_CPUS) {
		pvh_printf("smp: FAIL: bad bring-up header magic=0x%x version=%u nr=%u\n",
			   h->magic, h->version, h->nr_vcpus);
		return 0;
	}
	return h->nr_vcpus;
}

static int parse_u32_opt(const char *cmdline, const char *key, uint32_t *out)
{
	size_t len;
	const char *v = pvh_cmdline_find(cmdline, key, &len);

	return v && pvh_parse_u32(v, len, out) ? -1 : 0;
}

static int opt_is(const char *v, size_t len, const char *word)
{
	return len == strlen(word) && memcmp(v, word, len) == 0;
}

int guest_main(const struct hvm_start_info *si)
{
	const char *cmdline = NULL, *mode;
	uint32_t ncpus, want = 0;
	size_t len = 0;

	if (si && si->magic == XEN_HVM_START_MAGIC_VALUE && si->cmdline_paddr)
		cmdline = pvh_phys_str(si->cmdline_paddr, PVH_SEV_CMDLINE_MAX);
	mode = pvh_cmdline_find(cmdline, "mode", &len);
	if (!mode)
		mode = "bringup", len = 7;
	if (parse_u32_opt(cmdline, "cpus", &want) || parse_u32_opt(cmdline, "spin", &smp_spin_limit)) {
		pvh_printf("smp: FAIL: malformed cpus= or spin=\n");
		return SMP_EXIT_BAD_CMDLINE;
	}
	if (!(ncpus = check_header()))
		return SMP_EXIT_BAD_HEADER;
	if (want && want != ncpus) {
		pvh_printf("smp: FAIL: the VM has %u vCPUs, cpus=%u\n", ncpus, want);
		return SMP_EXIT_CPU_COUNT;
	}
	/* AP stacks: RAM right after the image (not loaded, not cleared: nothing to pay for). */
	smp_stack_base = ((uint32_t)(uintptr_t)pvh_stack_top + 4095u) & ~4095u;
	if (opt_is(mode, len, "bringup"))
		return run_bringup(ncpus);
	if (opt_is(mode, len, "mptable"))
		return run_mptable(ncpus);
	if (opt_is(mode, len, "errors"))
		return smp_run_errors(ncpus);
	if (opt_is(mode, len, "initsipi"))
		return smp_run_initsipi(ncpus);
	if (opt_is(mode, len, "park"))
		return run_park(ncpus);
	if (opt_is(mode, len, "parkjt"))
		return smp_run_park_jumptable(ncpus);
	pvh_printf("smp: FAIL: unknown mode (bringup|initsipi|errors|mptable|park|parkjt)\n");
	return SMP_EXIT_BAD_CMDLINE;
}
