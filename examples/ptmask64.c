/* SPDX-License-Identifier: MIT */
/*
 * ptmask64: tests the 64-bit flavour's page-table hook (64-bit only). Its pvh_entry32_hook
 * (ptmask64_hook.S) sets pvh_pte_extra_mask; this checks that the mask reached CR3 and every
 * PML4E/PDPTE/PDE of the identity map, that the map is still 1:1 with the MMIO range
 * uncached, and that memory works through it. Prints "ptmask64: ok" and exits 0, or names
 * the first mismatch and exits 1.
 */
#include "lib/pvh_guest.h"
#include "ptmask64.h"

#define PTE_ADDR_MASK 0x000ffffffffff000ull
#define PDE_PS 0x80ull
#define PDE_CACHE_BITS 0x18ull /* PCD | PWT */
#define MMIO_FROM (PVH_SEV_MMIO_HOLE_GPA >> 21)
#define PROBE_ADDR 0x4000000ull /* 64 MiB: RAM in any VM this test runs in */

static const uint64_t want = ((uint64_t)PTMASK64_BITS_HI << 32) | PTMASK64_BITS_LO;

static int fail(const char *what, uint64_t index, uint64_t value)
{
	pvh_printf("ptmask64: FAIL %s[%llu]=0x%llx mask=0x%llx\n", what, (unsigned long long)index,
		   (unsigned long long)value, (unsigned long long)want);
	return 1;
}

static int check_pds(const uint64_t *pdpt)
{
	for (uint64_t g = 0; g < 4; g++) {
		const uint64_t *pd;

		if ((pdpt[g] & want) != want || !(pdpt[g] & 1))
			return fail("pdpt", g, pdpt[g]);
		pd = (const uint64_t *)(uintptr_t)(pdpt[g] & PTE_ADDR_MASK & ~want);
		for (uint64_t i = 0; i < 512; i++) {
			uint64_t n = g * 512 + i, e = pd[i];
			uint64_t cache = n >= MMIO_FROM ? PDE_CACHE_BITS : 0;

			if ((e & want) != want || (e & PTE_ADDR_MASK & ~want) != n << 21 ||
			    !(e & PDE_PS) || (e & PDE_CACHE_BITS) != cache)
				return fail("pde", n, e);
		}
	}
	return 0;
}

int guest_main(const struct hvm_start_info *si)
{
	volatile uint64_t *probe = (volatile uint64_t *)(uintptr_t)PROBE_ADDR;
	uint64_t cr3;

	__asm__ volatile("mov %%cr3, %0" : "=r"(cr3));
	pvh_printf("ptmask64: mask=0x%llx cr3=0x%llx pml4[0]=0x%llx\n",
		   (unsigned long long)pvh_pte_extra_mask, (unsigned long long)cr3,
		   (unsigned long long)pvh_pml4[0]);
	if (pvh_pte_extra_mask != want)
		return fail("mask", 0, pvh_pte_extra_mask);
	if ((cr3 & want) != want || (cr3 & PTE_ADDR_MASK & ~want) != (uintptr_t)pvh_pml4)
		return fail("cr3", 0, cr3);
	if ((pvh_pml4[0] & want) != want)
		return fail("pml4", 0, pvh_pml4[0]);
	for (int i = 1; i < 512; i++)
		if (pvh_pml4[i])
			return fail("pml4", (uint64_t)i, pvh_pml4[i]);
	if (check_pds((const uint64_t *)(uintptr_t)(pvh_pml4[0] & PTE_ADDR_MASK & ~want)))
		return 1;
	*probe = 0x5a5aa5a5f00dcafeull;
	if (*probe != 0x5a5aa5a5f00dcafeull)
		return fail("probe", 0, *probe);
	pvh_printf("ptmask64: ok\n");
	return 0;
}
