/* SPDX-License-Identifier: MIT */
/*
 * The PVH boot-data structures (Xen public/arch-x86/hvm/start_info.h, version 1), written
 * from the published ABI. Freestanding: shared by the loader and the example guests.
 */
#ifndef PVH_HVM_START_INFO_H
#define PVH_HVM_START_INFO_H

#include <stdint.h>

#define XEN_HVM_START_MAGIC_VALUE 0x336ec578u
#define XEN_ELFNOTE_PHYS32_ENTRY 18u

/*
 * SIF_HVM_GHCB: the guest runs SEV-ES and must use the GHCB. PROVISIONAL: from an unmerged
 * Xen RFC (Dec 2025) whose reviewers may rename it; keep every use behind this one constant.
 */
#define SIF_HVM_GHCB (1u << 5)

enum hvm_memmap_type {
	XEN_HVM_MEMMAP_TYPE_RAM = 1,
	XEN_HVM_MEMMAP_TYPE_RESERVED = 2,
	XEN_HVM_MEMMAP_TYPE_ACPI = 3,
	XEN_HVM_MEMMAP_TYPE_NVS = 4,
	XEN_HVM_MEMMAP_TYPE_UNUSABLE = 5,
	XEN_HVM_MEMMAP_TYPE_DISABLED = 6,
	XEN_HVM_MEMMAP_TYPE_PMEM = 7,
};

struct hvm_start_info {
	uint32_t magic;
	uint32_t version;
	uint32_t flags;
	uint32_t nr_modules;
	uint64_t modlist_paddr;
	uint64_t cmdline_paddr;
	uint64_t rsdp_paddr;
	uint64_t memmap_paddr; /* version 1 */
	uint32_t memmap_entries;
	uint32_t reserved;
};

struct hvm_modlist_entry {
	uint64_t paddr;
	uint64_t size;
	uint64_t cmdline_paddr;
	uint64_t reserved;
};

struct hvm_memmap_table_entry {
	uint64_t addr;
	uint64_t size;
	uint32_t type;
	uint32_t reserved;
};

_Static_assert(sizeof(struct hvm_start_info) == 56, "hvm_start_info v1 is 56 bytes");
_Static_assert(__builtin_offsetof(struct hvm_start_info, memmap_paddr) == 40, "memmap_paddr");
_Static_assert(__builtin_offsetof(struct hvm_start_info, memmap_entries) == 48, "memmap_entries");
_Static_assert(sizeof(struct hvm_modlist_entry) == 32, "hvm_modlist_entry");
_Static_assert(sizeof(struct hvm_memmap_table_entry) == 24, "hvm_memmap_table_entry");

#endif
