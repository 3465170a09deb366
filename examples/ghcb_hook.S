/* SPDX-License-Identifier: MIT */
/*
 * The ghcb guest's pvh_entry32_hook: learns the C-bit the way the Xen SIF_HVM_GHCB proposal
 * describes, from the GHCB MSR and not from CPUID (CPUID would raise #VC on SEV-ES hardware,
 * and there is no #VC handler yet). Before the guest has written the GHCB MSR it reads as the
 * SEV_INFO response: GHCBInfo (11:0) = 0x001, C-bit position in 31:24. RDMSR of this MSR never
 * raises #VC. If the value is a SEV_INFO response with a plausible C-bit (32..63), the hook sets
 * pvh_pte_extra_mask = 1 << cbit; otherwise it leaves the mask 0 and the C code reports it.
 * Outside SEV-ES the MSR does not exist: the RDMSR raises #GP and, with no IDT yet, the run
 * ends in a triple fault (tested).
 *
 * 32-bit cdecl before paging is on: keeps EBX, ESI, EDI, EBP. Lives in .text.entry32.
 */
#define GHCB_MSR 0xc0010130
#define SEV_INFO_RESP 0x001

	.section .text.entry32, "ax"
	.code32
	.globl pvh_entry32_hook
	.type pvh_entry32_hook, @function
pvh_entry32_hook:
	movl $GHCB_MSR, %ecx
	rdmsr
	movl %eax, ghcb_guest_entry_msr
	movl %edx, ghcb_guest_entry_msr + 4
	movl %eax, %ecx
	andl $0xfff, %ecx
	cmpl $SEV_INFO_RESP, %ecx
	jne 1f
	shrl $24, %eax			/* C-bit position */
	cmpl $32, %eax
	jb 1f
	cmpl $63, %eax
	ja 1f
	leal -32(%eax), %ecx
	movl $1, %eax
	shll %cl, %eax			/* bit (cbit - 32) of the high half */
	movl $0, pvh_pte_extra_mask
	movl %eax, pvh_pte_extra_mask + 4
1:	ret
	.size pvh_entry32_hook, . - pvh_entry32_hook

	/* The GHCB MSR as read at entry (in .data: the stub clears .bss before the hook). */
	.section .data
	.balign 8
	.globl ghcb_guest_entry_msr
ghcb_guest_entry_msr:
	.quad 0

	.section .note.GNU-stack, "", @progbits
