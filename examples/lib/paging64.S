/* SPDX-License-Identifier: MIT */
/*
 * The 64-bit flavour's page tables, all in one place: the first 4 GiB mapped 1:1 with 2 MiB
 * pages (one PML4, one PDPT, four page directories). They are static data, so the common case
 * (no extra bits) costs no instructions at boot; the 3-4 GiB range (PVH_SEV_MMIO_HOLE_GPA up,
 * LAPIC and other MMIO) is mapped uncached.
 *
 * pvh_pte_extra_mask (default 0) is ORed into every PML4E, PDPTE and PDE by
 * pvh_paging_apply_mask before paging is enabled, and into CR3 by the entry stub once in long
 * mode. A guest sets it from its pvh_entry32_hook, e.g. to 1 << cbit for SEV.
 */
#define PTE_P 0x1
#define PTE_RW 0x2
#define PTE_PWT 0x8
#define PTE_PCD 0x10
#define PTE_PS 0x80
#define PD_COUNT 4
#define MMIO_2M_INDEX (0xc0000000 >> 21)

	.section .data.pvh_pagetables, "aw"
	.balign 4096
	.globl pvh_pml4
pvh_pml4:
	.quad pvh_pdpt + (PTE_P | PTE_RW)
	.fill 511, 8, 0
pvh_pdpt:
	.quad pvh_pd + 0x0000 + (PTE_P | PTE_RW)
	.quad pvh_pd + 0x1000 + (PTE_P | PTE_RW)
	.quad pvh_pd + 0x2000 + (PTE_P | PTE_RW)
	.quad pvh_pd + 0x3000 + (PTE_P | PTE_RW)
	.fill 512 - PD_COUNT, 8, 0
pvh_pd:
	.set i, 0
	.rept 512 * PD_COUNT
	/* gas comparisons yield -1 for true, so "& bits" selects the bits */
	.quad (i << 21) | (PTE_P | PTE_RW | PTE_PS) | ((i >= MMIO_2M_INDEX) & (PTE_PCD | PTE_PWT))
	.set i, i + 1
	.endr

	.section .data
	.balign 8
	.globl pvh_pte_extra_mask
pvh_pte_extra_mask:
	.quad 0

	.section .text.entry32, "ax"
	.code32
	/* ORs pvh_pte_extra_mask into every present entry; cdecl, EBX/ESI/EDI/EBP preserved. */
	.globl pvh_paging_apply_mask
	.type pvh_paging_apply_mask, @function
pvh_paging_apply_mask:
	movl pvh_pte_extra_mask, %eax
	movl pvh_pte_extra_mask + 4, %edx
	movl %eax, %ecx
	orl %edx, %ecx
	jz 3f
	pushl %esi
	movl $pvh_pml4, %esi
	movl $1, %ecx
	call 1f
	movl $pvh_pdpt, %esi
	movl $PD_COUNT, %ecx
	call 1f
	movl $pvh_pd, %esi
	movl $512 * PD_COUNT, %ecx
	call 1f
	popl %esi
	ret
	/* ORs EDX:EAX into ECX quadwords at ESI. */
1:	orl %eax, (%esi)
	orl %edx, 4(%esi)
	addl $8, %esi
	decl %ecx
	jnz 1b
	ret
3:	ret
	.size pvh_paging_apply_mask, . - pvh_paging_apply_mask

	.section .note.GNU-stack, "", @progbits
