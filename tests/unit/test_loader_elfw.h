/* SPDX-License-Identifier: MIT */
/*
 * A small ELF writer for the loader tests: builds ELF32/ELF64 images in memory with chosen
 * program headers, notes and sections, so each test can break exactly one thing.
 */
#ifndef TEST_LOADER_ELFW_H
#define TEST_LOADER_ELFW_H

#include <stddef.h>
#include <stdint.h>

#define ELFW_CONTENT 0x1000u /* content blobs start at this file offset; headers go before */
#define ELFW_MAX_PH 72u
#define ELFW_MAX_SH 8u
#define ELFW_MAX_CONTENT 0x8000u
#define ELFW_AUTO (-1)

/* Addresses of the good kernel elfw_good() builds. */
#define ELFW_TEXT_GPA 0x100000u
#define ELFW_TEXT_FILESZ 0x200u
#define ELFW_TEXT_MEMSZ 0x3000u
#define ELFW_DATA_GPA 0x104000u
#define ELFW_DATA_FILESZ 0x80u
#define ELFW_DATA_MEMSZ 0x100u
#define ELFW_ENTRY 0x100010u

struct elfw_phdr {
	uint32_t type, flags;
	uint64_t offset, vaddr, paddr, filesz, memsz, align;
};

struct elfw_shdr {
	uint32_t type;
	uint64_t offset, size, addralign;
};

struct elfw {
	int cls; /* 32 or 64 */
	uint16_t machine, type;
	uint64_t entry; /* e_entry (the loader ignores it; PVH uses the note) */
	/* Header fields: ELFW_AUTO means "the consistent value". */
	int64_t phoff, phnum, phentsize, shoff, shnum, shentsize;
	struct elfw_phdr ph[ELFW_MAX_PH];
	size_t nph;
	struct elfw_shdr sh[ELFW_MAX_SH]; /* sh[0] is the null section, added by elfw_init */
	size_t nsh;
	uint8_t content[ELFW_MAX_CONTENT];
	size_t clen;
};

void elfw_init(struct elfw *w, int cls);
/* Appends bytes to the content area aligned to `align`; returns their file offset. */
uint64_t elfw_blob(struct elfw *w, const void *data, size_t n, size_t align);
/* Encodes one note record into out (padded to `align`); returns its length. */
size_t elfw_note(uint8_t *out, const char *name, uint32_t namesz, uint32_t type, const void *desc,
                 uint32_t descsz, size_t align);
/* Appends a PT_NOTE (or SHT_NOTE when `section`) holding a Xen PHYS32_ENTRY note. */
uint64_t elfw_entry_note(struct elfw *w, uint32_t entry, uint32_t descsz, int section);
struct elfw_phdr *elfw_phdr(struct elfw *w, uint32_t type, uint64_t offset, uint64_t paddr,
                            uint64_t filesz, uint64_t memsz);
struct elfw_shdr *elfw_shdr(struct elfw *w, uint32_t type, uint64_t offset, uint64_t size);

/* A valid PVH kernel: text and data PT_LOADs, and the entry note (descsz 4 or 8) in a PT_NOTE
 * segment, or only in a note section when `note_in_section`. */
void elfw_good(struct elfw *w, int cls, uint32_t descsz, int note_in_section);
/* The bytes of the text segment elfw_good() writes (for comparisons). */
uint8_t elfw_text_byte(size_t i);

/* Serialises the image into a malloc'd buffer; *len gets its size. */
uint8_t *elfw_image(const struct elfw *w, size_t *len);
/* Writes n bytes to path (truncating). Returns 0 or -errno. */
int elfw_write_bytes(const char *path, const void *buf, size_t n);
/* Serialises and writes the whole image. */
int elfw_write(const struct elfw *w, const char *path);

/*
 * Asserts that loading path fails with `want`, a one-line message naming the file and containing
 * frag, and leaves a one-region list and the entry untouched. `what` names the case on failure.
 */
void elfw_expect_fail(const char *path, int want, const char *frag, const char *what);

/* A per-process temporary directory, removed with everything in it by elfw_tmp_cleanup(). */
const char *elfw_tmp_path(const char *name);
void elfw_tmp_cleanup(void);

#endif
