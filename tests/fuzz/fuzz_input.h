/* SPDX-License-Identifier: MIT */
/*
 * Reading a fuzzer's input as a stream of typed values. Past the end every value reads as 0,
 * so a short input is still a complete (if dull) test case and no target needs length checks.
 */
#ifndef PVH_FUZZ_INPUT_H
#define PVH_FUZZ_INPUT_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

struct fuzz_in {
	const uint8_t *p;
	size_t left;
};

static inline uint64_t fuzz_uint(struct fuzz_in *in, size_t bytes)
{
	uint64_t v = 0;
	for (size_t i = 0; i < bytes && in->left; i++, in->left--)
		v |= (uint64_t)*in->p++ << (8 * i);
	return v;
}

static inline uint8_t fuzz_u8(struct fuzz_in *in) { return (uint8_t)fuzz_uint(in, 1); }
static inline uint16_t fuzz_u16(struct fuzz_in *in) { return (uint16_t)fuzz_uint(in, 2); }
static inline uint32_t fuzz_u32(struct fuzz_in *in) { return (uint32_t)fuzz_uint(in, 4); }
static inline uint64_t fuzz_u64(struct fuzz_in *in) { return fuzz_uint(in, 8); }

/* Copies up to n bytes into out, zero-filling what the input lacks; returns the bytes taken. */
static inline size_t fuzz_bytes(struct fuzz_in *in, void *out, size_t n)
{
	size_t k = n < in->left ? n : in->left;
	memcpy(out, in->p, k);
	memset((uint8_t *)out + k, 0, n - k);
	in->p += k;
	in->left -= k;
	return k;
}

#endif
