/* SPDX-License-Identifier: MIT */
/*
 * BSP pre-stub (docs/abi.md 4.1, docs/smp.md): the measured code the BSP starts in under
 * SEV-ES (hardware or emulated). KVM's AP jump table GPA starts at 0 and only guest code can
 * SET it; Linux only GETs it and boots with one CPU when it reads 0. With no firmware, this
 * code SETs it to the AP area's jump-table page before the kernel runs.
 *
 * Entered at the PVH entry state (32-bit protected mode, paging off, flat segments from the
 * boot GDT, EBX = start_info, IDTR limit 0). It leaves with exactly that state restored (all
 * GPRs, ESP, EFLAGS, CR0/CR3/CR4, the GHCB MSR) and jumps to the kernel entry at AP_PRE_ENTRY.
 *
 * Why paging: the SET needs the GHCB *page* protocol (there is no MSR-protocol form), and with
 * paging off every data access is private (encrypted), so the hypervisor could not read the
 * GHCB. So: 4-level tables (64-bit entries, as OVMF builds them from 32-bit code) in borrowed
 * slot pages map the AP area identity, C-bit set, except the GHCB page (C-bit clear = shared);
 * with EFER.LME and CR0.PG the CPU runs this 32-bit code in compatibility mode, no far jump
 * needed. (Legacy PAE paging would do as well on hardware, but this project's PVM host cannot
 * run a guest with legacy PAE paging on: it triple-faults, host.md.) Instruction fetches and
 * table walks are private anyway.
 * The C-bit position comes from the initial GHCB MSR value (SEV_INFO, bits 31:24); RDMSR/WRMSR
 * of the GHCB MSR never raise #VC. Afterwards the shared lines are flushed (CLFLUSH, for
 * hosts without cache coherency across the C-bit) and every borrowed byte is zeroed again
 * through private accesses, so the AP area reads as measured.
 *
 * No instruction that can raise #VC: no CPUID, port I/O, INT n, IRET, HLT; MSRs only the GHCB
 * MSR and EFER (KVM traps EFER writes after the fact for SEV-ES, no #VC), each RDMSR/WRMSR
 * directly after the MOV of its number (ap/stub/prestub_audit.sh).
 */
#include "ap/ap_abi.h"

#define MSR_GHCB 0xc0010130
#define MSR_EFER 0xc0000080
#define EFER_LME 0x100
#define GHCB_MSR_SEV_INFO_RESP 0x001
#define GHCB_MSR_TERM_REQ 0x100
#define EXIT_AP_JUMP_TABLE 0x80000005
#define AP_JUMP_TABLE_SET 0

#define D(off) (AP_AREA_GPA + AP_PRESTUB_DATA_OFFSET + (off))
#define PML4 (AP_AREA_GPA + AP_PRESTUB_PML4_OFFSET)
#define PDPT (AP_AREA_GPA + AP_PRESTUB_PDPT_OFFSET)
#define PD (AP_AREA_GPA + AP_PRESTUB_PD_OFFSET)
#define PT (AP_AREA_GPA + AP_PRESTUB_PT_OFFSET)
#define GHCB (AP_AREA_GPA + AP_PRESTUB_GHCB_OFFSET)
#define PT_AREA (PT + (AP_AREA_GPA >> 12) * 8) /* first PTE of the AP area */
#define PT_AREA_DWORDS ((AP_AREA_SIZE >> 12) * 2)

/* struct ghcb offsets (ghcb/ghcb.h) */
#define G_EXIT_CODE 0x390
#define G_EXIT_INFO1 0x398
#define G_EXIT_INFO2 0x3a0
#define G_VALID 0x3f0
#define G_VERSION 0xffa
#define G_USAGE 0xffc
#define G_VALID_BYTE14 0x1c /* bits 114 115 116: sw_exit_code, sw_exit_info_1, sw_exit_info_2 */

#define CR0_PG 0x80000000
#define CR4_PAE 0x20
#define PTE_P 0x1
#define PTE_RW 0x2

	.text
	.code32
	.globl bsp_prestub_start
bsp_prestub_start:
	/* Save the entry state: MOVs to memory leave EFLAGS alone, PUSHFL keeps it whole. */
	movl	%eax, D(AP_PRE_SAVE_EAX)
	movl	%ecx, D(AP_PRE_SAVE_ECX)
	movl	%edx, D(AP_PRE_SAVE_EDX)
	movl	%esi, D(AP_PRE_SAVE_ESI)
	movl	%edi, D(AP_PRE_SAVE_EDI)
	movl	%ebp, D(AP_PRE_SAVE_EBP)
	movl	%esp, D(AP_PRE_SAVE_ESP)
	movl	$D(AP_PRE_STACK_TOP), %esp
	pushfl
	cld
	movl	%cr0, %eax
	movl	%eax, D(AP_PRE_SAVE_CR0)
	movl	%cr3, %eax
	movl	%eax, D(AP_PRE_SAVE_CR3)
	movl	%cr4, %eax
	movl	%eax, D(AP_PRE_SAVE_CR4)
	movl	$MSR_EFER, %ecx
	rdmsr
	movl	%eax, D(AP_PRE_SAVE_EFER)	/* EFER's high half is reserved (zero) */

	/* SEV_INFO: info 0x001, versions max 63:48 and min 47:32, C-bit 31:24. */
	movl	$MSR_GHCB, %ecx
	rdmsr
	movl	%eax, D(AP_PRE_SAVE_GHCB_LO)
	movl	%edx, D(AP_PRE_SAVE_GHCB_HI)
	movl	$AP_PRE_TERM_BAD_SEV_INFO, %esi
	movl	%eax, %ecx
	andl	$0xfff, %ecx
	cmpl	$GHCB_MSR_SEV_INFO_RESP, %ecx
	jne	terminate
	movzwl	%dx, %ecx		/* min version: we speak 1 and 2 */
	cmpl	$2, %ecx
	ja	terminate
	movl	%edx, %ecx
	shrl	$16, %ecx		/* max version */
	jz	terminate
	cmpl	$2, %ecx
	jbe	1f
	movl	$2, %ecx
1:	movl	%ecx, D(AP_PRE_VERSION)
	movl	%eax, %ecx
	shrl	$24, %ecx		/* C-bit: PAE entries hold bits 32..51 in their high dword */
	cmpl	$32, %ecx
	jb	terminate
	cmpl	$51, %ecx
	ja	terminate
	subl	$32, %ecx
	movl	$1, %edi
	shll	%cl, %edi		/* EDI = the C-bit in an entry's high dword */

	/* Tables: PML4[0] -> PDPT[0] -> PD[0] -> PT, which maps the AP area (measured zero). */
	movl	$(PDPT | PTE_P | PTE_RW), PML4
	movl	%edi, PML4 + 4
	movl	$(PD | PTE_P | PTE_RW), PDPT
	movl	%edi, PDPT + 4
	movl	$(PT | PTE_P | PTE_RW), PD
	movl	%edi, PD + 4
	movl	$PT_AREA, %eax
	movl	$(AP_AREA_GPA | PTE_P | PTE_RW), %edx
2:	movl	%edx, (%eax)
	movl	%edi, 4(%eax)
	addl	$8, %eax
	addl	$0x1000, %edx
	cmpl	$((AP_AREA_GPA + AP_AREA_SIZE) | PTE_P | PTE_RW), %edx
	jne	2b
	movl	$0, PT + (GHCB >> 12) * 8 + 4	/* the GHCB page: C-bit clear, shared */

	movl	D(AP_PRE_SAVE_CR4), %eax
	orl	$CR4_PAE, %eax
	movl	%eax, %cr4
	movl	$PML4, %eax
	movl	%eax, %cr3
	movl	D(AP_PRE_SAVE_EFER), %eax
	orl	$EFER_LME, %eax
	xorl	%edx, %edx
	movl	$MSR_EFER, %ecx
	wrmsr
	movl	D(AP_PRE_SAVE_CR0), %eax
	orl	$CR0_PG, %eax
	movl	%eax, %cr0		/* IA-32e paging on; CS is 32-bit: compatibility mode */

	/* GHCB page request AP_JUMP_TABLE SET (linear = GPA: identity map, now shared). */
	movl	$0, GHCB + G_VALID
	movl	$0, GHCB + G_VALID + 4
	movl	$0, GHCB + G_VALID + 8
	movl	$0, GHCB + G_VALID + 12
	movl	$EXIT_AP_JUMP_TABLE, GHCB + G_EXIT_CODE
	movl	$0, GHCB + G_EXIT_CODE + 4
	movl	$AP_JUMP_TABLE_SET, GHCB + G_EXIT_INFO1
	movl	$0, GHCB + G_EXIT_INFO1 + 4
	movl	$(AP_AREA_GPA + AP_JUMP_TABLE_OFFSET), GHCB + G_EXIT_INFO2
	movl	$0, GHCB + G_EXIT_INFO2 + 4
	movb	$G_VALID_BYTE14, GHCB + G_VALID + 14
	movl	D(AP_PRE_VERSION), %eax
	movw	%ax, GHCB + G_VERSION
	movl	$0, GHCB + G_USAGE
	movl	$GHCB, %eax
	xorl	%edx, %edx
	movl	$MSR_GHCB, %ecx
	wrmsr
	.byte	0xf3, 0x0f, 0x01, 0xd9	/* VMGEXIT */
	movl	GHCB + G_EXIT_INFO1, %esi	/* [31:0] = 0: done */

	/* Flush the shared lines, then back to the entry paging state. */
	movl	$GHCB, %eax
3:	clflush	(%eax)
	addl	$64, %eax
	cmpl	$(GHCB + 0x1000), %eax
	jne	3b
	movl	D(AP_PRE_SAVE_CR0), %eax
	movl	%eax, %cr0		/* paging off leaves IA-32e mode; then LME may go */
	movl	D(AP_PRE_SAVE_EFER), %eax
	xorl	%edx, %edx
	movl	$MSR_EFER, %ecx
	wrmsr
	movl	D(AP_PRE_SAVE_CR3), %eax
	movl	%eax, %cr3
	movl	D(AP_PRE_SAVE_CR4), %eax
	movl	%eax, %cr4
	testl	%esi, %esi
	movl	$AP_PRE_TERM_SET_FAILED, %esi
	jnz	terminate

	/* Every borrowed byte back to its measured zero, through private accesses. */
	xorl	%eax, %eax
	movl	%eax, PML4
	movl	%eax, PML4 + 4
	movl	%eax, PDPT
	movl	%eax, PDPT + 4
	movl	%eax, PD
	movl	%eax, PD + 4
	movl	$PT_AREA, %edi
	movl	$PT_AREA_DWORDS, %ecx
	rep stosl
	movl	$GHCB, %edi
	movl	$1024, %ecx
	rep stosl

	/* The GHCB MSR as the kernel would have found it (SEV_INFO: SIF_HVM_GHCB guests read it). */
	movl	D(AP_PRE_SAVE_GHCB_LO), %eax
	movl	D(AP_PRE_SAVE_GHCB_HI), %edx
	movl	$MSR_GHCB, %ecx
	wrmsr

	/* The entry state again; from POPFL on only MOVs and the jump. */
	movl	$D(AP_PRE_EFLAGS), %esp
	popfl
	movl	D(AP_PRE_SAVE_EAX), %eax
	movl	D(AP_PRE_SAVE_ECX), %ecx
	movl	D(AP_PRE_SAVE_EDX), %edx
	movl	D(AP_PRE_SAVE_ESI), %esi
	movl	D(AP_PRE_SAVE_EDI), %edi
	movl	D(AP_PRE_SAVE_EBP), %ebp
	movl	D(AP_PRE_SAVE_ESP), %esp
	movl	$0, D(AP_PRE_SAVE_EAX)
	movl	$0, D(AP_PRE_SAVE_ECX)
	movl	$0, D(AP_PRE_SAVE_EDX)
	movl	$0, D(AP_PRE_SAVE_ESI)
	movl	$0, D(AP_PRE_SAVE_EDI)
	movl	$0, D(AP_PRE_SAVE_EBP)
	movl	$0, D(AP_PRE_SAVE_ESP)
	movl	$0, D(AP_PRE_SAVE_CR0)
	movl	$0, D(AP_PRE_SAVE_CR3)
	movl	$0, D(AP_PRE_SAVE_CR4)
	movl	$0, D(AP_PRE_SAVE_GHCB_LO)
	movl	$0, D(AP_PRE_SAVE_GHCB_HI)
	movl	$0, D(AP_PRE_VERSION)
	movl	$0, D(AP_PRE_SAVE_EFER)
	movl	$0, D(AP_PRE_EFLAGS)
	jmp	*D(AP_PRE_ENTRY)

	/* ESI = reason code (set 0). Paging is off here. The hypervisor ends the guest. */
terminate:
	shll	$16, %esi
	leal	GHCB_MSR_TERM_REQ(%esi), %eax
	xorl	%edx, %edx
	movl	$MSR_GHCB, %ecx
	wrmsr
	.byte	0xf3, 0x0f, 0x01, 0xd9	/* VMGEXIT */
4:	jmp	4b
	.globl	bsp_prestub_end
bsp_prestub_end:
