// SPDX-License-Identifier: MIT
#include "vmm/measure_cmd.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "loader/hvm_start_info.h"
#include "sev/encode.h"
#include "sev/measure.h"
#include "vmm/boot_image.h"
#include "vmm/sev_setup.h"

#define ERRLEN MEASURE_ERRLEN

/*
 * A verifier's inputs are refused unless they are exactly 2*len hex digits (an optional 0x):
 * sscanf("%2x") took signs and spaces, so "-1-1..." read as ff..ff and " 0 0..." as zeros.
 * The value is not echoed: --tik is a secret.
 */
static int check_hex(const char *opt, const char *hex, uint8_t *out, size_t len, char *err)
{
	if (!hex || !sev_unhex(hex, out, len))
		return 0;
	snprintf(err, ERRLEN, "%s: expected %zu hex digits (0-9, a-f), nothing else", opt, 2 * len);
	return -EINVAL;
}

int measure_options_parse(struct sev_measure_options *o, const struct config *cfg, char *err)
{
	sev_measure_options_default(o);
	o->policy = cfg->policy;
	sev_setup_vmsa_options(&o->vmsa, cfg);
	if (cfg->sev_features && o->vmsa.sev_features != cfg->sev_features)
		return snprintf(err, ERRLEN, "--sev-features 0x%llx: with the legacy init, KVM on the "
				"host named by --host-kernel/--host-debug-swap sets 0x%llx itself",
				(unsigned long long)cfg->sev_features,
				(unsigned long long)o->vmsa.sev_features), -EINVAL;
	o->mem_size = cfg->mem_size;
	o->api_major = cfg->api_major;
	o->api_minor = cfg->api_minor;
	o->build = cfg->build;
	o->format = cfg->base64 ? SEV_MEASURE_BASE64 : SEV_MEASURE_HEX;
	o->json = cfg->json;
	o->explain = cfg->explain;
	o->dump_vmsa_dir = cfg->dump_vmsa;
	o->dump_launch_dir = cfg->dump_launch;
	uint8_t digest[SEV_DIGEST_LEN];
	int r = check_hex("--tik", cfg->tik_hex, o->tik, SEV_TIK_LEN, err);
	if (!r)
		r = check_hex("--mnonce", cfg->mnonce_hex, o->mnonce, SEV_MNONCE_LEN, err);
	if (!r)
		r = check_hex("--expect-ld", cfg->expect_ld, digest, sizeof(digest), err);
	if (!r)
		r = check_hex("--expect-measure", cfg->expect_measure, digest, sizeof(digest), err);
	if (r)
		return r;
	o->have_tik = cfg->tik_hex != NULL;
	o->have_mnonce = cfg->mnonce_hex != NULL;
	return 0;
}

static int measure_output(const struct config *cfg, const struct sev_measure_options *o,
			  const struct sev_measure_result *res, unsigned nvcpus, json_t *all)
{
	if (all)
		return json_array_append_new(all, sev_measure_json(o, res)) ? -ENOMEM : 0;
	if (cfg->smp_max != cfg->smp)
		printf("vcpus: %u\n", nvcpus);
	return sev_measure_print(o, res, stdout);
}

/* One vCPU count: the image, the digest, the output, then the comparison (-EBADMSG). */
static int measure_one(const struct config *cfg, const struct sev_measure_options *o,
		       unsigned nvcpus, json_t *all, char *err)
{
	struct boot_image img;
	struct sev_measure_result res;
	int r = boot_image_build(&img, cfg, nvcpus, SIF_HVM_GHCB, true, err, ERRLEN);
	if (!r && o->dump_vmsa_dir)
		r = sev_measure_dump_vmsa(o->dump_vmsa_dir, img.states, nvcpus, &o->vmsa, err,
					  ERRLEN);
	if (!r)
		r = sev_measure_compute(o, &img.regions, img.states, nvcpus, &res, err, ERRLEN);
	boot_image_free(&img);
	if (r)
		return r;
	r = measure_output(cfg, o, &res, nvcpus, all);
	if (!r && (cfg->expect_ld || cfg->expect_measure))
		r = sev_measure_check_expected(&res, cfg->expect_ld, cfg->expect_measure, err,
					       ERRLEN);
	sev_measure_result_free(&res);
	return r;
}

int measure_main(const struct config *cfg)
{
	struct sev_measure_options o;
	char err[ERRLEN];
	json_t *all = NULL;
	int r = measure_options_parse(&o, cfg, err);
	if (r) {
		fprintf(stderr, "pvh-sev: %s\n", err);
		return SEV_MEASURE_EXIT_USAGE;
	}
	if ((cfg->expect_ld || cfg->expect_measure) && cfg->smp_max != cfg->smp) {
		fprintf(stderr, "pvh-sev: --expect-ld/--expect-measure take one --smp count\n");
		return SEV_MEASURE_EXIT_USAGE;
	}
	if (cfg->json && cfg->smp_max != cfg->smp)
		all = json_array();
	for (unsigned n = cfg->smp; !r && n <= cfg->smp_max; n++)
		r = measure_one(cfg, &o, n, all, err);
	if (!r && all && json_dumpf(all, stdout, JSON_INDENT(2)) == 0)
		putchar('\n');
	json_decref(all);
	if (r) {
		fprintf(stderr, "pvh-sev: measure: %s\n", err);
		return sev_measure_exit_code(r);
	}
	return fflush(stdout) ? SEV_MEASURE_EXIT_IO : SEV_MEASURE_EXIT_OK;
}
