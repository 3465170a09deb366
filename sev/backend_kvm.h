/* SPDX-License-Identifier: MIT */
/*
 * The hardware backend: SEV-ES through KVM_MEMORY_ENCRYPT_OP and /dev/sev (launch.md section 1),
 * plus the host probe for --sev=auto|es. All system calls go through struct sev_sys_ops.
 *
 * Order for the VMM:
 *   sev_kvm_open()                  opens /dev/sev (kept open until the VM is gone),
 * PLATFORM_STATUS KVM_CREATE_VM(sev_kvm_vm_type()) sev_kvm_init_vm(vm_fd)          INIT2 or legacy
 * ES_INIT, before any KVM_CREATE_VCPU memory slots (never read-only), sev_kvm_register_ram() for
 * each RAM mapping, irqchip create the vCPUs (BSP first) and set their registers sev_launch_run()
 * with sev_backend_kvm()
 *   ... run; destroy the VM; sev_kvm_close()
 */
#ifndef PVH_SEV_BACKEND_KVM_H
#define PVH_SEV_BACKEND_KVM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "sev/backend.h"
#include "sev/host_probe.h"
#include "sev/sys_ops.h"

/* The largest LAUNCH_UPDATE_DATA the backend issues: 1 GiB (KVM computes the length as int). */
#define SEV_KVM_UPDATE_DATA_MAX (1ull << 30)

struct sev_kvm_config {
	enum sev_init_path init;
	/* INIT2: the features requested. Legacy: what the kernel sets by itself (host_profile.h
	 * predicts it); only the VMSA prediction uses it then. */
	uint64_t vmsa_features;
	const char *sev_dev;           /* NULL: SEV_DEV_PATH */
	const struct sev_sys_ops *sys; /* NULL: the real system calls */
};

struct sev_kvm;

void sev_kvm_config_default(struct sev_kvm_config *c);
int sev_kvm_open(struct sev_kvm **out, const struct sev_kvm_config *c, char *err, size_t errlen);
/* Closes /dev/sev: only after the VM fd is closed (KVM resolves the fd number per command). */
void sev_kvm_close(struct sev_kvm *k);

/* KVM_X86_SEV_ES_VM (3) for INIT2, KVM_X86_DEFAULT_VM (0) for the legacy init. */
unsigned long sev_kvm_vm_type(const struct sev_kvm *k);
int sev_kvm_init_vm(struct sev_kvm *k, int vm_fd, char *err, size_t errlen);
int sev_kvm_register_ram(struct sev_kvm *k, void *host, uint64_t size, char *err, size_t errlen);
void sev_kvm_platform(const struct sev_kvm *k, struct sev_platform *p);
/* GHCB protocol maximum KVM offers the guest: 2 with INIT2, 1 with the legacy init. */
unsigned sev_kvm_ghcb_version(const struct sev_kvm *k);

/* The launch backend over k (after sev_kvm_init_vm). VMSA prediction assumes host CR4.MCE. */
void sev_backend_kvm(struct sev_backend *b, struct sev_kvm *k);

#endif
