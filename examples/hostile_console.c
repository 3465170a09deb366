/* SPDX-License-Identifier: MIT */
/*
 * Console output in bulk (kib=N, default 16384: 16 MiB; port=debugcon|com1): page k of 4 KiB is a fixed
 * block with k in 8 hex digits over its first 8 bytes, so stdout can be checked by hash for
 * every byte in order (tests/integration/hostile_console.sh computes the same bytes). Nothing
 * else is printed: stdout holds only the pattern.
 *
 * via=port (the default): one-page `rep outsb`, one exit per byte on KVM. via=ghcb (emulated
 * SEV-ES with GHCB version 1, --sev-init legacy): GHCB string OUTs of 64 KiB through a scratch
 * area in RAM, 16 pages per VMGEXIT, the way to move 16 MiB where every exit is costly.
 */
#include "examples/hostile.h"

#define BLOCK 4096u
#define CHUNK (16u * BLOCK) /* the GHCB v1 scratch area's limit */

static uint8_t chunk[CHUNK] __attribute__((aligned(4096)));

static int is(const char *v, size_t len, const char *s)
{
	size_t n = pvh_strnlen(s, 64);
	return v && len == n && !memcmp(v, s, n);
}

static void put_index(uint8_t *block, uint32_t k)
{
	static const char hex[] = "0123456789abcdef";
	for (unsigned d = 0; d < 8; d++)
		block[d] = (uint8_t)hex[(k >> (28 - 4 * d)) & 0xf];
}

int hostile_console(const struct hostile_env *e)
{
	uint32_t kib = 16384;
	uint16_t port = PVH_SEV_DEBUGCON_PORT;
	size_t len;
	const char *v = pvh_cmdline_find(e->cmdline, "kib", &len);
	if (v && (pvh_parse_u32(v, len, &kib) || kib > (1u << 20) || kib % 64))
		return 2; /* whole 64 KiB chunks, at most 1 GiB */
	v = pvh_cmdline_find(e->cmdline, "port", &len);
	if (is(v, len, "com1"))
		port = PVH_SEV_COM1_PORT;
	else if (v && !is(v, len, "debugcon"))
		return 2;
	v = pvh_cmdline_find(e->cmdline, "via", &len);
	int ghcb = is(v, len, "ghcb");
	if ((v && !ghcb && !is(v, len, "port")) || (ghcb && !e->sev))
		return 2;
	/* Every byte value, in an order that is not a plain count. */
	for (uint32_t j = 0; j < BLOCK; j++)
		chunk[j] = (uint8_t)(j * 131u + (j >> 8) * 7u);
	uint32_t blocks = kib / (BLOCK / 1024);
	if (ghcb) {
		for (uint32_t i = 1; i < CHUNK / BLOCK; i++)
			memcpy(chunk + i * BLOCK, chunk, BLOCK);
		for (uint32_t k = 0; k < blocks; k += CHUNK / BLOCK) {
			for (uint32_t i = 0; i < CHUNK / BLOCK; i++)
				put_index(chunk + i * BLOCK, k + i);
			if (hostile_ghcb_string_out(port, (uint32_t)(uintptr_t)chunk, CHUNK))
				return 3; /* refused: the test sees a short stdout and status 3 */
		}
		return 0;
	}
	for (uint32_t k = 0; k < blocks; k++) {
		put_index(chunk, k);
		uint32_t si = (uint32_t)(uintptr_t)chunk, cx = BLOCK;
		__asm__ volatile("rep outsb" : "+S"(si), "+c"(cx) : "d"(port) : "memory");
	}
	return 0;
}
