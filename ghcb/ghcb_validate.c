// SPDX-License-Identifier: MIT
/*
 * KVM's input rules for a GHCB page request (sev_es_validate_vmgexit): usage 0, the exit code
 * and both exit infos marked valid, then the fields each event needs. SNP-only events are
 * MISSING_INPUT for an SEV-ES guest; unknown codes are INVALID_EVENT. KVM does not check
 * protocol_version, and neither does this.
 */
#include "ghcb/ghcb_internal.h"

static bool all_valid(const struct ghcb_req *r, const size_t *offs, int n)
{
	for (int i = 0; i < n; i++)
		if (!req_valid(r, offs[i]))
			return false;
	return true;
}

#define NEED(...)                                                                                  \
	all_valid(r, (const size_t[]){__VA_ARGS__},                                                \
	          (int)(sizeof((const size_t[]){__VA_ARGS__}) / sizeof(size_t)))

/* True if the event's required fields are valid. */
static bool event_inputs_valid(const struct ghcb_req *r)
{
	switch (r->exit_code) {
	case GHCB_EXIT_WRITE_DR7:
		return NEED(GHCB_OFF(rax));
	case GHCB_EXIT_RDPMC:
		return NEED(GHCB_OFF(rcx));
	case GHCB_EXIT_CPUID:
		if (!NEED(GHCB_OFF(rax), GHCB_OFF(rcx)))
			return false;
		return r->regs[GHCB_RAX] != 0xd || NEED(GHCB_OFF(xcr0));
	case GHCB_EXIT_IOIO:
		if (r->info1 & GHCB_IOIO_STR)
			return NEED(GHCB_OFF(sw_scratch));
		return (r->info1 & GHCB_IOIO_IN) || NEED(GHCB_OFF(rax));
	case GHCB_EXIT_MSR:
		if (!NEED(GHCB_OFF(rcx)))
			return false;
		return !r->info1 || NEED(GHCB_OFF(rax), GHCB_OFF(rdx));
	case GHCB_EXIT_VMMCALL:
		return NEED(GHCB_OFF(rax), GHCB_OFF(cpl));
	case GHCB_EXIT_MONITOR:
		return NEED(GHCB_OFF(rax), GHCB_OFF(rcx), GHCB_OFF(rdx));
	case GHCB_EXIT_MWAIT:
		return NEED(GHCB_OFF(rax), GHCB_OFF(rcx));
	case GHCB_EXIT_MMIO_READ:
	case GHCB_EXIT_MMIO_WRITE:
		return NEED(GHCB_OFF(sw_scratch));
	default:
		return true;
	}
}

/* Events KVM serves only from 6.10 on (ae0181839823, 8d1a36e42be6). */
static bool new_in_6_10(uint64_t code)
{
	return code == GHCB_EXIT_HV_FEATURES || code == GHCB_EXIT_TERM_REQUEST;
}

static bool known_event(const struct ghcb_env *env, uint64_t code)
{
	if (env->kvm == GHCB_KVM_BEFORE_6_10 && new_in_6_10(code))
		return false;
	switch (code) {
	case GHCB_EXIT_READ_DR7:
	case GHCB_EXIT_WRITE_DR7:
	case GHCB_EXIT_RDTSC:
	case GHCB_EXIT_RDPMC:
	case GHCB_EXIT_CPUID:
	case GHCB_EXIT_INVD:
	case GHCB_EXIT_IOIO:
	case GHCB_EXIT_MSR:
	case GHCB_EXIT_VMMCALL:
	case GHCB_EXIT_RDTSCP:
	case GHCB_EXIT_WBINVD:
	case GHCB_EXIT_MONITOR:
	case GHCB_EXIT_MWAIT:
	case GHCB_EXIT_MMIO_READ:
	case GHCB_EXIT_MMIO_WRITE:
	case GHCB_EXIT_NMI_COMPLETE:
	case GHCB_EXIT_AP_HLT_LOOP:
	case GHCB_EXIT_AP_JUMP_TABLE:
	case GHCB_EXIT_HV_FEATURES:
	case GHCB_EXIT_TERM_REQUEST:
	case GHCB_EXIT_UNSUPPORTED:
		return true;
	default:
		return false;
	}
}

static bool snp_only_event(uint64_t code)
{
	return code == GHCB_EXIT_SNP_PSC || code == GHCB_EXIT_GUEST_REQUEST ||
	       code == GHCB_EXIT_EXT_GUEST_REQUEST || code == GHCB_EXIT_AP_CREATION;
}

unsigned ghcb_validate(const struct ghcb_req *r, const char **note)
{
	if (r->page.ghcb_usage) {
		*note = "GHCB usage is not 0";
		return GHCB_ERR_INVALID_USAGE;
	}
	if (!NEED(GHCB_OFF(sw_exit_code), GHCB_OFF(sw_exit_info_1), GHCB_OFF(sw_exit_info_2))) {
		*note = "sw_exit_code or sw_exit_info_1/2 not marked valid";
		return GHCB_ERR_MISSING_INPUT;
	}
	if (snp_only_event(r->exit_code)) {
		*note = "SNP-only GHCB event from an SEV-ES guest";
		return GHCB_ERR_MISSING_INPUT;
	}
	if (!known_event(r->env, r->exit_code)) {
		*note = "unknown GHCB exit code";
		return GHCB_ERR_INVALID_EVENT;
	}
	if (!event_inputs_valid(r)) {
		*note = "a register the GHCB event needs is not marked valid";
		return GHCB_ERR_MISSING_INPUT;
	}
	return 0;
}
