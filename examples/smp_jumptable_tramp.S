/* SPDX-License-Identifier: MIT */
/*
 * smp_jumptable's real-mode AP trampoline. The BSP copies [sjt_tramp_start, sjt_tramp_end) to
 * SJT_TRAMP_GPA and puts IP 0, CS SJT_TRAMP_GPA >> 4 into the AP jump table; pvh-sev's AP stub
 * far-jumps here in real mode. The AP goes to 32-bit protected mode (the trampoline's own GDT),
 * then to long mode with the BSP's page tables (pvh_pml4; the C-bit is in every entry and,
 * once in long mode, ORed into CR3 as the BSP did), the way an SEV-ES AP must: nothing here
 * raises #VC (no port I/O, CPUID or MMIO; MSRs only EFER and the GHCB MSR).
 *
 * Each AP takes a number (lock xadd on sjt_count). AP number 0 stores its CR3 (the BSP checks
 * the C-bit reached it) and parks itself in AP reset hold (GHCB MSR protocol 0x006 + VMGEXIT);
 * once released by INIT-SIPI it stores the GHCB MSR it finds (the hold response) and counts
 * itself in sjt_resumed. Every AP then halts (IF is 0: only INIT/SIPI/NMI end the HLT). The data
 * lives in the copy: in long mode it is reached through the C-bit mapping, in real mode with
 * paging off, both private, so on hardware both see the same plaintext.
 */
#define OFF(l) ((l) - sjt_tramp_start)
#define LIN(l) (SJT_TRAMP_GPA + OFF(l))
#define SJT_TRAMP_GPA 0x8000
#define MSR_GHCB 0xc0010130
#define MSR_EFER 0xc0000080
#define EFER_LME 0x100
#define CR4_PAE 0x20
#define CR0_PE 0x1
#define CR0_PG 0x80000000
#define GHCB_MSR_AP_RESET_HOLD_REQ 0x006
#define TR_CODE32 0x08
#define TR_DATA 0x10
#define TR_CODE64 0x18

	.section .rodata.tramp, "a"
	.balign 16
	.globl sjt_tramp_start, sjt_tramp_end, sjt_count, sjt_parked, sjt_resumed, sjt_resp
	.globl sjt_ap_cr3
sjt_tramp_start:
	.code16
	cli
	movw	%cs, %ax
	movw	%ax, %ds
	lgdtl	OFF(tr_gdt_desc)
	movl	%cr0, %eax
	orl	$CR0_PE, %eax
	movl	%eax, %cr0
	ljmpl	$TR_CODE32, $LIN(tr_pm32)

	.code32
tr_pm32:
	movl	$TR_DATA, %eax
	movl	%eax, %ds
	movl	%eax, %es
	movl	%eax, %ss
	movl	%cr4, %eax			/* keep CR4.MCE (SEV-ES) */
	orl	$CR4_PAE, %eax
	movl	%eax, %cr4
	movl	$pvh_pml4, %eax			/* 32-bit CR3: the C-bit follows in long mode */
	movl	%eax, %cr3
	movl	$MSR_EFER, %ecx			/* no #VC: KVM traps EFER writes after the fact */
	rdmsr
	orl	$EFER_LME, %eax
	wrmsr
	movl	%cr0, %eax
	orl	$CR0_PG, %eax
	movl	%eax, %cr0
	ljmp	$TR_CODE64, $LIN(tr_lm64)

	.code64
tr_lm64:
	movq	pvh_pte_extra_mask, %rax	/* the C-bit, as the BSP's entry stub did */
	movq	%cr3, %rcx
	orq	%rax, %rcx
	movq	%rcx, %cr3
	movw	$1, %ax
	lock xaddw %ax, LIN(sjt_count)
	testw	%ax, %ax
	jnz	tr_idle
	movq	%rcx, LIN(sjt_ap_cr3)
	movw	$1, LIN(sjt_parked)
	movl	$GHCB_MSR_AP_RESET_HOLD_REQ, %eax
	xorl	%edx, %edx
	movl	$MSR_GHCB, %ecx
	wrmsr
	.byte	0xf3, 0x0f, 0x01, 0xd9		/* VMGEXIT */
	movl	$MSR_GHCB, %ecx
	rdmsr
	movl	%eax, LIN(sjt_resp)
	movl	%edx, LIN(sjt_resp) + 4
	lock incw LIN(sjt_resumed)
tr_idle:
	hlt
	jmp	tr_idle

	.balign 8
tr_gdt:
	.quad	0
	.quad	0x00cf9b000000ffff		/* 0x08: flat 32-bit code */
	.quad	0x00cf93000000ffff		/* 0x10: flat data */
	.quad	0x00af9b000000ffff		/* 0x18: 64-bit code */
tr_gdt_end:
tr_gdt_desc:
	.word	tr_gdt_end - tr_gdt - 1
	.long	LIN(tr_gdt)
	.balign	8
sjt_resp:
	.quad	0
sjt_ap_cr3:
	.quad	0
sjt_count:
	.word	0
sjt_parked:
	.word	0
sjt_resumed:
	.word	0
sjt_tramp_end:

	.section .note.GNU-stack, "", @progbits
