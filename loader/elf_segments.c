// SPDX-License-Identifier: MIT
/* PT_LOAD segments: validation, then reading them into REGION_KERNEL regions. */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>

#include "loader/elf_file.h"
#include "loader/gpa.h"

static int check_load(struct elf_file *f, size_t i, const GElf_Phdr *ph)
{
	if (ph->p_memsz < ph->p_filesz)
		return elf_fail(f, -EINVAL,
		                "segment %zu: p_memsz 0x%" PRIx64
		                " is smaller than p_filesz 0x%" PRIx64,
		                i, ph->p_memsz, ph->p_filesz);
	if (ph->p_filesz && !elf_in_file(f, ph->p_offset, ph->p_filesz))
		return elf_fail(f, -EINVAL,
		                "segment %zu: file bytes at offset 0x%" PRIx64 " size 0x%" PRIx64
		                " lie outside the file (%" PRIu64 " bytes)",
		                i, ph->p_offset, ph->p_filesz, f->size);
	if (ph->p_paddr + ph->p_memsz < ph->p_paddr)
		return elf_fail(f, -EINVAL,
		                "segment %zu: [0x%" PRIx64 ", +0x%" PRIx64
		                ") wraps around the address space",
		                i, ph->p_paddr, ph->p_memsz);
	if (ph->p_paddr + ph->p_memsz > PVH_ELF_LOAD_LIMIT)
		return elf_fail(f, -EINVAL,
		                "segment %zu: [0x%" PRIx64 "-0x%" PRIx64 ") extends beyond 4 GiB",
		                i, ph->p_paddr, ph->p_paddr + ph->p_memsz);
	return 0;
}

static int seg_cmp(const void *a, const void *b)
{
	const struct elf_seg *x = a, *y = b;
	return x->paddr < y->paddr ? -1 : x->paddr > y->paddr;
}

static int check_overlaps(struct elf_file *f, struct elf_segs *segs)
{
	qsort(segs->v, segs->n, sizeof(segs->v[0]), seg_cmp);
	for (size_t k = 1; k < segs->n; k++) {
		const struct elf_seg *a = &segs->v[k - 1], *b = &segs->v[k];
		if (b->paddr < a->paddr + a->memsz)
			return elf_fail(f, -EINVAL,
			                "PT_LOAD segments %u and %u overlap at 0x%" PRIx64, a->idx,
			                b->idx, b->paddr);
	}
	return 0;
}

int elf_collect_loads(struct elf_file *f, struct elf_segs *segs)
{
	unsigned nload = 0;
	segs->n = 0;
	for (size_t i = 0; i < f->phnum; i++) {
		GElf_Phdr ph;
		if (!gelf_getphdr(f->elf, (int)i, &ph))
			return elf_fail(f, -EINVAL, "unreadable program header %zu: %s", i,
			                elf_errmsg(-1));
		if (ph.p_type != PT_LOAD)
			continue;
		if (nload >= PVH_ELF_MAX_LOADS)
			return elf_fail(f, -EINVAL, "more than %u PT_LOAD segments",
			                PVH_ELF_MAX_LOADS);
		int r = check_load(f, i, &ph);
		if (r)
			return r;
		unsigned idx = nload++;
		if (ph.p_memsz == 0)
			continue; /* nothing to load; keeps the names of the others stable */
		segs->v[segs->n++] =
		    (struct elf_seg){idx, ph.p_paddr, ph.p_memsz, ph.p_offset, ph.p_filesz};
	}
	if (segs->n == 0)
		return elf_fail(f, -EINVAL, "no loadable (non-empty PT_LOAD) segments");
	return check_overlaps(f, segs);
}

int elf_check_entry(struct elf_file *f, const struct elf_segs *segs, uint32_t entry)
{
	for (size_t k = 0; k < segs->n; k++) {
		const struct elf_seg *s = &segs->v[k];
		if (entry >= s->paddr && entry - s->paddr < s->filesz)
			return 0;
	}
	return elf_fail(f, -EINVAL,
	                "PVH entry point 0x%x is not inside the file bytes of any PT_LOAD segment",
	                entry);
}

/*
 * Adds the part [lo, hi) of segs[first, last] as one region. Its data is the file bytes of the
 * segments that start in it, with the zeros between them; elf_add_segments cuts the pieces so
 * that those zeros stay under two pages between consecutive segments.
 */
static int add_piece(struct elf_file *f, const struct elf_segs *segs, size_t first, size_t last,
                     uint64_t lo, uint64_t hi, struct region_list *out)
{
	uint64_t data_len = 0;
	for (size_t k = first; k <= last; k++) {
		const struct elf_seg *s = &segs->v[k];
		if (s->filesz && s->paddr >= lo && s->paddr + s->filesz - lo > data_len)
			data_len = s->paddr + s->filesz - lo;
	}
	uint8_t *data = data_len ? calloc(1, data_len) : NULL;
	if (data_len && !data)
		return elf_fail(f, -ENOMEM, "out of memory for 0x%" PRIx64 " bytes of segments",
		                data_len);
	for (size_t k = first; k <= last; k++) {
		const struct elf_seg *s = &segs->v[k];
		if (!s->filesz || s->paddr < lo)
			continue;
		int r = elf_pread_all(f, data + (s->paddr - lo), s->filesz, s->offset);
		if (r) {
			free(data);
			return r;
		}
	}
	char name[48];
	if (first == last)
		snprintf(name, sizeof(name), "kernel[%u]", segs->v[first].idx);
	else
		snprintf(name, sizeof(name), "kernel[%u..%u]", segs->v[first].idx,
		         segs->v[last].idx);
	int r = region_add_owned(out, name, REGION_KERNEL, 0, lo, hi - lo, data, data_len);
	if (r) {
		free(data);
		return elf_fail(f, r, "cannot record segment %s", name);
	}
	return 0;
}

/*
 * Segments that share a page become one region, because the measurement rounds each region out
 * to whole pages and must see each page once. Such a group is cut again at a page boundary
 * wherever a page or more of zeros (a segment's p_memsz beyond its file bytes) lies before the
 * next segment's file bytes: otherwise a few hundred bytes of file could make the region's data
 * buffer span gigabytes of zeros. The pieces meet at page boundaries, so no page is measured
 * twice and guest memory gets the same bytes.
 */
int elf_add_segments(struct elf_file *f, const struct elf_segs *segs, struct region_list *out)
{
	size_t first = 0;
	uint64_t lo = segs->v[0].paddr, data_end = lo;
	for (size_t k = 0; k < segs->n; k++) {
		const struct elf_seg *s = &segs->v[k], *next = k + 1 < segs->n ? s + 1 : NULL;
		uint64_t end = s->paddr + s->memsz;
		int r = 0;
		if (s->filesz && s->paddr >= lo && s->paddr + s->filesz > data_end)
			data_end = s->paddr + s->filesz;
		if (!next || PAGE_DOWN(next->paddr) >= PAGE_UP(end)) {
			r = add_piece(f, segs, first, k, lo, end, out);
			first = k + 1;
			lo = data_end = next ? next->paddr : 0;
		} else if (next->filesz && PAGE_UP(data_end) <= PAGE_DOWN(next->paddr) &&
		           PAGE_DOWN(next->paddr) > lo) {
			uint64_t cut = PAGE_DOWN(next->paddr);
			r = add_piece(f, segs, first, k, lo, cut, out);
			first = k;
			lo = data_end = cut;
		}
		if (r)
			return r;
	}
	return 0;
}
