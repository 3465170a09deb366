/* SPDX-License-Identifier: MIT */
/*
 * `pvh-sev measure`: predicts the launch digest offline. It runs the same launch code as `run`
 * (sev_launch_run) against the firmware model on a scratch guest RAM, so a `run` in emulated
 * mode with the same options reports the same LD. Library functions; the CLI is in vmm/.
 */
#ifndef PVH_SEV_MEASURE_H
#define PVH_SEV_MEASURE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <jansson.h>

#include "sev/launch.h"

enum sev_measure_format {
	SEV_MEASURE_HEX,
	SEV_MEASURE_BASE64,
};

/* Stable exit statuses of `pvh-sev measure` (docs/sev.md). */
enum sev_measure_exit {
	SEV_MEASURE_EXIT_OK = 0,
	SEV_MEASURE_EXIT_MISMATCH = 1, /* an expected LD/MEASURE was given and differs */
	SEV_MEASURE_EXIT_USAGE = 2,    /* bad command line (the CLI's own check) */
	SEV_MEASURE_EXIT_INPUT = 3,    /* kernel, layout, vCPU state or policy rejected */
	SEV_MEASURE_EXIT_IO = 4,       /* a dump or output file could not be written */
	SEV_MEASURE_EXIT_INTERNAL = 5, /* out of memory, crypto failure */
};

struct sev_measure_options {
	uint32_t policy;                     /* default 0x5 */
	struct vmsa_options vmsa;            /* init path, sev_features, host CR4.MCE */
	uint64_t mem_size;                   /* guest RAM, as for run (default 256 MiB) */
	uint8_t api_major, api_minor, build; /* the platform's, from PLATFORM_STATUS */
	bool have_tik;
	uint8_t tik[SEV_TIK_LEN];
	bool have_mnonce;
	uint8_t mnonce[SEV_MNONCE_LEN];
	enum sev_measure_format format;
	bool json;
	bool explain;                /* list every measured blob */
	const char *dump_vmsa_dir;   /* DIR/vmsa-vcpuN.bin */
	const char *dump_launch_dir; /* every measured blob and an index */
};

struct sev_measure_result {
	struct sev_launch_result launch; /* blobs, LD */
	bool have_measure;               /* only when both TIK and MNONCE were given */
	uint8_t measure[SEV_DIGEST_LEN];
	uint8_t mnonce[SEV_MNONCE_LEN];
	size_t nvcpus;
};

void sev_measure_options_default(struct sev_measure_options *o);

/*
 * Computes LD (and MEASURE) for the regions and vCPU states `run` would use. Returns 0 or
 * -errno with a one-line reason in err; sev_measure_exit_code() maps the error to a status.
 */
int sev_measure_compute(const struct sev_measure_options *o, const struct region_list *l,
                        const struct cpu_state *vcpus, size_t nvcpus, struct sev_measure_result *r,
                        char *err, size_t errlen);
void sev_measure_result_free(struct sev_measure_result *r);

/* Prints the result as text or JSON (o->json). Returns 0 or -EIO. */
int sev_measure_print(const struct sev_measure_options *o, const struct sev_measure_result *r,
                      FILE *out);
/* The JSON object sev_measure_print writes (caller owns it); NULL on allocation failure. */
json_t *sev_measure_json(const struct sev_measure_options *o, const struct sev_measure_result *r);
/* A launch result as JSON (backend, blobs, LD, MEASURE, MNONCE, step timings) for reports. */
json_t *sev_launch_result_json(const struct sev_launch_result *r, enum sev_measure_format f);

/* Writes DIR/vmsa-vcpuN.bin for every vCPU. Returns 0 or -errno with err. */
int sev_measure_dump_vmsa(const char *dir, const struct cpu_state *vcpus, size_t n,
                          const struct vmsa_options *o, char *err, size_t errlen);

/*
 * Compares with an expected LD and/or MEASURE (hex; NULL to skip). 0 when all match, -EBADMSG
 * (exit status MISMATCH) with what differs in err, -EINVAL for malformed hex or a MEASURE
 * expected without TIK and MNONCE.
 */
int sev_measure_check_expected(const struct sev_measure_result *r, const char *ld_hex,
                               const char *measure_hex, char *err, size_t errlen);

/* Maps a -errno from the functions above to an enum sev_measure_exit value. */
int sev_measure_exit_code(int err);

/* "1.55" -> 1, 55 (decimal, each 0-255). 0 or -EINVAL. */
int sev_parse_api_version(const char *s, uint8_t *major, uint8_t *minor);

#endif
