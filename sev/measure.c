// SPDX-License-Identifier: MIT
#include "sev/measure.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "sev/encode.h"

#define MEASURE_DEFAULT_MEM (256ull << 20)

void sev_measure_options_default(struct sev_measure_options *o)
{
	memset(o, 0, sizeof(*o));
	o->policy = SEV_POLICY_DEFAULT;
	vmsa_options_default(&o->vmsa);
	o->mem_size = MEASURE_DEFAULT_MEM;
	o->api_major = SEV_MODEL_API_MAJOR;
	o->api_minor = SEV_MODEL_API_MINOR;
	o->build = SEV_MODEL_BUILD;
	o->format = SEV_MEASURE_HEX;
}

static int new_model(const struct sev_measure_options *o, struct sev_model **m)
{
	struct sev_model_config c;
	sev_model_config_default(&c);
	c.api_major = o->api_major;
	c.api_minor = o->api_minor;
	c.build = o->build;
	c.have_tik = o->have_tik;
	memcpy(c.tik, o->tik, SEV_TIK_LEN);
	c.have_mnonce = o->have_mnonce;
	memcpy(c.mnonce, o->mnonce, SEV_MNONCE_LEN);
	return sev_model_new(m, &c);
}

int sev_measure_compute(const struct sev_measure_options *o, const struct region_list *l,
                        const struct cpu_state *vcpus, size_t nvcpus, struct sev_measure_result *r,
                        char *err, size_t errlen)
{
	struct guest_mem mem;
	struct sev_model *model = NULL;
	struct sev_backend b;
	struct sev_launch_config lc;
	memset(r, 0, sizeof(*r));
	r->nvcpus = nvcpus;
	int rc = guest_mem_map(&mem, o->mem_size);
	if (rc) {
		snprintf(err, errlen, "cannot map %llu bytes of scratch guest RAM: %s",
		         (unsigned long long)o->mem_size, strerror(-rc));
		return rc;
	}
	/* The same loading and launch code as `run`, so the bytes measured are the same. */
	rc = guest_mem_load_regions(&mem, l);
	if (rc) {
		snprintf(err, errlen, "a region lies outside %llu bytes of guest RAM",
		         (unsigned long long)o->mem_size);
		goto out;
	}
	rc = new_model(o, &model);
	if (rc) {
		snprintf(err, errlen, "cannot set up the firmware model: %s", strerror(-rc));
		goto out;
	}
	sev_backend_model(&b, model, &o->vmsa);
	sev_launch_config_default(&lc);
	lc.policy = o->policy;
	lc.dump_dir = o->dump_launch_dir;
	lc.no_blob_digests = !o->explain && !o->json;
	lc.ld_from_firmware = true;
	rc = sev_launch_run(&b, &lc, &mem, l, vcpus, nvcpus, &r->launch, err, errlen);
	if (rc)
		goto out;
	/* A MEASURE under a random TIK or nonce predicts nothing: report it only when given. */
	r->have_measure = o->have_tik && o->have_mnonce;
	memcpy(r->measure, r->launch.measure, SEV_DIGEST_LEN);
	memcpy(r->mnonce, r->launch.mnonce, SEV_MNONCE_LEN);
	if (o->dump_vmsa_dir)
		rc = sev_measure_dump_vmsa(o->dump_vmsa_dir, vcpus, nvcpus, &o->vmsa, err, errlen);
out:
	sev_model_free(model);
	guest_mem_unmap(&mem);
	return rc;
}

void sev_measure_result_free(struct sev_measure_result *r) { sev_launch_result_free(&r->launch); }

int sev_measure_dump_vmsa(const char *dir, const struct cpu_state *vcpus, size_t n,
                          const struct vmsa_options *o, char *err, size_t errlen)
{
	uint8_t page[VMSA_PAGE_SIZE];
	char path[4200], why[160];
	if (mkdir(dir, 0755) && errno != EEXIST) {
		int e = errno;
		snprintf(err, errlen, "cannot create %s: %s", dir, strerror(e));
		return -e;
	}
	for (size_t i = 0; i < n; i++) {
		int r = vmsa_build(&vcpus[i], o, page, why, sizeof(why));
		if (r) {
			snprintf(err, errlen, "vCPU %zu: %s", i, why);
			return r;
		}
		snprintf(path, sizeof(path), "%s/vmsa-vcpu%zu.bin", dir, i);
		FILE *f = fopen(path, "wb");
		if (!f) {
			int e = errno;
			snprintf(err, errlen, "cannot write %s: %s", path, strerror(e));
			return -e;
		}
		size_t w = fwrite(page, 1, sizeof(page), f);
		if (fclose(f) || w != sizeof(page)) {
			snprintf(err, errlen, "cannot write %s", path);
			return -ENOSPC;
		}
	}
	return 0;
}

static int check_one(const char *what, const char *hex, const uint8_t *got, char *err,
                     size_t errlen)
{
	uint8_t want[SEV_DIGEST_LEN];
	char gothex[2 * SEV_DIGEST_LEN + 1];
	if (sev_unhex(hex, want, SEV_DIGEST_LEN)) {
		snprintf(err, errlen, "expected %s is not 64 hex digits", what);
		return -EINVAL;
	}
	if (memcmp(want, got, SEV_DIGEST_LEN)) {
		sev_hex(got, SEV_DIGEST_LEN, gothex);
		snprintf(err, errlen, "%s mismatch: computed %s, expected %s", what, gothex, hex);
		return -EBADMSG;
	}
	return 0;
}

int sev_measure_check_expected(const struct sev_measure_result *r, const char *ld_hex,
                               const char *measure_hex, char *err, size_t errlen)
{
	int rc = 0;
	if (ld_hex)
		rc = check_one("LD", ld_hex, r->launch.ld, err, errlen);
	if (rc || !measure_hex)
		return rc;
	if (!r->have_measure) {
		snprintf(err, errlen, "an expected MEASURE needs --tik and --mnonce");
		return -EINVAL;
	}
	return check_one("MEASURE", measure_hex, r->measure, err, errlen);
}

int sev_measure_exit_code(int err)
{
	switch (err) {
	case 0:
		return SEV_MEASURE_EXIT_OK;
	case -EBADMSG:
		return SEV_MEASURE_EXIT_MISMATCH;
	case -EINVAL:
	case -EFAULT:
	case -EIO: /* the firmware model refused an input (policy, alignment) */
		return SEV_MEASURE_EXIT_INPUT;
	case -ENOENT:
	case -EACCES:
	case -EPERM:
	case -ENOSPC:
	case -EROFS:
	case -ENOTDIR:
	case -EEXIST:
	case -ENAMETOOLONG:
	case -EDQUOT:
	case -EFBIG:
		return SEV_MEASURE_EXIT_IO;
	default:
		return SEV_MEASURE_EXIT_INTERNAL;
	}
}

int sev_parse_api_version(const char *s, uint8_t *major, uint8_t *minor)
{
	char *end;
	if (!s || *s < '0' || *s > '9')
		return -EINVAL;
	unsigned long maj = strtoul(s, &end, 10);
	if (*end != '.' || end[1] < '0' || end[1] > '9')
		return -EINVAL;
	unsigned long min = strtoul(end + 1, &end, 10);
	if (*end || maj > 255 || min > 255)
		return -EINVAL;
	*major = (uint8_t)maj;
	*minor = (uint8_t)min;
	return 0;
}
