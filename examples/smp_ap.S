/* SPDX-License-Identifier: MIT */
/*
 * The smp example's AP side: where APs enter, and the real-mode trampoline for INIT-SIPI.
 *
 * smp_ap_entry32 (32-bit, paging off): the bring-up slot gave EAX = token, EBX = vCPU index,
 *   ESP = this AP's stack. It records what it sees and halts with interrupts off.
 * smp_ap_entry64 (64-bit build only, long mode): RSI = token, RDI = index, RSP = its stack;
 *   the C side (smp_ap_main64) records.
 * smp_trampoline: copied to SMP_TRAMPOLINE_GPA; real mode -> 32-bit protected mode, then
 *   smp_ap_initsipi32 finds its index from CPUID (APIC ID = vCPU index), takes its stack and
 *   enters the same code as a bring-up AP (through long mode in the 64-bit build).
 */
#include "examples/smp.h"

#define MSR_EFER 0xc0000080
#define EFER_LME 0x100
#define CR4_PAE 0x20
#define CR0_PG 0x80000000
#define TR_CODE32 0x08
#define TR_DATA32 0x10
#define TR_CODE64 0x18

	.section .text.entry32, "ax"
	.code32
	.globl smp_ap_entry32
	.type smp_ap_entry32, @function
smp_ap_entry32:
	movl	%esp, %ebp
	movl	%eax, %edi		/* token */
	movl	%ebx, %esi		/* index */
	pushl	%esi			/* the stack works: the index comes back from it */
	movl	$1, %eax
	cpuid				/* EBX[31:24]: initial APIC ID */
	shrl	$24, %ebx
	popl	%esi
	cmpl	$SMP_MAX_CPUS, %esi
	jae	smp_halt32
	movl	%esi, %ecx
	shll	$SMP_REC_SHIFT, %ecx
	addl	$smp_records, %ecx
	movl	$SMP_MODE_32, SMP_REC_MODE(%ecx)
	movl	%edi, SMP_REC_TOKEN(%ecx)
	movl	%esi, SMP_REC_INDEX(%ecx)
	movl	%ebx, SMP_REC_APIC_ID(%ecx)
	movl	%ebp, SMP_REC_SP(%ecx)
	movl	%cr3, %eax
	movl	%eax, SMP_REC_CR3(%ecx)
	lock incl SMP_REC_RUNS(%ecx)
	lock incl smp_reported		/* last: the BSP reads the record after this */
smp_halt32:
	cli
	hlt
	jmp	smp_halt32
	.size smp_ap_entry32, . - smp_ap_entry32

	/* INIT-SIPI path, reached from the trampoline in flat 32-bit mode, no stack yet. */
	.globl smp_ap_initsipi32
	.type smp_ap_initsipi32, @function
smp_ap_initsipi32:
	movl	$TR_DATA32, %eax
	movl	%eax, %ds
	movl	%eax, %es
	movl	%eax, %ss
	movl	$1, %eax
	cpuid
	shrl	$24, %ebx		/* index = APIC ID */
	leal	1(%ebx), %esp
	imull	$SMP_STACK_SIZE, %esp, %esp
	addl	smp_stack_base, %esp
#ifdef __x86_64__
	movl	%cr4, %eax
	orl	$CR4_PAE, %eax
	movl	%eax, %cr4
	movl	$pvh_pml4, %eax
	movl	%eax, %cr3
	movl	$MSR_EFER, %ecx
	rdmsr
	orl	$EFER_LME, %eax
	wrmsr
	movl	%cr0, %eax
	orl	$CR0_PG, %eax
	movl	%eax, %cr0
	ljmp	$TR_CODE64, $smp_initsipi64
#else
	movl	$SMP_TOKEN_INITSIPI, %eax
	jmp	smp_ap_entry32
#endif
	.size smp_ap_initsipi32, . - smp_ap_initsipi32

#ifdef __x86_64__
	.section .text, "ax"
	.code64
smp_initsipi64:
	movl	%ebx, %edi
	movl	$SMP_TOKEN_INITSIPI, %esi
	movl	%esp, %esp		/* zero the upper half */
	/* fall through */
	.globl smp_ap_entry64
	.type smp_ap_entry64, @function
smp_ap_entry64:
	movq	%rsp, %rdx		/* the stack the slot asked for */
	andq	$-16, %rsp
	call	smp_ap_main64
1:	cli
	hlt
	jmp	1b
	.size smp_ap_entry64, . - smp_ap_entry64
#endif

/*
 * The real-mode trampoline: data here, code once copied to SMP_TRAMPOLINE_GPA (CS = GPA >> 4,
 * IP = 0). Offsets are relative to its start; linear addresses add SMP_TRAMPOLINE_GPA.
 */
#define T(l) ((l) - smp_trampoline)
#define TLIN(l) (SMP_TRAMPOLINE_GPA + T(l))

	.section .rodata.smp_trampoline, "a"
	.balign 16
	.globl smp_trampoline, smp_trampoline_end
smp_trampoline:
	.code16
	cli
	movw	%cs, %ax
	movw	%ax, %ds
	lgdtl	T(tr_gdt_desc)
	movl	%cr0, %eax
	orl	$1, %eax
	movl	%eax, %cr0
	ljmpl	$TR_CODE32, $TLIN(tr_pm32)
	.code32
tr_pm32:
	movl	$smp_ap_initsipi32, %eax
	jmp	*%eax

	.balign 8
tr_gdt:
	.quad	0
	.quad	0x00cf9b000000ffff	/* 0x08: flat 32-bit code */
	.quad	0x00cf93000000ffff	/* 0x10: flat data */
	.quad	0x00af9b000000ffff	/* 0x18: 64-bit code */
tr_gdt_end:
tr_gdt_desc:
	.word	tr_gdt_end - tr_gdt - 1
	.long	TLIN(tr_gdt)
smp_trampoline_end:

	.section .note.GNU-stack, "", @progbits
