/* SPDX-License-Identifier: MIT */
/*
 * The one VMSA builder: turns a vCPU's initial register state (struct cpu_state, exactly what the
 * VMM hands to KVM) into the 4096-byte VMSA page that KVM's sev_es_sync_vmsa would encrypt and
 * measure with LAUNCH_UPDATE_VMSA. The software model, `pvh-sev measure` and the tests all use it.
 * Layout: Linux arch/x86/include/asm/svm.h struct sev_es_save_area (1648 bytes, padded to a page).
 */
#ifndef PVH_SEV_VMSA_H
#define PVH_SEV_VMSA_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "loader/cpu_state.h"

#define VMSA_PAGE_SIZE 4096u

/* Values KVM puts into every VMSA whatever the VMM sets (x86.c kvm_vcpu_reset). */
#define VMSA_EFER_SVME 0x1000ull
#define VMSA_CR4_MCE 0x40ull
#define VMSA_CR0_CD (1ull << 30)
#define VMSA_CR0_NW (1ull << 29)
#define VMSA_DR6_RESET 0xffff0ff0ull
#define VMSA_DR7_FIXED 0x400ull
#define VMSA_PAT_RESET 0x0007040600070406ull
#define VMSA_FCW_RESET 0x037f
#define VMSA_MXCSR_RESET 0x1f80

/* Which KVM init command created the VM: it decides whether the FPU fields are synced. */
enum sev_init_path {
	SEV_INIT_INIT2,  /* KVM_X86_SEV_ES_VM + KVM_SEV_INIT2: FCW 0x37F, MXCSR 0x1F80 */
	SEV_INIT_LEGACY, /* default VM + KVM_SEV_ES_INIT: the FPU area stays zero */
};

struct vmsa_options {
	enum sev_init_path init;
	uint64_t sev_features; /* INIT2 vmsa_features; DebugSwap (bit 5) on some legacy kernels */
	bool host_cr4_mce;     /* KVM ORs the host's CR4.MCE into CR4; set on every EPYC host */
};

/* One VMSA segment (svm.h struct vmcb_seg). */
struct vmsa_seg {
	uint16_t selector;
	uint16_t attrib;
	uint32_t limit;
	uint64_t base;
} __attribute__((packed));

/* struct sev_es_save_area, the fields this project writes or tests, reserved space kept. */
struct vmsa {
	struct vmsa_seg es, cs, ss, ds, fs, gs, gdtr, ldtr, idtr, tr; /* 0x000 */
	uint64_t pl_ssp[4];                                           /* 0x0a0 */
	uint64_t u_cet;                                               /* 0x0c0 */
	uint8_t rsvd_0c8[2];
	uint8_t vmpl; /* 0x0ca */
	uint8_t cpl;  /* 0x0cb */
	uint8_t rsvd_0cc[4];
	uint64_t efer; /* 0x0d0 */
	uint8_t rsvd_0d8[104];
	uint64_t xss, cr4, cr3, cr0, dr7, dr6, rflags, rip; /* 0x140 */
	uint64_t dr0, dr1, dr2, dr3;                        /* 0x180 */
	uint64_t dr_addr_mask[4];                           /* 0x1a0 */
	uint8_t rsvd_1c0[24];
	uint64_t rsp, s_cet, ssp, isst_addr, rax;         /* 0x1d8 */
	uint64_t star, lstar, cstar, sfmask;              /* 0x200 */
	uint64_t kernel_gs_base;                          /* 0x220 */
	uint64_t sysenter_cs, sysenter_esp, sysenter_eip; /* 0x228 */
	uint64_t cr2;                                     /* 0x240 */
	uint8_t rsvd_248[32];
	uint64_t g_pat, dbgctl, br_from, br_to, last_excp_from, last_excp_to; /* 0x268 */
	uint8_t rsvd_298[80];
	uint32_t pkru;    /* 0x2e8 */
	uint32_t tsc_aux; /* 0x2ec */
	uint64_t tsc_scale, tsc_offset;
	uint8_t rsvd_300[8];
	uint64_t rcx, rdx, rbx;                        /* 0x308 */
	uint64_t rsvd_320;                             /* rsp lives at 0x1d8 */
	uint64_t rbp, rsi, rdi;                        /* 0x328 */
	uint64_t r8, r9, r10, r11, r12, r13, r14, r15; /* 0x340 */
	uint8_t rsvd_380[16];
	uint64_t guest_exit_info_1, guest_exit_info_2, guest_exit_int_info, guest_nrip; /* 0x390 */
	uint64_t sev_features;                                                          /* 0x3b0 */
	uint64_t vintr_ctrl, guest_exit_code, virtual_tom, tlb_id, pcpu_id, event_inj;
	uint64_t xcr0; /* 0x3e8 */
	uint8_t rsvd_3f0[16];
	uint64_t x87_dp;  /* 0x400 */
	uint32_t mxcsr;   /* 0x408 */
	uint16_t x87_ftw; /* abridged (FXSAVE) tag byte */
	uint16_t x87_fsw;
	uint16_t x87_fcw; /* 0x410 */
	uint16_t x87_fop;
	uint16_t x87_ds;
	uint16_t x87_cs;
	uint64_t x87_rip;       /* 0x418 */
	uint8_t fpreg_x87[80];  /* 0x420: 8 mantissas, then 8 sign/exponent words */
	uint8_t fpreg_xmm[256]; /* 0x470 */
	uint8_t fpreg_ymm[256]; /* 0x570 */
} __attribute__((packed));

/* EPYC hosts and both init paths' defaults: INIT2, no sev_features, host CR4.MCE set. */
void vmsa_options_default(struct vmsa_options *o);

/* The packed VMSA attribute word of a KVM segment (svm_set_segment). */
uint16_t vmsa_seg_attrib(const struct kvm_segment *seg);

/*
 * Builds the VMSA page for state s. Returns 0, or -EINVAL (with a one-line reason in err) for a
 * state KVM would refuse or encode differently across kernel versions: DR7 other than 0x400, an
 * "unusable" segment, CR2 other than 0 (KVM writes the VMCB's CR2 only when the vCPU runs).
 */
int vmsa_build(const struct cpu_state *s, const struct vmsa_options *o,
               uint8_t page[VMSA_PAGE_SIZE], char *err, size_t errlen);

const char *sev_init_path_name(enum sev_init_path p);
/* The GHCB protocol maximum KVM offers with this init path: 2 with INIT2, 1 with the legacy. */
unsigned sev_init_ghcb_version(enum sev_init_path p);
/* "init2" or "legacy" -> 0, else -EINVAL. */
int sev_init_path_parse(const char *s, enum sev_init_path *out);

#endif
