// SPDX-License-Identifier: MIT
#include "vmm/cpuid.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>

#include "ap/cpuid_topology.h"
#include "ghcb/ghcb.h"
#include "vmm/vm.h"

#define FAIL(e, ...) (snprintf(err, errlen, __VA_ARGS__), -(e))

#define CPUID_1_ECX_TSC_DEADLINE (1u << 24)
#define CPUID_1_ECX_HYPERVISOR (1u << 31)

/*
 * What a guest OS needs to keep time without a PIT or HPET (none is emulated): the hypervisor
 * bit, so Linux looks at KVM's leaves (0x40000000, kvm-clock gives it the TSC frequency), and the
 * TSC-deadline timer, which KVM's LAPIC emulates but KVM_GET_SUPPORTED_CPUID leaves for the VMM
 * to announce (api.rst, KVM_CAP_TSC_DEADLINE_TIMER).
 */
static void cpuid_patch_platform(struct vm *vm)
{
	struct kvm_cpuid2 *c = vm->cpuid;
	bool deadline = ioctl(vm->kvm_fd, KVM_CHECK_EXTENSION, KVM_CAP_TSC_DEADLINE_TIMER) > 0;
	for (unsigned i = 0; i < c->nent; i++) {
		struct kvm_cpuid_entry2 *e = &c->entries[i];
		if (e->function != 1)
			continue;
		e->ecx |= CPUID_1_ECX_HYPERVISOR;
		if (deadline)
			e->ecx |= CPUID_1_ECX_TSC_DEADLINE;
	}
}

int cpuid_load_supported(struct vm *vm, char *err, size_t errlen)
{
	/* KVM_GET_SUPPORTED_CPUID costs ~360 us here: once per process, grown on E2BIG. */
	for (unsigned n = 128; n <= 4096; n *= 2) {
		struct kvm_cpuid2 *c = calloc(1, sizeof(*c) + n * sizeof(c->entries[0]));
		if (!c)
			return FAIL(ENOMEM, "out of memory for CPUID");
		c->nent = n;
		if (!ioctl(vm->kvm_fd, KVM_GET_SUPPORTED_CPUID, c)) {
			vm->cpuid = c;
			cpuid_patch_platform(vm);
			return 0;
		}
		int e = errno;
		free(c);
		if (e != E2BIG)
			return FAIL(e, "KVM_GET_SUPPORTED_CPUID: %s", strerror(e));
	}
	return FAIL(E2BIG, "KVM_GET_SUPPORTED_CPUID: too many entries");
}

/* Emulated SEV-ES: the SEV leaf (added where KVM lacks it), its range and the address width. */
static void cpuid_patch_sev(struct kvm_cpuid2 *c, unsigned cbit)
{
	bool have_sev_leaf = false;
	for (unsigned i = 0; i < c->nent; i++)
		have_sev_leaf |= c->entries[i].function == CPUID_FN_SEV;
	if (!have_sev_leaf)
		c->entries[c->nent++] = (struct kvm_cpuid_entry2){.function = CPUID_FN_SEV};
	for (unsigned i = 0; i < c->nent; i++) {
		struct kvm_cpuid_entry2 *e = &c->entries[i];
		uint32_t regs[4] = {e->eax, e->ebx, e->ecx, e->edx};
		ghcb_cpuid_patch(cbit, e->function, regs);
		e->eax = regs[0];
		e->ebx = regs[1];
		e->ecx = regs[2];
		e->edx = regs[3];
	}
}

int cpuid_set_vcpu(struct vm *vm, struct vcpu *v, char *err, size_t errlen)
{
	size_t sz = sizeof(*vm->cpuid) + vm->cpuid->nent * sizeof(vm->cpuid->entries[0]);
	struct kvm_cpuid2 *c = calloc(1, sz + sizeof(c->entries[0]));
	if (!c)
		return FAIL(ENOMEM, "out of memory for CPUID");
	memcpy(c, vm->cpuid, sz);
	int r = cpuid_topology_apply(c, v->index, vm->nvcpus);
	if (r) {
		free(c);
		return FAIL(-r, "vCPU %u: CPUID topology: %s", v->index, strerror(-r));
	}
	if (vm->emul.on)
		cpuid_patch_sev(c, vm->emul.cbit);
	v->cpuid = c;
	if (ioctl(v->fd, KVM_SET_CPUID2, c))
		return FAIL(errno, "vCPU %u: KVM_SET_CPUID2: %s", v->index, strerror(errno));
	return 0;
}

int cpuid_lookup(const struct vcpu *v, uint32_t fn, uint32_t idx, uint32_t out[4])
{
	const struct kvm_cpuid2 *c = v->cpuid;
	for (unsigned i = 0; c && i < c->nent; i++) {
		const struct kvm_cpuid_entry2 *e = &c->entries[i];
		if (e->function != fn ||
		    ((e->flags & KVM_CPUID_FLAG_SIGNIFCANT_INDEX) && e->index != idx))
			continue;
		out[0] = e->eax;
		out[1] = e->ebx;
		out[2] = e->ecx;
		out[3] = e->edx;
		return 0;
	}
	out[0] = out[1] = out[2] = out[3] = 0; /* an absent leaf reads as zeros */
	return 0;
}
