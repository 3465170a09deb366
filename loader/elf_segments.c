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
 * Adds segs[first, last] as one region. Segments that share a page are merged because the
 * measurement rounds each region out to whole pages and must see each page once.
 */
static int add_group(struct elf_file *f, const struct elf_segs *segs, size_t first, size_t last,
                     struct region_list *out)
{
	const struct elf_seg *s0 = &segs->v[first], *sl = &segs->v[last];
	uint64_t size = sl->paddr + sl->memsz - s0->paddr, data_len = 0;
	for (size_t k = first; k <= last; k++)
		if (segs->v[k].filesz)
			data_len = segs->v[k].paddr + segs->v[k].filesz - s0->paddr;
	uint8_t *data = data_len ? calloc(1, data_len) : NULL;
	if (data_len && !data)
		return elf_fail(f, -ENOMEM, "out of memory for 0x%" PRIx64 " bytes of segments",
		                data_len);
	for (size_t k = first; k <= last; k++) {
		const struct elf_seg *s = &segs->v[k];
		if (!s->filesz)
			continue;
		int r = elf_pread_all(f, data + (s->paddr - s0->paddr), s->filesz, s->offset);
		if (r) {
			free(data);
			return r;
		}
	}
	char name[48];
	if (first == last)
		snprintf(name, sizeof(name), "kernel[%u]", s0->idx);
	else
		snprintf(name, sizeof(name), "kernel[%u..%u]", s0->idx, sl->idx);
	int r = region_add_owned(out, name, REGION_KERNEL, 0, s0->paddr, size, data, data_len);
	if (r) {
		free(data);
		return elf_fail(f, r, "cannot record segment %s", name);
	}
	return 0;
}

int elf_add_segments(struct elf_file *f, const struct elf_segs *segs, struct region_list *out)
{
	size_t first = 0;
	for (size_t k = 0; k < segs->n; k++) {
		const struct elf_seg *s = &segs->v[k];
		int shares_page = k + 1 < segs->n &&
		                  PAGE_DOWN(segs->v[k + 1].paddr) < PAGE_UP(s->paddr + s->memsz);
		if (shares_page)
			continue;
		int r = add_group(f, segs, first, k, out);
		if (r)
			return r;
		first = k + 1;
	}
	return 0;
}
