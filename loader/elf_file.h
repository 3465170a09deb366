/* SPDX-License-Identifier: MIT */
/* Internal to the ELF loader: the open file and the steps elf_loader.c runs in order. */
#ifndef PVH_ELF_FILE_H
#define PVH_ELF_FILE_H

#include <gelf.h>
#include <stddef.h>
#include <stdint.h>

#include "loader/elf_loader.h"

struct elf_file {
	const char *path;
	int fd;
	uint64_t size; /* file size: every offset and length is checked against it */
	Elf *elf;
	int cls; /* ELFCLASS32 or ELFCLASS64 */
	size_t phnum;
	char *err;
	size_t errlen;
};

struct elf_seg {
	unsigned idx; /* ordinal among the PT_LOADs, in file order */
	uint64_t paddr, memsz, offset, filesz;
};

struct elf_segs {
	struct elf_seg v[PVH_ELF_MAX_LOADS];
	size_t n;
};

/* Writes "path: message" to f->err and returns r. */
int elf_fail(struct elf_file *f, int r, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
int elf_pread_all(struct elf_file *f, void *buf, uint64_t len, uint64_t off);
int elf_in_file(const struct elf_file *f, uint64_t off, uint64_t len);

/* Validates the PT_LOAD headers into segs, sorted by p_paddr, non-overlapping, below 4 GiB. */
int elf_collect_loads(struct elf_file *f, struct elf_segs *segs);
/* Finds the PHYS32_ENTRY note: PT_NOTE segments first, SHT_NOTE sections only if none had it. */
int elf_find_entry(struct elf_file *f, const GElf_Ehdr *eh, uint32_t *entry);
/* The entry must lie in the file bytes of a PT_LOAD segment. */
int elf_check_entry(struct elf_file *f, const struct elf_segs *segs, uint32_t entry);
/* Reads the segments into regions appended to out. */
int elf_add_segments(struct elf_file *f, const struct elf_segs *segs, struct region_list *out);

#endif
