/* SPDX-License-Identifier: MIT */
/*
 * What this host's kernel, KVM and SEV firmware offer an SEV-ES guest, read without side effects
 * (every fd opened is closed): the answer to --sev=auto, the reasons behind a failing --sev=es,
 * and every line of `pvh-sev check`. All system calls go through struct sev_sys_ops.
 *
 * Decisions (docs/sev.md "Kernel matrix"):
 *   usable  /dev/kvm and /dev/sev open, kvm_amd.sev_es is Y, KVM can disable the
 *           FIX_HYPERCALL_INSN quirk (Linux 5.19+), PLATFORM_STATUS says SEV-ES is configured.
 *   init    INIT2 when KVM_CAP_VM_TYPES has the SEV-ES type (bit 3, Linux 6.10+); otherwise the
 *           legacy KVM_SEV_ES_INIT, which still works on 6.8/6.9 (types DEFAULT, SW_PROTECTED).
 */
#ifndef PVH_SEV_HOST_PROBE_H
#define PVH_SEV_HOST_PROBE_H

#include <stdbool.h>
#include <stdint.h>

#include "sev/sys_ops.h"
#include "sev/vmsa.h"

#define SEV_DEV_PATH "/dev/sev"
#define SEV_KVM_PARAM_DIR "/sys/module/kvm_amd/parameters/"
#define SEV_MISC_CAPACITY "/sys/fs/cgroup/misc.capacity"
#define SEV_MIN_KERNEL_MAJOR 5
#define SEV_MIN_KERNEL_MINOR 19

/* PLATFORM_STATUS: api and build enter MEASURE. */
struct sev_platform {
	uint8_t api_major, api_minor, build, state;
	uint32_t flags; /* bit 8 (0x100): SEV-ES configured */
	uint32_t guest_count;
};

/* A kvm_amd parameter: absent (module not loaded, or a kernel without it), N or Y. */
enum sev_param { SEV_PARAM_ABSENT = -1, SEV_PARAM_N = 0, SEV_PARAM_Y = 1 };

struct sev_host_caps {
	char kernel[65];               /* uname -r ("" when unknown) */
	unsigned kernel_major, kernel_minor; /* 0.0 when unparsable */
	bool kvm;                      /* /dev/kvm opens */
	int kvm_errno;
	bool quirks2;                  /* KVM can disable FIX_HYPERCALL_INSN (5.19+) */
	uint64_t vm_types;             /* KVM_CAP_VM_TYPES (0: before 6.8) */
	bool sev_dev;                  /* /dev/sev opens read-write */
	int sev_errno;
	bool have_platform;            /* PLATFORM_STATUS answered */
	struct sev_platform platform;
	int platform_errno;
	uint32_t platform_fw_error;
	enum sev_param param_sev, param_sev_es, param_debug_swap;
	bool have_vmsa_features;       /* KVM_X86_SEV_VMSA_FEATURES answered (INIT2 hosts) */
	uint64_t vmsa_features;        /* the vmsa_features bits KVM_SEV_INIT2 accepts */
	long es_asids;                 /* misc cgroup capacity of sev_es, -1 when unreadable */
	bool usable;                   /* SEV-ES hardware launch can be attempted */
	enum sev_init_path init;       /* INIT2 where KVM_CAP_VM_TYPES has bit 3, else legacy */
	unsigned ghcb_version;         /* what KVM offers with init: 2 INIT2, 1 legacy */
	char missing[512];             /* when !usable: everything that is missing, "; "-separated */
};

/* Probes the host. Returns 0 (caps filled in, whatever is missing). */
int sev_host_probe(const struct sev_sys_ops *sys, struct sev_host_caps *caps);

/* SEV_PLATFORM_STATUS on an open /dev/sev. Returns 0, or -errno with the firmware code. */
int sev_platform_query(const struct sev_sys_ops *sys, int sev_fd, struct sev_platform *p,
                       uint32_t *fw_error);

/* "6.8.0-45-generic" -> 6, 8. Returns 0, or -EINVAL (both set to 0). */
int sev_kernel_version_parse(const char *release, unsigned *major, unsigned *minor);

const char *sev_param_name(enum sev_param p);

#endif
