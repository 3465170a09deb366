// SPDX-License-Identifier: MIT
/*
 * kind=smp of the benchmark guest: start APs through the AP bring-up page (docs/abi.md 4.2) all
 * at once, then wait until every one of them has counted itself in. Built against ap/ap_abi.h;
 * where that header is absent the guest says so and kind=smp fails (exit 2).
 */
#include <stdint.h>

#include "bench/guests/benchguest.h"

#if __has_include("ap/ap_abi.h")
#include "ap/ap_abi.h"

#define FLAT_CODE_AR 0xc9bu
#define FLAT_DATA_AR 0xc93u
#define SPIN_LIMIT 5000000u /* a few seconds of emulated spinning: then give up */

extern volatile uint32_t ap_count; /* entry.S: each AP increments it, then halts */
extern char ap_entry[];

static void fill_context(volatile struct ap_slot *slot)
{
	volatile struct ap_hvm_x86_32 *r = &slot->ctx.cpu_regs.x86_32;

	slot->ctx.mode = AP_CTX_MODE_32B;
	r->eip = (uint32_t)(uintptr_t)ap_entry;
	r->eflags = 0x2;
	r->cr0 = 0x11; /* PE|ET: paging off, as the BSP entered */
	r->cr3 = r->cr4 = 0;
	r->efer = 0;
	r->cs_base = r->ds_base = r->ss_base = r->es_base = 0;
	r->cs_limit = r->ds_limit = r->ss_limit = r->es_limit = 0xffffffffu;
	r->cs_ar = FLAT_CODE_AR;
	r->ds_ar = r->ss_ar = r->es_ar = FLAT_DATA_AR;
	r->tr_ar = 0; /* keep the initial TR */
}

/* The first AP whose slot never reached RUNNING (the stub did not run it, or failed it), for
 * the error message; 0 when every slot says RUNNING (then the AP's own code did not count). */
static uint32_t first_stuck(uint8_t *base, uint32_t aps)
{
	for (uint32_t n = 1; n <= aps; n++) {
		volatile struct ap_slot *slot =
		    (volatile struct ap_slot *)(base + n * AP_SLOT_SIZE);
		if (slot->state != AP_SLOT_RUNNING)
			return n | slot->state << 16 | slot->reason << 24;
	}
	return 0;
}

static uint32_t ring_doorbell(uint16_t port, uint32_t n)
{
	uint32_t result;

	__asm__ volatile("outl %0, %1" : : "a"(n), "Nd"(port));
	__asm__ volatile("inl %1, %0" : "=a"(result) : "Nd"(port));
	return result;
}

int smp_bring_up(uint32_t want, uint32_t *started)
{
	volatile struct ap_bringup_header *h =
	    (volatile struct ap_bringup_header *)(uintptr_t)(AP_AREA_GPA + AP_BRINGUP_OFFSET);

	if (h->magic != AP_HDR_MAGIC || h->version != AP_HDR_VERSION || h->nr_vcpus == 0 ||
	    h->slot_size != AP_SLOT_SIZE)
		return SMP_NO_PAGE;
	uint32_t aps = h->nr_vcpus - 1;
	if (want && want < aps)
		aps = want;
	uint8_t *base = (uint8_t *)(uintptr_t)AP_AREA_GPA + h->slots_offset;
	for (uint32_t n = 1; n <= aps; n++) {
		volatile struct ap_slot *slot =
		    (volatile struct ap_slot *)(base + n * AP_SLOT_SIZE);
		fill_context(slot);
		slot->state = AP_SLOT_UP_REQUESTED; /* last: the stub reads the context after it */
		if (ring_doorbell((uint16_t)h->doorbell_port, n) != AP_DB_OK)
			return SMP_DOORBELL;
	}
	for (uint32_t spin = 0; ap_count < aps; spin++) {
		if (spin == SPIN_LIMIT) {
			*started = first_stuck(base, aps);
			return SMP_TIMEOUT;
		}
		__asm__ volatile("pause");
	}
	*started = aps;
	return 0;
}

#else

int smp_bring_up(uint32_t want, uint32_t *started)
{
	(void)want;
	(void)started;
	return SMP_UNSUPPORTED;
}

#endif
