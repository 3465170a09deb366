/* SPDX-License-Identifier: MIT */
/*
 * The initial register state of one vCPU, as the VMM hands it to KVM and as the VMSA builder
 * (sev/) turns it into VMSA bytes: one source for both, so what runs is what is measured.
 */
#ifndef PVH_CPU_STATE_H
#define PVH_CPU_STATE_H

#include <linux/kvm.h>
#include <stdint.h>

#include "loader/gpa.h"

#define CPU_APIC_BASE_DEFAULT 0xfee00800ull /* xAPIC at 0xfee00000, enabled */
#define CPU_APIC_BASE_BSP 0x100ull

struct cpu_state {
	struct kvm_regs regs;
	struct kvm_sregs sregs;
	uint64_t xcr0;          /* 1 (x87) */
	uint64_t mtrr_def_type; /* MSR 0x2ff */
	uint64_t dr7;           /* 0x400 */
};

/* The PVH entry state of abi.md section 1 for the BSP: EBX = start_info, EIP = entry. */
void cpu_state_pvh_bsp(struct cpu_state *s, uint32_t entry, gpa_t start_info, gpa_t gdt);

/* Fills a flat 32-bit segment (code when `code`, else data) with the packed attributes. */
void cpu_state_flat_segment(struct kvm_segment *seg, uint16_t selector, int code);

#endif
