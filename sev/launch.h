/* SPDX-License-Identifier: MIT */
/*
 * The one SEV-ES launch sequence, the same for every backend (launch.md sections 1-3):
 * LAUNCH_START, LAUNCH_UPDATE_DATA over the region list as page runs in ascending GPA order
 * (read from guest RAM), one LAUNCH_UPDATE_VMSA for all vCPUs in index order, LAUNCH_MEASURE,
 * optionally LAUNCH_SECRET, LAUNCH_FINISH. It records what it measured (for `--explain`, the
 * report and `--dump-launch`) and how long each step took.
 */
#ifndef PVH_SEV_LAUNCH_H
#define PVH_SEV_LAUNCH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "loader/cpu_state.h"
#include "loader/guest_mem.h"
#include "loader/region.h"
#include "sev/backend.h"

enum sev_launch_step {
	SEV_STEP_LAUNCH_START,
	SEV_STEP_UPDATE_DATA, /* all UPDATE_DATA commands together */
	SEV_STEP_UPDATE_VMSA,
	SEV_STEP_MEASURE,
	SEV_STEP_SECRET,
	SEV_STEP_FINISH,
	SEV_STEP_COUNT
};

/* A run of whole pages built from the regions that share its pages; measured once. */
struct sev_page_run {
	gpa_t gpa;     /* page-aligned */
	uint64_t size; /* a multiple of the page size */
	char name[96]; /* the regions' names joined by '+' */
};

/* One measured blob, in measurement order: page runs, then one VMSA page per vCPU. */
struct sev_measured_blob {
	gpa_t gpa; /* for a VMSA: 0 (not guest memory) */
	uint64_t size;
	int vcpu;      /* -1 for guest data, else the vCPU index of a VMSA page */
	char name[96]; /* "boot-gdt", "kernel-seg0+...", "vmsa-vcpu0" */
	uint8_t sha256[SEV_DIGEST_LEN];
};

struct sev_launch_config {
	uint32_t policy;         /* SEV_POLICY_DEFAULT (0x5) unless the owner says otherwise */
	struct sev_blob dh_cert; /* optional, hardware only */
	struct sev_blob session; /* optional, hardware only */
	const struct sev_secret *secret; /* optional LAUNCH_SECRET */
	const char *dump_dir; /* optional: write every measured blob there (--dump-launch) */
	/* Skip each blob's own SHA-256 (kept for --explain, reports and dumps): one hash pass
	 * less over every measured byte. */
	bool no_blob_digests;
	/* With a firmware that reveals LD (the model), take it from there instead of hashing a
	 * second time to cross-check it: one more pass less. The defaults keep both. */
	bool ld_from_firmware;
};

struct sev_launch_result {
	const char *backend;
	/* What the measurement depends on besides the blobs (for the report). */
	uint32_t policy;
	enum sev_init_path init;
	uint64_t sev_features;
	size_t nvcpus;
	bool have_platform;
	uint8_t api_major, api_minor, build;
	struct sev_measured_blob *blobs;
	size_t nblobs;
	uint64_t measured_bytes;
	/*
	 * LD as this code computed it over the blobs: the firmware's LD for the model (checked
	 * equal), the predicted LD on hardware (the firmware does not reveal it).
	 */
	uint8_t ld[SEV_DIGEST_LEN];
	bool have_ld;
	bool have_measure;
	uint8_t measure[SEV_DIGEST_LEN];
	uint8_t mnonce[SEV_MNONCE_LEN];
	bool step_ran[SEV_STEP_COUNT];
	uint64_t step_ns[SEV_STEP_COUNT];
};

void sev_launch_config_default(struct sev_launch_config *c);

/*
 * Plans the page runs for the regions (any insertion order): each non-empty region is rounded
 * out to whole pages, regions sharing a page are merged, runs come out in ascending GPA order.
 * *runs is malloc'd (free it). Returns 0, -ENOMEM, or -EINVAL for a region that wraps.
 */
int sev_plan_page_runs(const struct region_list *l, struct sev_page_run **runs, size_t *n);

/*
 * Runs the launch. The regions must already be in mem (guest_mem_load_regions); on hardware
 * every vCPU must exist with its registers set, and no vCPU thread may be in KVM_RUN.
 * res is filled as far as the launch got, even on failure; free it with
 * sev_launch_result_free. Returns 0 or -errno with a one-line reason naming the step in err.
 * With the none backend it does nothing and returns 0.
 */
int sev_launch_run(struct sev_backend *b, const struct sev_launch_config *c,
                   const struct guest_mem *mem, const struct region_list *regions,
                   const struct cpu_state *vcpus, size_t nvcpus, struct sev_launch_result *res,
                   char *err, size_t errlen);

void sev_launch_result_free(struct sev_launch_result *r);

const char *sev_launch_step_name(enum sev_launch_step s);

#endif
