// SPDX-License-Identifier: MIT
/* Good PVH kernels: both classes, 4- and 8-byte entry notes, notes in segments or sections. */
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

#include "loader/elf_loader.h"
#include "loader/layout.h"
#include "tests/unit/test_loader_elfw.h"

static int load(const struct elfw *w, struct region_list *l, uint32_t *entry)
{
	char path[128], err[512] = "";
	snprintf(path, sizeof(path), "%s", elfw_tmp_path("good.elf"));
	assert_int_equal(elfw_write(w, path), 0);
	int r = pvh_elf_load(path, l, entry, err, sizeof(err));
	if (r)
		print_error("load failed: %d %s\n", r, err);
	return r;
}

static void assert_good_regions(const struct region_list *l, size_t first)
{
	const struct region *t = &l->v[first], *d = &l->v[first + 1];
	assert_int_equal(l->n, first + 2);
	assert_string_equal(t->name, "kernel[0]");
	assert_int_equal(t->kind, REGION_KERNEL);
	assert_int_equal(t->gpa, ELFW_TEXT_GPA);
	assert_int_equal(t->size, ELFW_TEXT_MEMSZ);
	assert_int_equal(t->data_len, ELFW_TEXT_FILESZ);
	for (size_t i = 0; i < ELFW_TEXT_FILESZ; i++)
		assert_int_equal(t->data[i], elfw_text_byte(i));
	assert_string_equal(d->name, "kernel[1]");
	assert_int_equal(d->gpa, ELFW_DATA_GPA);
	assert_int_equal(d->size, ELFW_DATA_MEMSZ);
	assert_int_equal(d->data_len, ELFW_DATA_FILESZ);
	assert_int_equal(d->data[0], 0xda);
	assert_int_equal(d->data[ELFW_DATA_FILESZ - 1], 0xda);
}

static void check_good(int cls, uint32_t descsz, int in_section)
{
	struct elfw *w = malloc(sizeof(*w));
	struct region_list l;
	uint32_t entry = 0;
	assert_non_null(w);
	region_list_init(&l);
	elfw_good(w, cls, descsz, in_section);
	assert_int_equal(load(w, &l, &entry), 0);
	assert_int_equal(entry, ELFW_ENTRY); /* low 32 bits of an 8-byte descriptor */
	assert_good_regions(&l, 0);
	region_list_free(&l);
	free(w);
}

static void elf64_note8(void **state) { check_good(64, 8, 0); }
static void elf64_note4(void **state) { check_good(64, 4, 0); }
static void elf32_note4(void **state) { check_good(32, 4, 0); }
static void elf32_note8(void **state) { check_good(32, 8, 0); }
static void elf64_note_only_in_section(void **state) { check_good(64, 8, 1); }
static void elf32_note_only_in_section(void **state) { check_good(32, 4, 1); }

/* Runs elfw_good(cls) through `tweak` and expects the good kernel's entry back. */
static void check_tweaked(int cls, void (*tweak)(struct elfw *w), size_t nregions)
{
	struct elfw *w = malloc(sizeof(*w));
	struct region_list l;
	uint32_t entry = 0;
	assert_non_null(w);
	region_list_init(&l);
	elfw_good(w, cls, 8, 0);
	tweak(w);
	assert_int_equal(load(w, &l, &entry), 0);
	assert_int_equal(entry, ELFW_ENTRY);
	assert_int_equal(l.n, nregions);
	region_list_free(&l);
	free(w);
}

/* Xen skips PT_NOTE at file offset 0 (a binutils bug): the section must be used instead. */
static void t_note_at_offset_0(struct elfw *w)
{
	w->ph[2].offset = 0;
	elfw_entry_note(w, ELFW_ENTRY, 4, 1);
}
/* Sections are not read when a segment had the note, even if they are broken. */
static void t_segment_wins(struct elfw *w) { elfw_entry_note(w, 0x1234, 3, 1); }
static void t_elf32_x86_64(struct elfw *w) { w->machine = EM_X86_64; }
static void t_et_dyn(struct elfw *w) { w->type = ET_DYN; }
static void t_empty_load(struct elfw *w) { elfw_phdr(w, PT_LOAD, 0, 0, 0, 0); }
static void t_other_phdrs(struct elfw *w)
{
	elfw_phdr(w, PT_GNU_STACK, 0, 0, 0, 0);
	elfw_phdr(w, PT_NOTE, 0, 0, 0x40, 0x40); /* offset 0: skipped */
}

static void note_at_offset_0_falls_back_to_sections(void **state)
{
	check_tweaked(64, t_note_at_offset_0, 2);
	check_tweaked(32, t_note_at_offset_0, 2);
}
static void segment_note_wins_over_sections(void **state) { check_tweaked(64, t_segment_wins, 2); }
static void elf32_with_x86_64_machine(void **state) { check_tweaked(32, t_elf32_x86_64, 2); }
static void et_dyn_loads_at_paddr(void **state) { check_tweaked(64, t_et_dyn, 2); }
static void empty_load_and_other_phdrs(void **state)
{
	check_tweaked(64, t_empty_load, 2);
	check_tweaked(32, t_other_phdrs, 2);
}

static void segments_sharing_a_page_merge(void **state)
{
	struct elfw *w = malloc(sizeof(*w));
	struct region_list l;
	struct ram_range ram = {0, 16 << 20};
	uint32_t entry;
	assert_non_null(w);
	region_list_init(&l);
	elfw_good(w, 64, 8, 0);
	w->ph[0].memsz = 0x800;                        /* text's zero fill ends mid-page */
	w->ph[1].paddr = ELFW_TEXT_GPA + 0x900;        /* and data starts in that page */
	elfw_phdr(w, PT_LOAD, 0, 0x200000, 0, 0x1000); /* a separate bss-only page */
	assert_int_equal(load(w, &l, &entry), 0);
	assert_int_equal(l.n, 2);
	const struct region *m = &l.v[0];
	assert_string_equal(m->name, "kernel[0..1]");
	assert_int_equal(m->gpa, ELFW_TEXT_GPA);
	assert_int_equal(m->size, 0x900 + ELFW_DATA_MEMSZ);
	assert_int_equal(m->data_len, 0x900 + ELFW_DATA_FILESZ);
	assert_int_equal(m->data[ELFW_TEXT_FILESZ - 1], elfw_text_byte(ELFW_TEXT_FILESZ - 1));
	assert_int_equal(m->data[ELFW_TEXT_FILESZ], 0); /* text's zero fill */
	assert_int_equal(m->data[0x8ff], 0);            /* the gap between the segments */
	assert_int_equal(m->data[0x900], 0xda);
	assert_string_equal(l.v[1].name, "kernel[2]");
	assert_int_equal(l.v[1].data_len, 0);
	assert_null(l.v[1].data);
	assert_int_equal(region_list_check(&l, &ram, 1, NULL, 0), 0);
	region_list_free(&l);
	free(w);
}

static void appends_to_an_existing_list(void **state)
{
	struct elfw *w = malloc(sizeof(*w));
	struct region_list l;
	uint32_t entry;
	assert_non_null(w);
	region_list_init(&l);
	assert_int_equal(region_add(&l, "ap-area", REGION_AP, 0, 0x90000, 0x1000, NULL, 0), 0);
	elfw_good(w, 32, 4, 0);
	assert_int_equal(load(w, &l, &entry), 0);
	assert_string_equal(l.v[0].name, "ap-area");
	assert_good_regions(&l, 1);
	region_list_free(&l);
	free(w);
}

/*
 * A real Linux vmlinux (CONFIG_PVH, 8-byte entry note), when PVH_LINUX_FIXTURE names a directory
 * holding vmlinux and initramfs.cpio.gz (docs/layout.md); skipped otherwise.
 */
static void linux_vmlinux_fixture(void **state)
{
	const char *dir = getenv("PVH_LINUX_FIXTURE");
	char kernel[512], initrd[512], err[512];
	struct region_list l;
	uint32_t entry = 0;
	gpa_t si;
	if (!dir || !*dir)
		skip();
	snprintf(kernel, sizeof(kernel), "%s/vmlinux", dir);
	snprintf(initrd, sizeof(initrd), "%s/initramfs.cpio.gz", dir);
	region_list_init(&l);
	int r = pvh_elf_load(kernel, &l, &entry, err, sizeof(err));
	if (r)
		fail_msg("%s", err);
	assert_true(l.n >= 2);
	assert_int_equal(l.v[0].gpa, 0x1000000); /* CONFIG_PHYSICAL_START */
	assert_true(entry >= l.v[0].gpa && entry - l.v[0].gpa < l.v[0].data_len);
	struct layout_params p = {
	    .mem_size = 256 << 20, .initrd = initrd, .cmdline = "console=ttyS0"};
	r = layout_add_boot_data(&p, &l, &si, err, sizeof(err));
	if (r)
		fail_msg("%s", err);
	assert_string_equal(l.v[l.n - 1].name, "initrd");
	region_list_free(&l);
}

static int cleanup(void **state)
{
	elfw_tmp_cleanup();
	return 0;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(elf64_note8),
	    cmocka_unit_test(elf64_note4),
	    cmocka_unit_test(elf32_note4),
	    cmocka_unit_test(elf32_note8),
	    cmocka_unit_test(elf64_note_only_in_section),
	    cmocka_unit_test(elf32_note_only_in_section),
	    cmocka_unit_test(note_at_offset_0_falls_back_to_sections),
	    cmocka_unit_test(segment_note_wins_over_sections),
	    cmocka_unit_test(elf32_with_x86_64_machine),
	    cmocka_unit_test(et_dyn_loads_at_paddr),
	    cmocka_unit_test(empty_load_and_other_phdrs),
	    cmocka_unit_test(segments_sharing_a_page_merge),
	    cmocka_unit_test(appends_to_an_existing_list),
	    cmocka_unit_test(linux_vmlinux_fixture),
	};
	return cmocka_run_group_tests(tests, NULL, cleanup);
}
