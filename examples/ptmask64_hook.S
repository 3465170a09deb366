/* SPDX-License-Identifier: MIT */
/*
 * ptmask64's pvh_entry32_hook: the model for a guest that needs extra bits in its page tables
 * (an SEV guest would read the C-bit position from the GHCB MSR here and set 1 << cbit).
 * It runs in 32-bit mode before paging is on, with EBX = start_info and a stack (cdecl: keep
 * EBX, ESI, EDI, EBP). It must live in .text.entry32 with the library's other 32-bit code.
 * The bits used here are ignored by the CPU in CR3, PML4Es, PDPTEs and 2 MiB PDEs, so the
 * test runs on any x86-64 host.
 */
#include "ptmask64.h"

	.section .text.entry32, "ax"
	.code32
	.globl pvh_entry32_hook
	.type pvh_entry32_hook, @function
pvh_entry32_hook:
	movl $PTMASK64_BITS_LO, pvh_pte_extra_mask
	movl $PTMASK64_BITS_HI, pvh_pte_extra_mask + 4
	ret
	.size pvh_entry32_hook, . - pvh_entry32_hook

	.section .note.GNU-stack, "", @progbits
