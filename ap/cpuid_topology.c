// SPDX-License-Identifier: MIT
#include "ap/cpuid_topology.h"

#include <errno.h>
#include <stdint.h>
#include <string.h>

#define CPUID_1_EDX_HTT (1u << 28)
#define TOPO_LEVEL_SMT 1u
#define TOPO_LEVEL_CORE 2u
#define MAX_TOPO_VCPUS 255u

unsigned cpuid_topology_order(unsigned n)
{
	unsigned order = 0;
	while ((1u << order) < n)
		order++;
	return order;
}

static int vendor_is_amd(const struct kvm_cpuid2 *c)
{
	for (uint32_t i = 0; i < c->nent; i++) {
		const struct kvm_cpuid_entry2 *e = &c->entries[i];
		if (e->function != 0)
			continue;
		char v[12];
		memcpy(v, &e->ebx, 4);
		memcpy(v + 4, &e->edx, 4);
		memcpy(v + 8, &e->ecx, 4);
		return !memcmp(v, "AuthenticAMD", 12) || !memcmp(v, "HygonGenuine", 12);
	}
	return 0;
}

static void patch_leaf1(struct kvm_cpuid_entry2 *e, unsigned apic_id, unsigned nr)
{
	/* Addressable IDs in the package: 1 << order, which is 256 for 129..255: say 255. */
	unsigned ids = 1u << cpuid_topology_order(nr);
	if (ids > 255)
		ids = 255;
	e->ebx = (e->ebx & 0x0000ffffu) | apic_id << 24 | ids << 16;
	if (nr > 1)
		e->edx |= CPUID_1_EDX_HTT;
	else
		e->edx &= ~CPUID_1_EDX_HTT;
}

static void patch_leaf4(struct kvm_cpuid_entry2 *e, unsigned nr)
{
	if ((e->eax & 0x1f) == 0)
		return; /* no cache at this subleaf */
	unsigned cores = 1u << cpuid_topology_order(nr);
	unsigned level = (e->eax >> 5) & 0x7;
	uint32_t cores_m1 = cores - 1 > 63 ? 63 : cores - 1;
	uint32_t sharing_m1 = level >= 3 ? cores - 1 : 0; /* L1/L2 per core, L3 shared */
	e->eax = (e->eax & 0x3fffu) | sharing_m1 << 14 | cores_m1 << 26;
}

/* Leaf 0xB / 0x1F subleaf: SMT level (1 thread), core level (all vCPUs), then invalid. */
static void patch_ext_topology(struct kvm_cpuid_entry2 *e, unsigned apic_id, unsigned nr)
{
	e->edx = apic_id;
	switch (e->index) {
	case 0:
		e->eax = 0;
		e->ebx = 1;
		e->ecx = TOPO_LEVEL_SMT << 8;
		break;
	case 1:
		e->eax = cpuid_topology_order(nr);
		e->ebx = nr;
		e->ecx = TOPO_LEVEL_CORE << 8 | 1;
		break;
	default:
		e->eax = 0;
		e->ebx = 0;
		e->ecx = e->index & 0xff;
		break;
	}
}

static void patch_amd(struct kvm_cpuid_entry2 *e, unsigned apic_id, unsigned nr)
{
	if (e->function == 0x80000008) {
		/* NC = cores - 1 in bits 7:0, ApicIdCoreIdSize in 15:12. */
		e->ecx = (e->ecx & ~0xf0ffu) | (nr - 1) | cpuid_topology_order(nr) << 12;
	} else if (e->function == 0x8000001e) {
		e->eax = apic_id;
		e->ebx = (e->ebx & ~0xffffu) | (apic_id & 0xff); /* core ID, one thread per core */
		e->ecx &= ~0x7ffu;                               /* node 0, one node */
	}
}

int cpuid_topology_apply(struct kvm_cpuid2 *cpuid, unsigned vcpu_index, unsigned nr_vcpus)
{
	if (nr_vcpus == 0 || nr_vcpus > MAX_TOPO_VCPUS || vcpu_index >= nr_vcpus)
		return -EINVAL;
	int amd = vendor_is_amd(cpuid);
	for (uint32_t i = 0; i < cpuid->nent; i++) {
		struct kvm_cpuid_entry2 *e = &cpuid->entries[i];
		switch (e->function) {
		case 1:
			patch_leaf1(e, vcpu_index, nr_vcpus);
			break;
		case 4:
			patch_leaf4(e, nr_vcpus);
			break;
		case 0xb:
		case 0x1f:
			patch_ext_topology(e, vcpu_index, nr_vcpus);
			break;
		case 0x80000008:
		case 0x8000001e:
			if (amd)
				patch_amd(e, vcpu_index, nr_vcpus);
			break;
		default:
			break;
		}
	}
	return 0;
}
