// SPDX-License-Identifier: MIT
/* The software SEV firmware: published MEASURE vector, state machine, status codes. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "tests/unit/epyc_reset_state.h"
#include "sev/firmware_model.h"
#include "sev/vmsa.h"

static void unhex(const char *s, uint8_t *out, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		unsigned v;
		assert_int_equal(sscanf(s + 2 * i, "%2x", &v), 1);
		out[i] = (uint8_t)v;
	}
}

/* virtee/sev session::initialized::verify (reference/sev-es.md 3.1). */
static void test_published_measure_vector(void **st)
{
	uint8_t tik[16], ld[32], mnonce[16], want[32], got[32];
	unhex("66320db73158a35a255d051758e95ed4", tik, 16);
	unhex("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855", ld, 32);
	unhex("4fbe0bedbad6c86ae8f68971d103e554", mnonce, 16);
	unhex("6faab2daae389bcd3405a05d6cafe33c0414f7bedd0bae19ba5f38b7fd1664ea", want, 32);
	assert_int_equal(sev_measure_hmac(tik, 0x00, 0x12, 0x0f, 0, ld, mnonce, got), 0);
	assert_memory_equal(got, want, 32);
	got[0] ^= 1;
	/* Every input counts: one policy bit changes the result. */
	assert_int_equal(sev_measure_hmac(tik, 0x00, 0x12, 0x0f, 1, ld, mnonce, got), 0);
	assert_memory_not_equal(got, want, 32);
}

static struct sev_model *model_with(const char *tik_hex, const char *mnonce_hex)
{
	struct sev_model_config c;
	struct sev_model *m = NULL;
	sev_model_config_default(&c);
	if (tik_hex) {
		c.have_tik = true;
		unhex(tik_hex, c.tik, 16);
	}
	if (mnonce_hex) {
		c.have_mnonce = true;
		unhex(mnonce_hex, c.mnonce, 16);
	}
	assert_int_equal(sev_model_new(&m, &c), 0);
	return m;
}

/* The EPYC reset VMSA of sev-snp-measure (test_sev_vmsa.c checks its SHA-256). */
static void epyc_reset_vmsa(uint8_t page[VMSA_PAGE_SIZE])
{
	struct cpu_state s;
	epyc_reset_state(&s, 0x10);
	struct vmsa_options o;
	vmsa_options_default(&o);
	assert_int_equal(vmsa_build(&s, &o, page, NULL, 0), 0);
}

/* sev-es.md 3.2: 4096 zero bytes + EPYC BSP VMSA, TIK 00..0f, API 1.55 build 21, policy 5. */
static void test_model_end_to_end_vector(void **st)
{
	struct sev_model *m =
	    model_with("000102030405060708090a0b0c0d0e0f", "101112131415161718191a1b1c1d1e1f");
	static uint8_t zero[4096];
	uint8_t page[VMSA_PAGE_SIZE], meas[32], nonce[16], ld[32], want[32];
	uint32_t fw = 99;
	epyc_reset_vmsa(page);
	assert_int_equal(sev_model_launch_start(m, 0x5, &fw), 0);
	assert_int_equal(fw, SEV_FW_SUCCESS);
	/* Split in two calls: the digest is a stream, so the split must not matter. */
	assert_int_equal(sev_model_update_data(m, 0x1000, zero, 1024, &fw), 0);
	assert_int_equal(sev_model_update_data(m, 0x1400, zero, 3072, &fw), 0);
	assert_int_equal(sev_model_vcpu_state_writable(m), 0);
	assert_int_equal(sev_model_ld(m, ld), -EAGAIN);
	assert_int_equal(sev_model_update_vmsa(m, 0x2000, page, VMSA_PAGE_SIZE, &fw), 0);
	assert_int_equal(sev_model_vcpu_state_writable(m), -EINVAL);
	assert_int_equal(sev_model_measure(m, meas, nonce, &fw), 0);
	assert_int_equal(sev_model_state(m), SEV_GSTATE_LSECRET);
	assert_int_equal(sev_model_ld(m, ld), 0);
	unhex("fe66e7716252b84cec501d689cbb931af1842ffb0a5f933ef57f83cb09214520", want, 32);
	assert_memory_equal(ld, want, 32);
	unhex("4ea5e38cc24085a404d0f1081067f44f643ae49f8705f230b5839cd53b8fa3ac", want, 32);
	assert_memory_equal(meas, want, 32);
	unhex("101112131415161718191a1b1c1d1e1f", want, 16);
	assert_memory_equal(nonce, want, 16);
	assert_int_equal(sev_model_finish(m, &fw), 0);
	assert_int_equal(sev_model_state(m), SEV_GSTATE_RUNNING);
	sev_model_free(m);
}

/* The call runs first, then its status is read (argument order is unspecified). */
#define expect_fw(call, fwv, want)                                                                 \
	do {                                                                                       \
		int r_ = (call);                                                                   \
		assert_int_equal(r_, -EIO);                                                        \
		assert_int_equal((fwv), (want));                                                   \
	} while (0)

static void test_out_of_order(void **st)
{
	struct sev_model *m = model_with(NULL, NULL);
	uint8_t buf[4096] = {0}, meas[32], nonce[16];
	uint32_t fw;
	struct sev_model_secret sec = {
	    .guest_addr = 0x10000, .guest_len = 64, .hdr_len = 52, .trans_len = 64};

	/* No guest yet: everything but LAUNCH_START is out of order. */
	expect_fw(sev_model_update_data(m, 0, buf, 16, &fw), fw, SEV_FW_INVALID_GUEST_STATE);
	expect_fw(sev_model_update_vmsa(m, 0, buf, 4096, &fw), fw, SEV_FW_INVALID_GUEST_STATE);
	expect_fw(sev_model_measure(m, meas, nonce, &fw), fw, SEV_FW_INVALID_GUEST_STATE);
	expect_fw(sev_model_finish(m, &fw), fw, SEV_FW_INVALID_GUEST_STATE);
	assert_int_equal(sev_model_state(m), SEV_GSTATE_UNINIT);

	assert_int_equal(sev_model_launch_start(m, 0x5, &fw), 0);
	expect_fw(sev_model_launch_start(m, 0x5, &fw), fw, SEV_FW_INVALID_GUEST_STATE);
	/* LUPDATE: SECRET and FINISH need MEASURE first. */
	expect_fw(sev_model_launch_secret(m, &sec, &fw), fw, SEV_FW_INVALID_GUEST_STATE);
	expect_fw(sev_model_finish(m, &fw), fw, SEV_FW_INVALID_GUEST_STATE);
	assert_int_equal(sev_model_update_data(m, 0, buf, 4096, &fw), 0);
	assert_int_equal(sev_model_measure(m, meas, nonce, &fw), 0);
	/* LSECRET: no more data, VMSAs or measurements. */
	expect_fw(sev_model_update_data(m, 0, buf, 16, &fw), fw, SEV_FW_INVALID_GUEST_STATE);
	expect_fw(sev_model_update_vmsa(m, 0, buf, 4096, &fw), fw, SEV_FW_INVALID_GUEST_STATE);
	expect_fw(sev_model_measure(m, meas, nonce, &fw), fw, SEV_FW_INVALID_GUEST_STATE);
	assert_int_equal(sev_model_launch_secret(m, &sec, &fw), 0);
	const struct sev_model_secret *v;
	assert_int_equal(sev_model_secrets(m, &v), 1);
	assert_int_equal(v[0].guest_addr, 0x10000);
	assert_int_equal(sev_model_finish(m, &fw), 0);
	/* RUNNING: the launch is over. */
	expect_fw(sev_model_launch_secret(m, &sec, &fw), fw, SEV_FW_INVALID_GUEST_STATE);
	expect_fw(sev_model_finish(m, &fw), fw, SEV_FW_INVALID_GUEST_STATE);
	expect_fw(sev_model_update_data(m, 0, buf, 16, &fw), fw, SEV_FW_INVALID_GUEST_STATE);
	sev_model_free(m);
}

static void test_bad_arguments(void **st)
{
	struct sev_model *m = model_with(NULL, NULL);
	uint8_t buf[4096] = {0};
	uint32_t fw;
	expect_fw(sev_model_launch_start(m, 0x1, &fw), fw, SEV_FW_POLICY_FAILURE);  /* no ES */
	expect_fw(sev_model_launch_start(m, 0x45, &fw), fw, SEV_FW_POLICY_FAILURE); /* bit 6 */
	assert_int_equal(sev_model_state(m), SEV_GSTATE_UNINIT);
	assert_int_equal(sev_model_launch_start(m, 0x37, &fw), 0);
	assert_int_equal(sev_model_policy(m), 0x37);
	expect_fw(sev_model_update_data(m, 8, buf, 16, &fw), fw, SEV_FW_INVALID_ADDRESS);
	expect_fw(sev_model_update_data(m, 0, buf, 0, &fw), fw, SEV_FW_INVALID_LEN);
	expect_fw(sev_model_update_data(m, 0, buf, 17, &fw), fw, SEV_FW_INVALID_LEN);
	expect_fw(sev_model_update_vmsa(m, 0x800, buf, 4096, &fw), fw, SEV_FW_INVALID_ADDRESS);
	expect_fw(sev_model_update_vmsa(m, 0, buf, 2048, &fw), fw, SEV_FW_INVALID_LEN);
	assert_int_equal(sev_model_vcpu_state_writable(m), 0); /* failed VMSA froze nothing */
	sev_model_free(m);
}

static void test_random_tik_and_mnonce(void **st)
{
	struct sev_model *a = model_with(NULL, NULL), *b = model_with(NULL, NULL);
	uint8_t ta[16], tb[16], ma[32], mb[32], na[16], nb[16], buf[16] = {0}, chk[32], ld[32];
	uint32_t fw;
	uint8_t maj, min, build;
	sev_model_tik(a, ta);
	sev_model_tik(b, tb);
	assert_memory_not_equal(ta, tb, 16);
	sev_model_platform(a, &maj, &min, &build);
	assert_int_equal(maj, SEV_MODEL_API_MAJOR);
	assert_int_equal(min, SEV_MODEL_API_MINOR);
	assert_int_equal(build, SEV_MODEL_BUILD);
	struct sev_model *ms[2] = {a, b};
	for (int i = 0; i < 2; i++) {
		assert_int_equal(sev_model_launch_start(ms[i], 5, &fw), 0);
		assert_int_equal(sev_model_update_data(ms[i], 0, buf, 16, &fw), 0);
	}
	assert_int_equal(sev_model_measure(a, ma, na, &fw), 0);
	assert_int_equal(sev_model_measure(b, mb, nb, &fw), 0);
	assert_memory_not_equal(na, nb, 16);
	/* MEASURE is reproducible from the exported TIK, the nonce and LD. */
	assert_int_equal(sev_model_ld(a, ld), 0);
	assert_int_equal(sev_measure_hmac(ta, maj, min, build, 5, ld, na, chk), 0);
	assert_memory_equal(chk, ma, 32);
	sev_model_free(a);
	sev_model_free(b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_published_measure_vector),
	    cmocka_unit_test(test_model_end_to_end_vector),
	    cmocka_unit_test(test_out_of_order),
	    cmocka_unit_test(test_bad_arguments),
	    cmocka_unit_test(test_random_tik_and_mnonce),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
