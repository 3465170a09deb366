/* SPDX-License-Identifier: MIT */
/* The smp example's guest-only pieces, shared by smp.c, smp_errors.c and smp_initsipi.c. */
#ifndef PVH_EXAMPLE_SMP_GUEST_H
#define PVH_EXAMPLE_SMP_GUEST_H

#include "ap/ap_abi.h"
#include "examples/lib/pvh_guest.h"
#include "examples/smp.h"

extern struct smp_record smp_records[SMP_MAX_CPUS];
extern volatile uint32_t smp_reported;
extern uint32_t smp_stack_base;
extern uint32_t smp_spin_limit;

void smp_ap_entry32(void);
void smp_ap_entry64(void);

static inline uint32_t smp_inl(uint16_t port)
{
	uint32_t v;

	__asm__ volatile("inl %1, %0" : "=a"(v) : "Nd"(port));
	return v;
}

static inline void smp_outw(uint16_t port, uint16_t v)
{
	__asm__ volatile("outw %0, %1" : : "a"(v), "Nd"(port));
}

static inline struct ap_slot *smp_slot(unsigned n)
{
	return (struct ap_slot *)(uintptr_t)(AP_AREA_GPA + AP_SLOTS_OFFSET + n * AP_SLOT_SIZE);
}

static inline uint32_t smp_stack_top(unsigned n)
{
	return smp_stack_base + (n + 1) * SMP_STACK_SIZE;
}

/* Rings the doorbell for vCPU n and returns the IN result (AP_DB_*). */
uint32_t smp_doorbell(uint32_t n);

/*
 * Rings AP n's doorbell until it answers OK (the VMM started it, or woke it from its AP reset
 * hold) or until(n) is true; 0, SMP_EXIT_DOORBELL or SMP_EXIT_AP_TIMEOUT.
 */
int smp_ring_until_ok(unsigned n, int (*until)(unsigned n));

/* Spins (bounded by spin=) until smp_reported reaches want; 0 or SMP_EXIT_AP_TIMEOUT. */
int smp_wait_reported(uint32_t want);

/* Spins (bounded) while slot n's state is `from`; returns the state it saw last. */
uint32_t smp_wait_slot(unsigned n, uint32_t from);

/* Checks AP n's record (ran once, mode, token, registers, APIC ID); 0 or an SMP_EXIT_*. */
int smp_check_record(unsigned n, uint32_t mode, uint32_t token, uint32_t sp, uint32_t cr3);

/* The other modes: each returns an SMP_EXIT_* status. */
int smp_run_errors(uint32_t ncpus);
int smp_run_initsipi(uint32_t ncpus);
int smp_run_park_jumptable(uint32_t ncpus);

#endif
