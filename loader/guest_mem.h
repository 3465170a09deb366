/* SPDX-License-Identifier: MIT */
/*
 * Guest RAM as host memory: one anonymous mapping, seen by the guest as up to two ranges
 * (below the MMIO hole at 3 GiB, and from 4 GiB up). The only way to reach guest memory is
 * guest_mem_ptr(), which checks the whole [gpa, gpa+len) range and never trusts the guest.
 */
#ifndef PVH_GUEST_MEM_H
#define PVH_GUEST_MEM_H

#include <stddef.h>
#include <stdint.h>

#include "loader/gpa.h"
#include "loader/region.h"

#define GUEST_MEM_MIN (2ull << 20)
#define GUEST_MEM_MAX (64ull << 30)

struct guest_mem {
	uint8_t *host;   /* mapping of `size` bytes */
	uint64_t size;   /* total RAM */
	struct ram_range ram[2];
	size_t nram;
};

/* Computes the RAM ranges for `size` bytes without mapping anything. */
void guest_mem_ranges(uint64_t size, struct ram_range ram[2], size_t *nram);

/* Maps `size` bytes (MAP_NORESERVE, zero-filled). Returns 0 or -errno. */
int guest_mem_map(struct guest_mem *m, uint64_t size);
void guest_mem_unmap(struct guest_mem *m);

/* Host pointer for [gpa, gpa+len) if it lies in one RAM range, else NULL. */
void *guest_mem_ptr(const struct guest_mem *m, gpa_t gpa, uint64_t len);

/* Host offset of a RAM range's start inside the mapping (for memory slots). */
uint64_t guest_mem_range_offset(const struct guest_mem *m, size_t i);

/* Copies every region into RAM (data, then zero fill). Fails with -EFAULT outside RAM. */
int guest_mem_load_regions(struct guest_mem *m, const struct region_list *l);

/* Parses a size like "256M", "1G", "65536K", "4096" (bytes). Returns 0 or -EINVAL. */
int parse_mem_size(const char *s, uint64_t *out);

#endif
