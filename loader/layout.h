/* SPDX-License-Identifier: MIT */
/*
 * The boot-data layout: adds the PVH boot regions (boot GDT, start_info + modlist, memory map,
 * command line) and the modules (initrd, --module files) to the region list, then checks the
 * whole list against guest RAM. docs/layout.md describes every address.
 *
 * Order of calls: pvh_elf_load() (kernel regions), then whatever else the VMM places (AP area,
 * MP table, ACPI: regions the guest must not use as RAM carry REGION_F_RESERVED), then
 * layout_add_boot_data() last, because the memory map is computed from the finished list.
 */
#ifndef PVH_LAYOUT_H
#define PVH_LAYOUT_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "loader/gpa.h"
#include "loader/hvm_start_info.h"
#include "loader/region.h"
#include "loader/guest_abi.h"

#define LAYOUT_MODULES_MAX PVH_SEV_MODLIST_MAX        /* initrd included */
#define LAYOUT_CMDLINE_MAX (PVH_SEV_CMDLINE_MAX - 1u) /* bytes, without the NUL */
#define LAYOUT_MEMMAP_MAX PVH_SEV_MEMMAP_MAX

struct layout_params {
	uint64_t mem_size;          /* guest RAM in bytes (parse_mem_size) */
	const char *cmdline;        /* NULL or "": no command line (cmdline_paddr 0) */
	const char *initrd;         /* NULL: none; otherwise module 0 */
	const char *const *modules; /* further module files, in order */
	size_t nmodules;
	uint32_t start_info_flags; /* SIF_* for start_info.flags (SIF_HVM_GHCB in SEV-ES modes) */
	uint64_t rsdp_paddr;       /* ACPI RSDP for start_info, 0 when there are no tables */
};

/* Checks a RAM size: 2 MiB to 64 GiB, a multiple of 4 KiB. Returns 0 or -EINVAL with a reason. */
int layout_check_mem(uint64_t mem_size, char *err, size_t errlen);

/*
 * Loads the modules (placed downward from the top of RAM below 3 GiB, page aligned, around the
 * regions already in the list), adds the boot regions, checks that no two regions overlap
 * (page-rounded) and all lie in RAM, and sorts the list by address. *start_info gets the GPA
 * for EBX. Returns 0 or -errno with a one-line reason in err; on failure the list is as it was.
 */
int layout_add_boot_data(const struct layout_params *p, struct region_list *l, gpa_t *start_info,
                         char *err, size_t errlen);

/*
 * The memory map the guest gets for `mem_size` bytes of RAM and the regions in l: sorted, no
 * empty entries, adjacent entries of one type merged. RAM is [0, 0x90000), [1 MiB, min(mem,
 * 3 GiB)) and [4 GiB, ...) when mem > 3 GiB; [0x90000, 1 MiB) and the page-rounded extent of
 * every REGION_F_RESERVED region are reserved. Writes up to max entries to out and the count
 * to *n; returns -EINVAL (with a reason) if more would be needed.
 */
int layout_memmap(uint64_t mem_size, const struct region_list *l,
                  struct hvm_memmap_table_entry *out, size_t max, size_t *n, char *err,
                  size_t errlen);

/* Prints a memory map, one "start-end type" line per entry (for --dump-layout and tests). */
void layout_memmap_print(const struct hvm_memmap_table_entry *e, size_t n, FILE *out);

#endif
