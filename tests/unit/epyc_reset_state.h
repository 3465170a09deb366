/* SPDX-License-Identifier: MIT */
/*
 * The x86 reset state of an EPYC vCPU as sev-snp-measure builds its reset VMSA from it (real
 * mode at 0xffff:fff0, EDX = the EPYC CPUID signature): the known-answer input shared by the
 * VMSA and model tests.
 */
#ifndef PVH_TEST_EPYC_RESET_STATE_H
#define PVH_TEST_EPYC_RESET_STATE_H

#include <string.h>

#include "loader/cpu_state.h"

static inline void epyc_reset_state(struct cpu_state *s, uint64_t cr0)
{
	memset(s, 0, sizeof(*s));
	struct kvm_segment data = {.limit = 0xffff, .type = 3, .s = 1, .present = 1};
	s->sregs.es = s->sregs.ds = s->sregs.fs = s->sregs.gs = s->sregs.ss = data;
	s->sregs.cs = (struct kvm_segment){
		.selector = 0xf000, .base = 0xffff0000, .limit = 0xffff, .type = 0xb, .s = 1,
		.present = 1};
	s->sregs.ldt = (struct kvm_segment){.limit = 0xffff, .type = 2, .present = 1};
	s->sregs.tr = (struct kvm_segment){.limit = 0xffff, .type = 0xb, .present = 1};
	s->sregs.gdt.limit = s->sregs.idt.limit = 0xffff;
	s->sregs.cr0 = cr0;
	s->regs.rflags = 2;
	s->regs.rip = 0xfff0;
	s->regs.rdx = 0x800f12; /* EPYC vcpu_sig */
	s->xcr0 = 1;
	s->dr7 = 0x400;
}

#endif
