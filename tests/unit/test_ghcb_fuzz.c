// SPDX-License-Identifier: MIT
/*
 * Randomized garbage for the GHCB service (fixed seed, so a failure reproduces): thousands of
 * random GHCB pages and MSR values. Every call must end with a defined outcome, a served page
 * must carry a defined result, and memory the request cannot name must stay untouched. The
 * build compiles the service into this test with ASan/UBSan, so a stray access fails it too.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <string.h>

#include "tests/unit/test_ghcb_fixture.h"

#define ROUNDS 50000
#define CANARY_GPA 0x300000ull /* no generated GPA or scratch area reaches this page */

static uint64_t rng = 0x9e3779b97f4a7c15ull;

static uint64_t rnd(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return rng;
}

#define PICK(a) ((a)[rnd() % (sizeof(a) / sizeof((a)[0]))])

static const uint64_t codes[] = {
    GHCB_EXIT_READ_DR7,
    GHCB_EXIT_WRITE_DR7,
    GHCB_EXIT_RDTSC,
    GHCB_EXIT_RDPMC,
    GHCB_EXIT_CPUID,
    GHCB_EXIT_INVD,
    GHCB_EXIT_IOIO,
    GHCB_EXIT_IOIO,
    GHCB_EXIT_IOIO,
    GHCB_EXIT_MSR,
    GHCB_EXIT_VMMCALL,
    GHCB_EXIT_RDTSCP,
    GHCB_EXIT_WBINVD,
    GHCB_EXIT_MONITOR,
    GHCB_EXIT_MWAIT,
    GHCB_EXIT_MMIO_READ,
    GHCB_EXIT_MMIO_WRITE,
    GHCB_EXIT_MMIO_READ,
    GHCB_EXIT_MMIO_WRITE,
    GHCB_EXIT_NMI_COMPLETE,
    GHCB_EXIT_AP_HLT_LOOP,
    GHCB_EXIT_AP_JUMP_TABLE,
    GHCB_EXIT_SNP_PSC,
    GHCB_EXIT_GUEST_REQUEST,
    GHCB_EXIT_EXT_GUEST_REQUEST,
    GHCB_EXIT_AP_CREATION,
    GHCB_EXIT_HV_FEATURES,
    GHCB_EXIT_TERM_REQUEST,
    GHCB_EXIT_UNSUPPORTED,
};

static const uint32_t msr_codes[] = {0x001, 0x002, 0x003, 0x004, 0x005, 0x006, 0x007,
                                     0x010, 0x012, 0x014, 0x080, 0x081, 0x100, 0xfff};

static uint64_t random_gpa_low(void) { return rnd() % (2ull << 20); }

static uint64_t random_scratch(void)
{
	switch (rnd() % 7) {
	case 0:
		return FX_GHCB_GPA + GHCB_SHARED_BUF_OFFSET + rnd() % 2100;
	case 1:
		return FX_GHCB_GPA + rnd() % 4096;
	case 2:
		return FX_SCRATCH_GPA + rnd() % 0x10000;
	case 3:
		return random_gpa_low() | (rnd() & 1 ? 1ull << FX_CBIT : 0);
	case 4:
		return FX_RAM - rnd() % 0x11000;
	case 5:
		return 0;
	default:
		return rnd();
	}
}

static uint64_t random_info1(uint64_t code)
{
	if (code == GHCB_EXIT_IOIO && rnd() % 4)
		return ghcb_ioio_info(
		    (uint16_t)PICK(((const uint16_t[]){0x60, 0xe9, 0x3f8, FX_PORT_FAIL})),
		    (unsigned)PICK(((const unsigned[]){1, 2, 4, 3, 0})),
		    (uint32_t)rnd() & 0x3ffu & ~GHCB_IOIO_SIZE_MASK);
	if ((code == GHCB_EXIT_MMIO_READ || code == GHCB_EXIT_MMIO_WRITE) && rnd() % 2)
		return FX_MMIO_BASE + rnd() % (FX_MMIO_SIZE + 16);
	return rnd() % 3 ? rnd() % 4 : rnd();
}

static void random_page(struct ghcb *g)
{
	uint64_t *w = (uint64_t *)g;
	for (size_t i = 0; i < sizeof(*g) / 8; i++)
		w[i] = rnd();
	g->ghcb_usage = rnd() % 10 ? 0 : (uint32_t)rnd();
	g->save.sw_exit_code = rnd() % 5 ? PICK(codes) : rnd();
	g->save.sw_exit_info_1 = random_info1(g->save.sw_exit_code);
	g->save.sw_exit_info_2 = rnd() % 4 ? rnd() % 5000 : rnd();
	g->save.sw_scratch = random_scratch();
	if (rnd() % 4 == 0)
		g->save.rax = 0xd;
	if (rnd() % 4) {
		/* Mostly well-formed bitmaps with a few holes, so deep paths run too. */
		memset(g->save.valid_bitmap, 0xff, sizeof(g->save.valid_bitmap));
		for (int i = rnd() % 3; i > 0; i--) {
			unsigned bit = (unsigned)(rnd() % 128);
			g->save.valid_bitmap[bit / 8] &= (uint8_t) ~(1u << (bit % 8));
		}
	}
}

static uint64_t random_msr(void)
{
	switch (rnd() % 6) {
	case 0:
		return rnd();
	case 1:
		return (rnd() & ~GHCB_MSR_INFO_MASK) | PICK(msr_codes);
	case 2:
		return PAGE_DOWN(random_gpa_low());
	case 3:
		return FX_GHCB_GPA | 1ull << FX_CBIT;
	default:
		return FX_GHCB_GPA;
	}
}

static void check_served_page(struct fx *f, uint64_t msr)
{
	gpa_t gpa = ghcb_strip_cbit(&f->env, msr);
	const struct ghcb *g = (const struct ghcb *)fx_ram(f, gpa, GHCB_PAGE_SIZE);
	struct ghcb want;

	if (ghcb_msr_info(msr) || msr == 0 || !g)
		return;
	memset(&want, 0, sizeof(want));
	ghcb_set_valid(&want, GHCB_OFF(sw_exit_info_1));
	ghcb_set_valid(&want, GHCB_OFF(sw_exit_info_2));
	ghcb_set_valid(&want, GHCB_OFF(rax));
	ghcb_set_valid(&want, GHCB_OFF(rbx));
	ghcb_set_valid(&want, GHCB_OFF(rcx));
	ghcb_set_valid(&want, GHCB_OFF(rdx));
	assert_memory_equal(g->save.valid_bitmap, want.save.valid_bitmap, 16);
	assert_in_range(g->save.sw_exit_info_1, GHCB_RESULT_OK, GHCB_RESULT_ERROR);
	if (g->save.sw_exit_info_1 == GHCB_RESULT_ERROR)
		assert_in_range(g->save.sw_exit_info_2, GHCB_ERR_INVALID_USAGE,
		                GHCB_ERR_INVALID_EVENT);
}

static void random_pages_and_msr_values_give_defined_outcomes(void **state)
{
	struct fx *f = *state;
	uint8_t canary[4096];
	int seen[GHCB_OUT_VMM_ERROR + 1] = {0};

	memset(fx_ram(f, CANARY_GPA, sizeof(canary)), 0x5a, sizeof(canary));
	memcpy(canary, fx_ram(f, CANARY_GPA, sizeof(canary)), sizeof(canary));
	for (int i = 0; i < ROUNDS; i++) {
		uint64_t msr = random_msr();
		gpa_t page = ghcb_strip_cbit(&f->env, msr);
		if (!ghcb_msr_info(msr) && fx_ram(f, page, GHCB_PAGE_SIZE) &&
		    page != PAGE_DOWN(CANARY_GPA))
			random_page((struct ghcb *)fx_ram(f, page, GHCB_PAGE_SIZE));
		enum ghcb_outcome o = fx_vmgexit_at(f, msr);
		assert_in_range(o, GHCB_OUT_RESUME, GHCB_OUT_VMM_ERROR);
		seen[o]++;
		check_served_page(f, msr);
		if (o == GHCB_OUT_PARK_RESET_HOLD)
			assert_int_equal(ghcb_reset_hold_release(&f->env, &f->v, rnd() & 1), 0);
	}
	assert_memory_equal(fx_ram(f, CANARY_GPA, sizeof(canary)), canary, sizeof(canary));
	/* The generator reaches every outcome, so the deep paths did run. */
	for (int o = GHCB_OUT_RESUME; o <= GHCB_OUT_VMM_ERROR; o++)
		assert_true(seen[o] > 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(random_pages_and_msr_values_give_defined_outcomes,
	                                    fx_setup, fx_teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
