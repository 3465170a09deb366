/* SPDX-License-Identifier: MIT */
/*
 * Choosing and preparing the SEV mode of a run (off, emulated, es): which backend launches it,
 * which VM type KVM creates, what the guest is told (SIF_HVM_GHCB, CR4.MCE, the GHCB version),
 * and the mode-specific steps around VM creation. main.c calls these in boot order.
 */
#ifndef PVH_SEV_SETUP_H
#define PVH_SEV_SETUP_H

#include <stdbool.h>
#include <stddef.h>

#include "sev/backend.h"
#include "sev/backend_kvm.h"
#include "sev/firmware_model.h"
#include "sev/host_profile.h"
#include "sev/launch.h"
#include "vmm/config.h"
#include "vmm/owner_blobs.h"

struct vm;
struct boot_image;

struct sev_setup {
	enum sev_mode mode; /* the mode that actually runs: never auto */
	enum sev_init_path init;
	bool sev_es;        /* es or emulated: the guest is an SEV-ES guest */
	unsigned long vm_type;
	unsigned ghcb_version;
	struct sev_model *model;
	struct sev_kvm *kvm;
	struct sev_backend backend;
	struct vmsa_options vmsa;
	struct sev_host_profile profile; /* what shaped the VMSAs: the probe (es) or the options */
	struct sev_launch_config launch;
	struct sev_launch_result result;
	struct owner_blobs blobs;
	char note[640]; /* what auto chose and why, for stderr and the report */
};

/*
 * How VMSAs are built for cfg: --sev-init (init2 unless legacy is asked for), --sev-features and
 * the --host-* profile (sev/host_profile.h). run and measure both take it from here, so they
 * predict the same bytes; run --sev=es replaces the profile by the probed host's.
 */
void sev_setup_host_profile(struct sev_host_profile *p, const struct config *cfg);
void sev_setup_vmsa_options(struct vmsa_options *o, const struct config *cfg);

/* Resolves --sev=auto, probes the host for es, builds the backend. Returns 0 or -errno. */
int sev_setup_choose(struct sev_setup *s, const struct config *cfg, char *err, size_t errlen);

/* Right after KVM_CREATE_VM, before memory slots: the emulated platform's MSR interception. */
int sev_setup_platform(struct sev_setup *s, struct vm *vm, char *err, size_t errlen);

/* After KVM_CREATE_VM and guest RAM exist: es init + REG_REGION, or the emulated platform. */
int sev_setup_vm(struct sev_setup *s, struct vm *vm, const struct config *cfg, char *err,
		 size_t errlen);

/* --strict: unmeasured RAM reads as a pattern, as it reads as garbage on hardware. */
void sev_setup_strict_fill(struct vm *vm, const struct boot_image *img);

/* The launch (LAUNCH_START .. FINISH) over guest RAM and the vCPU states. */
int sev_setup_launch(struct sev_setup *s, struct vm *vm, const struct boot_image *img,
		     char *err, size_t errlen);

/* Releases the backend; only after the VM fd is closed (es keeps /dev/sev open until then). */
void sev_setup_free(struct sev_setup *s);

#endif
