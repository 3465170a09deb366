/* SPDX-License-Identifier: MIT */
/*
 * Walking the MP tables (Intel MultiProcessor Specification 1.4) the way a guest kernel does:
 * floating pointer, then the configuration table's processor entries. Pure code (no I/O): the
 * host unit tests run it against ap/mptable.c's tables and broken copies of them.
 */
#if __STDC_HOSTED__
#include <string.h> /* host unit tests */
#else
#include "examples/lib/pvh_guest.h"
#endif

#include "examples/smp.h"

#define MP_FLOAT_LEN 16
#define MP_HDR_LEN 44
#define MP_CPU_ENTRY_LEN 20
#define MP_OTHER_ENTRY_LEN 8
#define MP_CPU_ENABLED 0x1
#define MP_CPU_BSP 0x2

static uint8_t sum8(const uint8_t *p, size_t len)
{
	uint8_t s = 0;

	while (len--)
		s = (uint8_t)(s + *p++);
	return s;
}

static uint32_t rd32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static uint16_t rd16(const uint8_t *p)
{
	return (uint16_t)(p[0] | p[1] << 8);
}

/* Counts the processor entries of a checked table; -7 on an entry that overruns or is unknown. */
static int walk_entries(const uint8_t *e, size_t len, unsigned count, struct smp_mp_summary *out)
{
	uint8_t seen[SMP_MAX_CPUS + 1];
	size_t off = 0;

	memset(seen, 0, sizeof(seen));
	out->ids_dense = 1;
	for (unsigned i = 0; i < count; i++) {
		size_t elen = e[off] == 0 ? MP_CPU_ENTRY_LEN : MP_OTHER_ENTRY_LEN;

		if (off >= len || e[off] > 4 || len - off < elen)
			return -7;
		if (e[off] == 0 && (e[off + 3] & MP_CPU_ENABLED)) {
			uint8_t id = e[off + 1];

			out->cpus++;
			if (e[off + 3] & MP_CPU_BSP) {
				out->bsp_count++;
				out->bsp_apic_id = id;
			}
			if (id >= SMP_MAX_CPUS || seen[id]++)
				out->ids_dense = 0;
		}
		off += elen;
	}
	for (unsigned id = 0; id < out->cpus; id++)
		if (id >= SMP_MAX_CPUS || !seen[id])
			out->ids_dense = 0;
	return 0;
}

int smp_mp_walk(const uint8_t *fp, smp_phys_fn phys, struct smp_mp_summary *out)
{
	const uint8_t *hdr;
	uint16_t len;

	memset(out, 0, sizeof(*out));
	if (!fp || memcmp(fp, "_MP_", 4) != 0)
		return -1;
	if (fp[8] != 1 || sum8(fp, MP_FLOAT_LEN) != 0)
		return -2; /* length (16-byte units) and checksum */
	if (rd32(fp + 4) == 0)
		return -3; /* a default configuration: no table to count */
	hdr = phys(rd32(fp + 4), MP_HDR_LEN);
	if (!hdr || memcmp(hdr, "PCMP", 4) != 0)
		return -4;
	len = rd16(hdr + 4);
	if (len < MP_HDR_LEN || !(hdr = phys(rd32(fp + 4), len)))
		return -5;
	if (sum8(hdr, len) != 0)
		return -6;
	return walk_entries(hdr + MP_HDR_LEN, len - MP_HDR_LEN, rd16(hdr + 34), out);
}
