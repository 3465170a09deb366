// SPDX-License-Identifier: MIT
/*
 * The PVH memory map, computed from the RAM size and the reserved regions: the address line is
 * cut at every range boundary, each piece gets the type of what covers it (reserved wins over
 * RAM), and neighbours of one type are merged. Reserved ranges are few, so the quadratic walk
 * is fine and easy to check.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>

#include "loader/guest_mem.h"
#include "loader/layout.h"

struct span {
	uint64_t lo, hi;
	uint32_t type;
};

static size_t collect_spans(uint64_t mem, const struct region_list *l, struct span *s)
{
	struct ram_range ram[2];
	size_t nram, n = 0;
	guest_mem_ranges(mem, ram, &nram);
	for (size_t i = 0; i < nram; i++)
		s[n++] = (struct span){ram[i].start, ram[i].start + ram[i].size,
		                       XEN_HVM_MEMMAP_TYPE_RAM};
	/* The AP area, MP table and legacy hole: the guest must never use them as RAM. */
	s[n++] =
	    (struct span){PVH_SEV_LOW_RAM_END, PVH_SEV_HIGH_RAM_GPA, XEN_HVM_MEMMAP_TYPE_RESERVED};
	for (size_t i = 0; i < l->n; i++) {
		const struct region *g = &l->v[i];
		if ((g->flags & REGION_F_RESERVED) && g->size)
			s[n++] = (struct span){PAGE_DOWN(g->gpa), PAGE_UP(g->gpa + g->size),
			                       XEN_HVM_MEMMAP_TYPE_RESERVED};
	}
	return n;
}

static int u64_cmp(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
	return x < y ? -1 : x > y;
}

static uint32_t type_at(const struct span *s, size_t n, uint64_t at)
{
	uint32_t type = 0;
	for (size_t i = 0; i < n; i++)
		if (at >= s[i].lo && at < s[i].hi &&
		    (type == 0 || s[i].type == XEN_HVM_MEMMAP_TYPE_RESERVED))
			type = s[i].type;
	return type;
}

static int emit(struct hvm_memmap_table_entry *out, size_t max, size_t *n, uint64_t lo, uint64_t hi,
                uint32_t type)
{
	if (*n && out[*n - 1].type == type && out[*n - 1].addr + out[*n - 1].size == lo) {
		out[*n - 1].size += hi - lo;
		return 0;
	}
	if (*n == max)
		return -EINVAL;
	out[(*n)++] = (struct hvm_memmap_table_entry){.addr = lo, .size = hi - lo, .type = type};
	return 0;
}

int layout_memmap(uint64_t mem_size, const struct region_list *l,
                  struct hvm_memmap_table_entry *out, size_t max, size_t *n, char *err,
                  size_t errlen)
{
	size_t cap = l->n + 3, nb = 0;
	struct span *s = calloc(cap, sizeof(*s));
	uint64_t *b = calloc(2 * cap, sizeof(*b));
	int r = 0;
	*n = 0;
	if (!s || !b) {
		snprintf(err, errlen, "out of memory for the memory map");
		r = -ENOMEM;
		goto out;
	}
	size_t ns = collect_spans(mem_size, l, s);
	for (size_t i = 0; i < ns; i++) {
		b[nb++] = s[i].lo;
		b[nb++] = s[i].hi;
	}
	qsort(b, nb, sizeof(*b), u64_cmp);
	for (size_t i = 0; i + 1 < nb && !r; i++) {
		uint32_t type = b[i] < b[i + 1] ? type_at(s, ns, b[i]) : 0;
		if (type)
			r = emit(out, max, n, b[i], b[i + 1], type);
	}
	if (r)
		snprintf(err, errlen, "the memory map needs more than %zu entries", max);
out:
	free(s);
	free(b);
	return r;
}

void layout_memmap_print(const struct hvm_memmap_table_entry *e, size_t n, FILE *out)
{
	for (size_t i = 0; i < n; i++)
		fprintf(out, "0x%016" PRIx64 "-0x%016" PRIx64 " %s\n", e[i].addr,
		        e[i].addr + e[i].size,
		        e[i].type == XEN_HVM_MEMMAP_TYPE_RAM ? "ram" : "reserved");
}
