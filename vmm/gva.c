// SPDX-License-Identifier: MIT
#include "vmm/gva.h"

#include <errno.h>
#include <string.h>

#define CR0_PG (1ull << 31)
#define CR4_PSE (1ull << 4)
#define CR4_PAE (1ull << 5)
#define CR4_LA57 (1ull << 12)
#define EFER_LMA (1ull << 10)
#define PTE_P 1ull
#define PTE_PS (1ull << 7)
#define ADDR_MASK 0x000ffffffffff000ull

static int read_entry(const struct guest_mem *mem, uint64_t gpa, unsigned size, uint64_t *val)
{
	const void *p = guest_mem_ptr(mem, gpa, size);
	if (!p)
		return -EFAULT;
	*val = 0;
	memcpy(val, p, size);
	return 0;
}

/* PAE and long-mode tables: 8-byte entries, 9 index bits per level. */
static int walk_pae(const struct guest_mem *mem, uint64_t table, int levels, uint64_t strip,
		    uint64_t linear, uint64_t *gpa)
{
	for (int level = levels; level >= 1; level--) {
		unsigned shift = 12 + 9 * (level - 1);
		uint64_t idx = (linear >> shift) & 511;
		if (levels == 3 && level == 3)
			idx = (linear >> 30) & 3; /* PAE's PDPT has 4 entries */
		uint64_t e;
		if (read_entry(mem, (table & ~strip) + idx * 8, 8, &e) || !(e & PTE_P))
			return -EFAULT;
		e &= ~strip;
		/* Large pages: 2 MiB at level 2, 1 GiB at level 3 of 4-level paging only. */
		int leaf = level == 1 || ((e & PTE_PS) && (level == 2 || (level == 3 && levels == 4)));
		if (leaf) {
			uint64_t page_mask = (1ull << shift) - 1;
			*gpa = ((e & ADDR_MASK) & ~page_mask) | (linear & page_mask);
			return 0;
		}
		table = e & ADDR_MASK;
	}
	return -EFAULT;
}

static int walk_32bit(const struct guest_mem *mem, const struct gva_regs *r, uint64_t linear,
		      uint64_t *gpa)
{
	uint64_t pde, pte;
	if (read_entry(mem, (r->cr3 & 0xfffff000) + ((linear >> 22) & 1023) * 4, 4, &pde) ||
	    !(pde & PTE_P))
		return -EFAULT;
	if ((pde & PTE_PS) && (r->cr4 & CR4_PSE)) {
		*gpa = (pde & 0xffc00000) | ((pde & 0x1fe000) << 19) | (linear & 0x3fffff);
		return 0;
	}
	if (read_entry(mem, (pde & 0xfffff000) + ((linear >> 12) & 1023) * 4, 4, &pte) ||
	    !(pte & PTE_P))
		return -EFAULT;
	*gpa = (pte & 0xfffff000) | (linear & 0xfff);
	return 0;
}

int gva_translate(const struct guest_mem *mem, const struct gva_regs *r, uint64_t strip,
		  uint64_t linear, uint64_t *gpa)
{
	if (!(r->cr0 & CR0_PG)) {
		*gpa = linear & 0xffffffffull;
		return 0;
	}
	if (r->efer & EFER_LMA) {
		if (r->cr4 & CR4_LA57)
			return -ENOTSUP;
		return walk_pae(mem, r->cr3 & ADDR_MASK, 4, strip, linear, gpa);
	}
	linear &= 0xffffffffull;
	if (r->cr4 & CR4_PAE)
		return walk_pae(mem, r->cr3 & 0xffffffe0ull, 3, strip, linear, gpa);
	return walk_32bit(mem, r, linear, gpa);
}

int gva_read(const struct guest_mem *mem, const struct gva_regs *r, uint64_t strip,
	     uint64_t linear, void *buf, size_t len)
{
	uint8_t *out = buf;
	while (len) {
		uint64_t gpa;
		int e = gva_translate(mem, r, strip, linear, &gpa);
		if (e)
			return e;
		size_t chunk = 4096 - (linear & 4095);
		if (chunk > len)
			chunk = len;
		const void *p = guest_mem_ptr(mem, gpa, chunk);
		if (!p)
			return -EFAULT;
		memcpy(out, p, chunk);
		out += chunk;
		linear += chunk;
		len -= chunk;
	}
	return 0;
}
