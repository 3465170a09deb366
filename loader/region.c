// SPDX-License-Identifier: MIT
#include "loader/region.h"

#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

void region_list_init(struct region_list *l)
{
	memset(l, 0, sizeof(*l));
}

void region_list_free(struct region_list *l)
{
	for (size_t i = 0; i < l->n; i++)
		free(l->v[i].data);
	free(l->v);
	region_list_init(l);
}

void region_list_truncate(struct region_list *l, size_t n)
{
	while (l->n > n)
		free(l->v[--l->n].data);
}

static int region_list_grow(struct region_list *l)
{
	if (l->n < l->cap)
		return 0;
	size_t cap = l->cap ? l->cap * 2 : 16;
	struct region *v = realloc(l->v, cap * sizeof(*v));
	if (!v)
		return -ENOMEM;
	l->v = v;
	l->cap = cap;
	return 0;
}

int region_add_owned(struct region_list *l, const char *name, enum region_kind kind,
		     uint32_t flags, gpa_t gpa, uint64_t size, uint8_t *data, uint64_t data_len)
{
	if (data_len > size)
		return -EINVAL;
	int r = region_list_grow(l);
	if (r)
		return r;
	struct region *g = &l->v[l->n++];
	memset(g, 0, sizeof(*g));
	snprintf(g->name, sizeof(g->name), "%s", name);
	g->kind = kind;
	g->flags = flags;
	g->gpa = gpa;
	g->size = size;
	g->data = data;
	g->data_len = data_len;
	return 0;
}

int region_add(struct region_list *l, const char *name, enum region_kind kind, uint32_t flags,
	       gpa_t gpa, uint64_t size, const void *data, uint64_t data_len)
{
	uint8_t *copy = NULL;
	if (data_len > size)
		return -EINVAL;
	if (data_len) {
		copy = malloc(data_len);
		if (!copy)
			return -ENOMEM;
		memcpy(copy, data, data_len);
	}
	int r = region_add_owned(l, name, kind, flags, gpa, size, copy, data_len);
	if (r)
		free(copy);
	return r;
}

static int region_cmp(const void *a, const void *b)
{
	const struct region *x = a, *y = b;
	if (x->gpa != y->gpa)
		return x->gpa < y->gpa ? -1 : 1;
	return x < y ? -1 : (x > y);
}

void region_list_sort(struct region_list *l)
{
	if (l->n)
		qsort(l->v, l->n, sizeof(*l->v), region_cmp);
}

static int region_in_ram(const struct region *g, const struct ram_range *ram, size_t nram)
{
	gpa_t lo = PAGE_DOWN(g->gpa), hi = PAGE_UP(g->gpa + g->size);
	for (size_t i = 0; i < nram; i++)
		if (lo >= ram[i].start && hi <= ram[i].start + ram[i].size)
			return 1;
	return 0;
}

int region_list_check(const struct region_list *l, const struct ram_range *ram, size_t nram,
		      char *why, size_t whylen)
{
	char dummy[1];
	if (!why) {
		why = dummy;
		whylen = sizeof(dummy);
	}
	for (size_t i = 0; i < l->n; i++) {
		const struct region *g = &l->v[i];
		if (g->size == 0)
			continue;
		if (g->gpa + g->size < g->gpa || PAGE_UP(g->gpa + g->size) < g->gpa) {
			snprintf(why, whylen, "region %s wraps around the address space", g->name);
			return -EINVAL;
		}
		if (!region_in_ram(g, ram, nram)) {
			snprintf(why, whylen,
				 "region %s [0x%" PRIx64 "-0x%" PRIx64 ") is outside guest RAM",
				 g->name, g->gpa, g->gpa + g->size);
			return -EINVAL;
		}
		for (size_t j = 0; j < i; j++) {
			const struct region *h = &l->v[j];
			if (h->size == 0)
				continue;
			if (PAGE_DOWN(g->gpa) < PAGE_UP(h->gpa + h->size) &&
			    PAGE_DOWN(h->gpa) < PAGE_UP(g->gpa + g->size)) {
				snprintf(why, whylen,
					 "regions %s [0x%" PRIx64 "-0x%" PRIx64 ") and %s [0x%" PRIx64
					 "-0x%" PRIx64 ") overlap (page-rounded)",
					 h->name, h->gpa, h->gpa + h->size, g->name, g->gpa,
					 g->gpa + g->size);
				return -EINVAL;
			}
		}
	}
	return 0;
}

const char *region_kind_name(enum region_kind k)
{
	switch (k) {
	case REGION_BOOT:
		return "boot";
	case REGION_KERNEL:
		return "kernel";
	case REGION_MODULE:
		return "module";
	case REGION_AP:
		return "ap";
	case REGION_TABLE:
		return "table";
	}
	return "?";
}

void region_list_print(const struct region_list *l, FILE *out)
{
	fprintf(out, "%-18s %-18s %-10s %-7s %s\n", "start", "end", "size", "kind", "name");
	for (size_t i = 0; i < l->n; i++) {
		const struct region *g = &l->v[i];
		fprintf(out, "0x%016" PRIx64 " 0x%016" PRIx64 " 0x%-8" PRIx64 " %-7s %s%s\n", g->gpa,
			g->gpa + g->size, g->size, region_kind_name(g->kind), g->name,
			(g->flags & REGION_F_RESERVED) ? " (reserved)" : "");
	}
}
