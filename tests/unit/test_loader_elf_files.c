// SPDX-License-Identifier: MIT
/*
 * Broken kernel files that the ELF writer cannot express by field changes: truncated images,
 * bad identification bytes, directories, FIFOs, devices, missing paths, huge note segments.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h> /* needs the four headers above */

#include <elf.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "loader/elf_loader.h"
#include "tests/unit/test_loader_elfw.h"

static void write_prefix_of_good(const char *path, int cls, size_t n)
{
	struct elfw *w = malloc(sizeof(*w));
	size_t len;
	assert_non_null(w);
	elfw_good(w, cls, 4, 0);
	uint8_t *img = elfw_image(w, &len);
	assert_true(n <= len);
	assert_int_equal(elfw_write_bytes(path, img, n), 0);
	free(img);
	free(w);
}

static void patch_good(const char *path, int cls, size_t off, uint8_t v)
{
	struct elfw *w = malloc(sizeof(*w));
	size_t len;
	assert_non_null(w);
	elfw_good(w, cls, 4, 0);
	uint8_t *img = elfw_image(w, &len);
	img[off] = v;
	assert_int_equal(elfw_write_bytes(path, img, len), 0);
	free(img);
	free(w);
}

static void broken_files(void **state)
{
	char path[128];
	snprintf(path, sizeof(path), "%s", elfw_tmp_path("raw.elf"));

	assert_int_equal(elfw_write_bytes(path, "#!/bin/sh\necho not an elf\n", 26), 0);
	elfw_expect_fail(path, -EINVAL, "not an ELF file (bad magic)", "text file");
	assert_int_equal(elfw_write_bytes(path, "", 0), 0);
	elfw_expect_fail(path, -EINVAL, "not an ELF file (only 0 bytes)", "empty");
	write_prefix_of_good(path, 64, 40);
	elfw_expect_fail(path, -EINVAL, "truncated ELF header (40 of 64 bytes)", "short ehdr64");
	write_prefix_of_good(path, 32, 51);
	elfw_expect_fail(path, -EINVAL, "truncated ELF header (51 of 52 bytes)", "short ehdr32");
	write_prefix_of_good(path, 64, 0x60);
	elfw_expect_fail(path, -EINVAL, "program headers lie outside the file", "short phdrs");
	write_prefix_of_good(path, 64, 0x1100);
	elfw_expect_fail(path, -EINVAL, "lie outside the file", "short segments");
	patch_good(path, 64, EI_CLASS, 3);
	elfw_expect_fail(path, -EINVAL, "unsupported ELF class 3", "class");
	patch_good(path, 32, EI_DATA, ELFDATA2MSB);
	elfw_expect_fail(path, -EINVAL, "not a little-endian ELF file", "big-endian");
	patch_good(path, 64, EI_VERSION, 7);
	elfw_expect_fail(path, -EINVAL, "unsupported ELF version 7", "version");
	patch_good(path, 64, 18, EM_386); /* e_machine low byte: ELF64 EM_386 */
	elfw_expect_fail(path, -EINVAL, "wrong machine 3 for a 64-bit ELF", "elf64 i386");
}

static void hostile_paths(void **state)
{
	char dir[128], fifo[128], notdir[160];
	snprintf(dir, sizeof(dir), "%s", elfw_tmp_path("a-directory"));
	assert_int_equal(mkdir(dir, 0700), 0);
	elfw_expect_fail(dir, -EISDIR, "is a directory", "directory");
	snprintf(fifo, sizeof(fifo), "%s", elfw_tmp_path("a-fifo"));
	assert_int_equal(mkfifo(fifo, 0600), 0);
	elfw_expect_fail(fifo, -EINVAL, "not a regular file", "fifo (must not hang)");
	elfw_expect_fail("/dev/zero", -EINVAL, "not a regular file", "char device");
	snprintf(notdir, sizeof(notdir), "%s", elfw_tmp_path("missing.elf"));
	elfw_expect_fail(notdir, -ENOENT, "cannot open: No such file or directory", "missing");
	snprintf(notdir, sizeof(notdir), "%s/x", fifo);
	elfw_expect_fail(notdir, -ENOTDIR, "cannot open", "path through a non-directory");
	if (geteuid() != 0) { /* root reads mode-000 files anyway */
		char unreadable[128];
		snprintf(unreadable, sizeof(unreadable), "%s", elfw_tmp_path("mode000.elf"));
		write_prefix_of_good(unreadable, 64, 64);
		assert_int_equal(chmod(unreadable, 0), 0);
		elfw_expect_fail(unreadable, -EACCES, "cannot open: Permission denied", "mode 000");
	}

	struct region_list l;
	char err[128];
	uint32_t e;
	region_list_init(&l);
	assert_int_equal(pvh_elf_load("", &l, &e, err, sizeof(err)), -EINVAL);
	assert_string_equal(err, "no kernel file given");
	assert_int_equal(pvh_elf_load(NULL, &l, &e, err, sizeof(err)), -EINVAL);
	assert_int_equal(pvh_elf_load(NULL, &l, &e, NULL, 0), -EINVAL);
}

/* A note segment larger than the 1 MiB cap, inside a (sparse) file big enough to hold it. */
static void oversized_note_segment(void **state)
{
	char path[128];
	struct elfw *w = malloc(sizeof(*w));
	assert_non_null(w);
	elfw_good(w, 64, 8, 0);
	w->ph[2].filesz = PVH_ELF_MAX_NOTES + 4;
	snprintf(path, sizeof(path), "%s", elfw_tmp_path("bignote.elf"));
	assert_int_equal(elfw_write(w, path), 0);
	assert_int_equal(truncate(path, 4 << 20), 0);
	elfw_expect_fail(path, -EINVAL, "PT_NOTE segment 2 is 0x100004 bytes (maximum 0x100000)",
	                 "big note");
	free(w);
}

static int cleanup(void **state)
{
	elfw_tmp_cleanup();
	return 0;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(broken_files),
	    cmocka_unit_test(hostile_paths),
	    cmocka_unit_test(oversized_note_segment),
	};
	return cmocka_run_group_tests(tests, NULL, cleanup);
}
