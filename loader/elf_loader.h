/* SPDX-License-Identifier: MIT */
/*
 * The PVH ELF loader: reads a kernel with libelf, validates every header and size it uses,
 * finds the Xen PHYS32_ENTRY note, and records the PT_LOAD segments as REGION_KERNEL
 * regions. It never touches a VM; the region list is the whole result.
 */
#ifndef PVH_ELF_LOADER_H
#define PVH_ELF_LOADER_H

#include <stddef.h>
#include <stdint.h>

#include "loader/region.h"

/* Limits on what a kernel file may ask for; anything larger is rejected as hostile. */
#define PVH_ELF_MAX_PHDRS 256u       /* program headers of any type */
#define PVH_ELF_MAX_LOADS 64u        /* PT_LOAD segments */
#define PVH_ELF_MAX_SHDRS 32768u     /* section headers (only read when no PT_NOTE has the note) */
#define PVH_ELF_MAX_NOTES (1u << 20) /* bytes in one PT_NOTE segment or SHT_NOTE section */
#define PVH_ELF_LOAD_LIMIT                                                                         \
	(1ull << 32) /* segments end at or below 4 GiB (32-bit entry, no paging) */

/*
 * Loads the PVH kernel at `path`: appends one REGION_KERNEL region per PT_LOAD segment (at
 * p_paddr, size p_memsz, data = the p_filesz file bytes; segments that share a 4 KiB page are
 * merged into one region) and stores the PHYS32_ENTRY address in *entry.
 *
 * Returns 0, or -EINVAL (malformed or unsupported file), -EISDIR, -ENOMEM or another -errno
 * (open/read failure). On failure `out` is left as it was and `err` holds one line naming the
 * file and the problem.
 */
int pvh_elf_load(const char *path, struct region_list *out, uint32_t *entry, char *err,
                 size_t errlen);

#endif
