// SPDX-License-Identifier: MIT
/*
 * The GHCB MSR protocol (reference/sev-es.md 5.1) and the per-vCPU GHCB MSR. Each request
 * behaves as in KVM's sev_handle_vmgexit_msr_protocol: the response replaces the fields
 * KVM replaces and keeps the others; an unknown request leaves the MSR unchanged.
 */
#include <errno.h>
#include <string.h>

#include "ghcb/ghcb_internal.h"

/* Replaces bits [pos, pos + width of mask) of v, as KVM's set_ghcb_msr_bits does. */
static uint64_t msr_set_bits(uint64_t v, uint64_t val, uint64_t mask, unsigned pos)
{
	return (v & ~(mask << pos)) | (val & mask) << pos;
}

static uint64_t sev_info(const struct ghcb_env *env)
{
	return ghcb_msr_sev_info((uint16_t)env->max_version, GHCB_VERSION_MIN, (uint8_t)env->cbit);
}

void ghcb_vcpu_init(struct ghcb_vcpu *v, const struct ghcb_env *env, void *ctx)
{
	memset(v, 0, sizeof(*v));
	v->ctx = ctx;
	v->msr = sev_info(env);
	v->xcr0 = 1; /* x87 only: the architectural reset value */
}

uint64_t ghcb_msr_read(const struct ghcb_vcpu *v) { return v->msr; }

void ghcb_msr_write(struct ghcb_vcpu *v, uint64_t val) { v->msr = val; }

static void msr_cpuid(struct ghcb_env *env, struct ghcb_vcpu *v, struct ghcb_result *res)
{
	uint32_t out[4] = {0, 0, 0, 0};
	uint32_t fn = ghcb_msr_cpuid_fn(v->msr);
	int rc =
	    env->ops && env->ops->cpuid ? env->ops->cpuid(v->ctx, fn, 0, v->xcr0, out) : -ENOSYS;
	if (rc < 0) {
		/* KVM leaves the MSR as it was when its CPUID handler fails. */
		res->note = "CPUID callback failed; GHCB MSR left unchanged";
		return;
	}
	uint64_t m = msr_set_bits(v->msr, out[ghcb_msr_cpuid_reg(v->msr)], 0xffffffffull, 32);
	v->msr = msr_set_bits(m, GHCB_MSR_CPUID_RESP, GHCB_MSR_INFO_MASK, 0);
}

static void msr_terminate(struct ghcb_vcpu *v, struct ghcb_result *res, bool requested)
{
	res->outcome = GHCB_OUT_TERMINATE;
	res->guest_requested = requested;
	res->term_data = v->msr;
	if (requested) {
		res->reason_set = ghcb_msr_term_set(v->msr);
		res->reason_code = ghcb_msr_term_code(v->msr);
	} else {
		res->note = "SNP-only GHCB MSR request from an SEV-ES guest";
	}
}

/* MSR requests KVM serves only from 6.10 on (d916f00316b2, ae0181839823). */
static bool msr_new_in_6_10(uint64_t info)
{
	return info == GHCB_MSR_AP_RESET_HOLD_REQ || info == GHCB_MSR_HV_FT_REQ;
}

void ghcb_msr_protocol(struct ghcb_env *env, struct ghcb_vcpu *v, struct ghcb_result *res)
{
	if (env->kvm == GHCB_KVM_BEFORE_6_10 && msr_new_in_6_10(ghcb_msr_info(v->msr))) {
		res->note = "GHCB MSR request unknown to KVM before 6.10; GHCB MSR left unchanged";
		return;
	}
	switch (ghcb_msr_info(v->msr)) {
	case GHCB_MSR_SEV_INFO_REQ:
		v->msr = sev_info(env);
		break;
	case GHCB_MSR_CPUID_REQ:
		msr_cpuid(env, v, res);
		break;
	case GHCB_MSR_AP_RESET_HOLD_REQ:
		/* Result 0 until a SIPI releases the hold (ghcb_reset_hold_release). */
		v->msr = GHCB_MSR_AP_RESET_HOLD_RESP;
		v->hold = GHCB_HOLD_MSR;
		res->outcome = GHCB_OUT_PARK_RESET_HOLD;
		break;
	case GHCB_MSR_HV_FT_REQ:
		v->msr = GHCB_HV_FT_KVM << 12 | GHCB_MSR_HV_FT_RESP;
		break;
	case GHCB_MSR_TERM_REQ:
		msr_terminate(v, res, true);
		break;
	case GHCB_MSR_PREF_GPA_REQ:
	case GHCB_MSR_REG_GPA_REQ:
	case GHCB_MSR_PSC_REQ:
		msr_terminate(v, res, false);
		break;
	default:
		res->note = "unknown GHCB MSR protocol request; GHCB MSR left unchanged";
		break;
	}
}

int ghcb_reset_hold_release(const struct ghcb_env *env, struct ghcb_vcpu *v, bool sipi)
{
	enum ghcb_hold hold = v->hold;
	uint64_t one = 1;
	uint8_t *p;

	v->hold = GHCB_HOLD_NONE;
	switch (hold) {
	case GHCB_HOLD_MSR:
		v->msr = (sipi ? 1ull << 12 : 0) | GHCB_MSR_AP_RESET_HOLD_RESP;
		return 0;
	case GHCB_HOLD_NAE:
		/* sw_exit_info_2 was written as 0 when the hold began. */
		if (!sipi)
			return 0;
		p = guest_mem_ptr(env->mem, v->hold_ghcb_gpa + GHCB_OFF(sw_exit_info_2), 8);
		if (!p)
			return -EFAULT;
		memcpy(p, &one, sizeof(one));
		return 0;
	case GHCB_HOLD_NONE:
		break;
	}
	return -EINVAL;
}
