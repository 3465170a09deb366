// SPDX-License-Identifier: MIT
/* Small helpers of the GHCB service that the VMM uses outside a VMGEXIT. */
#include "ghcb/ghcb_internal.h"

gpa_t ghcb_strip_cbit(const struct ghcb_env *env, gpa_t gpa)
{
	if (env->cbit == 0 || env->cbit > 63)
		return gpa;
	return gpa & ~(1ull << env->cbit);
}

void ghcb_cpuid_patch(unsigned cbit, uint32_t fn, uint32_t regs[4])
{
	uint32_t phys;

	switch (fn) {
	case 0x80000000u:
		if (regs[0] < CPUID_FN_SEV)
			regs[0] = CPUID_FN_SEV;
		break;
	case 0x80000008u:
		/* The C-bit must be an address bit the guest may set (abi.md 5). */
		phys = regs[0] & 0xffu;
		if (phys < cbit + 1)
			regs[0] = (regs[0] & ~0xffu) | ((cbit + 1) & 0xffu);
		break;
	case CPUID_FN_SEV:
		regs[0] |= CPUID_SEV_EAX_SEV | CPUID_SEV_EAX_SEV_ES;
		regs[1] = (regs[1] & ~CPUID_SEV_EBX_CBIT_MASK) | (cbit & CPUID_SEV_EBX_CBIT_MASK);
		break;
	default:
		break;
	}
}

const char *ghcb_outcome_name(enum ghcb_outcome o)
{
	switch (o) {
	case GHCB_OUT_RESUME:
		return "resume";
	case GHCB_OUT_PARK_RESET_HOLD:
		return "park in AP reset hold";
	case GHCB_OUT_TERMINATE:
		return "guest termination";
	case GHCB_OUT_UNSUPPORTED:
		return "unsupported event";
	case GHCB_OUT_VMM_ERROR:
		return "VMM error";
	}
	return "unknown outcome";
}

const char *ghcb_kvm_profile_name(enum ghcb_kvm_profile p)
{
	return p == GHCB_KVM_BEFORE_6_10 ? "kvm-before-6.10" : "kvm-current";
}
