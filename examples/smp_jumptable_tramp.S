/* SPDX-License-Identifier: MIT */
/*
 * smp_jumptable's real-mode AP trampoline. The BSP copies [sjt_tramp_start, sjt_tramp_end) to
 * SJT_TRAMP_GPA and puts IP 0, CS SJT_TRAMP_GPA >> 4 into the AP jump table; pvh-sev's AP stub
 * far-jumps here in real mode. Each AP takes a number (lock xadd on sjt_count); AP number 0
 * parks itself in AP reset hold (GHCB MSR protocol 0x006 + VMGEXIT) and, once released by
 * INIT-SIPI, stores the GHCB MSR it finds (the hold response) and counts itself in sjt_resumed.
 * Every AP then halts (IF is 0: only INIT/SIPI/NMI end the HLT). Data lives in the copy.
 */
#define OFF(l) ((l) - sjt_tramp_start)
#define MSR_GHCB 0xc0010130
#define GHCB_MSR_AP_RESET_HOLD_REQ 0x006

	.section .rodata.tramp, "a"
	.code16
	.globl sjt_tramp_start, sjt_tramp_end, sjt_count, sjt_parked, sjt_resumed, sjt_resp
sjt_tramp_start:
	cli
	movw	%cs, %ax
	movw	%ax, %ds
	movw	$1, %ax
	lock xaddw %ax, OFF(sjt_count)
	testw	%ax, %ax
	jnz	idle
	movw	$1, OFF(sjt_parked)
	movl	$GHCB_MSR_AP_RESET_HOLD_REQ, %eax
	xorl	%edx, %edx
	movl	$MSR_GHCB, %ecx
	wrmsr
	.byte	0xf3, 0x0f, 0x01, 0xd9	/* VMGEXIT */
	movl	$MSR_GHCB, %ecx
	rdmsr
	movl	%eax, OFF(sjt_resp)
	movl	%edx, OFF(sjt_resp) + 4
	lock incw OFF(sjt_resumed)
idle:
	hlt
	jmp	idle

	.balign	8
sjt_resp:
	.quad	0
sjt_count:
	.word	0
sjt_parked:
	.word	0
sjt_resumed:
	.word	0
sjt_tramp_end:

	.section .note.GNU-stack, "", @progbits
