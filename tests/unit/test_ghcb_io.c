// SPDX-License-Identifier: MIT
/* GHCB IOIO and MMIO events, and every rule of the scratch area. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <errno.h>
#include <string.h>

#include "tests/unit/test_ghcb_fixture.h"

#define SHARED (FX_GHCB_GPA + GHCB_SHARED_BUF_OFFSET)

static void assert_result(struct fx *f, uint64_t info1, uint64_t info2)
{
	struct ghcb *g = fx_ghcb(f);
	assert_int_equal(f->res.outcome, GHCB_OUT_RESUME);
	assert_int_equal(g->save.sw_exit_info_1, info1);
	assert_int_equal(g->save.sw_exit_info_2, info2);
}

static struct ghcb *io_request(struct fx *f, uint16_t port, unsigned size, uint32_t flags,
                               uint64_t count)
{
	return fx_request(f, GHCB_EXIT_IOIO, ghcb_ioio_info(port, size, flags), count);
}

static void out_sends_low_bytes_of_rax(void **state)
{
	struct fx *f = *state;
	const unsigned sizes[] = {1, 2, 4};
	for (int i = 0; i < 3; i++) {
		struct ghcb *g = io_request(f, 0x3f8, sizes[i], GHCB_IOIO_A16, 0);
		FX_SET(g, rax, 0x8877665544332211ull);
		f->dev.io_out_len = 0;
		fx_vmgexit(f);
		assert_result(f, 0, 0);
		assert_int_equal(f->dev.io_port, 0x3f8);
		assert_int_equal(f->dev.io_size, sizes[i]);
		assert_true(f->dev.io_write);
		assert_int_equal(f->dev.io_out_len, sizes[i]);
		assert_memory_equal(f->dev.io_out, "\x11\x22\x33\x44", sizes[i]);
	}
}

static void in_merges_small_sizes_and_zero_extends_four(void **state)
{
	struct fx *f = *state;
	struct ghcb *g = io_request(f, 0x60, 2, GHCB_IOIO_IN, 0);
	FX_SET(g, rax, 0xffffffffffffffffull);
	f->dev.io_in_next = 0x10;
	fx_vmgexit(f);
	assert_result(f, 0, 0);
	assert_int_equal(g->save.rax, 0xffffffffffff1110ull);

	g = io_request(f, 0x60, 4, GHCB_IOIO_IN, 0);
	FX_SET(g, rax, 0xffffffffffffffffull);
	fx_vmgexit(f);
	assert_int_equal(g->save.rax, 0x15141312ull);

	/* An IN needs no RAX: it comes back as the value read. */
	g = io_request(f, 0x60, 1, GHCB_IOIO_IN, 0);
	fx_vmgexit(f);
	assert_result(f, 0, 0);
	assert_int_equal(g->save.rax, 0x16);
}

static void out_without_rax_is_missing_input(void **state)
{
	struct fx *f = *state;
	io_request(f, 0x3f8, 1, 0, 0);
	fx_vmgexit(f);
	assert_result(f, GHCB_RESULT_ERROR, GHCB_ERR_MISSING_INPUT);
	assert_int_equal(f->dev.io_calls, 0);
}

static void bad_io_sizes_are_invalid_input(void **state)
{
	struct fx *f = *state;
	const unsigned sizes[] = {0, 3, 5, 6, 7};
	for (int i = 0; i < 5; i++) {
		struct ghcb *g = io_request(f, 0x3f8, sizes[i], 0, 0);
		FX_SET(g, rax, 0);
		fx_vmgexit(f);
		assert_result(f, GHCB_RESULT_ERROR, GHCB_ERR_INVALID_INPUT);
	}
	assert_int_equal(f->dev.io_calls, 0);
}

static void io_callback_failure_is_a_vmm_error(void **state)
{
	struct fx *f = *state;
	struct ghcb *g = io_request(f, FX_PORT_FAIL, 1, 0, 0);
	FX_SET(g, rax, 0);
	assert_int_equal(fx_vmgexit(f), GHCB_OUT_VMM_ERROR);
	assert_int_equal(f->res.err, -ENODEV);
}

static void string_out_reads_the_shared_buffer_once(void **state)
{
	struct fx *f = *state;
	struct ghcb *g = io_request(f, 0xe9, 2, GHCB_IOIO_STR | GHCB_IOIO_REP, 3);
	FX_SET(g, sw_scratch, SHARED + 8);
	memcpy(g->shared_buffer + 8, "abcdef", 6);
	/* The guest rewrites the buffer while the VMM works: the copy is what counts. */
	f->dev.scribble = g->shared_buffer;
	f->dev.scribble_len = 64;
	fx_vmgexit(f);
	assert_result(f, 0, 0);
	assert_int_equal(f->dev.io_calls, 3);
	assert_int_equal(f->dev.io_out_len, 6);
	assert_memory_equal(f->dev.io_out, "abcdef", 6);
}

static void string_in_fills_the_shared_buffer(void **state)
{
	struct fx *f = *state;
	struct ghcb *g = io_request(f, 0x60, 1, GHCB_IOIO_STR | GHCB_IOIO_IN, 4);
	FX_SET(g, sw_scratch, SHARED);
	memset(g->shared_buffer, 0x77, 8);
	f->dev.io_in_next = 0x41;
	fx_vmgexit(f);
	assert_result(f, 0, 0);
	assert_memory_equal(g->shared_buffer, "ABCD\x77\x77", 6);
}

static void string_in_to_a_ram_buffer_with_cbit(void **state)
{
	struct fx *f = *state;
	f->env.max_version = 1; /* a scratch area outside the GHCB: version 1 only */
	struct ghcb *g = io_request(f, 0x60, 4, GHCB_IOIO_STR | GHCB_IOIO_IN, 2);
	uint8_t *buf = fx_ram(f, FX_SCRATCH_GPA, 16);
	FX_SET(g, sw_scratch, FX_SCRATCH_GPA | 1ull << FX_CBIT);
	memset(buf, 0x77, 16);
	f->dev.io_in_next = 1;
	fx_vmgexit(f);
	assert_result(f, 0, 0);
	assert_memory_equal(buf, "\x01\x02\x03\x04\x05\x06\x07\x08\x77", 9);
}

static void string_io_with_zero_count_does_nothing(void **state)
{
	struct fx *f = *state;
	struct ghcb *g = io_request(f, 0x60, 1, GHCB_IOIO_STR, 0);
	FX_SET(g, sw_scratch, SHARED);
	fx_vmgexit(f);
	assert_result(f, 0, 0);
	assert_int_equal(f->dev.io_calls, 0);
}

static void string_io_needs_a_valid_scratch(void **state)
{
	struct fx *f = *state;
	struct ghcb *g = io_request(f, 0x60, 1, GHCB_IOIO_STR, 1);
	g->save.sw_scratch = SHARED; /* not marked valid */
	fx_vmgexit(f);
	assert_result(f, GHCB_RESULT_ERROR, GHCB_ERR_MISSING_INPUT);
}

/* One bad scratch area for a 1-byte-element string OUT of `count` elements. */
static void expect_bad_scratch(struct fx *f, uint64_t scratch, uint64_t count, unsigned reason)
{
	struct ghcb *g = io_request(f, 0xe9, 1, GHCB_IOIO_STR, count);
	FX_SET(g, sw_scratch, scratch);
	fx_vmgexit(f);
	assert_result(f, GHCB_RESULT_ERROR, reason);
	assert_int_equal(f->dev.io_calls, 0);
}

static void bad_scratch_areas_are_refused(void **state)
{
	struct fx *f = *state;
	const unsigned bad = GHCB_ERR_INVALID_SCRATCH_AREA;
	expect_bad_scratch(f, 0, 1, bad);                          /* not provided */
	expect_bad_scratch(f, FX_GHCB_GPA + 0x100, 1, bad);        /* save area */
	expect_bad_scratch(f, SHARED - 1, 1, bad);                 /* before buffer */
	expect_bad_scratch(f, SHARED + 2000, 33, bad);             /* past 0xff0 */
	expect_bad_scratch(f, FX_GHCB_GPA + 0xff0, 1, bad);        /* reserved tail */
	expect_bad_scratch(f, FX_RAM - 8, 9, bad);                 /* leaves RAM */
	expect_bad_scratch(f, 0x80000000ull, 1, bad);              /* not RAM */
	expect_bad_scratch(f, FX_SCRATCH_GPA, 16 * 4096 + 1, bad); /* > 16 pages */
	expect_bad_scratch(f, UINT64_MAX - 4, 16, bad);            /* wraps */
	expect_bad_scratch(f, FX_SCRATCH_GPA, 0x80000000ull, GHCB_ERR_INVALID_INPUT);
	expect_bad_scratch(f, FX_SCRATCH_GPA, UINT64_MAX, GHCB_ERR_INVALID_INPUT);
}

static void largest_scratch_areas_are_accepted(void **state)
{
	struct fx *f = *state;
	struct ghcb *g = io_request(f, 0xe9, 1, GHCB_IOIO_STR, GHCB_SHARED_BUF_SIZE);
	FX_SET(g, sw_scratch, SHARED);
	fx_vmgexit(f);
	assert_result(f, 0, 0);
	assert_int_equal(f->dev.io_calls, GHCB_SHARED_BUF_SIZE);

	f->env.max_version = 1;
	g = io_request(f, 0xe9, 4, GHCB_IOIO_STR, 4 * 4096);
	FX_SET(g, sw_scratch, FX_SCRATCH_GPA);
	fx_vmgexit(f);
	assert_result(f, 0, 0);
}

/* GHCB v2 (db3f2195d293): the scratch area must lie in the GHCB's shared buffer. */
static void v2_scratch_must_lie_in_the_ghcb(void **state)
{
	struct fx *f = *state;
	struct ghcb *g = io_request(f, 0xe9, 1, GHCB_IOIO_STR, 4);
	FX_SET(g, sw_scratch, FX_SCRATCH_GPA);
	fx_vmgexit(f);
	assert_result(f, GHCB_RESULT_ERROR, GHCB_ERR_INVALID_SCRATCH_AREA);
	assert_int_equal(f->dev.io_calls, 0);
	g = fx_request(f, GHCB_EXIT_MMIO_WRITE, FX_MMIO_BASE + 0x100, 4);
	FX_SET(g, sw_scratch, FX_SCRATCH_GPA);
	fx_vmgexit(f);
	assert_result(f, GHCB_RESULT_ERROR, GHCB_ERR_INVALID_SCRATCH_AREA);
	assert_int_equal(f->dev.mmio_calls, 0);
}

/* GHCB v2 (dcf1b2d4b056): MMIO longer than 8 bytes is INVALID_INPUT; 8 is served. */
static void v2_mmio_is_at_most_eight_bytes(void **state)
{
	struct fx *f = *state;
	struct ghcb *g = fx_request(f, GHCB_EXIT_MMIO_READ, FX_MMIO_BASE + 0x10, 9);
	FX_SET(g, sw_scratch, SHARED);
	fx_vmgexit(f);
	assert_result(f, GHCB_RESULT_ERROR, GHCB_ERR_INVALID_INPUT);
	assert_int_equal(f->dev.mmio_calls, 0);
	g = fx_request(f, GHCB_EXIT_MMIO_READ, FX_MMIO_BASE + 0x10, 8);
	FX_SET(g, sw_scratch, SHARED);
	fx_vmgexit(f);
	assert_result(f, 0, 0);
	assert_int_equal(f->dev.mmio_calls, 1);
}

/* MMIO of length 0 succeeds doing nothing (1aa8a6dc7dac), in every version and profile. */
static void mmio_of_length_zero_does_nothing(void **state)
{
	struct fx *f = *state;
	for (unsigned ver = 1; ver <= 2; ver++) {
		f->env.max_version = ver;
		f->env.kvm = ver == 1 ? GHCB_KVM_BEFORE_6_10 : GHCB_KVM_CURRENT;
		struct ghcb *g = fx_request(f, GHCB_EXIT_MMIO_WRITE, FX_MMIO_BASE, 0);
		FX_SET(g, sw_scratch, SHARED);
		fx_vmgexit(f);
		assert_result(f, 0, 0);
		assert_int_equal(f->dev.mmio_calls, 0);
	}
}

static void mmio_read_fills_scratch_in_pieces_of_eight(void **state)
{
	struct fx *f = *state;
	f->env.max_version = 1; /* longer than 8 bytes: version 1 only */
	struct ghcb *g = fx_request(f, GHCB_EXIT_MMIO_READ, FX_MMIO_BASE + 0x10, 12);
	for (int i = 0; i < 16; i++)
		f->dev.mmio[0x10 + i] = (uint8_t)(0xa0 + i);
	FX_SET(g, sw_scratch, SHARED);
	fx_vmgexit(f);
	assert_result(f, 0, 0);
	assert_int_equal(f->dev.mmio_calls, 2);
	assert_int_equal(f->dev.mmio_max_len, 8);
	assert_memory_equal(g->shared_buffer, "\xa0\xa1\xa2\xa3\xa4\xa5\xa6\xa7\xa8\xa9\xaa\xab",
	                    12);
	assert_int_equal(g->shared_buffer[12], 0);
}

static void mmio_write_from_ram_scratch_with_cbit_gpa(void **state)
{
	struct fx *f = *state;
	f->env.max_version = 1;
	struct ghcb *g =
	    fx_request(f, GHCB_EXIT_MMIO_WRITE, (FX_MMIO_BASE + 0x100) | 1ull << FX_CBIT, 4);
	memcpy(fx_ram(f, FX_SCRATCH_GPA, 4), "\x01\x02\x03\x04", 4);
	FX_SET(g, sw_scratch, FX_SCRATCH_GPA);
	fx_vmgexit(f);
	assert_result(f, 0, 0);
	assert_memory_equal(f->dev.mmio + 0x100, "\x01\x02\x03\x04", 4);
}

static void mmio_errors(void **state)
{
	struct fx *f = *state;
	struct ghcb *g = fx_request(f, GHCB_EXIT_MMIO_READ, FX_MMIO_BASE, 4);
	fx_vmgexit(f);
	assert_result(f, GHCB_RESULT_ERROR, GHCB_ERR_MISSING_INPUT); /* no scratch */

	f->env.max_version = 1; /* longer than the shared buffer: v2 refuses it as > 8 bytes */
	g = fx_request(f, GHCB_EXIT_MMIO_READ, FX_MMIO_BASE, GHCB_SHARED_BUF_SIZE + 1);
	FX_SET(g, sw_scratch, SHARED);
	fx_vmgexit(f);
	assert_result(f, GHCB_RESULT_ERROR, GHCB_ERR_INVALID_SCRATCH_AREA);

	g = fx_request(f, GHCB_EXIT_MMIO_WRITE, FX_MMIO_BASE, UINT64_MAX - 0x1000);
	FX_SET(g, sw_scratch, SHARED);
	fx_vmgexit(f);
	assert_result(f, GHCB_RESULT_ERROR, GHCB_ERR_INVALID_INPUT); /* wraps */
	assert_int_equal(f->dev.mmio_calls, 0);

	g = fx_request(f, GHCB_EXIT_MMIO_READ, 0x1000, 4); /* the fake has no device there */
	FX_SET(g, sw_scratch, SHARED);
	assert_int_equal(fx_vmgexit(f), GHCB_OUT_VMM_ERROR);
	assert_int_equal(f->res.err, -EFAULT);
	assert_int_equal(g->shared_buffer[0], 0); /* nothing copied back */
}

#define T(fn) cmocka_unit_test_setup_teardown(fn, fx_setup, fx_teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
	    T(out_sends_low_bytes_of_rax),
	    T(in_merges_small_sizes_and_zero_extends_four),
	    T(out_without_rax_is_missing_input),
	    T(bad_io_sizes_are_invalid_input),
	    T(io_callback_failure_is_a_vmm_error),
	    T(string_out_reads_the_shared_buffer_once),
	    T(string_in_fills_the_shared_buffer),
	    T(string_in_to_a_ram_buffer_with_cbit),
	    T(string_io_with_zero_count_does_nothing),
	    T(string_io_needs_a_valid_scratch),
	    T(bad_scratch_areas_are_refused),
	    T(largest_scratch_areas_are_accepted),
	    T(v2_scratch_must_lie_in_the_ghcb),
	    T(v2_mmio_is_at_most_eight_bytes),
	    T(mmio_of_length_zero_does_nothing),
	    T(mmio_read_fills_scratch_in_pieces_of_eight),
	    T(mmio_write_from_ram_scratch_with_cbit_gpa),
	    T(mmio_errors),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
