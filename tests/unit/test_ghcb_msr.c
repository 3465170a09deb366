// SPDX-License-Identifier: MIT
/* GHCB MSR protocol, the ABI header helpers, and the CPUID/C-bit helpers. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <errno.h>
#include <string.h>

#include "tests/unit/test_ghcb_fixture.h"

static void initial_msr_is_sev_info_with_cbit(void **state)
{
	struct fx *f = *state;
	struct ghcb_vcpu v1;
	struct ghcb_env legacy = f->env;

	assert_int_equal(ghcb_msr_read(&f->v), 0x0002000133000001ull);
	legacy.max_version = 1;
	ghcb_vcpu_init(&v1, &legacy, NULL);
	assert_int_equal(ghcb_msr_read(&v1), 0x0001000133000001ull);
}

static void sev_info_request_answers_versions_and_cbit(void **state)
{
	struct fx *f = *state;
	f->env.cbit = 47;
	assert_int_equal(fx_vmgexit_at(f, GHCB_MSR_SEV_INFO_REQ), GHCB_OUT_RESUME);
	uint64_t m = ghcb_msr_read(&f->v);
	assert_int_equal(ghcb_msr_info(m), GHCB_MSR_SEV_INFO_RESP);
	assert_int_equal(ghcb_msr_sev_info_max(m), 2);
	assert_int_equal(ghcb_msr_sev_info_min(m), 1);
	assert_int_equal(ghcb_msr_sev_info_cbit(m), 47);
	assert_null(f->res.note);
}

static void cpuid_request_returns_each_register(void **state)
{
	struct fx *f = *state;
	for (unsigned reg = 0; reg < 4; reg++) {
		uint64_t req = ghcb_msr_cpuid_req(0x8000001f, reg);
		assert_int_equal(fx_vmgexit_at(f, req), GHCB_OUT_RESUME);
		uint64_t m = ghcb_msr_read(&f->v);
		uint32_t want[4] = {0x8000001f ^ 0xa0000000u, 0xb0000000u, 0xc0c0c0c0u,
		                    1u ^ 0xd0000000u};
		assert_int_equal(ghcb_msr_info(m), GHCB_MSR_CPUID_RESP);
		assert_int_equal(ghcb_msr_cpuid_value(m), want[reg]);
		/* Bits 31:12 (the register select) are kept, as KVM keeps them. */
		assert_int_equal(m & 0xfffff000ull, req & 0xfffff000ull);
		assert_int_equal(f->dev.cpuid_fn, 0x8000001f);
		assert_int_equal(f->dev.cpuid_idx, 0);
	}
}

static void cpuid_request_failure_leaves_msr_unchanged(void **state)
{
	struct fx *f = *state;
	uint64_t req = ghcb_msr_cpuid_req(1, GHCB_CPUID_EBX);
	f->dev.cpuid_fail = true;
	assert_int_equal(fx_vmgexit_at(f, req), GHCB_OUT_RESUME);
	assert_int_equal(ghcb_msr_read(&f->v), req);
	assert_non_null(f->res.note);
}

static void ap_reset_hold_parks_and_release_sets_result(void **state)
{
	struct fx *f = *state;
	assert_int_equal(fx_vmgexit_at(f, GHCB_MSR_AP_RESET_HOLD_REQ), GHCB_OUT_PARK_RESET_HOLD);
	assert_int_equal(ghcb_msr_read(&f->v), 0x007);
	assert_int_equal(ghcb_reset_hold_release(&f->env, &f->v, false), 0);
	assert_int_equal(ghcb_msr_read(&f->v), 0x007); /* spurious wake: result 0 */

	assert_int_equal(fx_vmgexit_at(f, GHCB_MSR_AP_RESET_HOLD_REQ), GHCB_OUT_PARK_RESET_HOLD);
	assert_int_equal(ghcb_reset_hold_release(&f->env, &f->v, true), 0);
	assert_int_equal(ghcb_msr_read(&f->v), 0x1007);
	assert_int_equal(ghcb_msr_ap_reset_hold_result(ghcb_msr_read(&f->v)), 1);
	/* Not in a hold any more. */
	assert_int_equal(ghcb_reset_hold_release(&f->env, &f->v, true), -EINVAL);
}

static void hv_features_answers_snp_bits_like_kvm(void **state)
{
	struct fx *f = *state;
	assert_int_equal(fx_vmgexit_at(f, GHCB_MSR_HV_FT_REQ), GHCB_OUT_RESUME);
	assert_int_equal(ghcb_msr_read(&f->v), 0x3081);
	assert_int_equal(ghcb_msr_hv_ft(ghcb_msr_read(&f->v)), GHCB_HV_FT_KVM);
}

static void termination_request_reports_reason(void **state)
{
	struct fx *f = *state;
	uint64_t req = ghcb_msr_term_req(GHCB_TERM_SET_LINUX, 0x2a);
	assert_int_equal(req, 0x2a1100ull);
	assert_int_equal(fx_vmgexit_at(f, req), GHCB_OUT_TERMINATE);
	assert_true(f->res.guest_requested);
	assert_int_equal(f->res.reason_set, 1);
	assert_int_equal(f->res.reason_code, 0x2a);
	assert_int_equal(f->res.term_data, req);
}

/*
 * KVM before 6.10 (--sev-init legacy in emulated mode): no AP reset hold and no hypervisor
 * features through the MSR protocol (the MSR stays as written), no HV_FEATURES or TERM_REQUEST
 * events (INVALID_EVENT); SEV_INFO offers version 1 only.
 */
static void kvm_before_6_10_lacks_the_v2_requests(void **state)
{
	struct fx *f = *state;
	f->env.max_version = 1;
	f->env.kvm = GHCB_KVM_BEFORE_6_10;
	assert_int_equal(fx_vmgexit_at(f, GHCB_MSR_AP_RESET_HOLD_REQ), GHCB_OUT_RESUME);
	assert_int_equal(ghcb_msr_read(&f->v), GHCB_MSR_AP_RESET_HOLD_REQ);
	assert_int_equal(f->v.hold, GHCB_HOLD_NONE);
	assert_int_equal(fx_vmgexit_at(f, GHCB_MSR_HV_FT_REQ), GHCB_OUT_RESUME);
	assert_int_equal(ghcb_msr_read(&f->v), GHCB_MSR_HV_FT_REQ);
	assert_int_equal(fx_vmgexit_at(f, GHCB_MSR_SEV_INFO_REQ), GHCB_OUT_RESUME);
	assert_int_equal(ghcb_msr_sev_info_max(ghcb_msr_read(&f->v)), 1);
	const uint64_t events[] = {GHCB_EXIT_HV_FEATURES, GHCB_EXIT_TERM_REQUEST};
	for (int i = 0; i < 2; i++) {
		struct ghcb *g = fx_request(f, events[i], 0, 0);
		assert_int_equal(fx_vmgexit(f), GHCB_OUT_RESUME);
		assert_int_equal(g->save.sw_exit_info_1, GHCB_RESULT_ERROR);
		assert_int_equal(g->save.sw_exit_info_2, GHCB_ERR_INVALID_EVENT);
	}
	/* The version 1 way to wait still parks. */
	fx_request(f, GHCB_EXIT_AP_HLT_LOOP, 0, 0);
	assert_int_equal(fx_vmgexit(f), GHCB_OUT_PARK_RESET_HOLD);
	assert_string_equal(ghcb_kvm_profile_name(f->env.kvm), "kvm-before-6.10");
}

/*
 * The AP stub's version 1 wait (docs/smp.md "How an idle AP waits") as KVM before 6.10 serves
 * it: AP_HLT_LOOP through the page parks (kvm_emulate_ap_reset_hold); the GHCB MSR keeps the
 * page's GPA; a later SIPI writes sw_exit_info_2 = 1 into that page
 * (sev_vcpu_deliver_sipi_vector), a spurious wake leaves the 0 the hold began with.
 */
static void kvm_before_6_10_serves_the_stubs_ap_hlt_loop(void **state)
{
	struct fx *f = *state;
	f->env.max_version = 1;
	f->env.kvm = GHCB_KVM_BEFORE_6_10;
	struct ghcb *g = fx_request(f, GHCB_EXIT_AP_HLT_LOOP, 0, 0);
	g->protocol_version = 1;
	assert_int_equal(fx_vmgexit(f), GHCB_OUT_PARK_RESET_HOLD);
	assert_null(f->res.note);
	assert_int_equal(f->v.hold, GHCB_HOLD_NAE);
	assert_int_equal(f->v.hold_ghcb_gpa, FX_GHCB_GPA);
	assert_int_equal(ghcb_msr_read(&f->v), FX_GHCB_GPA);
	assert_int_equal(g->save.sw_exit_info_1, 0);
	assert_int_equal(g->save.sw_exit_info_2, 0);
	assert_int_equal(ghcb_reset_hold_release(&f->env, &f->v, true), 0);
	assert_int_equal(g->save.sw_exit_info_2, 1);
	assert_int_equal(f->v.hold, GHCB_HOLD_NONE);
	assert_int_equal(ghcb_msr_read(&f->v), FX_GHCB_GPA);
	assert_int_equal(ghcb_reset_hold_release(&f->env, &f->v, true), -EINVAL);

	/* The stub rewrites the whole request each time; a spurious wake answers 0. */
	g = fx_request(f, GHCB_EXIT_AP_HLT_LOOP, 0, 0);
	g->protocol_version = 1;
	assert_int_equal(fx_vmgexit(f), GHCB_OUT_PARK_RESET_HOLD);
	assert_int_equal(ghcb_reset_hold_release(&f->env, &f->v, false), 0);
	assert_int_equal(g->save.sw_exit_info_2, 0);
}

static void snp_only_msr_requests_terminate(void **state)
{
	struct fx *f = *state;
	const uint64_t reqs[] = {GHCB_MSR_PREF_GPA_REQ, 0x1234000ull | GHCB_MSR_REG_GPA_REQ,
	                         (2ull << 52) | 0x5000ull | GHCB_MSR_PSC_REQ};
	for (size_t i = 0; i < sizeof(reqs) / sizeof(reqs[0]); i++) {
		assert_int_equal(fx_vmgexit_at(f, reqs[i]), GHCB_OUT_TERMINATE);
		assert_false(f->res.guest_requested);
		assert_int_equal(f->res.term_data, reqs[i]);
		assert_non_null(f->res.note);
	}
}

static void unknown_requests_and_unaligned_gpas_leave_msr_unchanged(void **state)
{
	struct fx *f = *state;
	/* A "GHCB GPA" with low bits set is an MSR-protocol request by definition. */
	const uint64_t reqs[] = {
	    GHCB_MSR_SEV_INFO_RESP, 0x003, GHCB_MSR_CPUID_RESP, 0x011, 0xfff, FX_GHCB_GPA | 0x8,
	    FX_GHCB_GPA + 0x800};
	for (size_t i = 0; i < sizeof(reqs) / sizeof(reqs[0]); i++) {
		assert_int_equal(fx_vmgexit_at(f, reqs[i]), GHCB_OUT_RESUME);
		assert_int_equal(ghcb_msr_read(&f->v), reqs[i]);
		assert_non_null(f->res.note);
	}
	assert_int_equal(f->dev.cpuid_calls + f->dev.io_calls + f->dev.msr_calls, 0);
}

static void header_helpers_encode_and_decode(void **state)
{
	struct ghcb g;
	const uint8_t vmgexit[4] = {0xf3, 0x0f, 0x01, 0xd9}, vmmcall[4] = {0x0f, 0x01, 0xd9, 0};

	memset(&g, 0, sizeof(g));
	assert_int_equal(ghcb_valid_bit(GHCB_OFF(rax)), 63);
	assert_int_equal(ghcb_valid_bit(GHCB_OFF(sw_exit_code)), 114);
	ghcb_set_valid(&g, GHCB_OFF(rax));
	assert_int_equal(g.save.valid_bitmap[7], 0x80);
	assert_true(ghcb_is_valid(&g, GHCB_OFF(rax)));
	assert_false(ghcb_is_valid(&g, GHCB_OFF(rbx)));
	ghcb_clear_valid(&g);
	assert_false(ghcb_is_valid(&g, GHCB_OFF(rax)));

	assert_int_equal(ghcb_msr_cpuid_req(0xd, GHCB_CPUID_EDX), 0x0000000dc0000004ull);
	assert_int_equal(ghcb_ioio_info(0x3f8, 1, GHCB_IOIO_IN), 0x03f80011ull);
	assert_int_equal(ghcb_ioio_port(0x03f80041ull), 0x3f8);
	assert_int_equal(ghcb_ioio_size(0x03f80041ull), 4);
	assert_int_equal(ghcb_term_info_set(0x235), 5);
	assert_int_equal(ghcb_term_info_code(0x235), 0x23);
	assert_true(ghcb_is_vmgexit(vmgexit));
	assert_false(ghcb_is_vmgexit(vmmcall));
	assert_int_equal(GHCB_EVENT_GP, 0x8000030du);
}

static void cpuid_patch_reports_sev_es_and_cbit(void **state)
{
	uint32_t max[4] = {0x80000008, 1, 2, 3}, big[4] = {0x80000021, 0, 0, 0};
	uint32_t sev[4] = {0x1, 0xffffffc0, 0, 0}, addr[4] = {0x3027, 0, 0, 0};
	uint32_t wide[4] = {0x3034, 0, 0, 0}, other[4] = {5, 6, 7, 8};

	ghcb_cpuid_patch(51, 0x80000000, max);
	assert_int_equal(max[0], 0x8000001f);
	assert_int_equal(max[1], 1);
	ghcb_cpuid_patch(51, 0x80000000, big);
	assert_int_equal(big[0], 0x80000021);
	ghcb_cpuid_patch(51, 0x8000001f, sev);
	assert_int_equal(sev[0], 0x1 | 0x2 | 0x8);
	assert_int_equal(sev[1], 0xffffffc0 | 51);
	ghcb_cpuid_patch(51, 0x80000008, addr);
	assert_int_equal(addr[0], 0x3034); /* 39 bits -> 52, linear bits kept */
	ghcb_cpuid_patch(47, 0x80000008, wide);
	assert_int_equal(wide[0], 0x3034); /* already wide enough */
	ghcb_cpuid_patch(51, 1, other);
	assert_int_equal(other[0], 5);
	assert_int_equal(other[3], 8);
}

static void strip_cbit_clears_only_the_cbit(void **state)
{
	struct fx *f = *state;
	assert_int_equal(ghcb_strip_cbit(&f->env, (1ull << 51) | 0x1000), 0x1000);
	assert_int_equal(ghcb_strip_cbit(&f->env, (1ull << 52) | 0x1000), (1ull << 52) | 0x1000);
	assert_int_equal(ghcb_strip_cbit(&f->env, 0x1000), 0x1000);
}

static void outcome_names_are_distinct(void **state)
{
	for (int a = GHCB_OUT_RESUME; a <= GHCB_OUT_VMM_ERROR; a++)
		for (int b = a + 1; b <= GHCB_OUT_VMM_ERROR; b++)
			assert_string_not_equal(ghcb_outcome_name(a), ghcb_outcome_name(b));
}

#define T(fn) cmocka_unit_test_setup_teardown(fn, fx_setup, fx_teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
	    T(initial_msr_is_sev_info_with_cbit),
	    T(sev_info_request_answers_versions_and_cbit),
	    T(cpuid_request_returns_each_register),
	    T(cpuid_request_failure_leaves_msr_unchanged),
	    T(ap_reset_hold_parks_and_release_sets_result),
	    T(hv_features_answers_snp_bits_like_kvm),
	    T(termination_request_reports_reason),
	    T(kvm_before_6_10_lacks_the_v2_requests),
	    T(kvm_before_6_10_serves_the_stubs_ap_hlt_loop),
	    T(snp_only_msr_requests_terminate),
	    T(unknown_requests_and_unaligned_gpas_leave_msr_unchanged),
	    T(header_helpers_encode_and_decode),
	    T(cpuid_patch_reports_sev_es_and_cbit),
	    T(strip_cbit_clears_only_the_cbit),
	    T(outcome_names_are_distinct),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
