/* SPDX-License-Identifier: MIT */
/*
 * Entry of the 64-bit flavour (the object is ELF64, this stub is 32-bit code). PVH enters here in
 * flat 32-bit protected mode, paging off, EBX = start_info. The stub clears .bss, sets up a stack,
 * lets the guest's pvh_entry32_hook choose extra PTE bits (an SEV C-bit), applies them to the
 * static identity tables (paging64.S), and switches to long mode the way the AMD64 manual
 * describes: CR4.PAE, CR3, EFER.LME, CR0.PG, then a far jump to a 64-bit code segment.
 */
#define X86_CR4_PAE 0x20
#define X86_CR0_PG 0x80000000
#define MSR_EFER 0xc0000080
#define EFER_LME 0x100
#define GDT64_CODE 0x08
#define GDT64_DATA 0x10

	.section .text.entry32, "ax"
	.code32
	.globl pvh_entry32
	.type pvh_entry32, @function
pvh_entry32:
	cld
	movl $__bss_start, %edi
	movl $__bss_end, %ecx
	subl %edi, %ecx
	shrl $2, %ecx
	xorl %eax, %eax
	rep stosl
	movl $pvh_stack_top, %esp
	movl %ebx, pvh_start_info_paddr	/* low half; the high half was just zeroed */

	call pvh_entry32_hook		/* cdecl, EBX = start_info, may set pvh_pte_extra_mask */
	call pvh_paging_apply_mask

	lgdt pvh_gdt64_desc
	movl %cr4, %eax			/* keep what is set (CR4.MCE under SEV-ES) */
	orl $X86_CR4_PAE, %eax
	movl %eax, %cr4
	movl $pvh_pml4, %eax		/* a 32-bit CR3 cannot hold a C-bit: added in long mode */
	movl %eax, %cr3
	movl $MSR_EFER, %ecx
	rdmsr
	orl $EFER_LME, %eax
	wrmsr
	movl %cr0, %eax
	orl $X86_CR0_PG, %eax
	movl %eax, %cr0
	ljmp $GDT64_CODE, $pvh_entry64
	.size pvh_entry32, . - pvh_entry32

	.section .text.entry, "ax"
	.code64
	.type pvh_entry64, @function
pvh_entry64:
	movl $GDT64_DATA, %eax
	movl %eax, %ds
	movl %eax, %es
	movl %eax, %ss
	movl %eax, %fs
	movl %eax, %gs
	movq $pvh_stack_top, %rsp	/* the upper half of RSP is undefined after the switch */
	movq pvh_pte_extra_mask(%rip), %rax
	testq %rax, %rax
	jz 1f
	movq %cr3, %rcx
	orq %rax, %rcx
	movq %rcx, %cr3
1:	movq pvh_start_info_paddr(%rip), %rdi
	call pvh_c_start		/* does not return */
2:	cli
	hlt
	jmp 2b
	.size pvh_entry64, . - pvh_entry64

	/*
	 * The default hook: no extra PTE bits. A guest overrides it with a strong definition, in
	 * section .text.entry32 (the linker script keeps all 32-bit code there).
	 */
	.section .text.entry32, "ax"
	.code32
	.weak pvh_entry32_hook
	.type pvh_entry32_hook, @function
pvh_entry32_hook:
	ret
	.size pvh_entry32_hook, . - pvh_entry32_hook

	.section .rodata
	.balign 8
	.globl pvh_gdt64
pvh_gdt64:
	.quad 0				/* null */
	.quad 0x00af9a000000ffff	/* 0x08: 64-bit code, DPL 0 */
	.quad 0x00cf92000000ffff	/* 0x10: flat data */
pvh_gdt64_end:
	.balign 2
pvh_gdt64_desc:
	.word pvh_gdt64_end - pvh_gdt64 - 1
	.long pvh_gdt64

	.section .note.GNU-stack, "", @progbits
