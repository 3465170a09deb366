// SPDX-License-Identifier: MIT
#include "loader/guest_mem.h"

#include <errno.h>
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

int guest_mem_load_regions(struct guest_mem *m, const struct region_list *l)
{
	for (size_t i = 0; i < l->n; i++) {
		const struct region *g = &l->v[i];
		uint8_t *p = guest_mem_ptr(m, g->gpa, g->size);
		if (!p)
			return -EFAULT;
		if (g->data_len)
			memcpy(p, g->data, g->data_len);
		memset(p + g->data_len, 0, g->size - g->data_len);
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
