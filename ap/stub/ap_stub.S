/* SPDX-License-Identifier: MIT */
/*
 * AP entry stub: the measured code every AP starts in (docs/abi.md section 3, docs/smp.md).
 *
 * Entered in 32-bit protected mode, paging off, flat CS/DS/ES/SS from the AP area's GDT,
 * EBX = AP area GPA, ESI = vCPU index, IDTR limit 0, no stack (ESP = 0).
 *
 * Under SEV-ES any #VC here is fatal (no IDT), so the stub executes only instructions that
 * cannot raise one: no CPUID, no port I/O, no INT n, no IRET, no HLT on the SEV paths, and
 * MSR accesses only to the GHCB MSR (0xC0010130) and EFER (0xC0000080; KVM does not
 * intercept EFER for SEV-ES guests, it traps writes after the fact). Every RDMSR/WRMSR is
 * directly preceded by the MOV of its MSR number into ECX: ap/stub/ap_stub_audit.sh checks it.
 *
 * Register use while looping: EBX = AP area, ESI = vCPU index, EDI = this vCPU's slot (0
 * when ESI is out of range), EBP = the slot's register block (bring-up path only).
 */
#include "ap/ap_abi.h"

#define MSR_EFER 0xc0000080
#define MSR_GHCB 0xc0010130
#define GHCB_MSR_AP_RESET_HOLD_REQ 0x006
#define EFER_APPLY_32 0x801 /* SCE NXE: what the stub ORs into EFER for a 32-bit target */
#define EFER_APPLY_64 0x901 /* SCE LME NXE */

/* Offsets inside the AP area (for CS bases = AP area) and linear addresses (flat CS). */
#define REL(l) (AP_STUB_OFFSET + ((l) - ap_stub_start))
#define ABS(l) (AP_AREA_GPA + REL(l))

/* Slot-relative offsets of the register block, for %fs (base = slot) addressing. */
#define FS_REGS (AP_SLOT_OFF_CTX + AP_CTX_OFF_REGS)

	.text
	.code32
	.globl ap_stub_start
ap_stub_start:
	xorl	%edi, %edi
	cmpl	$AP_MAX_VCPUS, %esi
	jae	ap_loop
	imull	$AP_SLOT_SIZE, %esi, %edi
	leal	AP_SLOTS_OFFSET(%ebx, %edi), %edi

ap_loop:
	/* 1. bring-up slot: "up requested" */
	testl	%edi, %edi
	jz	1f
	cmpl	$AP_SLOT_UP_REQUESTED, AP_SLOT_OFF_STATE(%edi)
	je	bringup
1:
	/* 2. AP jump table (GHCB "SMP booting"): a non-zero far pointer */
	cmpl	$0, AP_JUMP_TABLE_OFFSET(%ebx)
	jne	to_real_mode

	/* 3. nothing to do: AP reset hold through the GHCB MSR protocol, then look again. */
	testl	$AP_HDR_F_GHCB_HOLD, (AP_BRINGUP_OFFSET + AP_HDR_OFF_FLAGS)(%ebx)
	jz	idle_hlt
	movl	$GHCB_MSR_AP_RESET_HOLD_REQ, %eax
	xorl	%edx, %edx
	movl	$MSR_GHCB, %ecx
	wrmsr
	.byte	0xf3, 0x0f, 0x01, 0xd9	/* VMGEXIT (rep vmmcall) */
	/* Any result: 0 is a spurious wake, non-zero a SIPI; both mean "look again". */
	jmp	ap_loop

idle_hlt:
	/* Off mode only (no GHCB): wait for an event; IF is 0, so only NMI/INIT/SIPI end it. */
	hlt
	jmp	ap_loop

/* ---------------------------------------------------------------------------------------- */
/* Bring-up: validate slot[ESI] (EDX = failure reason for each check), claim it, enter it.  */

bringup:
	leal	(AP_SLOT_OFF_CTX + AP_CTX_OFF_REGS)(%edi), %ebp
	movl	$AP_FAIL_MODE, %edx
	movl	(AP_SLOT_OFF_CTX + AP_CTX_OFF_MODE)(%edi), %eax
	cmpl	$AP_CTX_MODE_64B, %eax
	je	check64
	testl	%eax, %eax
	jnz	fail

check32:
	movl	$AP_FAIL_CR0, %edx
	movl	AP_X32_CR0(%ebp), %eax
	testl	$~AP_CR0_ALLOWED, %eax
	jnz	fail
	testl	$1, %eax		/* PE */
	jz	fail
	andl	$0x60000000, %eax	/* NW without CD is a #GP */
	cmpl	$0x20000000, %eax
	je	fail

	movl	$AP_FAIL_CR4, %edx
	testl	$~AP_CR4_ALLOWED, AP_X32_CR4(%ebp)
	jnz	fail

	movl	$AP_FAIL_EFER, %edx
	cmpl	$0, (AP_X32_EFER + 4)(%ebp)
	jne	fail
	testl	$~EFER_APPLY_32, AP_X32_EFER(%ebp)	/* LME/LMA: compat mode unsupported */
	jnz	fail

	movl	$AP_FAIL_FLAGS, %edx
	movl	AP_X32_EFLAGS(%ebp), %eax
	testl	$AP_FLAGS_FORBIDDEN, %eax
	jnz	fail
	testl	$2, %eax
	jz	fail

	movl	$AP_FAIL_SEGMENT, %edx
	movl	AP_X32_CS_BASE(%ebp), %eax
	orl	AP_X32_DS_BASE(%ebp), %eax
	orl	AP_X32_SS_BASE(%ebp), %eax
	orl	AP_X32_ES_BASE(%ebp), %eax
	jnz	fail
	movl	AP_X32_CS_LIMIT(%ebp), %eax
	andl	AP_X32_DS_LIMIT(%ebp), %eax
	andl	AP_X32_SS_LIMIT(%ebp), %eax
	andl	AP_X32_ES_LIMIT(%ebp), %eax
	cmpl	$0xffffffff, %eax
	jne	fail
	movzwl	AP_X32_CS_AR(%ebp), %eax
	orl	$1, %eax		/* the accessed bit may be either */
	cmpl	$0xc9b, %eax
	jne	fail
	movzwl	AP_X32_DS_AR(%ebp), %eax
	orl	$1, %eax
	cmpl	$0xc93, %eax
	jne	fail
	movzwl	AP_X32_SS_AR(%ebp), %eax
	orl	$1, %eax
	cmpl	$0xc93, %eax
	jne	fail
	movzwl	AP_X32_ES_AR(%ebp), %eax
	orl	$1, %eax
	cmpl	$0xc93, %eax
	jne	fail

	movl	$AP_FAIL_TR, %edx
	movzwl	AP_X32_TR_AR(%ebp), %eax
	testl	%eax, %eax		/* 0: "keep the initial TR" */
	jz	claim32
	cmpl	$0x8b, %eax
	jne	fail
	cmpl	$0, AP_X32_TR_BASE(%ebp)
	jne	fail
	cmpl	$0x67, AP_X32_TR_LIMIT(%ebp)
	jne	fail

claim32:
	movl	$AP_SLOT_UP_REQUESTED, %eax
	movl	$AP_SLOT_RUNNING, %ecx
	lock cmpxchgl %ecx, AP_SLOT_OFF_STATE(%edi)
	jne	ap_loop			/* the guest changed the slot meanwhile */

	movl	$AP_GDT_DATA32, %eax
	movl	%eax, %ds
	movl	%eax, %es
	movl	%eax, %ss
	movl	%eax, %gs
	leal	AP_GDT_SLOT0(, %esi, 8), %eax
	movl	%eax, %fs		/* FS base = this slot, for the last loads below */

	/* The architectural order, as in the 64-bit path below: CR4, CR3, EFER, then CR0. */
	movl	AP_X32_CR4(%ebp), %eax
	movl	%eax, %cr4
	movl	AP_X32_CR3(%ebp), %eax
	movl	%eax, %cr3
	movl	AP_X32_EFER(%ebp), %esi
	testl	%esi, %esi
	jz	1f			/* nothing to add: skip the MSR round trip */
	movl	$MSR_EFER, %ecx
	rdmsr
	orl	%esi, %eax
	movl	$MSR_EFER, %ecx
	wrmsr
1:
	/* From here on only MOVs: they leave the target's EFLAGS alone. */
	leal	AP_X32_EFLAGS(%ebp), %esp
	popfl
	movl	AP_X32_CR0(%ebp), %eax
	movl	%eax, %cr0		/* with PG the AP area must be identity mapped */
	movl	%fs:(FS_REGS + AP_X32_EAX), %eax
	movl	%fs:(FS_REGS + AP_X32_ECX), %ecx
	movl	%fs:(FS_REGS + AP_X32_EDX), %edx
	movl	%fs:(FS_REGS + AP_X32_EBX), %ebx
	movl	%fs:(FS_REGS + AP_X32_ESP), %esp
	movl	%fs:(FS_REGS + AP_X32_EBP), %ebp
	movl	%fs:(FS_REGS + AP_X32_ESI), %esi
	movl	%fs:(FS_REGS + AP_X32_EDI), %edi
	jmp	*%fs:(FS_REGS + AP_X32_EIP)

check64:
	movl	$AP_FAIL_CR0, %edx
	cmpl	$0, (AP_X64_CR0 + 4)(%ebp)
	jne	fail
	movl	AP_X64_CR0(%ebp), %eax
	testl	$~AP_CR0_ALLOWED, %eax
	jnz	fail
	movl	%eax, %ecx
	andl	$0x80000001, %ecx	/* PG and PE */
	cmpl	$0x80000001, %ecx
	jne	fail
	andl	$0x60000000, %eax
	cmpl	$0x20000000, %eax
	je	fail

	movl	$AP_FAIL_CR3, %edx	/* loaded from 32-bit mode: below 4 GiB, page aligned */
	cmpl	$0, (AP_X64_CR3 + 4)(%ebp)
	jne	fail
	testl	$0xfff, AP_X64_CR3(%ebp)
	jnz	fail

	movl	$AP_FAIL_CR4, %edx
	cmpl	$0, (AP_X64_CR4 + 4)(%ebp)
	jne	fail
	movl	AP_X64_CR4(%ebp), %eax
	testl	$~AP_CR4_ALLOWED, %eax
	jnz	fail
	testl	$0x20, %eax		/* PAE */
	jz	fail

	movl	$AP_FAIL_EFER, %edx
	cmpl	$0, (AP_X64_EFER + 4)(%ebp)
	jne	fail
	movl	AP_X64_EFER(%ebp), %eax
	testl	$~AP_EFER_ALLOWED, %eax
	jnz	fail
	testl	$0x100, %eax		/* LME */
	jz	fail

	movl	$AP_FAIL_FLAGS, %edx
	cmpl	$0, (AP_X64_RFLAGS + 4)(%ebp)
	jne	fail
	movl	AP_X64_RFLAGS(%ebp), %eax
	testl	$AP_FLAGS_FORBIDDEN, %eax
	jnz	fail
	testl	$2, %eax
	jz	fail

	movl	$AP_FAIL_RIP, %edx	/* canonical with 48-bit addresses: bits 63:47 equal */
	movl	(AP_X64_RIP + 4)(%ebp), %eax
	sarl	$15, %eax
	incl	%eax
	cmpl	$1, %eax
	ja	fail

claim64:
	movl	$AP_SLOT_UP_REQUESTED, %eax
	movl	$AP_SLOT_RUNNING, %ecx
	lock cmpxchgl %ecx, AP_SLOT_OFF_STATE(%edi)
	jne	ap_loop

	movl	$AP_GDT_DATA32, %eax
	movl	%eax, %ds
	movl	%eax, %es
	movl	%eax, %ss
	movl	%eax, %gs
	leal	AP_GDT_SLOT0(, %esi, 8), %eax
	movl	%eax, %fs

	/*
	 * Long mode is entered in the order AMD's APM vol. 2 (14.6.1) gives: CR4.PAE, CR3,
	 * EFER.LME, then CR0.PG. EFER.LME with CR4.PAE still clear is legal on hardware, but
	 * QEMU's AMD-V model (7.2) restores the host's CR0 before its CR4 at the next #VMEXIT
	 * and the L1 kernel loses paging (docs/decisions.md, "AP stub long-mode order").
	 */
	movl	AP_X64_CR4(%ebp), %eax
	movl	%eax, %cr4
	movl	AP_X64_CR3(%ebp), %eax
	movl	%eax, %cr3
	movl	AP_X64_EFER(%ebp), %esi
	andl	$EFER_APPLY_64, %esi	/* LMA is the CPU's to set */
	movl	$MSR_EFER, %ecx
	rdmsr
	orl	%esi, %eax
	movl	$MSR_EFER, %ecx
	wrmsr
	movl	AP_X64_CR0(%ebp), %eax
	movl	%eax, %cr0		/* long mode is active; the AP area must be identity mapped */
	ljmp	$AP_GDT_CODE64, $ABS(long64)

	.code64
long64:
	movl	%ebp, %ebp		/* upper halves are undefined after the mode switch */
	leaq	AP_X64_RFLAGS(%rbp), %rsp
	popfq
	movq	%fs:(FS_REGS + AP_X64_RAX), %rax
	movq	%fs:(FS_REGS + AP_X64_RCX), %rcx
	movq	%fs:(FS_REGS + AP_X64_RDX), %rdx
	movq	%fs:(FS_REGS + AP_X64_RBX), %rbx
	movq	%fs:(FS_REGS + AP_X64_RSP), %rsp
	movq	%fs:(FS_REGS + AP_X64_RBP), %rbp
	movq	%fs:(FS_REGS + AP_X64_RSI), %rsi
	movq	%fs:(FS_REGS + AP_X64_RDI), %rdi
	jmp	*%fs:(FS_REGS + AP_X64_RIP)
	.code32

fail:
	movl	%edx, AP_SLOT_OFF_REASON(%edi)
	movl	$AP_SLOT_UP_REQUESTED, %eax
	movl	$AP_SLOT_FAILED, %ecx
	lock cmpxchgl %ecx, AP_SLOT_OFF_STATE(%edi)
	jmp	ap_loop

/* ---------------------------------------------------------------------------------------- */
/* Jump table: leave protected mode through the 16-bit segments, then far jump to IP:CS.    */

to_real_mode:
	ljmp	$AP_GDT_CODE16, $REL(pm16)

	.code16
pm16:
	movw	$AP_GDT_DATA16, %ax
	movw	%ax, %ds
	movw	%ax, %es
	movw	%ax, %ss
	movw	%ax, %fs
	movw	%ax, %gs
	lidtw	REL(real_mode_idtr)	/* DS base = AP area: the reset IDTR, base 0 limit 0xffff */
	movl	%cr0, %eax
	andl	$0xfffffffe, %eax	/* PE off */
	movl	%eax, %cr0
	ljmpw	$(AP_AREA_GPA >> 4), $REL(rm16)
rm16:
	movw	$(AP_AREA_GPA >> 4), %ax
	movw	%ax, %ds
	movw	%ax, %es
	movw	%ax, %ss
	movw	%ax, %fs
	movw	%ax, %gs
	ljmpw	*AP_JUMP_TABLE_OFFSET	/* m16:16 at DS:offset: IP then CS */

	.balign	2
real_mode_idtr:
	.word	0xffff
	.long	0
	.globl	ap_stub_end
ap_stub_end:
