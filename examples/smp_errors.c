/* SPDX-License-Identifier: MIT */
/*
 * mode=errors: what the doorbell answers (docs/abi.md 4.2) to each kind of wrong request, and
 * how the AP stub fails a malformed slot (state FAILED plus a reason) without entering it.
 * Needs at least 5 vCPUs: AP 1 starts correctly, APs 2-4 (and 5 if present) get bad slots.
 */
#include "examples/smp_guest.h"

struct bad_slot {
	const char *what;
	uint32_t reason; /* AP_FAIL_* the stub must write */
};

static int expect_db(const char *what, uint32_t got, uint32_t want)
{
	if (got == want)
		return 0;
	pvh_printf("smp: FAIL: doorbell %s answered %u, expected %u\n", what, got, want);
	return SMP_EXIT_DOORBELL;
}

/* The answers the VMM gives from what it can see: index, BSP, access width, no request yet. */
static int doorbell_answers(uint32_t ncpus)
{
	int r;

	if ((r = expect_db("IN before any OUT", smp_inl(PVH_SEV_AP_DOORBELL_PORT),
			   AP_DB_NO_REQUEST)))
		return r;
	if ((r = expect_db("unknown vCPU", smp_doorbell(ncpus), AP_DB_NO_SUCH_VCPU)))
		return r;
	if ((r = expect_db("vCPU 0xffffffff", smp_doorbell(0xffffffffu), AP_DB_NO_SUCH_VCPU)))
		return r;
	if ((r = expect_db("BSP", smp_doorbell(0), AP_DB_IS_BSP)))
		return r;
	smp_outw(PVH_SEV_AP_DOORBELL_PORT, 1);
	return expect_db("2-byte OUT", smp_inl(PVH_SEV_AP_DOORBELL_PORT), AP_DB_BAD_ACCESS);
}

/* Corrupts AP n's otherwise good slot the way case k says. */
static struct bad_slot break_slot(unsigned n, unsigned k)
{
	struct ap_slot *s = smp_slot(n);
	uint32_t entry = (uint32_t)(uintptr_t)smp_ap_entry32;

	smp_slot_fill32(s, entry, smp_stack_top(n), SMP_TOKEN_BRINGUP | n, n);
	switch (k) {
	case 0:
		s->ctx.mode = 7;
		return (struct bad_slot){"mode 7", AP_FAIL_MODE};
	case 1:
		smp_slot_fill64(s, entry, smp_stack_top(n), 0x100000000ull, n, 0);
		return (struct bad_slot){"64-bit CR3 at 4 GiB", AP_FAIL_CR3};
	case 2:
		s->ctx.cpu_regs.x86_32.cr0 = 0x10; /* PE clear */
		return (struct bad_slot){"CR0 without PE", AP_FAIL_CR0};
	default:
		s->ctx.cpu_regs.x86_32.eflags = 0x202; /* IF */
		return (struct bad_slot){"EFLAGS.IF", AP_FAIL_FLAGS};
	}
}

static int bad_slot_fails(unsigned n, unsigned k)
{
	struct bad_slot b = break_slot(n, k);
	uint32_t state;
	int r;

	smp_slot(n)->reason = AP_FAIL_NONE;
	__atomic_store_n(&smp_slot(n)->state, AP_SLOT_UP_REQUESTED, __ATOMIC_SEQ_CST);
	if ((r = expect_db(b.what, smp_doorbell(n), AP_DB_OK)))
		return r; /* the VMM cannot see the slot: it starts the AP, the stub refuses */
	state = smp_wait_slot(n, AP_SLOT_UP_REQUESTED);
	if (state != AP_SLOT_FAILED || smp_slot(n)->reason != b.reason) {
		pvh_printf("smp: FAIL: slot %u (%s): state %u reason %u, expected failed/%u\n", n,
			   b.what, state, smp_slot(n)->reason, b.reason);
		return SMP_EXIT_SLOT_STATE;
	}
	pvh_printf("smp: errors: slot %u (%s) failed with reason %u\n", n, b.what, b.reason);
	return 0;
}

int smp_run_errors(uint32_t ncpus)
{
	uint32_t sp = smp_stack_top(1);
	int r;

	if (ncpus < 5) {
		pvh_printf("smp: FAIL: mode=errors needs 5 vCPUs or more\n");
		return SMP_EXIT_NEED_CPUS;
	}
	if ((r = doorbell_answers(ncpus)))
		return r;
	smp_slot_fill32(smp_slot(1), (uint32_t)(uintptr_t)smp_ap_entry32, sp,
			SMP_TOKEN_BRINGUP | 1, 1);
	__atomic_store_n(&smp_slot(1)->state, AP_SLOT_UP_REQUESTED, __ATOMIC_SEQ_CST);
	if ((r = expect_db("start vCPU 1", smp_doorbell(1), AP_DB_OK)) ||
	    (r = smp_wait_reported(1)) ||
	    (r = smp_check_record(1, SMP_MODE_32, SMP_TOKEN_BRINGUP | 1, sp, 0)))
		return r;
	/* A second start is refused whatever the slot says, and the AP does not run again. */
	__atomic_store_n(&smp_slot(1)->state, AP_SLOT_UP_REQUESTED, __ATOMIC_SEQ_CST);
	if ((r = expect_db("restart vCPU 1", smp_doorbell(1), AP_DB_ALREADY_STARTED)))
		return r;
	for (unsigned n = 2; n < ncpus && n < 6; n++)
		if ((r = bad_slot_fails(n, n - 2)))
			return r;
	if (smp_reported != 1 || smp_records[1].runs != 1) {
		pvh_printf("smp: FAIL: %u AP reports, expected only AP 1's\n", smp_reported);
		return SMP_EXIT_AP_RUNS;
	}
	pvh_printf("smp: errors: all doorbell and slot error cases answered as documented\n");
	return SMP_EXIT_OK;
}
