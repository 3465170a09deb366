/* SPDX-License-Identifier: MIT */
/* The assembled BSP pre-stub (ap/stub/bsp_prestub.S), generated into a C array at build time. */
#ifndef PVH_BSP_PRESTUB_BLOB_H
#define PVH_BSP_PRESTUB_BLOB_H

#include <stddef.h>
#include <stdint.h>

extern const uint8_t bsp_prestub_bytes[];
extern const size_t bsp_prestub_size;

#endif
