// SPDX-License-Identifier: MIT
/*
 * The broken-ELF corpus: each case breaks one thing in a good kernel (both ELF classes where
 * the case applies) and must get -EINVAL (or the named -errno) and a one-line message that
 * names the file and the problem, with the caller's region list left untouched.
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

#include "loader/elf_loader.h"
#include "tests/unit/test_loader_elfw.h"

static void expect_fail(const struct elfw *w, const char *frag, const char *what)
{
	char path[128];
	snprintf(path, sizeof(path), "%s", elfw_tmp_path("bad.elf"));
	assert_int_equal(elfw_write(w, path), 0);
	elfw_expect_fail(path, -EINVAL, frag, what);
}

/* Mutators: each breaks exactly one thing in elfw_good()'s kernel. */
static void m_machine_arm(struct elfw *w) { w->machine = EM_ARM; }
static void m_type_rel(struct elfw *w) { w->type = ET_REL; }
static void m_phentsize(struct elfw *w) { w->phentsize = 20; }
static void m_phnum_zero(struct elfw *w) { w->phnum = 0; }
static void m_phnum_absurd(struct elfw *w) { w->phnum = 300; }
static void m_phoff_outside(struct elfw *w) { w->phoff = 0x7fffff00; }
static void m_desc_2(struct elfw *w)
{
	w->nph = 2;
	elfw_entry_note(w, ELFW_ENTRY, 2, 0);
}
static void m_desc_16(struct elfw *w)
{
	w->nph = 2;
	elfw_entry_note(w, ELFW_ENTRY, 16, 0);
}
static void m_entry_outside(struct elfw *w)
{
	w->nph = 2;
	elfw_entry_note(w, 0x200000, 4, 0);
}
static void m_entry_in_bss(struct elfw *w)
{
	w->nph = 2;
	elfw_entry_note(w, ELFW_TEXT_GPA + ELFW_TEXT_FILESZ, 8, 0);
}
static void m_entry_conflict(struct elfw *w) { elfw_entry_note(w, ELFW_ENTRY + 4, 4, 0); }
static void m_note_truncated(struct elfw *w) { w->ph[2].filesz = 8; }
static void m_note_outside(struct elfw *w) { w->ph[2].offset = 0x100000; }
static void m_note_huge(struct elfw *w) { w->ph[2].filesz = 0xffffffff; }
static void m_seg_outside(struct elfw *w)
{
	w->ph[0].filesz = 0x10000;
	w->ph[0].memsz = 0x10000;
}
static void m_seg_off_wrap(struct elfw *w) { w->ph[1].offset = (uint64_t)-0x40; }
static void m_seg_wrap(struct elfw *w)
{
	w->ph[1].paddr = (uint64_t)-0x1000;
	w->ph[1].memsz = 0x2000;
}
static void m_seg_above_4g(struct elfw *w)
{
	w->ph[1].paddr = 0xfffff000;
	w->ph[1].memsz = 0x2000;
}
static void m_seg_64g(struct elfw *w) { w->ph[1].memsz = 65ull << 30; }
static void m_seg_overlap(struct elfw *w) { w->ph[1].paddr = ELFW_TEXT_GPA + 0x2000; }
static void m_memsz_small(struct elfw *w) { w->ph[1].memsz = ELFW_DATA_FILESZ - 1; }
static void m_no_load(struct elfw *w)
{
	w->ph[0].type = PT_NULL;
	w->ph[1].type = PT_NULL;
}

static void m_no_note(struct elfw *w) { w->ph[2].type = PT_NULL; }

static void m_name_overflow(struct elfw *w)
{
	uint8_t note[32];
	size_t n = elfw_note(note, "Xen", 4, 18, "\0\0\x10\0", 4, 4);
	note[0] = 0x40; /* namesz 64 in a 20-byte area */
	w->nph = 2;
	elfw_phdr(w, PT_NOTE, elfw_blob(w, note, n, 4), 0, n, n);
}

static void m_desc_overflow(struct elfw *w)
{
	uint8_t note[32];
	size_t n = elfw_note(note, "Xen", 4, 18, "\0\0\x10\0", 4, 4);
	note[4] = 0xf8;
	note[5] = 0xff; /* descsz 0xfff8 */
	w->nph = 2;
	elfw_phdr(w, PT_NOTE, elfw_blob(w, note, n, 4), 0, n, n);
}

static void m_many_loads(struct elfw *w)
{
	w->nph = 0;
	for (unsigned i = 0; i < PVH_ELF_MAX_LOADS + 1; i++)
		elfw_phdr(w, PT_LOAD, 0, 0x100000 + i * 0x1000ull, 0, 0x1000);
}

/* Section-only kernels: the section header checks run only when no PT_NOTE has the note. */
static void sec_only(struct elfw *w)
{
	w->nph = 2;
	elfw_entry_note(w, ELFW_ENTRY, 4, 1);
}
static void m_shnum_absurd(struct elfw *w)
{
	sec_only(w);
	w->shnum = 40000;
}
static void m_shoff_outside(struct elfw *w)
{
	sec_only(w);
	w->shoff = 0x7fff0000;
}
static void m_shentsize(struct elfw *w)
{
	sec_only(w);
	w->shentsize = 12;
}
static void m_sec_outside(struct elfw *w)
{
	sec_only(w);
	w->sh[1].size = 0x100000;
}
static void m_sec_desc_8_bad(struct elfw *w)
{
	w->nph = 2;
	elfw_entry_note(w, 1, 3, 1);
}

struct bad_case {
	int only_cls; /* 0: both classes */
	const char *name;
	void (*mutate)(struct elfw *w);
	const char *frag;
};

static const struct bad_case cases[] = {
    {0, "machine", m_machine_arm, "wrong machine 40"},
    {0, "type", m_type_rel, "ELF type 1 is not an executable"},
    {0, "phentsize", m_phentsize, "program header entry size 20"},
    {0, "phnum-zero", m_phnum_zero, "no program headers"},
    {0, "phnum-absurd", m_phnum_absurd, "300 program headers (maximum 256)"},
    {0, "phoff", m_phoff_outside, "program headers lie outside the file"},
    {0, "no-note", m_no_note, "no PVH entry note"},
    {0, "desc-2", m_desc_2, "2-byte descriptor (expected 4 or 8)"},
    {0, "desc-16", m_desc_16, "16-byte descriptor"},
    {0, "name-overflow", m_name_overflow, "name size 64 overflows the note area"},
    {0, "desc-overflow", m_desc_overflow, "descriptor size 65528 overflows"},
    {0, "note-truncated", m_note_truncated, "truncated note header"},
    {0, "note-outside", m_note_outside, "PT_NOTE segment 2 (offset 0x100000"},
    {0, "note-huge", m_note_huge, "lies outside the file"},
    {0, "entry-outside", m_entry_outside, "entry point 0x200000 is not inside"},
    {0, "entry-in-bss", m_entry_in_bss, "entry point 0x100200 is not inside"},
    {0, "entry-conflict", m_entry_conflict, "conflicting PHYS32_ENTRY notes"},
    {0, "seg-outside", m_seg_outside, "segment 0: file bytes at offset 0x1000 size 0x10000 lie"},
    {0, "seg-offset-wrap", m_seg_off_wrap, "segment 1: file bytes"},
    {64, "seg-wrap", m_seg_wrap, "wraps around the address space"},
    {0, "seg-above-4g", m_seg_above_4g, "extends beyond 4 GiB"},
    {64, "seg-64g", m_seg_64g, "extends beyond 4 GiB"},
    {0, "overlap", m_seg_overlap, "PT_LOAD segments 0 and 1 overlap at 0x102000"},
    {0, "memsz<filesz", m_memsz_small, "p_memsz 0x7f is smaller than p_filesz 0x80"},
    {0, "no-load", m_no_load, "no loadable"},
    {0, "many-loads", m_many_loads, "more than 64 PT_LOAD segments"},
    {0, "shnum", m_shnum_absurd, "40000 section headers"},
    {0, "shoff", m_shoff_outside, "section headers lie outside the file"},
    {0, "shentsize", m_shentsize, "section header entry size 12"},
    {0, "section-outside", m_sec_outside, "note section 1 (offset"},
    {0, "section-desc-3", m_sec_desc_8_bad, "note section 1 has a 3-byte descriptor"},
};

static void broken_elf_corpus(void **state)
{
	for (int cls = 32; cls <= 64; cls += 32) {
		for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
			struct elfw *w = malloc(sizeof(*w));
			char what[64];
			if (cases[i].only_cls && cases[i].only_cls != cls) {
				free(w);
				continue;
			}
			assert_non_null(w);
			elfw_good(w, cls, 8, 0);
			cases[i].mutate(w);
			snprintf(what, sizeof(what), "ELF%d %s", cls, cases[i].name);
			expect_fail(w, cases[i].frag, what);
			free(w);
		}
	}
}

static int cleanup(void **state)
{
	elfw_tmp_cleanup();
	return 0;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(broken_elf_corpus),
	};
	return cmocka_run_group_tests(tests, NULL, cleanup);
}
