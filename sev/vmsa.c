// SPDX-License-Identifier: MIT
#include "sev/vmsa.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

/* Offsets of Linux's struct sev_es_save_area (svm.h BUILD_BUG_RESERVED_OFFSET and friends). */
#define VMSA_AT(field, off) _Static_assert(offsetof(struct vmsa, field) == (off), #field)
VMSA_AT(cs, 0x010);
VMSA_AT(gdtr, 0x060);
VMSA_AT(ldtr, 0x070);
VMSA_AT(idtr, 0x080);
VMSA_AT(tr, 0x090);
VMSA_AT(u_cet, 0x0c0);
VMSA_AT(vmpl, 0x0ca);
VMSA_AT(cpl, 0x0cb);
VMSA_AT(efer, 0x0d0);
VMSA_AT(xss, 0x140);
VMSA_AT(cr4, 0x148);
VMSA_AT(cr3, 0x150);
VMSA_AT(cr0, 0x158);
VMSA_AT(dr7, 0x160);
VMSA_AT(dr6, 0x168);
VMSA_AT(rflags, 0x170);
VMSA_AT(rip, 0x178);
VMSA_AT(dr0, 0x180);
VMSA_AT(rsvd_1c0, 0x1c0);
VMSA_AT(rsp, 0x1d8);
VMSA_AT(rax, 0x1f8);
VMSA_AT(star, 0x200);
VMSA_AT(kernel_gs_base, 0x220);
VMSA_AT(sysenter_cs, 0x228);
VMSA_AT(cr2, 0x240);
VMSA_AT(rsvd_248, 0x248);
VMSA_AT(g_pat, 0x268);
VMSA_AT(rsvd_298, 0x298);
VMSA_AT(pkru, 0x2e8);
VMSA_AT(tsc_aux, 0x2ec);
VMSA_AT(rsvd_300, 0x300);
VMSA_AT(rcx, 0x308);
VMSA_AT(rdx, 0x310);
VMSA_AT(rbx, 0x318);
VMSA_AT(rsvd_320, 0x320);
VMSA_AT(rbp, 0x328);
VMSA_AT(rsi, 0x330);
VMSA_AT(rdi, 0x338);
VMSA_AT(r8, 0x340);
VMSA_AT(r15, 0x378);
VMSA_AT(rsvd_380, 0x380);
VMSA_AT(guest_exit_info_1, 0x390);
VMSA_AT(guest_nrip, 0x3a8);
VMSA_AT(sev_features, 0x3b0);
VMSA_AT(event_inj, 0x3e0);
VMSA_AT(xcr0, 0x3e8);
VMSA_AT(x87_dp, 0x400);
VMSA_AT(mxcsr, 0x408);
VMSA_AT(x87_ftw, 0x40c);
VMSA_AT(x87_fcw, 0x410);
VMSA_AT(x87_rip, 0x418);
VMSA_AT(fpreg_x87, 0x420);
VMSA_AT(fpreg_xmm, 0x470);
VMSA_AT(fpreg_ymm, 0x570);
_Static_assert(sizeof(struct vmsa_seg) == 16, "vmcb_seg");
_Static_assert(sizeof(struct vmsa) == 0x670, "sev_es_save_area is 1648 bytes");

void vmsa_options_default(struct vmsa_options *o)
{
	memset(o, 0, sizeof(*o));
	o->init = SEV_INIT_INIT2;
	o->sev_features = 0;
	o->host_cr4_mce = true;
}

uint16_t vmsa_seg_attrib(const struct kvm_segment *seg)
{
	/* P is "present && !unusable" in current KVM; unusable segments are refused before this. */
	return (uint16_t)((seg->type & 0xf) | (seg->s & 1) << 4 | (seg->dpl & 3) << 5 |
	                  (seg->present && !seg->unusable) << 7 | (seg->avl & 1) << 8 |
	                  (seg->l & 1) << 9 | (seg->db & 1) << 10 | (seg->g & 1) << 11);
}

static void seg_from_kvm(struct vmsa_seg *v, const struct kvm_segment *seg)
{
	v->selector = seg->selector;
	v->attrib = vmsa_seg_attrib(seg);
	v->limit = seg->limit; /* stored as given: KVM does not scale by G */
	v->base = seg->base;
}

static void table_from_kvm(struct vmsa_seg *v, const struct kvm_dtable *t)
{
	v->limit = t->limit;
	v->base = t->base;
}

static int check_state(const struct cpu_state *s, char *err, size_t errlen)
{
	static const char *const names[] = {"cs", "ds", "es", "fs", "gs", "ss", "tr", "ldt"};
	const struct kvm_segment *segs[] = {&s->sregs.cs, &s->sregs.ds, &s->sregs.es,
	                                    &s->sregs.fs, &s->sregs.gs, &s->sregs.ss,
	                                    &s->sregs.tr, &s->sregs.ldt};

	if (s->dr7 != VMSA_DR7_FIXED) {
		/* sev_es_sync_vmsa refuses any DR7 bit beyond DR7_FIXED_1. */
		snprintf(err, errlen, "DR7 is 0x%llx; SEV-ES needs exactly 0x400",
		         (unsigned long long)s->dr7);
		return -EINVAL;
	}
	if (s->sregs.cr2) {
		/* KVM writes the VMCB's CR2 only in svm_vcpu_run: a launch VMSA always has 0. */
		snprintf(err, errlen,
		         "CR2 is 0x%llx; a launch VMSA always has CR2 0 (KVM sets it only when "
		         "the vCPU runs)",
		         (unsigned long long)s->sregs.cr2);
		return -EINVAL;
	}
	for (size_t i = 0; i < sizeof(segs) / sizeof(segs[0]); i++) {
		if (segs[i]->unusable) {
			/* Older KVM zeroes the whole attribute, newer only P: not measurable. */
			snprintf(err, errlen,
			         "segment %s is marked unusable; its VMSA bytes "
			         "differ between KVM versions",
			         names[i]);
			return -EINVAL;
		}
	}
	return 0;
}

static void copy_gprs(struct vmsa *v, const struct kvm_regs *r)
{
	v->rax = r->rax;
	v->rbx = r->rbx;
	v->rcx = r->rcx;
	v->rdx = r->rdx;
	v->rsp = r->rsp;
	v->rbp = r->rbp;
	v->rsi = r->rsi;
	v->rdi = r->rdi;
	v->r8 = r->r8;
	v->r9 = r->r9;
	v->r10 = r->r10;
	v->r11 = r->r11;
	v->r12 = r->r12;
	v->r13 = r->r13;
	v->r14 = r->r14;
	v->r15 = r->r15;
	v->rip = r->rip;
	v->rflags = r->rflags;
}

static void copy_sregs(struct vmsa *v, const struct kvm_sregs *sr, const struct vmsa_options *o)
{
	seg_from_kvm(&v->es, &sr->es);
	seg_from_kvm(&v->cs, &sr->cs);
	seg_from_kvm(&v->ss, &sr->ss);
	seg_from_kvm(&v->ds, &sr->ds);
	seg_from_kvm(&v->fs, &sr->fs);
	seg_from_kvm(&v->gs, &sr->gs);
	seg_from_kvm(&v->tr, &sr->tr);
	seg_from_kvm(&v->ldtr, &sr->ldt);
	table_from_kvm(&v->gdtr, &sr->gdt);
	table_from_kvm(&v->idtr, &sr->idt);
	v->cpl = sr->ss.dpl & 3; /* svm_set_segment: CPL follows SS.DPL */
	v->efer = sr->efer | VMSA_EFER_SVME;
	v->cr0 = sr->cr0 & ~(VMSA_CR0_CD | VMSA_CR0_NW); /* KVM_X86_QUIRK_CD_NW_CLEARED */
	v->cr3 = sr->cr3;
	v->cr4 = sr->cr4 | (o->host_cr4_mce ? VMSA_CR4_MCE : 0);
}

int vmsa_build(const struct cpu_state *s, const struct vmsa_options *o,
               uint8_t page[VMSA_PAGE_SIZE], char *err, size_t errlen)
{
	char dummy[1];
	if (!err) {
		err = dummy;
		errlen = sizeof(dummy);
	}
	int r = check_state(s, err, errlen);
	if (r)
		return r;

	struct vmsa v;
	memset(&v, 0, sizeof(v));
	copy_sregs(&v, &s->sregs, o);
	copy_gprs(&v, &s->regs);
	v.dr7 = VMSA_DR7_FIXED;
	v.dr6 = VMSA_DR6_RESET;
	v.g_pat = VMSA_PAT_RESET;
	v.xcr0 = s->xcr0;
	v.sev_features = o->sev_features;
	if (o->init == SEV_INIT_INIT2) {
		/* The guest fpstate's initial values; only new VM types sync the FPU. */
		v.x87_fcw = VMSA_FCW_RESET;
		v.mxcsr = VMSA_MXCSR_RESET;
	}
	memset(page, 0, VMSA_PAGE_SIZE);
	memcpy(page, &v, sizeof(v));
	return 0;
}

const char *sev_init_path_name(enum sev_init_path p)
{
	return p == SEV_INIT_LEGACY ? "legacy" : "init2";
}

unsigned sev_init_ghcb_version(enum sev_init_path p) { return p == SEV_INIT_LEGACY ? 1 : 2; }

int sev_init_path_parse(const char *s, enum sev_init_path *out)
{
	if (s && !strcmp(s, "init2")) {
		*out = SEV_INIT_INIT2;
		return 0;
	}
	if (s && !strcmp(s, "legacy")) {
		*out = SEV_INIT_LEGACY;
		return 0;
	}
	return -EINVAL;
}
