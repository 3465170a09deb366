/* SPDX-License-Identifier: MIT */
/*
 * mode=initsipi: the BSP starts every AP the classic way, INIT then SIPI twice through the
 * xAPIC's ICR (broadcast to all but itself), into a real-mode trampoline in low RAM. The APs
 * switch to protected mode (and long mode in the 64-bit build) and report like bring-up APs.
 *
 * mode=parkjt (SEV-ES modes): every AP first waits in the AP stub's reset hold (started by the
 * doorbell with nothing to do, woken once and parked again); then the BSP points the AP jump
 * table at the same trampoline and wakes each AP once more (the VMM's INIT-SIPI, taken by the
 * same hold): the stub looks again and leaves through the jump table, as a Linux guest's APs do.
 */
#include "examples/smp_guest.h"

#define LAPIC_BASE 0xfee00000u
#define LAPIC_SVR 0xf0u
#define LAPIC_ICR_LO 0x300u
#define LAPIC_ICR_HI 0x310u
#define SVR_ENABLE 0x1ffu                /* APIC enabled, spurious vector 0xff */
#define ICR_ALL_BUT_SELF 0x000c0000u      /* destination shorthand 3 */
#define ICR_INIT_ASSERT 0x00004500u      /* INIT, level assert */
#define ICR_STARTUP 0x00004600u          /* StartUp | vector */

extern const char smp_trampoline[], smp_trampoline_end[];

static void lapic_write(uint32_t reg, uint32_t v)
{
	*(volatile uint32_t *)(uintptr_t)(LAPIC_BASE + reg) = v;
}

static void copy_trampoline(void)
{
	size_t len = (size_t)(smp_trampoline_end - smp_trampoline);

	memcpy((void *)(uintptr_t)SMP_TRAMPOLINE_GPA, smp_trampoline, len);
}

/* Starts every AP the architectural way, into the trampoline. */
static void init_sipi_sipi_all(void)
{
	copy_trampoline();
	lapic_write(LAPIC_SVR, SVR_ENABLE);
	lapic_write(LAPIC_ICR_HI, 0);
	lapic_write(LAPIC_ICR_LO, ICR_ALL_BUT_SELF | ICR_INIT_ASSERT);
	lapic_write(LAPIC_ICR_LO, ICR_ALL_BUT_SELF | ICR_STARTUP | SMP_SIPI_VECTOR);
	lapic_write(LAPIC_ICR_LO, ICR_ALL_BUT_SELF | ICR_STARTUP | SMP_SIPI_VECTOR);
}

static int check_all(uint32_t ncpus)
{
	uint32_t mode = sizeof(void *) == 8 ? SMP_MODE_64 : SMP_MODE_32;
	uint32_t cr3 = 0;
	int r;

#ifdef __x86_64__
	cr3 = (uint32_t)(uintptr_t)pvh_pml4;
#endif
	if ((r = smp_wait_reported(ncpus - 1)))
		return r;
	for (unsigned n = 1; n < ncpus; n++)
		if ((r = smp_check_record(n, mode, SMP_TOKEN_INITSIPI, smp_stack_top(n), cr3)))
			return r;
	if (smp_reported != ncpus - 1) {
		pvh_printf("smp: FAIL: %u reports from %u APs\n", smp_reported, ncpus - 1);
		return SMP_EXIT_AP_RUNS;
	}
	return 0;
}

static int reported(unsigned n) { return smp_records[n].runs != 0; }

int smp_run_park_jumptable(uint32_t ncpus)
{
	volatile uint16_t *jt =
	    (volatile uint16_t *)(uintptr_t)(AP_AREA_GPA + AP_JUMP_TABLE_OFFSET);
	int r;

	for (unsigned n = 1; n < ncpus; n++)
		if ((r = smp_ring_until_ok(n, NULL))) /* the start: nothing to do, it parks */
			return r;
	for (unsigned n = 1; n < ncpus; n++)
		if ((r = smp_ring_until_ok(n, NULL))) /* it was parked: woken, it parks again */
			return r;
	copy_trampoline();
	jt[0] = 0;                       /* IP */
	jt[1] = SMP_TRAMPOLINE_GPA >> 4; /* CS */
	/*
	 * The release: a doorbell, not an INIT-SIPI-SIPI broadcast. The guest cannot see whether
	 * the wake above has reached its AP yet; an AP that takes it after the jump table is
	 * written leaves through the table at once, and a broadcast would then INIT it and run the
	 * trampoline a second time (seen once in the lane under ASan). A doorbell answers OK only
	 * once its AP sits in the hold again, and an AP that left already has reported.
	 */
	for (unsigned n = 1; n < ncpus; n++)
		if ((r = smp_ring_until_ok(n, reported)))
			return r;
	if ((r = check_all(ncpus)))
		return r;
	pvh_printf("smp: parkjt: %u of %u APs parked, then up through the AP jump table\n",
		   smp_reported, ncpus - 1);
	return SMP_EXIT_OK;
}

int smp_run_initsipi(uint32_t ncpus)
{
	uint32_t mode = sizeof(void *) == 8 ? SMP_MODE_64 : SMP_MODE_32;
	int r;

	init_sipi_sipi_all();
	if ((r = check_all(ncpus)))
		return r;
	/* The VMM saw them start: the doorbell must not start them a second time. */
	if (ncpus > 1 && (r = (int)smp_doorbell(1)) != AP_DB_ALREADY_STARTED) {
		pvh_printf("smp: FAIL: doorbell for INIT-SIPI-started vCPU 1 answered %d\n", r);
		return SMP_EXIT_DOORBELL;
	}
	pvh_printf("smp: initsipi: %u of %u APs up through INIT-SIPI-SIPI (%u-bit mode)\n",
		   smp_reported, ncpus - 1, mode);
	return SMP_EXIT_OK;
}
