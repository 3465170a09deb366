// SPDX-License-Identifier: MIT
/* Text and JSON output of `pvh-sev measure`, and the launch part of the run report. */
#include "sev/measure.h"

#include <errno.h>
#include <inttypes.h>
#include <string.h>

#include "sev/encode.h"

#define ENC_MAX 96 /* hex of 32 bytes is 65 with the NUL, base64 45 */

static const char *enc(enum sev_measure_format f, const uint8_t *p, size_t n, char *buf)
{
	if (f == SEV_MEASURE_BASE64)
		sev_base64(p, n, buf);
	else
		sev_hex(p, n, buf);
	return buf;
}

static json_t *blobs_json(const struct sev_launch_result *r, enum sev_measure_format f)
{
	json_t *a = json_array();
	for (size_t i = 0; a && i < r->nblobs; i++) {
		const struct sev_measured_blob *b = &r->blobs[i];
		char gpa[24], sha[ENC_MAX];
		snprintf(gpa, sizeof(gpa), "0x%" PRIx64, b->gpa);
		json_t *o = json_pack("{s:I, s:s, s:I, s:s, s:s}", "index", (json_int_t)i, "gpa",
		                      gpa, "size", (json_int_t)b->size, "name", b->name, "sha256",
		                      enc(f, b->sha256, SEV_DIGEST_LEN, sha));
		if (!o || json_array_append_new(a, o)) {
			json_decref(a);
			return NULL;
		}
	}
	return a;
}

json_t *sev_launch_result_json(const struct sev_launch_result *r, enum sev_measure_format f)
{
	char buf[ENC_MAX];
	json_t *o = json_object();
	json_t *steps = json_object();
	if (!o || !steps)
		goto fail;
	json_object_set_new(o, "backend", json_string(r->backend ? r->backend : "none"));
	if (r->backend && strcmp(r->backend, "none")) {
		json_object_set_new(o, "policy", json_integer(r->policy));
		json_object_set_new(o, "sev_init", json_string(sev_init_path_name(r->init)));
		json_object_set_new(o, "sev_features", json_integer((json_int_t)r->sev_features));
		json_object_set_new(o, "vcpus", json_integer((json_int_t)r->nvcpus));
	}
	if (r->have_platform) {
		snprintf(buf, sizeof(buf), "%u.%u", r->api_major, r->api_minor);
		json_object_set_new(o, "api", json_string(buf));
		json_object_set_new(o, "build", json_integer(r->build));
	}
	json_object_set_new(o, "measured_bytes", json_integer((json_int_t)r->measured_bytes));
	json_object_set_new(o, "blobs", blobs_json(r, f));
	if (r->have_ld)
		json_object_set_new(o, "ld", json_string(enc(f, r->ld, SEV_DIGEST_LEN, buf)));
	if (r->have_measure) {
		json_object_set_new(o, "measure",
		                    json_string(enc(f, r->measure, SEV_DIGEST_LEN, buf)));
		json_object_set_new(o, "mnonce",
		                    json_string(enc(f, r->mnonce, SEV_MNONCE_LEN, buf)));
	}
	for (int s = 0; s < SEV_STEP_COUNT; s++)
		if (r->step_ran[s])
			json_object_set_new(steps, sev_launch_step_name(s),
			                    json_real((double)r->step_ns[s] / 1e6));
	json_object_set_new(o, "step_ms", steps);
	return o;
fail:
	json_decref(o);
	json_decref(steps);
	return NULL;
}

json_t *sev_measure_json(const struct sev_measure_options *o, const struct sev_measure_result *r)
{
	char buf[ENC_MAX], api[16];
	snprintf(api, sizeof(api), "%u.%u", o->api_major, o->api_minor);
	json_t *j = json_pack("{s:s, s:s, s:I, s:s, s:I, s:I, s:I, s:s, s:I, s:o}", "format",
	                      o->format == SEV_MEASURE_BASE64 ? "base64" : "hex", "ld",
	                      enc(o->format, r->launch.ld, SEV_DIGEST_LEN, buf), "policy",
	                      (json_int_t)o->policy, "sev_init", sev_init_path_name(o->vmsa.init),
	                      "sev_features", (json_int_t)o->vmsa.sev_features, "vcpus",
	                      (json_int_t)r->nvcpus, "build", (json_int_t)o->build, "api", api,
	                      "measured_bytes", (json_int_t)r->launch.measured_bytes, "blobs",
	                      blobs_json(&r->launch, o->format));
	if (j && r->have_measure) {
		json_object_set_new(j, "measure",
		                    json_string(enc(o->format, r->measure, SEV_DIGEST_LEN, buf)));
		json_object_set_new(j, "mnonce",
		                    json_string(enc(o->format, r->mnonce, SEV_MNONCE_LEN, buf)));
	}
	return j;
}

static void print_explain(const struct sev_measure_options *o, const struct sev_measure_result *r,
                          FILE *out)
{
	char sha[ENC_MAX];
	fprintf(out,
	        "# policy 0x%x, sev-init %s, sev-features 0x%" PRIx64 ", %zu vCPUs, "
	        "API %u.%u build %u\n",
	        o->policy, sev_init_path_name(o->vmsa.init), o->vmsa.sev_features, r->nvcpus,
	        o->api_major, o->api_minor, o->build);
	fprintf(out, "%-5s %-18s %-10s %-64s %s\n", "index", "gpa", "size", "sha256", "name");
	for (size_t i = 0; i < r->launch.nblobs; i++) {
		const struct sev_measured_blob *b = &r->launch.blobs[i];
		fprintf(out, "%-5zu 0x%016" PRIx64 " 0x%-8" PRIx64 " %-64s %s\n", i, b->gpa,
		        b->size, enc(o->format, b->sha256, SEV_DIGEST_LEN, sha), b->name);
	}
}

int sev_measure_print(const struct sev_measure_options *o, const struct sev_measure_result *r,
                      FILE *out)
{
	char buf[ENC_MAX];
	if (o->json) {
		json_t *j = sev_measure_json(o, r);
		int rc = j ? json_dumpf(j, out, JSON_INDENT(2) | JSON_SORT_KEYS) : -1;
		json_decref(j);
		if (rc || fputc('\n', out) == EOF)
			return -EIO;
		return fflush(out) ? -EIO : 0;
	}
	if (o->explain)
		print_explain(o, r, out);
	fprintf(out, "ld: %s\n", enc(o->format, r->launch.ld, SEV_DIGEST_LEN, buf));
	if (r->have_measure) {
		fprintf(out, "measure: %s\n", enc(o->format, r->measure, SEV_DIGEST_LEN, buf));
		fprintf(out, "mnonce: %s\n", enc(o->format, r->mnonce, SEV_MNONCE_LEN, buf));
	}
	return (ferror(out) || fflush(out)) ? -EIO : 0;
}
