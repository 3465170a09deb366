// SPDX-License-Identifier: MIT
/* Which sev_features KVM writes into the launch VMSA on a given host (host_profile.h). */
#include "sev/host_profile.h"

#include <errno.h>
#include <stdio.h>

static int at_least(const struct sev_host_profile *p, unsigned major, unsigned minor)
{
	return p->kernel_major > major || (p->kernel_major == major && p->kernel_minor >= minor);
}

static int known_kernel(const struct sev_host_profile *p) { return p->kernel_major != 0; }

uint64_t sev_host_sev_features(const struct sev_host_profile *p)
{
	if (p->init == SEV_INIT_INIT2)
		return p->requested;
	if (known_kernel(p) && at_least(p, 6, 10))
		return 0;
	if (p->debug_swap == SEV_PARAM_Y)
		return SEV_FEAT_DEBUG_SWAP;
	if (!known_kernel(p) && p->debug_swap == SEV_PARAM_ABSENT)
		return p->requested; /* nothing known about the host: as --sev-features says */
	return 0;
}

const char *sev_host_sev_features_reason(const struct sev_host_profile *p)
{
	if (p->init == SEV_INIT_INIT2)
		return "INIT2: KVM uses exactly the requested vmsa_features";
	if (known_kernel(p) && at_least(p, 6, 10))
		return "legacy KVM_SEV_ES_INIT on Linux 6.10+: no features";
	if (p->debug_swap == SEV_PARAM_Y)
		return "legacy KVM_SEV_ES_INIT with kvm_amd.debug_swap=Y (Linux 6.5-6.9): DebugSwap";
	if (!known_kernel(p) && p->debug_swap == SEV_PARAM_ABSENT)
		return "legacy KVM_SEV_ES_INIT on an unknown host: as --sev-features says";
	return "legacy KVM_SEV_ES_INIT with kvm_amd.debug_swap N or absent: no features";
}

json_t *sev_host_profile_json(const struct sev_host_profile *p, const struct vmsa_options *o)
{
	char kernel[24] = "unknown";
	if (known_kernel(p))
		snprintf(kernel, sizeof(kernel), "%u.%u", p->kernel_major, p->kernel_minor);
	return json_pack("{s:s, s:s, s:s, s:s, s:I, s:I, s:s, s:b}", "source", p->source, "init",
	                 sev_init_path_name(p->init), "kernel", kernel, "debug_swap",
	                 sev_param_name(p->debug_swap), "requested_features",
	                 (json_int_t)p->requested, "sev_features",
	                 (json_int_t)sev_host_sev_features(p), "reason",
	                 sev_host_sev_features_reason(p), "host_cr4_mce", o->host_cr4_mce);
}

void sev_host_profile_of(struct sev_host_profile *p, const struct sev_host_caps *caps,
                         enum sev_init_path init, uint64_t requested)
{
	*p = (struct sev_host_profile){init,          caps->kernel_major, caps->kernel_minor,
	                               caps->param_debug_swap, requested, "host"};
}

int sev_host_check_features(const struct sev_host_profile *p, const struct sev_host_caps *caps,
                            char *err, size_t errlen)
{
	uint64_t want = p->requested, kvm_sets = sev_host_sev_features(p);
	if (p->init == SEV_INIT_INIT2 && caps->have_vmsa_features && (want & ~caps->vmsa_features)) {
		snprintf(err, errlen,
		         "--sev-features 0x%llx: KVM on this host accepts only 0x%llx "
		         "(KVM_X86_SEV_VMSA_FEATURES)",
		         (unsigned long long)want, (unsigned long long)caps->vmsa_features);
		return -EINVAL;
	}
	if (p->init == SEV_INIT_LEGACY && want && want != kvm_sets) {
		snprintf(err, errlen,
		         "--sev-features 0x%llx: with the legacy KVM_SEV_ES_INIT, KVM on this host "
		         "(Linux %u.%u, kvm_amd.debug_swap %s) sets 0x%llx itself",
		         (unsigned long long)want, p->kernel_major, p->kernel_minor,
		         sev_param_name(p->debug_swap), (unsigned long long)kvm_sets);
		return -EINVAL;
	}
	return 0;
}
