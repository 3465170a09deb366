/* SPDX-License-Identifier: MIT */
/*
 * PVH entry of the benchmark guest: the loader enters here in 32-bit flat protected mode with
 * paging off and EBX = the hvm_start_info address (docs/abi.md section 1).
 */
	.section .note.Xen, "a"
	.balign 4
	.long 4			/* namesz: "Xen\0" */
	.long 4			/* descsz */
	.long 18		/* XEN_ELFNOTE_PHYS32_ENTRY */
	.asciz "Xen"
	.long _start

	.section .text.entry, "ax"
	.code32
	.globl _start
_start:
	cli
	cld
	movl $stack_top, %esp
	pushl %ebx		/* bench_main(start_info) */
	call bench_main
	movw $0xf4, %dx		/* the exit port takes the status as a 4-byte write */
	outl %eax, %dx
1:	hlt
	jmp 1b

/* An AP started through the bring-up page arrives here in 32-bit flat mode: count in, halt. */
	.globl ap_entry
ap_entry:
	lock incl ap_count
2:	cli
	hlt
	jmp 2b

	.section .data
	.balign 4
	.globl ap_count
ap_count:
	.long 0

	.section .bss
	.balign 16
	.space 16384
stack_top:

	.section .note.GNU-stack, "", @progbits
