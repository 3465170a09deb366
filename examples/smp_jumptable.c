/* SPDX-License-Identifier: MIT */
/*
 * smp_jumptable: the GHCB "SMP booting" protocol (AP jump table) end to end, written to run
 * unchanged on SEV-ES hardware (docs/smp.md, docs/examples.md). 64-bit; it reuses the ghcb
 * guest's transport: the C-bit from the GHCB MSR in every page-table entry (ghcb_hook.S), one
 * shared GHCB page, console and exit through GHCB IOIO. The BSP
 *   1. GETs the AP jump table GPA with the GHCB page event AP_JUMP_TABLE (it must be the AP
 *      area's jump-table page, which pvh-sev's BSP pre-stub SET),
 *   2. copies a real-mode trampoline to SJT_TRAMP_GPA and writes IP:CS into the jump table,
 *   3. switches its LAPIC to x2APIC mode and sends every IPI as a WRMSR of the x2APIC ICR
 *      through the GHCB MSR event (xAPIC MMIO would raise #VC on hardware),
 *   4. starts APIC 1 with INIT-SIPI-SIPI; that AP reaches long mode and parks in AP reset hold,
 *   5. starts every other AP the same way and waits until all have reported in (a counter),
 *   6. releases the parked AP with INIT-SIPI and checks that it resumed after its VMGEXIT with
 *      the hold answered (GHCB MSR 0x1007: response 0x007, result 1),
 * then exits 0 (1 with a FAIL line, 2 without a SEV_INFO GHCB MSR at entry, 3 when the page
 * tables were not the library's). Nothing does bare port I/O, MMIO or CPUID: it passes --strict.
 */
#include "ap/ap_abi.h"
#include "ghcb_guest.h"

#define SJT_TRAMP_GPA 0x8000u
#define MSR_APIC_BASE 0x1bu
#define MSR_X2APIC_ICR 0x830u
#define APIC_BASE_X2APIC (1ull << 10)
#define APIC_BASE_ENABLE (1ull << 11)
#define CPUID_1_ECX_X2APIC (1u << 21)
#define ICR_INIT 0x4500u
#define ICR_STARTUP 0x4600u
#define SPIN_LIMIT 20000000u
#define RELEASE_TRIES 8u
#define EXIT_FAILED 1
#define EXIT_NO_SEV_INFO 2
#define EXIT_BAD_TABLES 3
/* The SIPI vector points at a trap, not at the trampoline: SEV-ES ignores the vector, so an AP
 * that arrives there did not come through the jump table (it counts itself at +0x10). */
#define SJT_TRAP_GPA 0xa000u
static const uint8_t sjt_trap[] = {
	0xfa,                               /* cli */
	0xf0, 0x2e, 0xff, 0x06, 0x10, 0x00, /* lock incw %cs:0x10 */
	0xf4,                               /* hlt */
	0xeb, 0xfd,                         /* jmp back to the hlt */
};

extern const uint8_t sjt_tramp_start[], sjt_tramp_end[], sjt_count[], sjt_parked[],
	sjt_resumed[], sjt_resp[], sjt_ap_cr3[];

#define TRAMP(sym) \
	((volatile void *)(uintptr_t)(SJT_TRAMP_GPA + (uint32_t)((sym) - sjt_tramp_start)))
#define TRAMP16(sym) (*(volatile uint16_t *)TRAMP(sym))
#define TRAMP64(sym) (*(volatile uint64_t *)TRAMP(sym))

static int fail(const char *what, uint64_t value)
{
	pvh_printf("smp_jumptable: FAIL %s (0x%llx)\n", what, (unsigned long long)value);
	return EXIT_FAILED;
}

/* RDMSR/WRMSR through the GHCB MSR event: returns sw_exit_info_1 (0 = done). */
static uint32_t ghcb_msr(uint32_t idx, int write, uint64_t *val)
{
	uint32_t r;

	ghcb_req_begin(GHCB_EXIT_MSR, write ? 1 : 0, 0);
	ghcb_req_set(GHCB_OFF(rcx), idx);
	if (write) {
		ghcb_req_set(GHCB_OFF(rax), (uint32_t)*val);
		ghcb_req_set(GHCB_OFF(rdx), *val >> 32);
	}
	r = ghcb_req_issue();
	if (!write && r == 0)
		*val = (ghcb_page->save.rdx << 32) | (uint32_t)ghcb_page->save.rax;
	return r;
}

/* x2APIC -> xAPIC is an illegal transition: the WRMSR must come back as #GP, mode unchanged. */
static int x2apic_to_xapic_refused(uint64_t base)
{
	uint64_t xapic = base & ~APIC_BASE_X2APIC, now = 0;

	if (ghcb_msr(MSR_APIC_BASE, 1, &xapic) != GHCB_RESULT_EXCEPTION ||
	    ghcb_page->save.sw_exit_info_2 != GHCB_EVENT_GP)
		return fail("APIC_BASE x2APIC -> xAPIC not refused with #GP",
			    ghcb_page->save.sw_exit_info_1);
	if (ghcb_msr(MSR_APIC_BASE, 0, &now) || now != base)
		return fail("APIC_BASE changed by a refused write", now);
	pvh_printf("smp_jumptable: APIC_BASE x2APIC -> xAPIC refused (#GP)\n");
	return 0;
}

/* x2APIC mode on the BSP, as an SEV-ES guest must: CPUID and APIC_BASE through the GHCB. */
static int x2apic_enable(void)
{
	uint64_t base = 0;

	ghcb_req_begin(GHCB_EXIT_CPUID, 0, 0);
	ghcb_req_set(GHCB_OFF(rax), 1);
	ghcb_req_set(GHCB_OFF(rcx), 0);
	if (ghcb_req_issue() != 0)
		return fail("GHCB CPUID 1 refused", ghcb_page->save.sw_exit_info_2);
	if (!(ghcb_page->save.rcx & CPUID_1_ECX_X2APIC))
		return fail("CPUID 1 reports no x2APIC", ghcb_page->save.rcx);
	if (ghcb_msr(MSR_APIC_BASE, 0, &base))
		return fail("GHCB RDMSR APIC_BASE refused", ghcb_page->save.sw_exit_info_2);
	if (!(base & APIC_BASE_X2APIC)) {
		base |= APIC_BASE_ENABLE | APIC_BASE_X2APIC;
		if (ghcb_msr(MSR_APIC_BASE, 1, &base))
			return fail("GHCB WRMSR APIC_BASE refused", base);
	}
	if (ghcb_msr(MSR_APIC_BASE, 0, &base) || !(base & APIC_BASE_X2APIC))
		return fail("APIC_BASE without x2APIC mode", base);
	pvh_printf("smp_jumptable: x2APIC on, APIC_BASE 0x%llx\n", (unsigned long long)base);
	return x2apic_to_xapic_refused(base);
}

/* One IPI: the x2APIC ICR, destination in bits 63:32 (no delivery-status bit to poll). */
static int icr_send(uint32_t apic_id, uint32_t cmd)
{
	uint64_t icr = (uint64_t)apic_id << 32 | cmd;

	return ghcb_msr(MSR_X2APIC_ICR, 1, &icr) ? -1 : 0;
}

static int start_ap(uint32_t apic_id, int sipis)
{
	if (icr_send(apic_id, ICR_INIT))
		return -1;
	for (int i = 0; i < sipis; i++)
		if (icr_send(apic_id, ICR_STARTUP | (SJT_TRAP_GPA >> 12)))
			return -1;
	return 0;
}

static int wait_u16_for(volatile uint16_t *p, uint16_t want, uint32_t spins)
{
	/* PAUSE lets KVM's pause-loop exiting hand the CPU to the vCPU being waited for, which
	 * matters where vCPUs share few host CPUs (the nested lane: two). */
	for (uint32_t i = 0; i < spins; i++) {
		if (*p == want)
			return 0;
		__asm__ volatile("pause");
	}
	return -1;
}

static int wait_u16(volatile uint16_t *p, uint16_t want)
{
	return wait_u16_for(p, want, SPIN_LIMIT);
}

static void install_trampoline(void)
{
	volatile uint16_t *jt = (volatile uint16_t *)(uintptr_t)(AP_AREA_GPA + AP_JUMP_TABLE_OFFSET);

	memcpy((void *)(uintptr_t)SJT_TRAMP_GPA, sjt_tramp_start,
	       (size_t)(sjt_tramp_end - sjt_tramp_start));
	memset((void *)(uintptr_t)SJT_TRAP_GPA, 0, 0x20);
	memcpy((void *)(uintptr_t)SJT_TRAP_GPA, sjt_trap, sizeof(sjt_trap));
	jt[0] = 0;                   /* IP */
	jt[1] = SJT_TRAMP_GPA >> 4; /* CS */
}

static int release_parked(void)
{
	uint64_t resp, cr3;

	/* The parked AP set sjt_parked just before its VMGEXIT: give it time to reach the hold. */
	for (volatile uint32_t i = 0; i < 20000; i++)
		;
	if (TRAMP16(sjt_resumed) != 0)
		return fail("the parked AP left its hold early", 1);
	/* A release that arrives before the AP is in its hold is lost (on hardware too, where the
	 * wait above is microseconds): send it again, a bounded number of times. */
	for (unsigned tries = 0;; tries++) {
		if (start_ap(1, 1))
			return fail("ICR write refused releasing APIC", 1);
		if (wait_u16_for(&TRAMP16(sjt_resumed), 1, SPIN_LIMIT) == 0)
			break;
		if (tries + 1 == RELEASE_TRIES)
			return fail("the parked AP did not resume", tries + 1);
	}
	resp = TRAMP64(sjt_resp);
	pvh_printf("smp_jumptable: AP reset hold released, GHCB MSR 0x%llx\n",
		   (unsigned long long)resp);
	if (resp != 0x1007)
		return fail("hold response is not 0x1007", resp);
	__asm__ volatile("mov %%cr3, %0" : "=r"(cr3));
	if (TRAMP64(sjt_ap_cr3) != cr3)
		return fail("the AP's CR3 is not the BSP's (C-bit)", TRAMP64(sjt_ap_cr3));
	pvh_printf("smp_jumptable: AP in long mode, CR3 0x%llx\n", (unsigned long long)cr3);
	return 0;
}

static int bring_up(uint32_t ncpus)
{
	uint16_t wrong;

	install_trampoline();
	if (start_ap(1, 2))
		return fail("ICR write refused starting APIC", 1);
	if (wait_u16(&TRAMP16(sjt_parked), 1))
		return fail("APIC 1 did not start and park", TRAMP16(sjt_count));
	for (uint32_t id = 2; id < ncpus; id++)
		if (start_ap(id, 2))
			return fail("ICR write refused starting APIC", id);
	if (wait_u16(&TRAMP16(sjt_count), (uint16_t)(ncpus - 1)))
		return fail("APs reported in", TRAMP16(sjt_count));
	pvh_printf("smp_jumptable: %u APs reported in\n", ncpus - 1);
	if (release_parked())
		return EXIT_FAILED;
	wrong = *(volatile uint16_t *)(uintptr_t)(SJT_TRAP_GPA + 0x10);
	if (wrong)
		return fail("APs ran the SIPI vector instead of the jump table", wrong);
	return 0;
}

int guest_main(const struct hvm_start_info *si)
{
	uint64_t info = ghcb_guest_entry_msr, gpa;
	uint32_t ncpus = *(const volatile uint32_t *)(uintptr_t)(AP_AREA_GPA + AP_BRINGUP_OFFSET +
								   AP_HDR_OFF_NR_VCPUS);

	if (ghcb_msr_info(info) != GHCB_MSR_SEV_INFO_RESP || !pvh_pte_extra_mask)
		return EXIT_NO_SEV_INFO; /* no GHCB: nothing safe to print through */
	if (ghcb_transport_init())
		return EXIT_BAD_TABLES;
	pvh_printf("smp_jumptable: SEV_INFO cbit=%u versions %u..%u, %u vCPUs\n",
		   ghcb_msr_sev_info_cbit(info), ghcb_msr_sev_info_min(info),
		   ghcb_msr_sev_info_max(info), ncpus);
	if (ghcb_call(GHCB_EXIT_AP_JUMP_TABLE, 1, 0) != 0)
		return fail("AP_JUMP_TABLE GET refused", ghcb_page->save.sw_exit_info_2);
	gpa = ghcb_page->save.sw_exit_info_2;
	pvh_printf("smp_jumptable: jump table gpa=0x%llx\n", (unsigned long long)gpa);
	if (gpa != AP_AREA_GPA + AP_JUMP_TABLE_OFFSET)
		return fail("jump table is not the AP area's jump-table page", gpa);
	if (ncpus < 2) {
		pvh_printf("smp_jumptable: ok (1 vCPU, no APs)\n");
		return 0;
	}
	if (x2apic_enable() || bring_up(ncpus))
		return EXIT_FAILED;
	pvh_printf("smp_jumptable: ok\n");
	return 0;
}
