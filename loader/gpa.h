/* SPDX-License-Identifier: MIT */
/* Guest-physical addresses have their own type so they are never mixed with host pointers. */
#ifndef PVH_GPA_H
#define PVH_GPA_H

#include <stdint.h>

typedef uint64_t gpa_t;

#define PAGE_SIZE 4096ull
#define PAGE_MASK (~(PAGE_SIZE - 1))
#define PAGE_DOWN(x) ((x) & PAGE_MASK)
#define PAGE_UP(x) (((x) + PAGE_SIZE - 1) & PAGE_MASK)

#endif
