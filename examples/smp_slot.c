/* SPDX-License-Identifier: MIT */
/*
 * Filling a bring-up slot (docs/abi.md 4.2): the contexts the smp example asks its APs to start
 * in. Pure code (no I/O): the host unit tests check each against the stub's acceptance rules.
 */
#if __STDC_HOSTED__
#include <string.h> /* host unit tests */
#else
#include "examples/lib/pvh_guest.h"
#endif

#include "ap/ap_abi.h"
#include "examples/smp.h"

#define CR0_PE 0x1u
#define CR0_ET 0x10u
#define CR0_PG 0x80000000u
#define CR4_PAE 0x20u
#define EFER_LME 0x100u
#define EFER_LMA 0x400u
#define FLAGS_FIXED 0x2u

void smp_slot_fill32(struct ap_slot *s, uint32_t eip, uint32_t esp, uint32_t eax, uint32_t ebx)
{
	struct ap_hvm_x86_32 *r = &s->ctx.cpu_regs.x86_32;

	memset(&s->ctx, 0, sizeof(s->ctx));
	s->reason = AP_FAIL_NONE;
	s->ctx.mode = AP_CTX_MODE_32B;
	r->eax = eax;
	r->ebx = ebx;
	r->esp = esp;
	r->eip = eip;
	r->eflags = FLAGS_FIXED;
	r->cr0 = CR0_PE | CR0_ET; /* the PVH entry state: paging off */
	/* Flat segments, as Xen's VCPUOP_initialise takes them; TR AR 0 keeps the stub's TSS. */
	r->cs_limit = r->ds_limit = r->ss_limit = r->es_limit = 0xffffffffu;
	r->cs_ar = 0xc9b;
	r->ds_ar = r->ss_ar = r->es_ar = 0xc93;
}

void smp_slot_fill64(struct ap_slot *s, uint64_t rip, uint64_t rsp, uint64_t cr3, uint64_t rdi,
		     uint64_t rsi)
{
	struct ap_hvm_x86_64 *r = &s->ctx.cpu_regs.x86_64;

	memset(&s->ctx, 0, sizeof(s->ctx));
	s->reason = AP_FAIL_NONE;
	s->ctx.mode = AP_CTX_MODE_64B;
	r->rdi = rdi;
	r->rsi = rsi;
	r->rsp = rsp;
	r->rip = rip;
	r->rflags = FLAGS_FIXED;
	r->cr0 = CR0_PE | CR0_ET | CR0_PG;
	r->cr3 = cr3;
	r->cr4 = CR4_PAE;
	r->efer = EFER_LME | EFER_LMA;
}
