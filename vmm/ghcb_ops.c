// SPDX-License-Identifier: MIT
/* Requests the guest makes through the GHCB land on the same devices as direct exits. */
#include "vmm/ghcb_ops.h"

#include <errno.h>

#include "vmm/cpuid.h"
#include "vmm/exit_dispatch.h"
#include "vmm/log.h"
#include "vmm/vm.h"

#define CPUID_1_ECX_XSAVE (1u << 26)
#define CPUID_1_ECX_OSXSAVE (1u << 27)
#define CPUID_1_EDX_APIC (1u << 9)
#define CPUID_7_ECX_PKU (1u << 3)
#define CPUID_7_ECX_OSPKE (1u << 4)
#define CPUID_D1_EAX_XSAVEC (1u << 1)
#define CPUID_D1_EAX_XSAVES (1u << 3)
#define CR4_OSXSAVE (1ull << 18)
#define CR4_PKE (1ull << 22)
#define MSR_IA32_APIC_BASE 0x1bu
#define APIC_BASE_ENABLE (1ull << 11)
#define APIC_BASE_X2APIC (1ull << 10)
#define XSAVE_LEGACY_AND_HEADER 576u /* the 512-byte legacy area and the 64-byte header */

static void set_bit_if(uint32_t *reg, uint32_t bit, bool on)
{
	*reg = on ? *reg | bit : *reg & ~bit;
}

/* The XSAVE area size for the components in bv, from leaf 0xD's subleaves (KVM's rule). */
static uint32_t xsave_size(const struct vcpu *v, uint64_t bv, bool compacted)
{
	uint32_t size = XSAVE_LEGACY_AND_HEADER;

	for (uint32_t bit = 2; bit < 64; bit++) {
		uint32_t c[4], off;
		if (!(bv & (1ull << bit)))
			continue;
		cpuid_lookup(v, 0xd, bit, c);
		off = compacted ? ((c[2] & 2) ? (size + 63) & ~63u : size) : c[1];
		if (off + c[0] > size)
			size = off + c[0];
	}
	return size;
}

/*
 * The table plus what KVM recomputes at run time (kvm_update_cpuid_runtime): OSXSAVE and OSPKE
 * follow CR4, APIC follows APIC_BASE, and leaf 0xD's EBX sizes follow the XCR0 the guest
 * supplied in its GHCB (XSS is taken as 0: the GHCB XSS field is not passed to the service).
 */
static int ops_cpuid(void *ctx, uint32_t fn, uint32_t idx, uint64_t xcr0, uint32_t out[4])
{
	struct vcpu *v = ctx;
	const struct kvm_sregs *s = &v->run->s.regs.sregs;
	int r = cpuid_lookup(v, fn, idx, out);

	if (r)
		return r;
	if (fn == 1) {
		if (out[2] & CPUID_1_ECX_XSAVE)
			set_bit_if(&out[2], CPUID_1_ECX_OSXSAVE, s->cr4 & CR4_OSXSAVE);
		set_bit_if(&out[3], CPUID_1_EDX_APIC, s->apic_base & APIC_BASE_ENABLE);
	} else if (fn == 7 && idx == 0 && (out[2] & CPUID_7_ECX_PKU)) {
		set_bit_if(&out[2], CPUID_7_ECX_OSPKE, s->cr4 & CR4_PKE);
	} else if (fn == 0xd && idx == 0 && (out[0] | out[3])) {
		out[1] = xsave_size(v, xcr0, false);
	} else if (fn == 0xd && idx == 1 &&
		   (out[0] & (CPUID_D1_EAX_XSAVEC | CPUID_D1_EAX_XSAVES))) {
		out[1] = xsave_size(v, xcr0, true);
	}
	return 0;
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
	vcpu_mmio_access(ctx, gpa, data, len, is_write);
	return 0;
}

bool apic_base_guest_transition_ok(uint64_t old, uint64_t new)
{
	uint64_t mode_mask = APIC_BASE_ENABLE | APIC_BASE_X2APIC;
	uint64_t x2apic = mode_mask, disabled = 0;

	if ((old & mode_mask) == x2apic && (new & mode_mask) == APIC_BASE_ENABLE)
		return false;
	return !((old & mode_mask) == disabled && (new & mode_mask) == x2apic);
}

/*
 * A KVM_SET_MSRS is host-initiated: KVM then skips the APIC mode transition checks that the
 * guest's own WRMSR of APIC_BASE gets (x2APIC -> xAPIC and disabled -> x2APIC are #GP). On
 * hardware the GHCB MSR event is the guest's WRMSR, so apply them here. A refusal becomes the
 * guest's #GP in the service.
 */
static int ops_msr(void *ctx, uint32_t idx, bool is_write, uint64_t *val)
{
	struct vcpu *v = ctx;
	uint64_t old;

	if (is_write && idx == MSR_IA32_APIC_BASE) {
		if (vcpu_msr(v, idx, false, &old))
			return -EINVAL;
		if (!apic_base_guest_transition_ok(old, *val))
			return -EINVAL;
	}
	/* KVM's own MSR emulation answers, as for an intercepted RDMSR/WRMSR. */
	return vcpu_msr(v, idx, is_write, val);
}

const struct ghcb_ops vmm_ghcb_ops = {
	.cpuid = ops_cpuid,
	.io = ops_io,
	.mmio = ops_mmio,
	.msr = ops_msr,
};
