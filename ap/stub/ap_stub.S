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
 * when ESI is out of range), EBP = the slot's register block (bring-up path) or scratch (idle
 * path), ESP = how this AP waits (no stack is ever used before the last loads of a bring-up):
 * 0 not decided yet, IDLE_MSR_HOLD, or the C-bit of an entry's high dword (GHCB version 1:
 * the AP_HLT_LOOP event through this vCPU's GHCB page, ap/ap_abi.h "GHCB version 1 idle").
 */
#include "ap/ap_abi.h"

#define MSR_EFER 0xc0000080
#define MSR_GHCB 0xc0010130
#define GHCB_MSR_SEV_INFO_RESP 0x001
#define GHCB_MSR_SEV_INFO_REQ 0x002
#define GHCB_MSR_AP_RESET_HOLD_REQ 0x006
#define EXIT_AP_HLT_LOOP 0x80000004
#define IDLE_MSR_HOLD 0xffffffff
#define EFER_LME 0x100
#define CR0_PG 0x80000000
#define CR4_PAE 0x20
#define PTE_PRW 0x3 /* present, writable */

/* The idle page tables and GHCB pages (ap/ap_abi.h), identity mapped: linear = GPA. */
#define I_PML4 (AP_IDLE_GPA + AP_IDLE_PML4_OFFSET)
#define I_PDPT (AP_IDLE_GPA + AP_IDLE_PDPT_OFFSET)
#define I_PD (AP_IDLE_GPA + AP_IDLE_PD_OFFSET)
#define I_PT (AP_IDLE_GPA + AP_IDLE_PT_OFFSET)
#define I_GHCB0 (AP_IDLE_GPA + AP_IDLE_GHCB_OFFSET)
#define I_END (AP_IDLE_GPA + AP_IDLE_SIZE)
#define PTE_AT(gpa) (I_PT + ((gpa) >> 12) * 8)

/* struct ghcb offsets (ghcb/ghcb.h) */
#define G_EXIT_CODE 0x390
#define G_EXIT_INFO1 0x398
#define G_EXIT_INFO2 0x3a0
#define G_VALID 0x3f0
#define G_VERSION 0xffa
#define G_USAGE 0xffc
#define G_VALID_BYTE14 0x1c /* bits 114 115 116: sw_exit_code, sw_exit_info_1, sw_exit_info_2 */
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

	/* 3. nothing to do: wait in an AP reset hold, then look again. */
	testl	$AP_HDR_F_GHCB_HOLD, (AP_BRINGUP_OFFSET + AP_HDR_OFF_FLAGS)(%ebx)
	jz	idle_hlt
	testl	%esp, %esp
	jz	idle_decide
idle_wait:
	cmpl	$IDLE_MSR_HOLD, %esp
	jne	idle_hlt_loop
	/* GHCB version 2: the AP reset hold through the GHCB MSR protocol. */
	movl	$GHCB_MSR_AP_RESET_HOLD_REQ, %eax
	xorl	%edx, %edx
	movl	$MSR_GHCB, %ecx
	wrmsr
	.byte	0xf3, 0x0f, 0x01, 0xd9	/* VMGEXIT (rep vmmcall) */
	/* Any result: 0 is a spurious wake, non-zero a SIPI; both mean "look again". */
	jmp	ap_loop

/*
 * How to wait, decided once from SEV_INFO (max version 63:48, C-bit 31:24): the GHCB MSR holds
 * it from the vCPU's RESET until the first request; otherwise ask with the MSR protocol (0x002,
 * version 1 has it). Version 1 with a usable C-bit and a vCPU that has an idle GHCB page: the
 * AP_HLT_LOOP event; anything else: the MSR-protocol hold.
 */
idle_decide:
	movl	$MSR_GHCB, %ecx
	rdmsr
	movl	%eax, %ebp
	andl	$0xfff, %ebp
	cmpl	$GHCB_MSR_SEV_INFO_RESP, %ebp
	je	1f
	movl	$GHCB_MSR_SEV_INFO_REQ, %eax
	xorl	%edx, %edx
	movl	$MSR_GHCB, %ecx
	wrmsr
	.byte	0xf3, 0x0f, 0x01, 0xd9	/* VMGEXIT */
	movl	$MSR_GHCB, %ecx
	rdmsr
	movl	%eax, %ebp
	andl	$0xfff, %ebp
	cmpl	$GHCB_MSR_SEV_INFO_RESP, %ebp
	jne	idle_use_msr_hold
1:	shrl	$16, %edx
	cmpl	$1, %edx		/* max version 1: KVM before 6.10, or a legacy-init VM */
	jne	idle_use_msr_hold
	leal	-1(%esi), %ebp
	cmpl	$(AP_IDLE_MAX_VCPU - 1), %ebp
	ja	idle_use_msr_hold	/* the BSP (0) or no idle GHCB page for this index */
	movl	%eax, %ecx
	shrl	$24, %ecx		/* C-bit: entries hold bits 32..51 in their high dword */
	cmpl	$32, %ecx
	jb	idle_use_msr_hold
	cmpl	$51, %ecx
	ja	idle_use_msr_hold
	subl	$32, %ecx
	movl	$1, %esp
	shll	%cl, %esp
	jmp	idle_wait
idle_use_msr_hold:
	movl	$IDLE_MSR_HOLD, %esp
	jmp	idle_wait

/*
 * GHCB version 1: the AP_HLT_LOOP event through this vCPU's shared GHCB page. Every AP writes
 * the same table bytes (paging off: private), each entry straight to its value, so an AP that
 * runs on the tables meanwhile never sees a wrong one. Then long mode's order (CR4.PAE, CR3,
 * EFER.LME, CR0.PG) with CS still 32-bit: compatibility mode, linear = GPA.
 */
idle_hlt_loop:
	movl	%edi, %ebp		/* the slot, back after the tables */
	cld
	xorl	%eax, %eax
	movl	$(I_PML4 + 8), %edi
	movl	$1022, %ecx
	rep stosl
	movl	$(I_PDPT + 8), %edi
	movl	$1022, %ecx
	rep stosl
	movl	$(I_PD + 8), %edi
	movl	$1022, %ecx
	rep stosl
	movl	$I_PT, %edi		/* below the AP area: not mapped */
	movl	$((AP_AREA_GPA >> 12) * 2), %ecx
	rep stosl
	movl	$PTE_AT(AP_AREA_GPA + AP_AREA_SIZE), %edi	/* MP table, the tables: not mapped */
	movl	$(((I_GHCB0 - AP_AREA_GPA - AP_AREA_SIZE) >> 12) * 2), %ecx
	rep stosl
	movl	$PTE_AT(I_END), %edi	/* the rest of the first 2 MiB: not mapped */
	movl	$(((0x200000 - I_END) >> 12) * 2), %ecx
	rep stosl
	movl	%esp, %edx		/* the C-bit */
	movl	$(I_PDPT | PTE_PRW), I_PML4
	movl	%edx, I_PML4 + 4
	movl	$(I_PD | PTE_PRW), I_PDPT
	movl	%edx, I_PDPT + 4
	movl	$(I_PT | PTE_PRW), I_PD
	movl	%edx, I_PD + 4
	movl	$PTE_AT(AP_AREA_GPA), %edi	/* the AP area: private */
	movl	$(AP_AREA_GPA | PTE_PRW), %eax
2:	movl	%eax, (%edi)
	movl	%edx, 4(%edi)
	addl	$8, %edi
	addl	$0x1000, %eax
	cmpl	$((AP_AREA_GPA + AP_AREA_SIZE) | PTE_PRW), %eax
	jne	2b
	movl	$PTE_AT(I_GHCB0), %edi	/* every AP's GHCB page: shared */
	movl	$(I_GHCB0 | PTE_PRW), %eax
3:	movl	%eax, (%edi)
	movl	$0, 4(%edi)
	addl	$8, %edi
	addl	$0x1000, %eax
	cmpl	$(I_END | PTE_PRW), %eax
	jne	3b
	movl	%ebp, %edi

	movl	%cr4, %eax
	orl	$CR4_PAE, %eax
	movl	%eax, %cr4
	movl	$I_PML4, %eax
	movl	%eax, %cr3
	movl	$MSR_EFER, %ecx
	rdmsr
	orl	$EFER_LME, %eax
	movl	$MSR_EFER, %ecx
	wrmsr
	movl	%cr0, %eax
	orl	$CR0_PG, %eax
	movl	%eax, %cr0

	leal	-1(%esi), %ebp		/* this vCPU's GHCB page */
	shll	$12, %ebp
	addl	$I_GHCB0, %ebp
	movl	$0, G_VALID(%ebp)
	movl	$0, (G_VALID + 4)(%ebp)
	movl	$0, (G_VALID + 8)(%ebp)
	movl	$0, (G_VALID + 12)(%ebp)
	movl	$EXIT_AP_HLT_LOOP, G_EXIT_CODE(%ebp)
	movl	$0, (G_EXIT_CODE + 4)(%ebp)
	movl	$0, G_EXIT_INFO1(%ebp)
	movl	$0, (G_EXIT_INFO1 + 4)(%ebp)
	movl	$0, G_EXIT_INFO2(%ebp)
	movl	$0, (G_EXIT_INFO2 + 4)(%ebp)
	movb	$G_VALID_BYTE14, (G_VALID + 14)(%ebp)
	movw	$1, G_VERSION(%ebp)
	movl	$0, G_USAGE(%ebp)
	movl	%ebp, %eax
	xorl	%edx, %edx
	movl	$MSR_GHCB, %ecx
	wrmsr
	.byte	0xf3, 0x0f, 0x01, 0xd9	/* VMGEXIT */
	/* sw_exit_info_2 is 1 after a SIPI, 0 after a spurious wake: both mean "look again". */

	movl	%cr0, %eax		/* paging off leaves IA-32e mode; then LME may go */
	andl	$~CR0_PG, %eax
	movl	%eax, %cr0
	movl	$MSR_EFER, %ecx
	rdmsr
	andl	$~EFER_LME, %eax
	movl	$MSR_EFER, %ecx
	wrmsr
	xorl	%eax, %eax
	movl	%eax, %cr3		/* the initial CR3 and CR4.PAE: a bring-up sets its own */
	movl	%cr4, %eax
	andl	$~CR4_PAE, %eax
	movl	%eax, %cr4
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
