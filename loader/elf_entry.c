// SPDX-License-Identifier: MIT
/*
 * Finding XEN_ELFNOTE_PHYS32_ENTRY the way Xen's libelf does: every PT_NOTE segment (except
 * those at file offset 0, a binutils bug Xen works around), and only when none had a Xen
 * entry note, the SHT_NOTE sections up to the first that has it.
 *
 * The cost is bounded by the file: each note area is read with pread() into a buffer freed
 * at once (libelf's elf_getdata() would keep every section's copy until elf_end()), and the
 * note bytes scanned in each pass may not add up to more than the file holds, so headers that
 * point many times at the same megabyte cannot multiply the work.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>

#include "loader/elf_file.h"
#include "loader/elf_note.h"

static size_t note_align(uint64_t align)
{
	return align == 8 ? 8 : 4; /* GNU and Linux notes use 4 even in ELF64 */
}

static int scan_buf(struct elf_file *f, const void *buf, uint64_t len, uint64_t align,
                    const char *where, struct pvh_note_result *res)
{
	char msg[200];
	int r = pvh_note_scan(buf, len, note_align(align), where, res, msg, sizeof(msg));
	return r ? elf_fail(f, r, "%s", msg) : 0;
}

static int check_area(struct elf_file *f, uint64_t off, uint64_t len, const char *where,
                      uint64_t *budget)
{
	if (!elf_in_file(f, off, len))
		return elf_fail(f, -EINVAL,
		                "%s (offset 0x%" PRIx64 " size 0x%" PRIx64
		                ") lies outside the file",
		                where, off, len);
	if (len > PVH_ELF_MAX_NOTES)
		return elf_fail(f, -EINVAL, "%s is 0x%" PRIx64 " bytes (maximum 0x%x)", where, len,
		                PVH_ELF_MAX_NOTES);
	if (len > *budget)
		return elf_fail(f, -EINVAL,
		                "%s: the note areas add up to more than the file's %" PRIu64
		                " bytes (they overlap)",
		                where, f->size);
	*budget -= len;
	return 0;
}

/* Reads [off, off+len) of the file (already checked by check_area) and scans it. */
static int scan_area(struct elf_file *f, uint64_t off, uint64_t len, uint64_t align,
                     const char *where, struct pvh_note_result *res)
{
	uint8_t *buf = malloc(len);
	if (!buf)
		return elf_fail(f, -ENOMEM, "out of memory reading %s", where);
	int r = elf_pread_all(f, buf, len, off);
	if (!r)
		r = scan_buf(f, buf, len, align, where, res);
	free(buf);
	return r;
}

/* One note area (a PT_NOTE segment or a note section, KIND and index I for messages). */
static int scan_note_area(struct elf_file *f, const char *kind, size_t i, uint64_t off,
                          uint64_t len, uint64_t align, struct pvh_note_result *res,
                          uint64_t *budget)
{
	char where[40];
	snprintf(where, sizeof(where), "%s %zu", kind, i);
	int r = check_area(f, off, len, where, budget);
	if (r || len == 0)
		return r;
	return scan_area(f, off, len, align, where, res);
}

static int scan_segments(struct elf_file *f, struct pvh_note_result *res)
{
	uint64_t budget = f->size;
	for (size_t i = 0; i < f->phnum; i++) {
		GElf_Phdr ph;
		if (!gelf_getphdr(f->elf, (int)i, &ph))
			return elf_fail(f, -EINVAL, "unreadable program header %zu: %s", i,
			                elf_errmsg(-1));
		if (ph.p_type != PT_NOTE || ph.p_offset == 0)
			continue;
		int r = scan_note_area(f, "PT_NOTE segment", i, ph.p_offset, ph.p_filesz,
		                       ph.p_align, res, &budget);
		if (r)
			return r;
	}
	return 0;
}

static int check_section_headers(struct elf_file *f, const GElf_Ehdr *eh, size_t shnum)
{
	uint64_t ent = f->cls == ELFCLASS32 ? sizeof(Elf32_Shdr) : sizeof(Elf64_Shdr);
	if (shnum > PVH_ELF_MAX_SHDRS)
		return elf_fail(f, -EINVAL, "%zu section headers (maximum %u)", shnum,
		                PVH_ELF_MAX_SHDRS);
	if (eh->e_shentsize != ent)
		return elf_fail(f, -EINVAL, "section header entry size %u (expected %" PRIu64 ")",
		                eh->e_shentsize, ent);
	if (!elf_in_file(f, eh->e_shoff, shnum * ent))
		return elf_fail(f, -EINVAL, "section headers lie outside the file");
	return 0;
}

static int scan_sections(struct elf_file *f, const GElf_Ehdr *eh, struct pvh_note_result *res)
{
	/*
	 * e_shnum itself, not elf_getshdrnum(), which shrinks the count to what fits in the file.
	 * e_shnum 0 with headers present is extended numbering (0xff00 or more), far above our
	 * cap; without headers a stripped kernel simply has nothing to search.
	 */
	size_t shnum = eh->e_shnum;
	if (eh->e_shoff == 0)
		return 0;
	if (shnum == 0)
		return elf_fail(f, -EINVAL,
		                "extended section numbering: more than %u section "
		                "headers",
		                PVH_ELF_MAX_SHDRS);
	uint64_t budget = f->size;
	int r = check_section_headers(f, eh, shnum);
	for (size_t i = 1; !r && !res->found && i < shnum; i++) {
		GElf_Shdr sh;
		Elf_Scn *scn = elf_getscn(f->elf, i);
		if (!scn || !gelf_getshdr(scn, &sh))
			return elf_fail(f, -EINVAL, "unreadable section header %zu: %s", i,
			                elf_errmsg(-1));
		if (sh.sh_type == SHT_NOTE)
			r = scan_note_area(f, "note section", i, sh.sh_offset, sh.sh_size,
			                   sh.sh_addralign, res, &budget);
	}
	return r;
}

int elf_find_entry(struct elf_file *f, const GElf_Ehdr *eh, uint32_t *entry)
{
	struct pvh_note_result res = {0};
	int r = scan_segments(f, &res);
	if (!r && !res.found)
		r = scan_sections(f, eh, &res);
	if (r)
		return r;
	if (!res.found)
		return elf_fail(
		    f, -EINVAL,
		    "no PVH entry note (Xen ELF note type 18, XEN_ELFNOTE_PHYS32_ENTRY): "
		    "not a PVH kernel");
	*entry = res.entry;
	return 0;
}
