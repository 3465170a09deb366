// SPDX-License-Identifier: MIT
/* The model backend: the launch commands go to the software firmware (firmware_model.c). */
#include "sev/backend.h"

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int model_err(const char *step, int r, uint32_t fw, char *err, size_t errlen)
{
	if (r == -EIO)
		snprintf(err, errlen, "%s failed: firmware error 0x%x %s", step, fw,
		         sev_fw_status_name(fw));
	else
		snprintf(err, errlen, "%s failed: %s", step, strerror(-r));
	return r;
}

static int model_start(struct sev_backend *b, uint32_t policy, const struct sev_blob *dh_cert,
                       const struct sev_blob *session, char *err, size_t errlen)
{
	uint32_t fw = 0;
	/* The model has no PDH: DH certificate and session are accepted and not used. */
	int r = sev_model_launch_start(b->ctx, policy, &fw);
	return r ? model_err("LAUNCH_START", r, fw, err, errlen) : 0;
}

static int model_update_data(struct sev_backend *b, gpa_t gpa, void *host, uint64_t len, char *err,
                             size_t errlen)
{
	uint32_t fw = 0;
	int r = sev_model_update_data(b->ctx, gpa, host, len, &fw);
	return r ? model_err("LAUNCH_UPDATE_DATA", r, fw, err, errlen) : 0;
}

static int model_update_vmsa(struct sev_backend *b, const struct cpu_state *states, size_t n,
                             char *err, size_t errlen)
{
	uint32_t fw = 0;
	int r = 0;
	/* A page-aligned buffer stands in for the VMSA page KVM allocates per vCPU. */
	uint8_t *page = aligned_alloc(VMSA_PAGE_SIZE, VMSA_PAGE_SIZE);
	if (!page)
		return model_err("LAUNCH_UPDATE_VMSA", -ENOMEM, 0, err, errlen);
	for (size_t i = 0; i < n && !r; i++) {
		char why[160];
		r = vmsa_build(&states[i], &b->vmsa, page, why, sizeof(why));
		if (r) {
			snprintf(err, errlen, "LAUNCH_UPDATE_VMSA: vCPU %zu: %s", i, why);
			break;
		}
		r = sev_model_update_vmsa(b->ctx, (uintptr_t)page, page, VMSA_PAGE_SIZE, &fw);
		if (r)
			model_err("LAUNCH_UPDATE_VMSA", r, fw, err, errlen);
	}
	free(page);
	return r;
}

static int model_measure(struct sev_backend *b, uint8_t measure[SEV_DIGEST_LEN],
                         uint8_t mnonce[SEV_MNONCE_LEN], char *err, size_t errlen)
{
	uint32_t fw = 0;
	int r = sev_model_measure(b->ctx, measure, mnonce, &fw);
	return r ? model_err("LAUNCH_MEASURE", r, fw, err, errlen) : 0;
}

static int model_secret(struct sev_backend *b, const struct sev_secret *s, char *err, size_t errlen)
{
	uint32_t fw = 0;
	if (s->header.len > UINT32_MAX || s->trans.len > UINT32_MAX)
		return model_err("LAUNCH_SECRET", -EINVAL, 0, err, errlen);
	struct sev_model_secret ms = {
	    .guest_addr = s->guest_gpa,
	    .guest_len = s->guest_len,
	    .hdr_len = (uint32_t)s->header.len,
	    .trans_len = (uint32_t)s->trans.len,
	};
	int r = sev_model_launch_secret(b->ctx, &ms, &fw);
	return r ? model_err("LAUNCH_SECRET", r, fw, err, errlen) : 0;
}

static int model_finish(struct sev_backend *b, char *err, size_t errlen)
{
	uint32_t fw = 0;
	int r = sev_model_finish(b->ctx, &fw);
	return r ? model_err("LAUNCH_FINISH", r, fw, err, errlen) : 0;
}

static int model_writable(const struct sev_backend *b)
{
	return sev_model_vcpu_state_writable(b->ctx);
}

static int model_ld(const struct sev_backend *b, uint8_t ld[SEV_DIGEST_LEN])
{
	return sev_model_ld(b->ctx, ld);
}

static void model_platform(const struct sev_backend *b, uint8_t *api_major, uint8_t *api_minor,
                           uint8_t *build)
{
	sev_model_platform(b->ctx, api_major, api_minor, build);
}

static const struct sev_backend_ops model_ops = {
    .name = "model",
    .launch_start = model_start,
    .update_data = model_update_data,
    .update_vmsa = model_update_vmsa,
    .measure = model_measure,
    .secret = model_secret,
    .finish = model_finish,
    .vcpu_state_writable = model_writable,
    .launch_digest = model_ld,
    .platform = model_platform,
};

void sev_backend_model(struct sev_backend *b, struct sev_model *m, const struct vmsa_options *o)
{
	memset(b, 0, sizeof(*b));
	b->ops = &model_ops;
	b->ctx = m;
	b->vmsa = *o;
}
