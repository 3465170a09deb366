/* SPDX-License-Identifier: MIT */
/*
 * The firmware backends the launch sequence drives, all through one ops table: hardware (KVM's
 * KVM_MEMORY_ENCRYPT_OP, backend_kvm.h), model (the software firmware, --sev=emulated and
 * `measure`) and none (--sev=off: the launch does nothing). Nothing outside sev/ needs to know
 * which one runs.
 */
#ifndef PVH_SEV_BACKEND_H
#define PVH_SEV_BACKEND_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "loader/cpu_state.h"
#include "loader/gpa.h"
#include "sev/firmware_model.h"
#include "sev/vmsa.h"

/* An optional opaque input (DH certificate, session blob): NULL/0 when absent. */
struct sev_blob {
	const void *data;
	size_t len;
};

/* A LAUNCH_SECRET packet as a guest owner's tooling produces it. */
struct sev_secret {
	struct sev_blob header; /* packet header (flags, IV, MAC) */
	struct sev_blob trans;  /* the encrypted secret */
	gpa_t guest_gpa;        /* where the firmware writes it, 16-byte aligned */
	void *guest_host;       /* the same bytes as a host pointer (guest_mem_ptr) */
	uint32_t guest_len;
};

struct sev_backend;

/* Every op returns 0 or -errno and puts a one-line reason (the step, errno, firmware code) in err.
 */
struct sev_backend_ops {
	const char *name;
	bool inert; /* the none backend: the launch walks nothing and issues nothing */
	int (*launch_start)(struct sev_backend *b, uint32_t policy, const struct sev_blob *dh_cert,
	                    const struct sev_blob *session, char *err, size_t errlen);
	/* host: the bytes at gpa in guest RAM (encrypted in place on hardware). */
	int (*update_data)(struct sev_backend *b, gpa_t gpa, void *host, uint64_t len, char *err,
	                   size_t errlen);
	/* states[i] is vCPU i's state as the VMM gave it to KVM (hardware reads KVM's copy). */
	int (*update_vmsa)(struct sev_backend *b, const struct cpu_state *states, size_t n,
	                   char *err, size_t errlen);
	int (*measure)(struct sev_backend *b, uint8_t measure[SEV_DIGEST_LEN],
	               uint8_t mnonce[SEV_MNONCE_LEN], char *err, size_t errlen);
	int (*secret)(struct sev_backend *b, const struct sev_secret *s, char *err, size_t errlen);
	int (*finish)(struct sev_backend *b, char *err, size_t errlen);
	/* 0 while vCPU registers may be set, -EINVAL once UPDATE_VMSA ran. */
	int (*vcpu_state_writable)(const struct sev_backend *b);
	/* The firmware's own LD after MEASURE, where it can be read (model only), else NULL. */
	int (*launch_digest)(const struct sev_backend *b, uint8_t ld[SEV_DIGEST_LEN]);
	/* The platform API version and build that enter MEASURE; NULL for none. */
	void (*platform)(const struct sev_backend *b, uint8_t *api_major, uint8_t *api_minor,
	                 uint8_t *build);
};

struct sev_backend {
	const struct sev_backend_ops *ops;
	void *ctx;
	struct vmsa_options vmsa; /* how VMSAs are built (model) or predicted (hardware) */
};

/* --sev=off. */
void sev_backend_none(struct sev_backend *b);

/* The model backend over m (owned by the caller; must outlive b). */
void sev_backend_model(struct sev_backend *b, struct sev_model *m, const struct vmsa_options *o);

/* The VMM calls this before setting any vCPU register: -EINVAL after LAUNCH_UPDATE_VMSA. */
int sev_backend_vcpu_state_writable(const struct sev_backend *b);

#endif
