/* SPDX-License-Identifier: MIT */
/* Hex and base64 for digests, keys and nonces on the command line, in reports and dumps. */
#ifndef PVH_SEV_ENCODE_H
#define PVH_SEV_ENCODE_H

#include <stddef.h>
#include <stdint.h>

/* Lower-case hex of n bytes into out (2n+1 bytes, NUL-terminated). */
void sev_hex(const uint8_t *p, size_t n, char *out);
/* Standard base64 (with padding) of n bytes into out (4*((n+2)/3)+1 bytes). */
void sev_base64(const uint8_t *p, size_t n, char *out);
/* Parses exactly n bytes of hex (2n digits, either case, optional "0x"). 0 or -EINVAL. */
int sev_unhex(const char *s, uint8_t *out, size_t n);

#endif
