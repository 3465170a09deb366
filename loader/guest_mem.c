// SPDX-License-Identifier: MIT
#include "loader/guest_mem.h"

#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "loader/guest_abi.h"

void guest_mem_ranges(uint64_t size, struct ram_range ram[2], size_t *nram)
{
	uint64_t low = size < PVH_SEV_MMIO_HOLE_GPA ? size : PVH_SEV_MMIO_HOLE_GPA;
	ram[0].start = 0;
	ram[0].size = low;
	*nram = 1;
	if (size > low) {
		ram[1].start = PVH_SEV_4G;
		ram[1].size = size - low;
		*nram = 2;
	}
}

int guest_mem_map(struct guest_mem *m, uint64_t size)
{
	memset(m, 0, sizeof(*m));
	if (size < GUEST_MEM_MIN || size > GUEST_MEM_MAX || size % PAGE_SIZE)
		return -EINVAL;
	void *p = mmap(NULL, size, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (p == MAP_FAILED)
		return -errno;
	m->host = p;
	m->size = size;
	guest_mem_ranges(size, m->ram, &m->nram);
	return 0;
}

void guest_mem_unmap(struct guest_mem *m)
{
	if (m->host)
		munmap(m->host, m->size);
	memset(m, 0, sizeof(*m));
}

uint64_t guest_mem_range_offset(const struct guest_mem *m, size_t i)
{
	return i == 0 ? 0 : m->ram[0].size;
}

void *guest_mem_ptr(const struct guest_mem *m, gpa_t gpa, uint64_t len)
{
	for (size_t i = 0; i < m->nram; i++) {
		const struct ram_range *r = &m->ram[i];
		if (gpa < r->start || gpa - r->start > r->size || len > r->size - (gpa - r->start))
			continue;
		return m->host + guest_mem_range_offset(m, i) + (gpa - r->start);
	}
	return NULL;
}

static bool all_zero(const uint8_t *p, size_t n) { return !n || (!p[0] && !memcmp(p, p + 1, n - 1)); }

/*
 * Zero fill that writes only where memory is not zero already. A fresh anonymous mapping reads
 * as the shared zero page, so a kernel's gigabytes of p_memsz beyond its file bytes cost
 * neither RAM nor page faults of writes: a small file cannot make the VMM commit --mem.
 */
static void zero_fill(uint8_t *p, uint64_t len)
{
	while (len) {
		size_t n = len < PAGE_SIZE - ((uintptr_t)p & (PAGE_SIZE - 1))
		               ? (size_t)len
		               : PAGE_SIZE - ((uintptr_t)p & (PAGE_SIZE - 1));
		if (!all_zero(p, n))
			memset(p, 0, n);
		p += n;
		len -= n;
	}
}

int guest_mem_load_regions(struct guest_mem *m, const struct region_list *l)
{
	for (size_t i = 0; i < l->n; i++) {
		const struct region *g = &l->v[i];
		uint8_t *p = guest_mem_ptr(m, g->gpa, g->size);
		if (!p)
			return -EFAULT;
		if (g->data_len)
			memcpy(p, g->data, g->data_len);
		zero_fill(p + g->data_len, g->size - g->data_len);
	}
	return 0;
}

int parse_mem_size(const char *s, uint64_t *out)
{
	char *end;
	if (!s || !*s || *s == '-' || *s == '+')
		return -EINVAL;
	errno = 0;
	unsigned long long v = strtoull(s, &end, 10);
	if (errno || end == s)
		return -EINVAL;
	unsigned shift = 0;
	switch (*end) {
	case 'k': case 'K': shift = 10; end++; break;
	case 'm': case 'M': shift = 20; end++; break;
	case 'g': case 'G': shift = 30; end++; break;
	case '\0': break;
	default: return -EINVAL;
	}
	if (*end == 'i' || *end == 'B')
		end += (*end == 'i' && end[1] == 'B') ? 2 : 1;
	if (*end)
		return -EINVAL;
	if (shift && v > (UINT64_MAX >> shift))
		return -EINVAL;
	*out = (uint64_t)v << shift;
	return 0;
}
