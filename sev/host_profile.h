/* SPDX-License-Identifier: MIT */
/*
 * The host facts that shape the VMSA KVM measures, and the sev_features it will hold.
 * KVM's sev_es_sync_vmsa (arch/x86/kvm/svm/sev.c) writes sev_features as follows:
 *   INIT2 (6.10+)        exactly the vmsa_features the VMM passed (KVM refuses unsupported bits);
 *   legacy, 6.10+        0 (4f5defae7089 / 4dd5ecacb9a4);
 *   legacy, 6.5 .. 6.9   DebugSwap (0x20) when kvm_amd.debug_swap is Y, which KVM clears at load
 *                        unless the CPU has DEBUG_SWAP and NO_NESTED_DATA_BP (d1f85fbe836e); the
 *                        parameter defaults to N from 6.8 and 6.7-stable (5abf6dceb066);
 *   legacy, before 6.5   0 (no parameter);
 *   legacy, host unknown (measure without --host-*): the --sev-features given.
 * `run` fills the profile from the probe; `measure` from --sev-init, --host-kernel and
 * --host-debug-swap, so a digest can be predicted for another host.
 */
#ifndef PVH_SEV_HOST_PROFILE_H
#define PVH_SEV_HOST_PROFILE_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

#include "sev/host_probe.h"
#include "sev/vmsa.h"

#define SEV_FEAT_DEBUG_SWAP 0x20ull /* SVM_SEV_FEAT_DEBUG_SWAP, bit 5 */

struct sev_host_profile {
	enum sev_init_path init;
	unsigned kernel_major, kernel_minor; /* 0.0: unknown */
	enum sev_param debug_swap;           /* kvm_amd.debug_swap as sysfs shows it */
	uint64_t requested;                  /* INIT2: the vmsa_features passed to KVM */
	const char *source;                  /* "host" (probed) or "options" (measure) */
};

/* The sev_features KVM will put into every VMSA of a VM made on this profile. */
uint64_t sev_host_sev_features(const struct sev_host_profile *p);

/* The profile of the probed host for init, with requested as --sev-features. */
void sev_host_profile_of(struct sev_host_profile *p, const struct sev_host_caps *caps,
                         enum sev_init_path init, uint64_t requested);

/*
 * Before any launch command: -EINVAL with a one-line reason when KVM on this host would refuse
 * the requested features (INIT2: bits outside KVM_X86_SEV_VMSA_FEATURES) or would set others
 * itself (legacy: a non-zero request that differs from what KVM writes).
 */
int sev_host_check_features(const struct sev_host_profile *p, const struct sev_host_caps *caps,
                            char *err, size_t errlen);

/* One line: why sev_host_sev_features says what it says. */
const char *sev_host_sev_features_reason(const struct sev_host_profile *p);

/* The report's "vmsa_inputs": every input that shaped the VMSA (schema: launch-report). */
json_t *sev_host_profile_json(const struct sev_host_profile *p, const struct vmsa_options *o);

#endif
