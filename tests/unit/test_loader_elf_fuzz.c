// SPDX-License-Identifier: MIT
/*
 * Fuzz-ish: 2000 randomly mutated copies of valid kernels (fixed seed, so a failure
 * reproduces). Each load must either succeed with a sane result or fail with a message;
 * a crash, hang or sanitizer report fails the test.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h> /* needs the four headers above */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "loader/elf_loader.h"
#include "tests/unit/test_loader_elfw.h"

#define ITERATIONS 2000
#define HEADER_AREA 0x200u                 /* ehdr + phdrs of the base images */
#define TAIL_AREA (ELFW_CONTENT + 0x1000u) /* data segment, notes, section headers */

static uint64_t rng_state = 0x9e3779b97f4a7c15ull;

static uint64_t rnd(void)
{
	/* xorshift64* */
	rng_state ^= rng_state >> 12;
	rng_state ^= rng_state << 25;
	rng_state ^= rng_state >> 27;
	return rng_state * 0x2545f4914f6cdd1dull;
}

static const uint64_t interesting[] = {0,
                                       1,
                                       4,
                                       8,
                                       0x7f,
                                       0x80,
                                       0xff,
                                       0xfff,
                                       0x1000,
                                       0xffff,
                                       0x10000,
                                       0x7fffffff,
                                       0x80000000,
                                       0xfffff000,
                                       0xffffffff,
                                       0x100000000ull,
                                       (uint64_t)-1,
                                       (uint64_t)-0x1000};

/* Offsets are biased towards the headers and the note/section bytes, where parsing happens. */
static size_t pick_offset(size_t len, size_t tail)
{
	switch (rnd() % 4) {
	case 0:
	case 1:
		return rnd() % HEADER_AREA;
	case 2:
		return tail + rnd() % (len - tail);
	default:
		return rnd() % len;
	}
}

static size_t mutate(uint8_t *img, size_t len, size_t tail)
{
	unsigned n = 1 + rnd() % 4;
	for (unsigned k = 0; k < n; k++) {
		size_t off = pick_offset(len, tail);
		uint64_t v = rnd() % 2 ? interesting[rnd() % (sizeof(interesting) / 8)] : rnd();
		size_t width = (size_t)1 << (rnd() % 4);
		for (size_t b = 0; b < width && off + b < len; b++)
			img[off + b] = (uint8_t)(v >> (8 * b));
	}
	if (rnd() % 16 == 0)
		len = rnd() % len; /* truncation */
	return len;
}

static void check_result(int r, const char *err, const struct region_list *l, uint32_t entry)
{
	if (r) {
		assert_true(r < 0);
		assert_true(err[0] != '\0');
		assert_int_equal(l->n, 0);
		return;
	}
	int entry_inside = 0;
	for (size_t i = 0; i < l->n; i++) {
		const struct region *g = &l->v[i];
		assert_true(g->data_len <= g->size);
		assert_true(g->gpa + g->size <= PVH_ELF_LOAD_LIMIT);
		assert_true(g->gpa + g->size > g->gpa);
		if (entry >= g->gpa && entry - g->gpa < g->data_len)
			entry_inside = 1;
	}
	assert_true(entry_inside);
}

static void mutated_kernels_never_crash(void **state)
{
	struct elfw *w = malloc(sizeof(*w));
	uint8_t *base[2], *img;
	size_t base_len[2], ok = 0;
	char path[128];
	assert_non_null(w);
	elfw_good(w, 64, 8, 0); /* ELF64, note in a PT_NOTE segment */
	base[0] = elfw_image(w, &base_len[0]);
	elfw_good(w, 32, 4, 1); /* ELF32, note only in a section */
	base[1] = elfw_image(w, &base_len[1]);
	free(w);
	snprintf(path, sizeof(path), "%s", elfw_tmp_path("fuzz.elf"));
	img = malloc(base_len[0] > base_len[1] ? base_len[0] : base_len[1]);
	assert_non_null(img);

	/* LOADER_FUZZ_SEED / LOADER_FUZZ_ITERATIONS allow longer runs by hand; ctest uses the
	 * defaults. */
	const char *seed = getenv("LOADER_FUZZ_SEED"), *iters = getenv("LOADER_FUZZ_ITERATIONS");
	unsigned iterations = iters ? (unsigned)strtoul(iters, NULL, 0) : ITERATIONS;
	if (seed)
		rng_state = strtoull(seed, NULL, 0) | 1;
	for (unsigned it = 0; it < iterations; it++) {
		unsigned b = it % 2;
		struct region_list l;
		char err[512] = "";
		uint32_t entry = 0;
		memcpy(img, base[b], base_len[b]);
		size_t len = mutate(img, base_len[b], TAIL_AREA);
		assert_int_equal(elfw_write_bytes(path, img, len), 0);
		region_list_init(&l);
		int r = pvh_elf_load(path, &l, &entry, err, sizeof(err));
		check_result(r, err, &l, entry);
		ok += r == 0;
		region_list_free(&l);
	}
	/* Both outcomes must occur, or the mutations test nothing. */
	print_message("%zu of %u mutated kernels loaded, the rest were rejected\n", ok, iterations);
	assert_true(ok > 0 && ok < iterations);
	free(img);
	free(base[0]);
	free(base[1]);
}

static int cleanup(void **state)
{
	elfw_tmp_cleanup();
	return 0;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(mutated_kernels_never_crash),
	};
	return cmocka_run_group_tests(tests, NULL, cleanup);
}
