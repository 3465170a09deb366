/* SPDX-License-Identifier: MIT */
/*
 * A fake KVM, /dev/sev and sysfs under struct sev_sys_ops, shaped like one of several kernels
 * (fake_kernels[]): what KVM_CHECK_EXTENSION, KVM_GET_DEVICE_ATTR and the kvm_amd parameters say
 * there, and which SEV commands it accepts. Every call is logged as a word ("kvm:VM_TYPES",
 * "vm:INIT2", ...) so a test can compare the whole sequence.
 */
#ifndef PVH_TEST_FAKE_KVM_SEV_H
#define PVH_TEST_FAKE_KVM_SEV_H

#include <stdbool.h>
#include <stdint.h>

#include "sev/sys_ops.h"

#define FAKE_FD_KVM 40
#define FAKE_FD_SEV 50
#define FAKE_FD_VM 60

struct fake_kernel {
	const char *name;       /* "6.8/6.9" */
	const char *release;    /* uname -r */
	int quirks2;            /* KVM_CHECK_EXTENSION(KVM_CAP_DISABLE_QUIRKS2) */
	int vm_types;           /* KVM_CHECK_EXTENSION(KVM_CAP_VM_TYPES), 0 before 6.8 */
	const char *debug_swap; /* /sys/module/kvm_amd/parameters/debug_swap, NULL: none */
	long long vmsa_attr;    /* KVM_X86_SEV_VMSA_FEATURES, -1: no such attribute */
	/* Expected, written from the kernel history (hw-review-2026-12.md), not from the code: */
	bool usable;
	bool init2;
	uint64_t legacy_features; /* what the legacy KVM_SEV_ES_INIT puts into sev_features */
};

extern const struct fake_kernel fake_kernels[];
extern const unsigned fake_kernel_count;

/* Switches the fake to kernel k and clears the log. */
void fake_kvm_use(const struct fake_kernel *k);

/* The calls since fake_kvm_use, space-separated words. */
const char *fake_kvm_log(void);

/* Opened fds still open (0 when everything was closed). */
int fake_kvm_open_fds(void);

extern const struct sev_sys_ops fake_kvm_sys;

#endif
