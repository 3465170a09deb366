/* SPDX-License-Identifier: MIT */
/* Guest CPUID: KVM's supported leaves, fetched once per process, with per-vCPU APIC IDs. */
#ifndef PVH_CPUID_H
#define PVH_CPUID_H

#include <stddef.h>
#include <stdint.h>

struct vm;
struct vcpu;

int cpuid_load_supported(struct vm *vm, char *err, size_t errlen);
int cpuid_set_vcpu(struct vm *vm, struct vcpu *v, char *err, size_t errlen);

/* The vCPU's CPUID answer for (fn, idx), as the guest would see it; absent leaves are zeros. */
int cpuid_lookup(const struct vcpu *v, uint32_t fn, uint32_t idx, uint32_t out[4]);

#endif
