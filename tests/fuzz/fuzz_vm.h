/* SPDX-License-Identifier: MIT */
/*
 * A VM as the VMM's device and GHCB code see it, without KVM: guest RAM, the I/O bus with the
 * real devices (COM1, debugcon, debug exit, i8042, the AP doorbell), vCPUs with a kvm_run
 * page, a CPUID table and the emulated SEV-ES GHCB state. vCPU fds are -1, so whatever would
 * reach KVM (MSRs, MSIs) fails the way a refusing KVM does, and the callers' error paths run.
 */
#ifndef PVH_FUZZ_VM_H
#define PVH_FUZZ_VM_H

#include "vmm/devices.h"
#include "vmm/vm.h"

/* Smaller than --mem allows, so that clearing it for each input costs little. */
#define FUZZ_VM_RAM (256u << 10)
#define FUZZ_VM_MAX_VCPUS 8u

struct fuzz_vm {
	struct vm vm;
	struct config cfg;
	struct devices dev;
	struct vcpu vcpus[FUZZ_VM_MAX_VCPUS];
	struct kvm_run runs[FUZZ_VM_MAX_VCPUS];
	struct kvm_cpuid2 *cpuid;
};

/* The one world of this process, set up on first use. */
struct fuzz_vm *fuzz_vm_get(void);

/*
 * Starts an input afresh: RAM zeroed, devices reset, no ending, nvcpus (1..8) vCPUs with
 * emulated SEV-ES on or off at C-bit cbit (1..63) and GHCB version max_version.
 */
void fuzz_vm_reset(struct fuzz_vm *w, unsigned nvcpus, bool emul, unsigned cbit,
                   unsigned max_version);

#endif
