/* SPDX-License-Identifier: MIT */
/* Ends the run on KVM_EXIT_INTERNAL_ERROR, naming RIP and the instruction bytes. */
#ifndef PVH_EMULATION_FAILURE_H
#define PVH_EMULATION_FAILURE_H

#include <stddef.h>
#include <stdint.h>

struct vcpu;

void report_emulation_failure(struct vcpu *v);

/*
 * Reads up to len instruction bytes at the vCPU's current CS:RIP into buf, translating the
 * linear address through the guest's page tables (vmm/gva.c). Returns the number of bytes read (0 when
 * the address is not mapped to RAM), and the RIP/linear address through out-parameters.
 */
size_t vcpu_read_insn_bytes(struct vcpu *v, uint8_t *buf, size_t len, uint64_t *rip,
			    uint64_t *linear);

#endif
