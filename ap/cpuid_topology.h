/* SPDX-License-Identifier: MIT */
/*
 * CPUID topology of a pvh-sev guest: one package of nr_vcpus cores, one thread each, and
 * initial APIC ID = x2APIC ID = vCPU index (the same IDs the MP table lists). Patches a copy of
 * KVM's supported CPUID for one vCPU: leaf 1 (APIC ID, logical count, HTT), leaves 0xB and 0x1F
 * (x2APIC topology), leaf 4 (cores and cache sharing) and, on AMD, 0x80000008 ECX and
 * 0x8000001E. Leaves absent from the table stay absent.
 */
#ifndef PVH_CPUID_TOPOLOGY_H
#define PVH_CPUID_TOPOLOGY_H

#include <linux/kvm.h>

/* ceil(log2(n)): the APIC ID bits n cores need. */
unsigned cpuid_topology_order(unsigned n);

/* Returns 0, or -EINVAL when nr_vcpus is outside 1..255 or vcpu_index >= nr_vcpus. */
int cpuid_topology_apply(struct kvm_cpuid2 *cpuid, unsigned vcpu_index, unsigned nr_vcpus);

#endif
