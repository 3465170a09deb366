// SPDX-License-Identifier: MIT
#include "loader/cpu_state.h"

#include <string.h>

#include "loader/boot_gdt.h"

void cpu_state_flat_segment(struct kvm_segment *seg, uint16_t selector, int code)
{
	memset(seg, 0, sizeof(*seg));
	seg->base = 0;
	seg->limit = 0xffffffff; /* stored as given with G=1: the VMSA keeps it unscaled */
	seg->selector = selector;
	seg->type = code ? 0xb : 0x3;
	seg->present = 1;
	seg->s = 1;
	seg->db = 1;
	seg->g = 1;
}

void cpu_state_pvh_bsp(struct cpu_state *s, uint32_t entry, gpa_t start_info, gpa_t gdt)
{
	memset(s, 0, sizeof(*s));
	s->regs.rip = entry;
	s->regs.rbx = start_info;
	s->regs.rflags = 0x2;

	struct kvm_sregs *sr = &s->sregs;
	cpu_state_flat_segment(&sr->cs, BOOT_GDT_CS, 1);
	cpu_state_flat_segment(&sr->ds, BOOT_GDT_DS, 0);
	sr->es = sr->fs = sr->gs = sr->ss = sr->ds;

	/* Busy 32-bit TSS, base 0, limit 0x67 (attrib 0x8b), as Xen's PVH builder loads it. */
	sr->tr.selector = BOOT_GDT_TSS;
	sr->tr.limit = 0x67;
	sr->tr.type = 0xb;
	sr->tr.present = 1;
	/* LDTR: selector 0, limit 0xffff, type 2, present; never "unusable" (VMSA bytes). */
	sr->ldt.limit = 0xffff;
	sr->ldt.type = 0x2;
	sr->ldt.present = 1;

	sr->gdt.base = gdt;
	sr->gdt.limit = BOOT_GDT_SIZE - 1;
	/* xAPIC enabled at its reset base, BSP flag set (ap_initial_state clears it): KVM_SET_SREGS
	 * with apic_base 0 would disable the in-kernel LAPIC, and with it xAPIC MMIO and IPIs. */
	sr->apic_base = 0xfee00000 | 0x800 | 0x100;
	sr->cr0 = 0x11; /* PE|ET exactly: KVM does not force ET */
	sr->cr4 = 0;
	sr->efer = 0;

	s->xcr0 = 1;
	s->mtrr_def_type = 0x806; /* MTRRs on, default write-back (pvh.pandoc) */
	s->dr7 = 0x400;
}
