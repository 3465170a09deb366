/* SPDX-License-Identifier: MIT */
/* The boot GDT the VMM places at PVH_SEV_BOOT_GDT_GPA for the BSP's PVH entry. */
#ifndef PVH_BOOT_GDT_H
#define PVH_BOOT_GDT_H

#include <stdint.h>

#define BOOT_GDT_CS 0x08u  /* flat 32-bit code, attributes 0xc9b */
#define BOOT_GDT_DS 0x10u  /* flat 32-bit data, attributes 0xc93 */
#define BOOT_GDT_TSS 0x18u /* 32-bit busy TSS, base 0, limit 0x67 */
#define BOOT_GDT_ENTRIES 4u
#define BOOT_GDT_SIZE (BOOT_GDT_ENTRIES * 8u)

/* The descriptors, in guest byte order. */
static const uint64_t boot_gdt_entries[BOOT_GDT_ENTRIES] = {
	0,
	0x00cf9b000000ffffull,
	0x00cf93000000ffffull,
	0x00008b0000000067ull,
};

#endif
