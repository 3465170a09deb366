/* SPDX-License-Identifier: MIT */
/*
 * The userspace GHCB service of emulated SEV-ES mode: what KVM does in the kernel for an
 * SEV-ES guest on AMD hardware (reference/sev-es.md section 5), done on any host.
 *
 * Pure C against an environment interface: no KVM here. The VMM owns the vCPUs and calls
 *   ghcb_msr_read()/ghcb_msr_write()  for RDMSR/WRMSR exits of GHCB_MSR, and
 *   ghcb_service_vmgexit()           when a VMGEXIT follows a GHCB-MSR write,
 * then acts on the outcome. Every guest-supplied GPA and length is checked; a malformed
 * request gets the GHCB specification's error result, never a crash (docs/ghcb.md).
 */
#ifndef PVH_GHCB_SERVICE_H
#define PVH_GHCB_SERVICE_H

#include <stdbool.h>
#include <stdint.h>

#include "ghcb/ghcb.h"
#include "loader/gpa.h"
#include "loader/guest_mem.h"

/*
 * Device callbacks, called with the vCPU's ctx. Each returns 0 or -errno. A failing MSR
 * access becomes a #GP for the guest (as KVM does); any other failure ends the service call
 * with GHCB_OUT_VMM_ERROR.
 *   cpuid: fill out[0..3] = EAX..EDX for (fn, idx); xcr0 is the guest's XCR0 (leaf 0xD).
 *   io:    one port access of 1, 2 or 4 bytes; `data` is the value (little-endian bytes).
 *   mmio:  one access of 1..8 bytes at gpa (C-bit already stripped).
 *   msr:   RDMSR/WRMSR of idx; *val is the value read or to write.
 */
struct ghcb_ops {
	int (*cpuid)(void *ctx, uint32_t fn, uint32_t idx, uint64_t xcr0, uint32_t out[4]);
	int (*io)(void *ctx, uint16_t port, unsigned size, bool is_write, void *data);
	int (*mmio)(void *ctx, gpa_t gpa, unsigned len, bool is_write, void *data);
	int (*msr)(void *ctx, uint32_t idx, bool is_write, uint64_t *val);
};

/*
 * Which KVM the service answers as (docs/ghcb.md "KVM profiles"):
 *   CURRENT      today's KVM (6.10+ with the May 2026 GHCB v2 fixes): the rules by the VM's
 *                version (max_version): with 2 the scratch area must lie in the GHCB's shared
 *                buffer and MMIO is at most 8 bytes;
 *   BEFORE_6_10  KVM before 6.10 (what --sev-init legacy models): GHCB version 1 only, no AP
 *                reset hold through the MSR protocol, no hypervisor features (MSR or event), no
 *                TERM_REQUEST event.
 * Both: MMIO of length 0 succeeds doing nothing.
 */
enum ghcb_kvm_profile { GHCB_KVM_CURRENT, GHCB_KVM_BEFORE_6_10 };

/* One per VM, shared by its vCPU threads. */
struct ghcb_env {
	const struct guest_mem *mem;
	const struct ghcb_ops *ops;
	unsigned cbit;        /* C-bit position (1..63), stripped from guest-supplied GPAs */
	unsigned max_version; /* the VM's version: GHCB_VERSION_MAX with INIT2, 1 legacy */
	enum ghcb_kvm_profile kvm;
	/*
	 * The AP jump table GPA, kept exactly as KVM keeps it: 0 at start, set only by the
	 * guest's AP_JUMP_TABLE SET, returned by GET. Accessed atomically (any vCPU may SET).
	 */
	uint64_t ap_jump_table_gpa;
};

enum ghcb_hold { GHCB_HOLD_NONE, GHCB_HOLD_MSR, GHCB_HOLD_NAE };

/* One per vCPU, used only by that vCPU's thread. */
struct ghcb_vcpu {
	void *ctx;           /* passed to the ops */
	uint64_t msr;        /* the GHCB MSR as the guest reads it */
	uint64_t xcr0;       /* last XCR0 the guest supplied (KVM keeps it across exits) */
	enum ghcb_hold hold; /* how the vCPU entered AP reset hold, if it is in one */
	gpa_t hold_ghcb_gpa; /* GHCB page of an NAE hold: gets the release result */
};

enum ghcb_outcome {
	GHCB_OUT_RESUME,          /* move RIP past VMGEXIT and run on */
	GHCB_OUT_PARK_RESET_HOLD, /* move RIP past VMGEXIT, park in AP reset hold (abi.md 4.1) */
	GHCB_OUT_TERMINATE,       /* end the run: guest termination (hardware: SEV_TERM exit) */
	GHCB_OUT_UNSUPPORTED,     /* end the run with the guest-termination status (hw: EINVAL) */
	GHCB_OUT_VMM_ERROR,       /* a device callback failed: result.err */
};

struct ghcb_result {
	enum ghcb_outcome outcome;
	bool guest_requested; /* TERMINATE: the guest asked (else an SNP-only MSR request) */
	unsigned reason_set;  /* TERMINATE requested by the guest */
	unsigned reason_code;
	uint64_t term_data;    /* TERMINATE: the GHCB MSR value, as KVM's SEV_TERM data[0] */
	uint64_t exit_code;    /* the event served (0 for the MSR protocol) */
	uint64_t info1, info2; /* the guest's sw_exit_info_1/2 of a GHCB page request */
	int err;               /* VMM_ERROR: -errno from a callback */
	const char *note;      /* why a request was refused or ignored; NULL when served */
};

/* Sets up a vCPU: the GHCB MSR reads as the SEV_INFO response (as at KVM's vCPU RESET). */
void ghcb_vcpu_init(struct ghcb_vcpu *v, const struct ghcb_env *env, void *ctx);

/* RDMSR/WRMSR of GHCB_MSR. The guest may write any value; only a VMGEXIT acts on it. */
uint64_t ghcb_msr_read(const struct ghcb_vcpu *v);
void ghcb_msr_write(struct ghcb_vcpu *v, uint64_t val);

/* Services the VMGEXIT the guest issued with the current GHCB MSR value. */
void ghcb_service_vmgexit(struct ghcb_env *env, struct ghcb_vcpu *v, struct ghcb_result *res);

/*
 * Ends an AP reset hold. sipi = true: a later SIPI released it (MSR hold: the MSR reads
 * 0x1007; NAE hold: sw_exit_info_2 = 1 in the GHCB page); false: a spurious wake (result 0).
 * Returns 0; -EFAULT if the NAE hold's GHCB page is no longer RAM (nothing written); -EINVAL
 * if the vCPU was not in a hold. The vCPU is out of the hold afterwards in every case.
 */
int ghcb_reset_hold_release(const struct ghcb_env *env, struct ghcb_vcpu *v, bool sipi);

/* gpa with the C-bit cleared: emulated mode aliases RAM at gpa | 1 << cbit. */
gpa_t ghcb_strip_cbit(const struct ghcb_env *env, gpa_t gpa);

/*
 * Patches one CPUID leaf of the guest's table for emulated SEV-ES: 0x80000000 reaches
 * 0x8000001F; 0x8000001F reports SEV and SEV-ES with EBX[5:0] = cbit; 0x80000008 reports at
 * least cbit + 1 physical address bits. Other leaves are left alone. regs = EAX..EDX.
 */
void ghcb_cpuid_patch(unsigned cbit, uint32_t fn, uint32_t regs[4]);

const char *ghcb_outcome_name(enum ghcb_outcome o);
const char *ghcb_kvm_profile_name(enum ghcb_kvm_profile p);

#endif
