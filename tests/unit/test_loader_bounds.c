// SPDX-License-Identifier: MIT
/*
 * A kernel file's cost is bounded by its own size: hostile files whose headers claim far more
 * than they hold (many note sections over the same megabyte, segments leaving gigabytes of
 * zeros between them) must fail or load quickly, in memory proportional to the file.
 * Each case runs in a child so that its peak RSS can be measured alone.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <elf.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "loader/elf_loader.h"
#include "loader/guest_mem.h"
#include "tests/unit/test_loader_elfw.h"

#define MiB (1024u * 1024u)
#define ENTRY 0x100000u
#define BIG_NOTES (MiB - 4) /* a multiple of 12: empty notes fill it exactly */

struct img {
	uint8_t *b;
	size_t len;
};

static void put(uint8_t *p, uint64_t v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		p[i] = (uint8_t)(v >> (8 * i));
}

static void ehdr64(struct img *m, uint64_t phoff, unsigned phnum, uint64_t shoff, unsigned shnum)
{
	memcpy(m->b, ELFMAG, SELFMAG);
	m->b[EI_CLASS] = ELFCLASS64;
	m->b[EI_DATA] = ELFDATA2LSB;
	m->b[EI_VERSION] = EV_CURRENT;
	put(m->b + 16, ET_EXEC, 2);
	put(m->b + 18, EM_X86_64, 2);
	put(m->b + 20, EV_CURRENT, 4);
	put(m->b + 32, phoff, 8);
	put(m->b + 40, shoff, 8);
	put(m->b + 52, 64, 2);
	put(m->b + 54, 56, 2);
	put(m->b + 56, phnum, 2);
	put(m->b + 58, 64, 2);
	put(m->b + 60, shnum, 2);
}

static void phdr64(uint8_t *p, uint32_t type, uint64_t off, uint64_t paddr, uint64_t filesz,
                   uint64_t memsz)
{
	put(p, type, 4);
	put(p + 4, PF_R | PF_X, 4);
	put(p + 8, off, 8);
	put(p + 16, paddr, 8);
	put(p + 24, paddr, 8);
	put(p + 32, filesz, 8);
	put(p + 40, memsz, 8);
	put(p + 48, 4, 8);
}

static void shdr64(uint8_t *p, uint32_t type, uint64_t off, uint64_t size)
{
	memset(p, 0, 64);
	put(p + 4, type, 4);
	put(p + 24, off, 8);
	put(p + 32, size, 8);
	put(p + 48, 4, 8);
}

/* A Xen PHYS32_ENTRY note for ENTRY; returns its length (20 bytes). */
static size_t xen_note(uint8_t *p)
{
	uint8_t desc[4];
	put(desc, ENTRY, 4);
	return elfw_note(p, "Xen", 4, 18, desc, 4, 4);
}

/*
 * One PT_LOAD holding the entry, a megabyte of empty notes at 0x2000, and nsec note sections:
 * each claims that megabyte, except the one at entry_at which holds the entry note.
 */
static struct img many_note_sections(unsigned nsec, unsigned entry_at)
{
	struct img m;
	uint64_t notes = 0x2000, xen = notes + BIG_NOTES, shoff = xen + 64;
	m.len = shoff + (nsec + 1) * 64ull;
	m.b = calloc(1, m.len);
	assert_non_null(m.b);
	ehdr64(&m, 64, 1, shoff, nsec + 1);
	phdr64(m.b + 64, PT_LOAD, 0x1000, ENTRY, 0x1000, 0x1000);
	size_t xlen = xen_note(m.b + xen);
	for (unsigned i = 1; i <= nsec; i++) {
		uint8_t *sh = m.b + shoff + 64ull * i;
		if (i == entry_at)
			shdr64(sh, SHT_NOTE, xen, xlen);
		else
			shdr64(sh, SHT_NOTE, notes, BIG_NOTES);
	}
	return m;
}

/*
 * 288 bytes: a PT_LOAD whose zero fill runs to just below 4 GiB, a second PT_LOAD with file
 * bytes in the first one's last page, and the entry note.
 */
static struct img gap_segments(void)
{
	struct img m = {calloc(1, 288), 288};
	assert_non_null(m.b);
	ehdr64(&m, 64, 3, 0, 0);
	phdr64(m.b + 64, PT_LOAD, 0xe8, ENTRY, 0x10, 0xeff00800);
	phdr64(m.b + 120, PT_LOAD, 0xf8, 0xf0000900, 0x10, 0x10);
	phdr64(m.b + 176, PT_NOTE, 0x108, 0, 20, 20);
	memset(m.b + 0xe8, 0x90, 0x20);
	assert_int_equal(xen_note(m.b + 0x108), 20);
	return m;
}

static long maxrss_kib(void)
{
	struct rusage ru;
	getrusage(RUSAGE_SELF, &ru);
	return ru.ru_maxrss;
}

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/*
 * Loads the image in a child and returns the load's result; the child fails (and so the
 * test) if the load took more than 2 s or raised the peak RSS by more than 32 MiB.
 */
static int load_bounded(const struct img *m, const char *name, struct region_list *keep)
{
	const char *path = elfw_tmp_path(name);
	assert_int_equal(elfw_write_bytes(path, m->b, m->len), 0);
	int pipefd[2];
	assert_int_equal(pipe(pipefd), 0);
	pid_t pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		struct region_list l;
		uint32_t entry;
		char err[256];
		region_list_init(&l);
		long rss0 = maxrss_kib();
		double t0 = now();
		int r = pvh_elf_load(path, &l, &entry, err, sizeof(err));
		double dt = now() - t0;
		long grew = maxrss_kib() - rss0;
		uint64_t data = 0;
		for (size_t i = 0; i < l.n; i++)
			data += l.v[i].data_len;
		fprintf(stderr, "%s: r=%d %.3f s, +%ld KiB RSS, %zu regions, %llu data bytes: %s\n",
		        name, r, dt, grew, l.n, (unsigned long long)data, r ? err : "ok");
		if (write(pipefd[1], &r, sizeof(r)) != sizeof(r))
			_exit(3);
		_exit(dt > 2.0 ? 1 : grew > 32 * 1024 ? 2 : 0);
	}
	close(pipefd[1]);
	int r = 1, st;
	assert_int_equal(read(pipefd[0], &r, sizeof(r)), sizeof(r));
	close(pipefd[0]);
	assert_int_equal(waitpid(pid, &st, 0), pid);
	assert_true(WIFEXITED(st));
	assert_int_equal(WEXITSTATUS(st), 0);
	if (keep) {
		uint32_t entry;
		char err[256];
		assert_int_equal(pvh_elf_load(path, keep, &entry, err, sizeof(err)), r);
	}
	return r;
}

/* 3000 sections over the same megabyte: refused after the first, not read 3000 times. */
static void overlapping_note_sections_are_refused(void **state)
{
	struct img m = many_note_sections(3000, 3000);
	assert_int_equal(load_bounded(&m, "notes-overlap.elf", NULL), -EINVAL);
	elfw_expect_fail(elfw_tmp_path("notes-overlap.elf"), -EINVAL, "overlap",
	                 "overlapping note sections");
	free(m.b);
}

/* The entry note in the first section: the 3000 others are never read. */
static void note_sections_stop_at_the_entry(void **state)
{
	struct img m = many_note_sections(3000, 1);
	assert_int_equal(load_bounded(&m, "notes-first.elf", NULL), 0);
	free(m.b);
}

/* A 288-byte file loads in about a page of data, not a 4 GiB buffer of zeros. */
static void segment_gap_is_not_allocated(void **state)
{
	struct img m = gap_segments();
	struct region_list l;
	struct ram_range ram4g = {0, 1ull << 32}, ram16m = {0, 16 * MiB};
	region_list_init(&l);
	assert_int_equal(load_bounded(&m, "gap.elf", &l), 0);
	assert_int_equal(l.n, 2);
	assert_string_equal(l.v[0].name, "kernel[0]");
	assert_int_equal(l.v[0].gpa, ENTRY);
	assert_int_equal(l.v[0].size, 0xf0000000 - ENTRY);
	assert_int_equal(l.v[0].data_len, 0x10);
	assert_int_equal(l.v[0].data[0], 0x90);
	assert_string_equal(l.v[1].name, "kernel[0..1]");
	assert_int_equal(l.v[1].gpa, 0xf0000000);
	assert_int_equal(l.v[1].size, 0x910);
	assert_int_equal(l.v[1].data_len, 0x910);
	assert_int_equal(l.v[1].data[0x8ff], 0);
	assert_int_equal(l.v[1].data[0x900], 0x90);
	/* The pieces meet at a page boundary: no page is measured twice. */
	assert_int_equal(region_list_check(&l, &ram4g, 1, NULL, 0), 0);
	/* And guest RAM (--mem) bounds the rest: 16 MiB cannot hold it. */
	assert_int_equal(region_list_check(&l, &ram16m, 1, NULL, 0), -EINVAL);
	region_list_free(&l);
	free(m.b);
}

/* Zero fill writes only where memory is not zero: 60 MiB of p_memsz cost no RAM, and a
 * dirty byte inside it is still cleared. */
static void zero_fill_touches_only_dirty_pages(void **state)
{
	struct guest_mem m;
	struct region_list l;
	region_list_init(&l);
	assert_int_equal(guest_mem_map(&m, 64 * MiB), 0);
	assert_int_equal(region_add(&l, "kernel[0]", REGION_KERNEL, 0, MiB, 60 * MiB, "\x90", 1), 0);
	m.host[40 * MiB + 123] = 0x55;
	long rss0 = maxrss_kib();
	assert_int_equal(guest_mem_load_regions(&m, &l), 0);
	assert_true(maxrss_kib() - rss0 < 8 * 1024);
	assert_int_equal(m.host[MiB], 0x90);
	assert_int_equal(m.host[40 * MiB + 123], 0);
	guest_mem_unmap(&m);
	region_list_free(&l);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(overlapping_note_sections_are_refused),
	    cmocka_unit_test(note_sections_stop_at_the_entry),
	    cmocka_unit_test(segment_gap_is_not_allocated),
	    cmocka_unit_test(zero_fill_touches_only_dirty_pages),
	};
	int r = cmocka_run_group_tests(tests, NULL, NULL);
	elfw_tmp_cleanup();
	return r;
}
