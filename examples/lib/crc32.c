/* SPDX-License-Identifier: MIT */
/*
 * CRC-32 (IEEE 802.3, reflected polynomial 0xEDB88320), byte-wise with a 256-entry table. The
 * table is computed by the compiler from the polynomial (macros below), so the guest spends no
 * instructions building it: every instruction counts when each one is emulated.
 */
#include "pvh_guest.h"

#define CRC32_POLY 0xedb88320u

/* One shift step of the bit-wise CRC; T(n) is table entry n after eight steps. */
#define S(c) (((c) >> 1) ^ (CRC32_POLY & (0u - ((c) & 1u))))
#define T(n) S(S(S(S(S(S(S(S((uint32_t)(n)))))))))
#define R4(n) T(n), T((n) + 1), T((n) + 2), T((n) + 3)
#define R16(n) R4(n), R4((n) + 4), R4((n) + 8), R4((n) + 12)
#define R64(n) R16(n), R16((n) + 16), R16((n) + 32), R16((n) + 48)

static const uint32_t crc32_table[256] = {R64(0), R64(64), R64(128), R64(192)};

uint32_t pvh_crc32(uint32_t crc, const void *buf, size_t len)
{
	const unsigned char *p = buf;

	crc = ~crc;
	while (len--)
		crc = crc32_table[(crc ^ *p++) & 0xffu] ^ (crc >> 8);
	return ~crc;
}
