/* SPDX-License-Identifier: MIT */
/*
 * The bare-KVM floor: the least a VMM can spend on this host to boot a PVH ELF on one vCPU and
 * service its exits. No devices beyond the ports the benchmark guests use, no threads, no
 * libraries beyond libc and libelf. pvh-sev and QEMU are measured against it (docs/performance.md).
 */
#ifndef PVH_BENCH_FLOOR_H
#define PVH_BENCH_FLOOR_H

#include <linux/kvm.h>
#include <stddef.h>
#include <stdint.h>

enum floor_irqchip { FLOOR_IRQCHIP_NONE, FLOOR_IRQCHIP_SPLIT, FLOOR_IRQCHIP_FULL };

struct floor_vm {
	int kvm;
	int vm;
	int vcpu;
	struct kvm_run *run;
	size_t run_size;
	uint8_t *mem;
	size_t mem_size;
	struct kvm_cpuid2 *cpuid; /* KVM_GET_SUPPORTED_CPUID, fetched once (360 µs here) */
	uint64_t ghcb_msr;        /* the GHCB MSR as the guest last wrote it, or our reply */
};

/* floor_vm.c: VM, memslot, one vCPU with the host's supported CPUID. */
int floor_vm_create(struct floor_vm *f, size_t mem_size, enum floor_irqchip irqchip, char *err,
                    size_t errlen);
/* The PVH 32-bit flat entry state, handed to KVM through the sync-regs area (no extra ioctls). */
void floor_vcpu_entry_state(struct floor_vm *f, uint32_t entry, uint32_t start_info);
/* A host pointer to [gpa, gpa + len) in guest RAM, or NULL when any of it lies outside. */
void *floor_gpa(const struct floor_vm *f, uint64_t gpa, uint64_t len);

/* floor_load.c: the payload and the PVH boot data. */
int floor_load_elf(struct floor_vm *f, const char *path, uint32_t *entry, char *err, size_t errlen);
void floor_load_exit_loop(struct floor_vm *f, uint32_t n, uint32_t *entry);
int floor_boot_data(struct floor_vm *f, const char *cmdline, uint32_t *start_info, char *err,
                    size_t errlen);

/* floor_run.c: the exit loop; *status is the guest's exit-port value. */
int floor_run(struct floor_vm *f, uint32_t *status, char *err, size_t errlen);

#endif
