/* SPDX-License-Identifier: MIT */
/*
 * Emulated SEV-ES on a host without SEV: the GHCB MSRs reach userspace through an MSR filter,
 * RAM is aliased at GPA | 1 << C-bit so a guest can set the C-bit in its page tables, and a
 * userspace GHCB service (ghcb/) answers VMGEXITs. Nothing is encrypted.
 */
#ifndef PVH_SEV_EMUL_H
#define PVH_SEV_EMUL_H

#include <stdbool.h>
#include <stddef.h>

#include "vmm/exit_dispatch.h"

struct vm;
struct vcpu;

/*
 * Right after KVM_CREATE_VM, before any memory slot: user-space MSR exits and the MSR filter.
 * Setting the filter waits for an SRCU grace period; on a fresh VM that is quick, after a
 * memory-slot change it took 12-24 ms in half the runs on the development host.
 */
int sev_emul_setup_msrs(struct vm *vm, char *err, size_t errlen);

/*
 * The emulated C-bit unless --cbit says otherwise. RAM is also mapped at GPA | 1 << C-bit, so the
 * host's KVM must accept memory slots up to 2^(C-bit + 1): 38 fits the narrowest address width
 * of current x86-64 hosts (39 bits, Intel client parts; QEMU's TCG CPU has 40). docs/decisions.md.
 */
#define SEV_EMUL_DEFAULT_CBIT 38

/*
 * Before vCPUs exist, with guest RAM mapped: the C-bit alias slots and the GHCB service.
 * requested_cbit 0 picks SEV_EMUL_DEFAULT_CBIT.
 */
int sev_emul_setup_vm(struct vm *vm, unsigned requested_cbit, unsigned ghcb_version, bool strict,
		      char *err, size_t errlen);

/* After a vCPU exists: its GHCB MSR state and sync regs for the VMGEXIT fast path. */
void sev_emul_setup_vcpu(struct vm *vm, struct vcpu *v);

/* KVM_EXIT_X86_RDMSR / WRMSR of the filtered MSRs. */
enum exit_action sev_emul_handle_rdmsr(struct vcpu *v);
enum exit_action sev_emul_handle_wrmsr(struct vcpu *v);

/* Parks the vCPU in AP reset hold until the guest sends it INIT-SIPI. */
enum exit_action sev_emul_park_reset_hold(struct vcpu *v);

#endif
