/* SPDX-License-Identifier: MIT */
/*
 * The hostile guest's named cases (case=NAME): each does one hostile thing on purpose and
 * prints what it got back, so tests/integration/hostile_cases.sh can hold every case to its
 * documented status and message (docs/reliability.md, "Hostile guests").
 */
#ifndef PVH_EXAMPLE_HOSTILE_H
#define PVH_EXAMPLE_HOSTILE_H

#include "ap/ap_abi.h"
#include "lib/pvh_guest.h"

struct hostile_env {
	const char *cmdline;
	uint32_t nr_vcpus;
	int sev;              /* the start info says GHCB: emulated (or hardware) SEV-ES */
	uint64_t entry_ghcb;  /* the GHCB MSR as the guest found it (SEV_INFO in SEV-ES modes) */
};

/* Each returns the guest's exit status (0: every answer was printed). */
int hostile_ghcb_gpa(const struct hostile_env *e);
int hostile_scratch(const struct hostile_env *e);
int hostile_lengths(const struct hostile_env *e);
int hostile_events(const struct hostile_env *e);
int hostile_msr_snp(const struct hostile_env *e);
int hostile_slots(const struct hostile_env *e);
int hostile_doorbells(const struct hostile_env *e);
int hostile_init_storm(const struct hostile_env *e);
int hostile_exit_flood(const struct hostile_env *e);
int hostile_ap_triple(const struct hostile_env *e);
int hostile_spin(const struct hostile_env *e);
int hostile_console(const struct hostile_env *e);

/* --- shared by the cases ------------------------------------------------------------------ */

#define HOSTILE_GHCB_MSR 0xC0010130u
#define HOSTILE_GHCB_GPA 0x300000u /* a page of RAM above the kernel, plain GPA */

static inline void hostile_wrmsr_vmgexit(uint64_t v)
{
	__asm__ volatile("wrmsr\n\t.byte 0xf3, 0x0f, 0x01, 0xd9"
			 : : "c"(HOSTILE_GHCB_MSR), "a"((uint32_t)v), "d"((uint32_t)(v >> 32))
			 : "memory");
}

static inline uint64_t hostile_rdmsr(uint32_t idx)
{
	uint32_t lo, hi;
	__asm__ volatile("rdmsr" : "=a"(lo), "=d"(hi) : "c"(idx) : "memory");
	return (uint64_t)hi << 32 | lo;
}

static inline uint32_t hostile_inl(uint16_t port)
{
	uint32_t v;
	__asm__ volatile("inl %w1, %0" : "=a"(v) : "Nd"(port));
	return v;
}

static inline void hostile_pause(void)
{
	__asm__ volatile("pause" ::: "memory");
}

/* A GHCB string OUT of len bytes at gpa (the scratch area) to port; returns sw_exit_info_1. */
uint64_t hostile_ghcb_string_out(uint16_t port, uint32_t gpa, uint32_t len);

/* Rings the doorbell for vCPU n (4-byte OUT) and returns the IN (AP_DB_*). */
uint32_t hostile_doorbell(uint32_t n);

/* Starts AP n in 32-bit mode at fn(n) on its own stack through its bring-up slot; returns the
 * doorbell's answer. */
uint32_t hostile_start_ap(uint32_t n, void (*fn)(uint32_t));

/* Spins (bounded) until *p reaches want; returns 0, or -1 when it did not. */
int hostile_wait_u32(const volatile uint32_t *p, uint32_t want);

static inline struct ap_slot *hostile_slot(uint32_t n)
{
	return (struct ap_slot *)(uintptr_t)(AP_AREA_GPA + AP_SLOTS_OFFSET + n * AP_SLOT_SIZE);
}

#endif
