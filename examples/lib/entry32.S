/* SPDX-License-Identifier: MIT */
/*
 * Entry of the 32-bit flavour. PVH enters here in flat 32-bit protected mode, paging off, with
 * EBX = start_info. The guest stays in that mode: clear .bss, set up a stack, call C.
 */
	.section .text.entry32, "ax"
	.code32
	.globl pvh_entry32
	.type pvh_entry32, @function
pvh_entry32:
	cld
	/* .bss is zeroed here so that nothing depends on how the loader filled it. */
	movl $__bss_start, %edi
	movl $__bss_end, %ecx
	subl %edi, %ecx
	shrl $2, %ecx
	xorl %eax, %eax
	rep stosl
	movl $pvh_stack_top, %esp
	movl %ebx, pvh_start_info_paddr
	pushl %ebx
	call pvh_c_start	/* does not return */
1:	cli
	hlt
	jmp 1b
	.size pvh_entry32, . - pvh_entry32

	.section .note.GNU-stack, "", @progbits
