// SPDX-License-Identifier: MIT
/* Requests the guest makes through the GHCB land on the same devices as direct exits. */
#include "vmm/ghcb_ops.h"

#include <errno.h>
#include <string.h>
#include <sys/ioctl.h>

#include "vmm/cpuid.h"
#include "vmm/log.h"
#include "vmm/vm.h"

static int ops_cpuid(void *ctx, uint32_t fn, uint32_t idx, uint64_t xcr0, uint32_t out[4])
{
	return cpuid_lookup(ctx, fn, idx, out);
}

static int ops_io(void *ctx, uint16_t port, unsigned size, bool is_write, void *data)
{
	struct vcpu *v = ctx;
	if (!io_bus_access(&v->vm->io, v, port, data, size, is_write))
		vlog(v->vm, 2, "vCPU %u: GHCB %s of unclaimed port 0x%x", v->index,
		     is_write ? "OUT" : "IN", port);
	return 0;
}

static int ops_mmio(void *ctx, gpa_t gpa, unsigned len, bool is_write, void *data)
{
	struct vcpu *v = ctx;
	if (!is_write)
		memset(data, 0xff, len); /* no MMIO devices: an empty bus */
	vlog(v->vm, 2, "vCPU %u: GHCB MMIO %s at 0x%llx, no device", v->index,
	     is_write ? "write" : "read", (unsigned long long)gpa);
	return 0;
}

static int ops_msr(void *ctx, uint32_t idx, bool is_write, uint64_t *val)
{
	struct vcpu *v = ctx;
	struct {
		struct kvm_msrs hdr;
		struct kvm_msr_entry e;
	} m = {.hdr.nmsrs = 1, .e = {.index = idx, .data = is_write ? *val : 0}};
	/* KVM's own MSR emulation answers, as it would for an intercepted RDMSR/WRMSR; a
	 * refusal becomes the guest's #GP in the service. */
	int r = ioctl(v->fd, is_write ? KVM_SET_MSRS : KVM_GET_MSRS, &m);
	if (r != 1)
		return -EINVAL;
	if (!is_write)
		*val = m.e.data;
	return 0;
}

const struct ghcb_ops vmm_ghcb_ops = {
	.cpuid = ops_cpuid,
	.io = ops_io,
	.mmio = ops_mmio,
	.msr = ops_msr,
};
