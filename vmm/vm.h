/* SPDX-License-Identifier: MIT */
/* The VM and its vCPUs on KVM: creation, memory, the ending of a run. */
#ifndef PVH_VM_H
#define PVH_VM_H

#include <linux/kvm.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>

#include "ap/ap_sm.h"
#include "ghcb/ghcb_service.h"
#include "loader/cpu_state.h"
#include "loader/guest_mem.h"
#include "vmm/config.h"
#include "vmm/exit_status.h"
#include "vmm/io_bus.h"

/* What a vCPU's thread is doing; only that thread changes it. */
enum vcpu_run_state {
	VCPU_WAITING, /* an AP not started yet: waiting for INIT/SIPI or a bring-up start */
	VCPU_RUNNING, /* running guest code (the BSP from the start) */
	VCPU_PARKED,  /* emulated SEV-ES: in AP reset hold until INIT-SIPI */
	VCPU_STOPPED, /* the run loop ended */
};

struct ioapic;

struct vcpu {
	struct vm *vm;
	unsigned index;
	int fd;
	struct kvm_run *run;
	size_t run_size;
	pthread_t thread;
	bool thread_started;
	_Atomic enum vcpu_run_state state;
	struct cpu_state init; /* the measured initial state */
	uint64_t exits;
	bool init_seen;            /* emulated: INIT came while waiting, re-parked for the SIPI */
	atomic_bool start_pending; /* off mode: ap_start() asked this AP's thread to run */
	struct kvm_cpuid2 *cpuid; /* this vCPU's table (APIC ID, emulated SEV leaves) */
	struct ghcb_vcpu ghcb;    /* emulated SEV-ES: this vCPU's GHCB MSR state */
	struct kvm_regs hold_regs; /* emulated SEV-ES: state saved at an AP reset hold */
	struct kvm_sregs hold_sregs;
	/* Hardware SEV-ES doorbell (vmm/ap_hw_doorbell.h), under vm->lock: this vCPU's thread
	 * answers probe_asked by reading its own MP state. */
	unsigned probe_asked, probe_answered;
	uint32_t probe_mp_state;
	int probe_err;
};

/* Emulated SEV-ES: the platform pieces a real SEV-ES host has and this one lacks. */
struct sev_emul {
	bool on;
	bool strict;     /* end where hardware would raise #VC */
	unsigned cbit;
	struct ghcb_env env;
};

struct vm {
	const struct config *cfg;
	int kvm_fd;
	int vm_fd;
	struct guest_mem mem;
	struct vcpu *vcpus;
	unsigned nvcpus;
	struct io_bus io;
	struct kvm_cpuid2 *cpuid; /* KVM_GET_SUPPORTED_CPUID, once per process */
	bool has_xcrs;            /* KVM_CAP_XCRS, asked once */
	struct sev_emul emul;
	bool sev_hw;         /* hardware SEV-ES: KVM runs the VMSAs and the GHCB */
	struct ap_sm ap;     /* AP bring-up state, driven by the doorbell */
	struct ioapic *ioapic; /* the userspace IOAPIC (vmm/dev_ioapic.h), once registered */

	pthread_mutex_t lock;
	pthread_cond_t ended_cond;
	pthread_cond_t probe_cond; /* hardware doorbell: a vCPU answered an MP-state probe */
	_Atomic enum vm_ending_kind ending;
	int exit_status;
	char ending_detail[640];
};

/* Opens /dev/kvm, creates the VM (type), split irqchip, disables FIX_HYPERCALL_INSN. */
int vm_create(struct vm *vm, const struct config *cfg, unsigned long vm_type, char *err,
	      size_t errlen);

/* Maps guest RAM (already in vm->mem) into memory slots. */
int vm_map_memory(struct vm *vm, char *err, size_t errlen);

/* Maps the RAM ranges again from slot first_slot on, at GPA | gpa_bits. Returns 0 or -errno. */
int vm_map_ram(struct vm *vm, unsigned first_slot, uint64_t gpa_bits);

/* Creates vCPUs 0..n-1 and sets each one's CPUID; registers come from vcpu_set_state(). */
int vm_create_vcpus(struct vm *vm, unsigned n, char *err, size_t errlen);

/* Sets regs, sregs, XCR0, MTRRdefType and DR7 from s (and records it as vcpu->init). */
int vcpu_set_state(struct vcpu *v, const struct cpu_state *s, char *err, size_t errlen);

/* RDMSR (is_write false) or WRMSR of one MSR through KVM. Returns 0, or -errno (-EINVAL when
 * KVM refuses the MSR). */
int vcpu_msr(const struct vcpu *v, uint32_t index, bool is_write, uint64_t *value);

/*
 * Loads registers only (2 vCPU ioctls): what an INIT-SIPI resets. XCR0, DR7 and the MTRRs keep
 * the values vcpu_set_state() gave them (INIT resets XCR0 and DR7 to the same values).
 */
int vcpu_load_regs(struct vcpu *v, const struct kvm_regs *regs, const struct kvm_sregs *sregs);

/* Records the first ending of the run (later ones are ignored) and kicks every vCPU. */
void vm_end(struct vm *vm, enum vm_ending_kind kind, int status, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

static inline bool vm_ended(const struct vm *vm)
{
	return atomic_load(&vm->ending) != ENDING_NONE;
}

/* Makes a vCPU leave KVM_RUN (immediate_exit plus a signal to its thread). */
void vcpu_kick(struct vcpu *v);

void vm_destroy(struct vm *vm);

double monotonic_seconds(void);

const char *vm_ending_name(enum vm_ending_kind k);

#endif
