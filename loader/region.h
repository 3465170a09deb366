/* SPDX-License-Identifier: MIT */
/*
 * The region list: every byte the VMM writes into guest memory before the launch, as named
 * regions. The loader and layout produce it, the VM copies it into RAM, sev measures it,
 * `--dump-layout` prints it. Regions never touch the VM themselves.
 */
#ifndef PVH_REGION_H
#define PVH_REGION_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "loader/gpa.h"

enum region_kind {
	REGION_BOOT,   /* boot data: GDT, start_info, modlist, memmap, cmdline */
	REGION_KERNEL, /* a PT_LOAD segment */
	REGION_MODULE, /* initrd or --module */
	REGION_AP,     /* the AP area */
	REGION_TABLE,  /* MP table, ACPI */
};

/* The memory map lists a region's page-rounded extent as reserved when this is set. */
#define REGION_F_RESERVED 0x1u

struct region {
	char name[48];
	enum region_kind kind;
	uint32_t flags;
	gpa_t gpa;
	uint64_t size;     /* bytes in guest memory (for PT_LOAD: p_memsz) */
	uint64_t data_len; /* bytes of data; size - data_len bytes of zero follow */
	uint8_t *data;     /* owned copy, data_len bytes */
};

struct region_list {
	struct region *v;
	size_t n;
	size_t cap;
};

void region_list_init(struct region_list *l);
void region_list_free(struct region_list *l);

/* Adds a region with a copy of data (data_len bytes, may be 0). Returns 0 or -errno. */
int region_add(struct region_list *l, const char *name, enum region_kind kind, uint32_t flags,
	       gpa_t gpa, uint64_t size, const void *data, uint64_t data_len);

/* Adds a region whose data buffer (malloc'd, data_len bytes) the list takes over. */
int region_add_owned(struct region_list *l, const char *name, enum region_kind kind,
		     uint32_t flags, gpa_t gpa, uint64_t size, uint8_t *data, uint64_t data_len);

/* Frees the regions from index n on (callers undo their own additions on failure). */
void region_list_truncate(struct region_list *l, size_t n);

/* Sorts by GPA (stable for equal GPAs). */
void region_list_sort(struct region_list *l);

/*
 * Checks that no two regions overlap on their page-rounded extents, no region wraps, and each
 * lies inside one of the RAM ranges. On failure returns -EINVAL and, if why is non-NULL,
 * writes a one-line reason naming the region(s).
 */
struct ram_range {
	gpa_t start;
	uint64_t size;
};
int region_list_check(const struct region_list *l, const struct ram_range *ram, size_t nram,
		      char *why, size_t whylen);

/* Prints the list as a table (`--dump-layout`). */
void region_list_print(const struct region_list *l, FILE *out);

const char *region_kind_name(enum region_kind k);

#endif
