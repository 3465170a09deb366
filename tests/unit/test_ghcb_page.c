// SPDX-License-Identifier: MIT
/* GHCB page protocol: locating the page, validation, and the non-I/O events. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <errno.h>
#include <string.h>

#include "tests/unit/test_ghcb_fixture.h"

/* The guest's page after a served request: results marked valid, nothing else. */
static void assert_returned_bitmap(const struct ghcb *g)
{
	struct ghcb want;
	memset(&want, 0, sizeof(want));
	ghcb_set_valid(&want, GHCB_OFF(sw_exit_info_1));
	ghcb_set_valid(&want, GHCB_OFF(sw_exit_info_2));
	ghcb_set_valid(&want, GHCB_OFF(rax));
	ghcb_set_valid(&want, GHCB_OFF(rbx));
	ghcb_set_valid(&want, GHCB_OFF(rcx));
	ghcb_set_valid(&want, GHCB_OFF(rdx));
	assert_memory_equal(g->save.valid_bitmap, want.save.valid_bitmap, 16);
}

static void assert_error(struct fx *f, unsigned reason)
{
	struct ghcb *g = fx_ghcb(f);
	assert_int_equal(f->res.outcome, GHCB_OUT_RESUME);
	assert_int_equal(g->save.sw_exit_info_1, GHCB_RESULT_ERROR);
	assert_int_equal(g->save.sw_exit_info_2, reason);
	assert_non_null(f->res.note);
	assert_returned_bitmap(g);
}

static void assert_ok(struct fx *f)
{
	struct ghcb *g = fx_ghcb(f);
	assert_int_equal(f->res.outcome, GHCB_OUT_RESUME);
	assert_int_equal(g->save.sw_exit_info_1, GHCB_RESULT_OK);
	assert_null(f->res.note);
	assert_returned_bitmap(g);
}

static void cpuid_event_returns_four_registers(void **state)
{
	struct fx *f = *state;
	struct ghcb *g = fx_request(f, GHCB_EXIT_CPUID, 0, 0);
	FX_SET(g, rax, 0xffffffff00000007ull); /* KVM uses the low 32 bits */
	FX_SET(g, rcx, 1);
	FX_SET(g, rbx, 0x5555); /* overwritten */
	fx_vmgexit(f);
	assert_ok(f);
	assert_int_equal(f->dev.cpuid_fn, 7);
	assert_int_equal(f->dev.cpuid_idx, 1);
	assert_int_equal(g->save.rax, 7u ^ 0xa0000000u);
	assert_int_equal(g->save.rbx, 1u ^ 0xb0000000u);
	assert_int_equal(g->save.rcx, 0xc0c0c0c0u);
	assert_int_equal(g->save.rdx, 1u ^ 0xd0000000u);
	assert_int_equal(g->save.sw_exit_info_2, 0);
	assert_int_equal(f->res.exit_code, GHCB_EXIT_CPUID);
}

static void cpuid_leaf_0xd_needs_xcr0_and_keeps_it(void **state)
{
	struct fx *f = *state;
	struct ghcb *g = fx_request(f, GHCB_EXIT_CPUID, 0, 0);
	FX_SET(g, rax, 0xd);
	FX_SET(g, rcx, 0);
	fx_vmgexit(f);
	assert_error(f, GHCB_ERR_MISSING_INPUT);
	assert_int_equal(f->dev.cpuid_calls, 0);

	g = fx_request(f, GHCB_EXIT_CPUID, 0, 0);
	FX_SET(g, rax, 0xd);
	FX_SET(g, rcx, 0);
	FX_SET(g, xcr0, 7);
	fx_vmgexit(f);
	assert_ok(f);
	assert_int_equal(f->dev.cpuid_xcr0, 7);

	/* Like KVM's arch.xcr0, the value stays for later requests. */
	g = fx_request(f, GHCB_EXIT_CPUID, 0, 0);
	FX_SET(g, rax, 1);
	FX_SET(g, rcx, 0);
	fx_vmgexit(f);
	assert_int_equal(f->dev.cpuid_xcr0, 7);
}

static void cpuid_without_rcx_is_missing_input(void **state)
{
	struct fx *f = *state;
	struct ghcb *g = fx_request(f, GHCB_EXIT_CPUID, 0, 0);
	FX_SET(g, rax, 1);
	fx_vmgexit(f);
	assert_error(f, GHCB_ERR_MISSING_INPUT);
	/* Registers not supplied come back as 0, as from KVM's zeroed arch.regs. */
	assert_int_equal(g->save.rax, 1);
	assert_int_equal(g->save.rcx, 0);
}

static void cpuid_callback_failure_is_a_vmm_error(void **state)
{
	struct fx *f = *state;
	struct ghcb *g = fx_request(f, GHCB_EXIT_CPUID, 0, 0);
	FX_SET(g, rax, 1);
	FX_SET(g, rcx, 0);
	f->dev.cpuid_fail = true;
	assert_int_equal(fx_vmgexit(f), GHCB_OUT_VMM_ERROR);
	assert_int_equal(f->res.err, -EINVAL);
}

static void msr_read_returns_edx_eax(void **state)
{
	struct fx *f = *state;
	struct ghcb *g = fx_request(f, GHCB_EXIT_MSR, 0, 0);
	FX_SET(g, rcx, FX_MSR_READABLE);
	fx_vmgexit(f);
	assert_ok(f);
	assert_false(f->dev.msr_write);
	assert_int_equal(g->save.rax, 0x55667788);
	assert_int_equal(g->save.rdx, 0x11223344);
}

static void msr_write_combines_edx_eax(void **state)
{
	struct fx *f = *state;
	struct ghcb *g = fx_request(f, GHCB_EXIT_MSR, 1, 0);
	FX_SET(g, rcx, 0x1234);
	FX_SET(g, rax, 0xffffffffaabbccddull);
	FX_SET(g, rdx, 0x01020304);
	fx_vmgexit(f);
	assert_ok(f);
	assert_true(f->dev.msr_write);
	assert_int_equal(f->dev.msr_idx, 0x1234);
	assert_int_equal(f->dev.msr_written, 0x01020304aabbccddull);
}

static void msr_write_without_rdx_is_missing_input(void **state)
{
	struct fx *f = *state;
	struct ghcb *g = fx_request(f, GHCB_EXIT_MSR, 1, 0);
	FX_SET(g, rcx, 0x1234);
	FX_SET(g, rax, 1);
	fx_vmgexit(f);
	assert_error(f, GHCB_ERR_MISSING_INPUT);
	assert_int_equal(f->dev.msr_calls, 0);
}

static void refused_msr_is_a_gp(void **state)
{
	struct fx *f = *state;
	struct ghcb *g = fx_request(f, GHCB_EXIT_MSR, 0, 0);
	FX_SET(g, rcx, FX_MSR_REFUSED);
	assert_int_equal(fx_vmgexit(f), GHCB_OUT_RESUME);
	assert_int_equal(g->save.sw_exit_info_1, GHCB_RESULT_EXCEPTION);
	assert_int_equal(g->save.sw_exit_info_2, 0x8000030du);
}

static void nmi_complete_and_cache_events_succeed(void **state)
{
	struct fx *f = *state;
	const uint64_t codes[] = {GHCB_EXIT_NMI_COMPLETE, GHCB_EXIT_WBINVD, GHCB_EXIT_INVD,
	                          GHCB_EXIT_READ_DR7};
	for (size_t i = 0; i < sizeof(codes) / sizeof(codes[0]); i++) {
		fx_request(f, codes[i], 0, 0);
		fx_vmgexit(f);
		assert_ok(f);
	}
}

static void events_not_emulated_are_invalid_event(void **state)
{
	struct fx *f = *state;
	struct ghcb *g = fx_request(f, GHCB_EXIT_RDTSC, 0, 0);
	fx_vmgexit(f);
	assert_error(f, GHCB_ERR_INVALID_EVENT);
	/* Required inputs are still checked first, as KVM does. */
	g = fx_request(f, GHCB_EXIT_VMMCALL, 0, 0);
	FX_SET(g, rax, 0);
	fx_vmgexit(f);
	assert_error(f, GHCB_ERR_MISSING_INPUT);
}

static void ap_hlt_loop_parks_and_sipi_sets_info2(void **state)
{
	struct fx *f = *state;
	struct ghcb *g = fx_request(f, GHCB_EXIT_AP_HLT_LOOP, 0, 0);
	g->save.sw_exit_info_2 = 77;
	assert_int_equal(fx_vmgexit(f), GHCB_OUT_PARK_RESET_HOLD);
	assert_int_equal(g->save.sw_exit_info_1, 0);
	assert_int_equal(g->save.sw_exit_info_2, 0);
	assert_int_equal(ghcb_reset_hold_release(&f->env, &f->v, true), 0);
	assert_int_equal(g->save.sw_exit_info_2, 1);

	fx_request(f, GHCB_EXIT_AP_HLT_LOOP, 0, 0);
	assert_int_equal(fx_vmgexit(f), GHCB_OUT_PARK_RESET_HOLD);
	assert_int_equal(ghcb_reset_hold_release(&f->env, &f->v, false), 0);
	assert_int_equal(g->save.sw_exit_info_2, 0);
}

static void ap_jump_table_is_kept_per_vm(void **state)
{
	struct fx *f = *state;
	struct ghcb_vcpu other;
	struct ghcb *g = fx_request(f, GHCB_EXIT_AP_JUMP_TABLE, GHCB_AP_JUMP_TABLE_GET, 0);
	fx_vmgexit(f);
	assert_ok(f);
	assert_int_equal(g->save.sw_exit_info_2, 0); /* starts at 0, like KVM */

	fx_request(f, GHCB_EXIT_AP_JUMP_TABLE, GHCB_AP_JUMP_TABLE_SET, 0x9a000);
	fx_vmgexit(f);
	assert_ok(f);
	assert_int_equal(f->env.ap_jump_table_gpa, 0x9a000);

	/* Another vCPU reads what this one set. */
	ghcb_vcpu_init(&other, &f->env, &f->dev);
	g = fx_request(f, GHCB_EXIT_AP_JUMP_TABLE, GHCB_AP_JUMP_TABLE_GET, 0);
	ghcb_msr_write(&other, FX_GHCB_GPA);
	ghcb_service_vmgexit(&f->env, &other, &f->res);
	assert_int_equal(g->save.sw_exit_info_1, 0);
	assert_int_equal(g->save.sw_exit_info_2, 0x9a000);

	fx_request(f, GHCB_EXIT_AP_JUMP_TABLE, 2, 0x1000);
	fx_vmgexit(f);
	assert_error(f, GHCB_ERR_INVALID_INPUT);
	assert_int_equal(f->env.ap_jump_table_gpa, 0x9a000);
}

static void hv_features_event_returns_0x3(void **state)
{
	struct fx *f = *state;
	struct ghcb *g = fx_request(f, GHCB_EXIT_HV_FEATURES, 0, 0);
	fx_vmgexit(f);
	assert_ok(f);
	assert_int_equal(g->save.sw_exit_info_2, 3);
}

static void term_request_event_ends_the_run(void **state)
{
	struct fx *f = *state;
	fx_request(f, GHCB_EXIT_TERM_REQUEST, 0x23u << 4 | 1u, 0);
	assert_int_equal(fx_vmgexit(f), GHCB_OUT_TERMINATE);
	assert_true(f->res.guest_requested);
	assert_int_equal(f->res.reason_set, 1);
	assert_int_equal(f->res.reason_code, 0x23);
	assert_int_equal(f->res.term_data, FX_GHCB_GPA);
}

static void unsupported_event_ends_the_run(void **state)
{
	struct fx *f = *state;
	fx_request(f, GHCB_EXIT_UNSUPPORTED, 0x29, 0x1234);
	assert_int_equal(fx_vmgexit(f), GHCB_OUT_UNSUPPORTED);
	assert_int_equal(f->res.info1, 0x29);
	assert_int_equal(f->res.info2, 0x1234);
}

static void snp_events_get_missing_input(void **state)
{
	struct fx *f = *state;
	const uint64_t codes[] = {GHCB_EXIT_SNP_PSC, GHCB_EXIT_GUEST_REQUEST,
	                          GHCB_EXIT_EXT_GUEST_REQUEST, GHCB_EXIT_AP_CREATION};
	for (size_t i = 0; i < sizeof(codes) / sizeof(codes[0]); i++) {
		struct ghcb *g = fx_request(f, codes[i], 0x1000, 0x2000);
		FX_SET(g, rax, 0);
		FX_SET(g, sw_scratch, FX_GHCB_GPA + 0x800);
		fx_vmgexit(f);
		assert_error(f, GHCB_ERR_MISSING_INPUT);
	}
}

static void unknown_exit_codes_are_invalid_event(void **state)
{
	struct fx *f = *state;
	const uint64_t codes[] = {0,          0x1234,     0x100000072ull, 0x80000006,
	                          0x8000fffc, 0xf0000000, UINT64_MAX};
	for (size_t i = 0; i < sizeof(codes) / sizeof(codes[0]); i++) {
		fx_request(f, codes[i], 0, 0);
		fx_vmgexit(f);
		assert_error(f, GHCB_ERR_INVALID_EVENT);
	}
}

static void nonzero_usage_is_invalid_usage(void **state)
{
	struct fx *f = *state;
	struct ghcb *g = fx_request(f, GHCB_EXIT_HV_FEATURES, 0, 0);
	g->ghcb_usage = 1;
	fx_vmgexit(f);
	assert_error(f, GHCB_ERR_INVALID_USAGE);
}

static void exit_code_and_infos_must_be_valid(void **state)
{
	struct fx *f = *state;
	const size_t offs[] = {GHCB_OFF(sw_exit_code), GHCB_OFF(sw_exit_info_1),
	                       GHCB_OFF(sw_exit_info_2)};
	for (size_t i = 0; i < 3; i++) {
		struct ghcb *g = fx_request(f, GHCB_EXIT_HV_FEATURES, 0, 0);
		unsigned bit = ghcb_valid_bit(offs[i]);
		g->save.valid_bitmap[bit / 8] &= (uint8_t) ~(1u << (bit % 8));
		fx_vmgexit(f);
		assert_error(f, GHCB_ERR_MISSING_INPUT);
	}
}

static void ghcb_gpa_zero_or_outside_ram_is_ignored(void **state)
{
	struct fx *f = *state;
	const uint64_t gpas[] = {0, FX_RAM, 0x40000000, 0xfffffffffffff000ull,
	                         (1ull << 52) | FX_GHCB_GPA};
	for (size_t i = 0; i < sizeof(gpas) / sizeof(gpas[0]); i++) {
		struct ghcb *g = fx_request(f, GHCB_EXIT_HV_FEATURES, 0, 0);
		assert_int_equal(fx_vmgexit_at(f, gpas[i]), GHCB_OUT_RESUME);
		assert_non_null(f->res.note);
		/* Nothing was written to the (unrelated) page at FX_GHCB_GPA. */
		assert_int_equal(g->save.sw_exit_info_2, 0);
		assert_true(ghcb_is_valid(g, GHCB_OFF(sw_exit_code)));
	}
}

static void ghcb_gpa_with_cbit_and_last_ram_page_are_served(void **state)
{
	struct fx *f = *state;
	struct ghcb *g = fx_request(f, GHCB_EXIT_HV_FEATURES, 0, 0);
	fx_vmgexit_at(f, FX_GHCB_GPA | 1ull << FX_CBIT);
	assert_ok(f);
	assert_int_equal(g->save.sw_exit_info_2, 3);

	struct ghcb *last = (struct ghcb *)fx_ram(f, FX_RAM - 4096, 4096);
	memcpy(last, fx_request(f, GHCB_EXIT_HV_FEATURES, 0, 0), 4096);
	fx_vmgexit_at(f, FX_RAM - 4096);
	assert_int_equal(last->save.sw_exit_info_2, 3);
}

static void page_is_read_once_even_if_guest_rewrites_it(void **state)
{
	struct fx *f = *state;
	struct ghcb *g = fx_request(f, GHCB_EXIT_MSR, 1, 0);
	FX_SET(g, rcx, 0x1234);
	FX_SET(g, rax, 0xaabbccdd);
	FX_SET(g, rdx, 0x01020304);
	f->dev.scribble = (uint8_t *)g;
	f->dev.scribble_len = GHCB_OFF(valid_bitmap) + 16;
	fx_vmgexit(f);
	assert_int_equal(f->dev.msr_written, 0x01020304aabbccddull);
	assert_int_equal(g->save.sw_exit_info_1, 0);
	assert_returned_bitmap(g);
}

static void missing_callbacks_fail_cleanly(void **state)
{
	struct fx *f = *state;
	struct ghcb *g;

	f->env.ops = NULL;
	g = fx_request(f, GHCB_EXIT_CPUID, 0, 0);
	FX_SET(g, rax, 1);
	FX_SET(g, rcx, 0);
	assert_int_equal(fx_vmgexit(f), GHCB_OUT_VMM_ERROR);
	assert_int_equal(f->res.err, -ENOSYS);

	g = fx_request(f, GHCB_EXIT_MSR, 0, 0);
	FX_SET(g, rcx, FX_MSR_READABLE);
	assert_int_equal(fx_vmgexit(f), GHCB_OUT_RESUME);
	assert_int_equal(g->save.sw_exit_info_1, GHCB_RESULT_EXCEPTION);

	assert_int_equal(fx_vmgexit_at(f, ghcb_msr_cpuid_req(1, 0)), GHCB_OUT_RESUME);
	assert_int_equal(ghcb_msr_read(&f->v), ghcb_msr_cpuid_req(1, 0));
}

static void hold_release_checks_the_page_is_still_ram(void **state)
{
	struct fx *f = *state;
	f->v.hold = GHCB_HOLD_NAE;
	f->v.hold_ghcb_gpa = FX_RAM;
	assert_int_equal(ghcb_reset_hold_release(&f->env, &f->v, true), -EFAULT);
	assert_int_equal(f->v.hold, GHCB_HOLD_NONE);
}

#define T(fn) cmocka_unit_test_setup_teardown(fn, fx_setup, fx_teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
	    T(cpuid_event_returns_four_registers),
	    T(cpuid_leaf_0xd_needs_xcr0_and_keeps_it),
	    T(cpuid_without_rcx_is_missing_input),
	    T(cpuid_callback_failure_is_a_vmm_error),
	    T(msr_read_returns_edx_eax),
	    T(msr_write_combines_edx_eax),
	    T(msr_write_without_rdx_is_missing_input),
	    T(refused_msr_is_a_gp),
	    T(nmi_complete_and_cache_events_succeed),
	    T(events_not_emulated_are_invalid_event),
	    T(ap_hlt_loop_parks_and_sipi_sets_info2),
	    T(ap_jump_table_is_kept_per_vm),
	    T(hv_features_event_returns_0x3),
	    T(term_request_event_ends_the_run),
	    T(unsupported_event_ends_the_run),
	    T(snp_events_get_missing_input),
	    T(unknown_exit_codes_are_invalid_event),
	    T(nonzero_usage_is_invalid_usage),
	    T(exit_code_and_infos_must_be_valid),
	    T(ghcb_gpa_zero_or_outside_ram_is_ignored),
	    T(ghcb_gpa_with_cbit_and_last_ram_page_are_served),
	    T(page_is_read_once_even_if_guest_rewrites_it),
	    T(missing_callbacks_fail_cleanly),
	    T(hold_release_checks_the_page_is_still_ram),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
