/* SPDX-License-Identifier: MIT */
/*
 * smp_jumptable: the GHCB "SMP booting" protocol (AP jump table) end to end, for emulated
 * SEV-ES (docs/smp.md). 32-bit, paging off. The BSP
 *   1. checks that the GHCB MSR still reads as SEV_INFO (pvh-sev's BSP pre-stub restored it),
 *   2. GETs the AP jump table GPA with the GHCB page event AP_JUMP_TABLE (prints it; it must
 *      be the AP area's jump-table page, which the pre-stub SET),
 *   3. copies a real-mode trampoline to SJT_TRAMP_GPA and writes IP:CS into the jump table,
 *   4. starts APIC 1 with INIT-SIPI-SIPI (xAPIC ICR); that AP parks in AP reset hold,
 *   5. starts every other AP the same way and waits until all have reported in,
 *   6. releases the parked AP with INIT-SIPI and checks that it resumed after its VMGEXIT with
 *      the hold answered (GHCB MSR 0x1007: response 0x007, result 1),
 * then exits 0 (1 with a FAIL line). Emulated mode only: with paging off every access is to a
 * plain GPA, which on hardware would be private (the GHCB must be mapped shared, as the
 * pre-stub does), and plain MMIO/OUT would raise #VC there.
 */
#include "ap/ap_abi.h"
#include "lib/pvh_guest.h"

#define MSR_GHCB 0xc0010130u
#define SJT_TRAMP_GPA 0x8000u
#define LAPIC_ICR_LO 0xfee00300u
#define LAPIC_ICR_HI 0xfee00310u
#define ICR_INIT 0x4500u
#define ICR_STARTUP 0x4600u
#define ICR_BUSY (1u << 12)
#define SPIN_LIMIT 20000000u
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
	sjt_resumed[], sjt_resp[];

static uint8_t ghcb[4096] __attribute__((aligned(4096)));

#define TRAMP(sym) ((volatile void *)(uintptr_t)(SJT_TRAMP_GPA + (uint32_t)((sym) - sjt_tramp_start)))

static uint64_t rdmsr(uint32_t msr)
{
	uint32_t lo, hi;

	__asm__ volatile("rdmsr" : "=a"(lo), "=d"(hi) : "c"(msr));
	return (uint64_t)hi << 32 | lo;
}

static void put64(uint32_t off, uint64_t v) { memcpy(ghcb + off, &v, 8); }
static uint64_t get64(uint32_t off)
{
	uint64_t v;

	memcpy(&v, ghcb + off, 8);
	return v;
}

/* GHCB page event AP_JUMP_TABLE GET; returns 0 and the GPA, or -1. */
static int jump_table_get(uint16_t version, uint64_t *gpa)
{
	uint32_t addr = (uint32_t)(uintptr_t)ghcb;

	memset(ghcb, 0, sizeof(ghcb));
	put64(0x390, 0x80000005ull); /* sw_exit_code: AP_JUMP_TABLE */
	put64(0x398, 1);             /* sw_exit_info_1: GET */
	put64(0x3a0, 0);
	ghcb[0x3f0 + 14] = 0x1c; /* valid: sw_exit_code, sw_exit_info_1, sw_exit_info_2 */
	memcpy(ghcb + 0xffa, &version, 2);
	__asm__ volatile("wrmsr\n\t.byte 0xf3, 0x0f, 0x01, 0xd9"
			 : : "c"(MSR_GHCB), "a"(addr), "d"(0) : "memory");
	if ((uint32_t)get64(0x398) != 0)
		return -1;
	*gpa = get64(0x3a0);
	return 0;
}

static int icr_send(uint32_t apic_id, uint32_t cmd)
{
	volatile uint32_t *lo = (volatile uint32_t *)LAPIC_ICR_LO;
	volatile uint32_t *hi = (volatile uint32_t *)LAPIC_ICR_HI;

	*hi = apic_id << 24;
	*lo = cmd;
	for (uint32_t i = 0; i < SPIN_LIMIT; i++)
		if (!(*lo & ICR_BUSY))
			return 0;
	return -1;
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

static int wait_u16(volatile void *p, uint16_t want)
{
	for (uint32_t i = 0; i < SPIN_LIMIT; i++)
		if (*(volatile uint16_t *)p == want)
			return 0;
	return -1;
}

static int fail(const char *what, uint64_t value)
{
	pvh_printf("smp_jumptable: FAIL %s (0x%llx)\n", what, (unsigned long long)value);
	return 1;
}

static int bring_up(uint32_t ncpus)
{
	memcpy((void *)(uintptr_t)SJT_TRAMP_GPA, sjt_tramp_start,
	       (size_t)(sjt_tramp_end - sjt_tramp_start));
	memset((void *)(uintptr_t)SJT_TRAP_GPA, 0, 0x20);
	memcpy((void *)(uintptr_t)SJT_TRAP_GPA, sjt_trap, sizeof(sjt_trap));
	volatile uint16_t *jt = (volatile uint16_t *)(uintptr_t)(AP_AREA_GPA + AP_JUMP_TABLE_OFFSET);
	jt[0] = 0;                   /* IP */
	jt[1] = SJT_TRAMP_GPA >> 4; /* CS */

	if (start_ap(1, 2) || wait_u16(TRAMP(sjt_parked), 1))
		return fail("APIC 1 did not start and park", *(volatile uint16_t *)TRAMP(sjt_count));
	for (uint32_t id = 2; id < ncpus; id++)
		if (start_ap(id, 2))
			return fail("ICR stuck starting APIC", id);
	if (wait_u16(TRAMP(sjt_count), (uint16_t)(ncpus - 1)))
		return fail("APs reported in", *(volatile uint16_t *)TRAMP(sjt_count));
	pvh_printf("smp_jumptable: %u APs reported in\n", ncpus - 1);

	/* The parked AP set sjt_parked just before its VMGEXIT: give it time to reach the hold. */
	for (volatile uint32_t i = 0; i < 20000; i++)
		;
	if (*(volatile uint16_t *)TRAMP(sjt_resumed) != 0)
		return fail("the parked AP left its hold early", 1);
	if (start_ap(1, 1) || wait_u16(TRAMP(sjt_resumed), 1))
		return fail("the parked AP did not resume", 0);
	uint64_t resp = *(volatile uint64_t *)TRAMP(sjt_resp);
	pvh_printf("smp_jumptable: AP reset hold released, GHCB MSR 0x%llx\n",
		   (unsigned long long)resp);
	if (resp != 0x1007)
		return fail("hold response is not 0x1007", resp);
	uint16_t wrong = *(volatile uint16_t *)(uintptr_t)(SJT_TRAP_GPA + 0x10);
	if (wrong)
		return fail("APs ran the SIPI vector instead of the jump table", wrong);
	return 0;
}

int guest_main(const struct hvm_start_info *si)
{
	uint64_t info = rdmsr(MSR_GHCB), gpa = 0;
	const volatile uint32_t *nr = (const volatile uint32_t *)(uintptr_t)(
		AP_AREA_GPA + AP_BRINGUP_OFFSET + AP_HDR_OFF_NR_VCPUS);
	uint32_t ncpus = *nr;

	pvh_console_select(PVH_CONSOLE_DEBUGCON);
	if ((info & 0xfff) != 0x001)
		return fail("GHCB MSR is not SEV_INFO at entry", info);
	uint16_t max = (uint16_t)(info >> 48);
	pvh_printf("smp_jumptable: SEV_INFO cbit=%u versions %u..%u, %u vCPUs\n",
		   (unsigned)((info >> 24) & 0xff), (unsigned)((info >> 32) & 0xffff), max, ncpus);
	if (jump_table_get(max > 2 ? 2 : max, &gpa))
		return fail("AP_JUMP_TABLE GET refused", get64(0x3a0));
	pvh_printf("smp_jumptable: jump table gpa=0x%llx\n", (unsigned long long)gpa);
	if (gpa != AP_AREA_GPA + AP_JUMP_TABLE_OFFSET)
		return fail("jump table is not the AP area's jump-table page", gpa);
	if (ncpus < 2) {
		pvh_printf("smp_jumptable: ok (1 vCPU, no APs)\n");
		return 0;
	}
	if (bring_up(ncpus))
		return 1;
	pvh_printf("smp_jumptable: ok\n");
	return 0;
}
