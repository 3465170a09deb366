/* SPDX-License-Identifier: MIT */
/* The assembled AP entry stub (ap/stub/ap_stub.S), generated into a C array at build time. */
#ifndef PVH_AP_STUB_BLOB_H
#define PVH_AP_STUB_BLOB_H

#include <stddef.h>
#include <stdint.h>

extern const uint8_t ap_stub_bytes[];
extern const size_t ap_stub_size;

#endif
