// SPDX-License-Identifier: MIT
#include "sev/firmware_model.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/params.h>
#include <openssl/rand.h>

#include "sev/vmsa.h"

struct sev_model {
	struct sev_model_config cfg;
	enum sev_guest_state state;
	bool started;   /* LAUNCH_START has run: a guest (handle) exists */
	bool vmsa_done; /* LAUNCH_UPDATE_VMSA has run: vCPU state is frozen */
	uint32_t policy;
	EVP_MD_CTX *ld; /* the running launch digest */
	uint8_t ld_final[SEV_DIGEST_LEN];
	bool have_ld;
	struct sev_model_secret *secrets;
	size_t nsecrets;
};

void sev_model_config_default(struct sev_model_config *c)
{
	memset(c, 0, sizeof(*c));
	c->api_major = SEV_MODEL_API_MAJOR;
	c->api_minor = SEV_MODEL_API_MINOR;
	c->build = SEV_MODEL_BUILD;
}

int sev_model_new(struct sev_model **out, const struct sev_model_config *c)
{
	struct sev_model *m = calloc(1, sizeof(*m));
	if (!m)
		return -ENOMEM;
	m->cfg = *c;
	if (!m->cfg.have_tik && RAND_bytes(m->cfg.tik, SEV_TIK_LEN) != 1)
		goto fail;
	m->ld = EVP_MD_CTX_new();
	if (!m->ld || EVP_DigestInit_ex(m->ld, EVP_sha256(), NULL) != 1)
		goto fail;
	m->state = SEV_GSTATE_UNINIT;
	*out = m;
	return 0;
fail:
	sev_model_free(m);
	return -ENOMEM;
}

void sev_model_free(struct sev_model *m)
{
	if (!m)
		return;
	EVP_MD_CTX_free(m->ld);
	free(m->secrets);
	OPENSSL_cleanse(m, sizeof(*m)); /* the TIK */
	free(m);
}

static int fw_fail(uint32_t *fw_err, uint32_t code)
{
	*fw_err = code;
	return -EIO;
}

/* The firmware checks the guest's state before anything else (SEV API 55766 6.1.1). */
static int need_state(const struct sev_model *m, enum sev_guest_state want, uint32_t *fw_err)
{
	if (!m->started || m->state != want)
		return fw_fail(fw_err, SEV_FW_INVALID_GUEST_STATE);
	*fw_err = SEV_FW_SUCCESS;
	return 0;
}

int sev_model_launch_start(struct sev_model *m, uint32_t policy, uint32_t *fw_err)
{
	if (m->started)
		return fw_fail(fw_err, SEV_FW_INVALID_GUEST_STATE);
	/* This is an SEV-ES launch: a policy without ES, or with reserved bits, is refused. */
	if (!(policy & SEV_POLICY_ES) || (policy & SEV_POLICY_RESERVED))
		return fw_fail(fw_err, SEV_FW_POLICY_FAILURE);
	m->started = true;
	m->policy = policy;
	m->state = SEV_GSTATE_LUPDATE;
	*fw_err = SEV_FW_SUCCESS;
	return 0;
}

int sev_model_update_data(struct sev_model *m, uint64_t addr, const void *data, uint64_t len,
                          uint32_t *fw_err)
{
	int r = need_state(m, SEV_GSTATE_LUPDATE, fw_err);
	if (r)
		return r;
	if (addr % 16)
		return fw_fail(fw_err, SEV_FW_INVALID_ADDRESS);
	if (len == 0 || len % 16)
		return fw_fail(fw_err, SEV_FW_INVALID_LEN);
	if (!data)
		return fw_fail(fw_err, SEV_FW_INVALID_PARAM);
	if (EVP_DigestUpdate(m->ld, data, len) != 1)
		return -ENOMEM;
	return 0;
}

int sev_model_update_vmsa(struct sev_model *m, uint64_t addr, const uint8_t *page, uint32_t len,
                          uint32_t *fw_err)
{
	int r = need_state(m, SEV_GSTATE_LUPDATE, fw_err);
	if (r)
		return r;
	if (addr % VMSA_PAGE_SIZE)
		return fw_fail(fw_err, SEV_FW_INVALID_ADDRESS);
	if (len != VMSA_PAGE_SIZE)
		return fw_fail(fw_err, SEV_FW_INVALID_LEN);
	if (!page)
		return fw_fail(fw_err, SEV_FW_INVALID_PARAM);
	if (EVP_DigestUpdate(m->ld, page, len) != 1)
		return -ENOMEM;
	m->vmsa_done = true;
	return 0;
}

int sev_measure_hmac(const uint8_t tik[SEV_TIK_LEN], uint8_t api_major, uint8_t api_minor,
                     uint8_t build, uint32_t policy, const uint8_t ld[SEV_DIGEST_LEN],
                     const uint8_t mnonce[SEV_MNONCE_LEN], uint8_t out[SEV_DIGEST_LEN])
{
	uint8_t msg[56];
	msg[0] = 0x04; /* the MEASURE context byte */
	msg[1] = api_major;
	msg[2] = api_minor;
	msg[3] = build;
	for (int i = 0; i < 4; i++)
		msg[4 + i] = (uint8_t)(policy >> (8 * i));
	memcpy(msg + 8, ld, SEV_DIGEST_LEN);
	memcpy(msg + 40, mnonce, SEV_MNONCE_LEN);

	int r = -EIO;
	size_t outlen = 0;
	EVP_MAC *mac = EVP_MAC_fetch(NULL, "HMAC", NULL);
	EVP_MAC_CTX *ctx = mac ? EVP_MAC_CTX_new(mac) : NULL;
	OSSL_PARAM params[] = {
	    OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST, (char *)"SHA256", 0),
	    OSSL_PARAM_construct_end(),
	};
	if (!ctx || EVP_MAC_init(ctx, tik, SEV_TIK_LEN, params) != 1)
		goto out;
	if (EVP_MAC_update(ctx, msg, sizeof(msg)) != 1)
		goto out;
	if (EVP_MAC_final(ctx, out, &outlen, SEV_DIGEST_LEN) != 1 || outlen != SEV_DIGEST_LEN)
		goto out;
	r = 0;
out:
	EVP_MAC_CTX_free(ctx);
	EVP_MAC_free(mac);
	return r;
}

int sev_model_measure(struct sev_model *m, uint8_t measure[SEV_DIGEST_LEN],
                      uint8_t mnonce[SEV_MNONCE_LEN], uint32_t *fw_err)
{
	int r = need_state(m, SEV_GSTATE_LUPDATE, fw_err);
	if (r)
		return r;
	unsigned int n = 0;
	if (EVP_DigestFinal_ex(m->ld, m->ld_final, &n) != 1 || n != SEV_DIGEST_LEN)
		return -EIO;
	m->have_ld = true;
	if (m->cfg.have_mnonce)
		memcpy(mnonce, m->cfg.mnonce, SEV_MNONCE_LEN);
	else if (RAND_bytes(mnonce, SEV_MNONCE_LEN) != 1)
		return -EIO;
	r = sev_measure_hmac(m->cfg.tik, m->cfg.api_major, m->cfg.api_minor, m->cfg.build,
	                     m->policy, m->ld_final, mnonce, measure);
	if (r)
		return r;
	m->state = SEV_GSTATE_LSECRET;
	return 0;
}

int sev_model_launch_secret(struct sev_model *m, const struct sev_model_secret *s, uint32_t *fw_err)
{
	int r = need_state(m, SEV_GSTATE_LSECRET, fw_err);
	if (r)
		return r;
	if (s->guest_len == 0 || s->trans_len == 0 || s->guest_len % 16)
		return fw_fail(fw_err, SEV_FW_INVALID_LEN);
	if (s->guest_addr % 16)
		return fw_fail(fw_err, SEV_FW_INVALID_ADDRESS);
	struct sev_model_secret *v = realloc(m->secrets, (m->nsecrets + 1) * sizeof(*v));
	if (!v)
		return -ENOMEM;
	m->secrets = v;
	m->secrets[m->nsecrets++] = *s;
	return 0;
}

int sev_model_finish(struct sev_model *m, uint32_t *fw_err)
{
	int r = need_state(m, SEV_GSTATE_LSECRET, fw_err);
	if (r)
		return r;
	m->state = SEV_GSTATE_RUNNING;
	return 0;
}

enum sev_guest_state sev_model_state(const struct sev_model *m) { return m->state; }

uint32_t sev_model_policy(const struct sev_model *m) { return m->policy; }

void sev_model_platform(const struct sev_model *m, uint8_t *api_major, uint8_t *api_minor,
                        uint8_t *build)
{
	*api_major = m->cfg.api_major;
	*api_minor = m->cfg.api_minor;
	*build = m->cfg.build;
}

void sev_model_tik(const struct sev_model *m, uint8_t tik[SEV_TIK_LEN])
{
	memcpy(tik, m->cfg.tik, SEV_TIK_LEN);
}

int sev_model_ld(const struct sev_model *m, uint8_t ld[SEV_DIGEST_LEN])
{
	if (!m->have_ld)
		return -EAGAIN;
	memcpy(ld, m->ld_final, SEV_DIGEST_LEN);
	return 0;
}

size_t sev_model_secrets(const struct sev_model *m, const struct sev_model_secret **v)
{
	*v = m->secrets;
	return m->nsecrets;
}

int sev_model_vcpu_state_writable(const struct sev_model *m) { return m->vmsa_done ? -EINVAL : 0; }
