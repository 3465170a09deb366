// SPDX-License-Identifier: MIT
#include "sev/launch.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <openssl/evp.h>

#include "sev/launch_dump.h"

/* State of one launch while it runs. */
struct launch {
	struct sev_backend *b;
	const struct sev_launch_config *c;
	struct sev_launch_result *res;
	EVP_MD_CTX *ld;
	bool ld_from_firmware; /* LD comes from the backend: not hashed here */
	struct sev_dump dump;
	char *err;
	size_t errlen;
};

void sev_launch_config_default(struct sev_launch_config *c)
{
	memset(c, 0, sizeof(*c));
	c->policy = SEV_POLICY_DEFAULT;
}

const char *sev_launch_step_name(enum sev_launch_step s)
{
	static const char *const names[SEV_STEP_COUNT] = {
	    "launch_start", "update_data", "update_vmsa", "measure", "secret", "finish",
	};
	return s < SEV_STEP_COUNT ? names[s] : "?";
}

static uint64_t now_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

static void step_done(struct launch *L, enum sev_launch_step s, uint64_t t0)
{
	L->res->step_ran[s] = true;
	L->res->step_ns[s] += now_ns() - t0;
}

/* Hashes one blob into LD and its own digest, records it and dumps it. */
static int record_blob(struct launch *L, gpa_t gpa, uint64_t size, int vcpu, const char *name,
                       const void *data)
{
	struct sev_launch_result *res = L->res;
	struct sev_measured_blob *v = realloc(res->blobs, (res->nblobs + 1) * sizeof(*v));
	if (!v) {
		snprintf(L->err, L->errlen, "out of memory recording measured blob %s", name);
		return -ENOMEM;
	}
	res->blobs = v;
	struct sev_measured_blob *blob = &v[res->nblobs];
	memset(blob, 0, sizeof(*blob));
	blob->gpa = gpa;
	blob->size = size;
	blob->vcpu = vcpu;
	snprintf(blob->name, sizeof(blob->name), "%s", name);
	unsigned int mdlen = 0;
	bool own_digest = !L->c->no_blob_digests || L->dump.index;
	if ((own_digest && EVP_Digest(data, size, blob->sha256, &mdlen, EVP_sha256(), NULL) != 1) ||
	    (!L->ld_from_firmware && EVP_DigestUpdate(L->ld, data, size) != 1)) {
		snprintf(L->err, L->errlen, "SHA-256 failed on measured blob %s", name);
		return -EIO;
	}
	res->nblobs++;
	res->measured_bytes += size;
	if (L->dump.index)
		return sev_dump_blob(&L->dump, res->nblobs - 1, blob, data, L->err, L->errlen);
	return 0;
}

static int measure_regions(struct launch *L, const struct guest_mem *mem,
                           const struct region_list *regions)
{
	struct sev_page_run *runs = NULL;
	size_t nruns = 0;
	int r = sev_plan_page_runs(regions, &runs, &nruns);
	if (r) {
		snprintf(L->err, L->errlen, "cannot plan the measured pages: %s", strerror(-r));
		return r;
	}
	for (size_t i = 0; i < nruns && !r; i++) {
		const struct sev_page_run *run = &runs[i];
		void *host = guest_mem_ptr(mem, run->gpa, run->size);
		if (!host) {
			snprintf(L->err, L->errlen,
			         "measured pages [0x%" PRIx64 "-0x%" PRIx64
			         ") of %s are not in guest RAM",
			         run->gpa, run->gpa + run->size, run->name);
			r = -EFAULT;
			break;
		}
		/* Hash before issuing: on hardware the command encrypts the bytes in place. */
		r = record_blob(L, run->gpa, run->size, -1, run->name, host);
		if (r)
			break;
		uint64_t t0 = now_ns();
		r = L->b->ops->update_data(L->b, run->gpa, host, run->size, L->err, L->errlen);
		step_done(L, SEV_STEP_UPDATE_DATA, t0);
	}
	free(runs);
	return r;
}

static int measure_vmsas(struct launch *L, const struct cpu_state *vcpus, size_t n)
{
	uint8_t *page = malloc(VMSA_PAGE_SIZE);
	int r = 0;
	if (!page)
		return -ENOMEM;
	for (size_t i = 0; i < n && !r; i++) {
		char why[160], name[32];
		r = vmsa_build(&vcpus[i], &L->b->vmsa, page, why, sizeof(why));
		if (r) {
			snprintf(L->err, L->errlen, "vCPU %zu cannot be launched: %s", i, why);
			break;
		}
		snprintf(name, sizeof(name), "vmsa-vcpu%zu", i);
		r = record_blob(L, 0, VMSA_PAGE_SIZE, (int)i, name, page);
	}
	free(page);
	if (r)
		return r;
	uint64_t t0 = now_ns();
	r = L->b->ops->update_vmsa(L->b, vcpus, n, L->err, L->errlen);
	step_done(L, SEV_STEP_UPDATE_VMSA, t0);
	return r;
}

/* The model knows its LD: it must be the one computed here, or the two code paths diverged. */
static int finish_ld(struct launch *L)
{
	unsigned int n = 0;
	if (L->ld_from_firmware) {
		if (L->b->ops->launch_digest(L->b, L->res->ld))
			return -EIO;
		L->res->have_ld = true;
		return 0;
	}
	if (EVP_DigestFinal_ex(L->ld, L->res->ld, &n) != 1)
		return -EIO;
	L->res->have_ld = true;
	uint8_t fw_ld[SEV_DIGEST_LEN];
	if (L->b->ops->launch_digest && L->b->ops->launch_digest(L->b, fw_ld) == 0 &&
	    memcmp(fw_ld, L->res->ld, SEV_DIGEST_LEN)) {
		snprintf(L->err, L->errlen,
		         "LAUNCH_MEASURE: the firmware's launch digest differs "
		         "from the measured blobs");
		return -EPROTO;
	}
	return 0;
}

static int launch_steps(struct launch *L, const struct guest_mem *mem,
                        const struct region_list *regions, const struct cpu_state *vcpus,
                        size_t nvcpus)
{
	const struct sev_backend_ops *ops = L->b->ops;
	uint64_t t0 = now_ns();
	int r = ops->launch_start(L->b, L->c->policy, &L->c->dh_cert, &L->c->session, L->err,
	                          L->errlen);
	step_done(L, SEV_STEP_LAUNCH_START, t0);
	if (!r)
		r = measure_regions(L, mem, regions);
	if (!r)
		r = measure_vmsas(L, vcpus, nvcpus);
	if (r)
		return r;
	t0 = now_ns();
	r = ops->measure(L->b, L->res->measure, L->res->mnonce, L->err, L->errlen);
	step_done(L, SEV_STEP_MEASURE, t0);
	if (r)
		return r;
	L->res->have_measure = true;
	r = finish_ld(L);
	if (!r && L->c->secret) {
		t0 = now_ns();
		r = ops->secret(L->b, L->c->secret, L->err, L->errlen);
		step_done(L, SEV_STEP_SECRET, t0);
	}
	if (r)
		return r;
	t0 = now_ns();
	r = ops->finish(L->b, L->err, L->errlen);
	step_done(L, SEV_STEP_FINISH, t0);
	return r;
}

int sev_launch_run(struct sev_backend *b, const struct sev_launch_config *c,
                   const struct guest_mem *mem, const struct region_list *regions,
                   const struct cpu_state *vcpus, size_t nvcpus, struct sev_launch_result *res,
                   char *err, size_t errlen)
{
	char dummy[1];
	struct launch L = {.b = b,
	                   .c = c,
	                   .res = res,
	                   .err = err ? err : dummy,
	                   .errlen = err ? errlen : sizeof(dummy)};
	memset(res, 0, sizeof(*res));
	res->backend = b->ops->name;
	L.ld_from_firmware = c->ld_from_firmware && b->ops->launch_digest;
	if (b->ops->inert)
		return 0;
	res->policy = c->policy;
	res->init = b->vmsa.init;
	res->sev_features = b->vmsa.sev_features;
	res->nvcpus = nvcpus;
	if (b->ops->platform) {
		b->ops->platform(b, &res->api_major, &res->api_minor, &res->build);
		res->have_platform = true;
	}
	if (nvcpus == 0 || !vcpus) {
		snprintf(L.err, L.errlen, "launch needs at least one vCPU");
		return -EINVAL;
	}
	int r = -ENOMEM;
	L.ld = EVP_MD_CTX_new();
	if (!L.ld || EVP_DigestInit_ex(L.ld, EVP_sha256(), NULL) != 1) {
		snprintf(L.err, L.errlen, "cannot start SHA-256");
		goto out;
	}
	if (c->dump_dir) {
		r = sev_dump_open(&L.dump, c->dump_dir, L.err, L.errlen);
		if (r)
			goto out;
	}
	r = launch_steps(&L, mem, regions, vcpus, nvcpus);
	if (L.dump.index) {
		char why[256];
		int r2 = sev_dump_close(&L.dump, res->have_ld ? res->ld : NULL, why, sizeof(why));
		if (!r && r2) {
			snprintf(L.err, L.errlen, "%s", why);
			r = r2;
		}
	}
out:
	EVP_MD_CTX_free(L.ld);
	return r;
}

void sev_launch_result_free(struct sev_launch_result *r)
{
	free(r->blobs);
	r->blobs = NULL;
	r->nblobs = 0;
}
