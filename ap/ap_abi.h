/* SPDX-License-Identifier: MIT */
/*
 * The AP area: the one fixed guest-physical range of the pvh-sev ABI (docs/abi.md sections 3
 * and 4). Freestanding, shared by the VMM, the AP entry stub (assembler) and guests.
 *
 * Layout of [PVH_SEV_AP_AREA_GPA, + PVH_SEV_AP_AREA_SIZE), offsets from the area base:
 *
 *   0x0000  AP entry stub (code, at most AP_STUB_MAX bytes); APs start at its first byte
 *   0x0a00  BSP pre-stub (SEV-ES modes: the BSP starts here, SETs the AP jump table GPA, then
 *           enters the kernel at the PVH entry state); 0x0f00 its data (kernel entry, save area)
 *   0x1000  the stub's GDT (AP_GDT_SIZE bytes): fixed descriptors, then one per vCPU
 *   0x2000  AP jump table page (GHCB "SMP booting"): dword 0 = IP (16 bits), CS (16 bits)
 *   0x3000  bring-up header (64 bytes)
 *   0x3040  bring-up slots, AP_SLOT_SIZE bytes each, AP_MAX_VCPUS of them, up to 0xc000
 */
#ifndef PVH_AP_ABI_H
#define PVH_AP_ABI_H

#include "loader/guest_abi.h"

#define AP_AREA_GPA PVH_SEV_AP_AREA_GPA
#define AP_AREA_SIZE PVH_SEV_AP_AREA_SIZE
#define AP_MAX_VCPUS 255 /* xAPIC IDs 0..254 */

#define AP_STUB_OFFSET 0x0000
#define AP_STUB_MAX 0x0a00
#define AP_GDT_OFFSET 0x1000
#define AP_JUMP_TABLE_OFFSET 0x2000
#define AP_BRINGUP_OFFSET 0x3000
#define AP_SLOTS_OFFSET 0x3040
#define AP_SLOT_SIZE 144

/*
 * BSP pre-stub (docs/abi.md 4.1, ap/stub/bsp_prestub.S). In es and emulated mode the BSP's
 * measured RIP is AP_PRESTUB_GPA: it SETs the AP jump table GPA to the jump-table page through
 * the GHCB page protocol, restores the exact PVH entry state and jumps to the kernel entry
 * stored at AP_PRE_ENTRY. It borrows five pages of the bring-up slot array (slots 113..254,
 * unused before the kernel runs) for its page tables and its GHCB, and zeroes them again.
 */
#define AP_PRESTUB_OFFSET 0x0a00
#define AP_PRESTUB_MAX 0x0500 /* code */
#define AP_PRESTUB_DATA_OFFSET 0x0f00
#define AP_PRESTUB_GPA (AP_AREA_GPA + AP_PRESTUB_OFFSET)
/* Data, offsets from AP_PRESTUB_DATA_OFFSET (all zero in the image except AP_PRE_ENTRY). */
#define AP_PRE_ENTRY 0x00 /* kernel entry point (PVH XEN_ELFNOTE_PHYS32_ENTRY) */
#define AP_PRE_SAVE_EAX 0x04
#define AP_PRE_SAVE_ECX 0x08
#define AP_PRE_SAVE_EDX 0x0c
#define AP_PRE_SAVE_ESI 0x10
#define AP_PRE_SAVE_EDI 0x14
#define AP_PRE_SAVE_EBP 0x18
#define AP_PRE_SAVE_ESP 0x1c
#define AP_PRE_SAVE_CR0 0x20
#define AP_PRE_SAVE_CR3 0x24
#define AP_PRE_SAVE_CR4 0x28
#define AP_PRE_SAVE_GHCB_LO 0x2c /* the GHCB MSR (SEV_INFO) as the BSP found it */
#define AP_PRE_SAVE_GHCB_HI 0x30
#define AP_PRE_VERSION 0x34      /* GHCB protocol version used for the request */
#define AP_PRE_SAVE_EFER 0x38
#define AP_PRE_EFLAGS 0x3c /* one-slot stack: pushfl at entry, popfl at the end */
#define AP_PRE_STACK_TOP 0x40
#define AP_PRE_DATA_SIZE 0x100
#define AP_PRESTUB_PML4_OFFSET 0x7000
#define AP_PRESTUB_PDPT_OFFSET 0x8000
#define AP_PRESTUB_PD_OFFSET 0x9000
#define AP_PRESTUB_PT_OFFSET 0xa000
#define AP_PRESTUB_GHCB_OFFSET 0xb000
/* Termination codes (GHCB MSR protocol 0x100, reason set 0) when the pre-stub cannot SET. */
#define AP_PRE_TERM_BAD_SEV_INFO 1 /* GHCB MSR is not a usable SEV_INFO (PROT_UNSUPPORTED) */
#define AP_PRE_TERM_SET_FAILED 0    /* the hypervisor refused the SET (GEN_REQ) */

/*
 * GHCB version 1 idle (docs/smp.md "How an idle AP waits"): before KVM 6.10 the only way for an
 * AP to wait is the AP_HLT_LOOP event, made through a GHCB *page*. The page must be shared
 * (C-bit clear in the guest's page tables) and, because KVM clears the page's valid bitmap when
 * it reads a request, one page per vCPU. Under SEV-ES every access with paging off is private,
 * so the stub writes 4-level tables (identity: the AP area private, the GHCB pages shared),
 * turns paging on in compatibility mode, makes the request and turns paging off again.
 * Layout of [AP_IDLE_GPA, + AP_IDLE_SIZE): tables at the offsets below, then the GHCB page of
 * vCPU n (1 <= n <= AP_IDLE_MAX_VCPU) at AP_IDLE_GHCB_OFFSET + (n - 1) * 4 KiB. Every AP writes
 * the same table bytes (no lock): an entry is only ever rewritten with its own value.
 * An AP with a higher index waits through the GHCB MSR AP reset hold even under version 1.
 */
#define AP_IDLE_GPA PVH_SEV_AP_IDLE_GPA
#define AP_IDLE_SIZE PVH_SEV_AP_IDLE_SIZE
#define AP_IDLE_PML4_OFFSET 0x0000
#define AP_IDLE_PDPT_OFFSET 0x1000
#define AP_IDLE_PD_OFFSET 0x2000
#define AP_IDLE_PT_OFFSET 0x3000
#define AP_IDLE_GHCB_OFFSET 0x4000
#define AP_IDLE_MAX_VCPU ((AP_IDLE_SIZE - AP_IDLE_GHCB_OFFSET) / 0x1000) /* 60 */
#define AP_IDLE_GHCB_GPA(n) (AP_IDLE_GPA + AP_IDLE_GHCB_OFFSET + ((n) - 1) * 0x1000)

/* GDT selectors (the AP initial state uses CODE32, DATA32 and TSS). */
#define AP_GDT_CODE32 0x08 /* flat 32-bit code, 0xc9b */
#define AP_GDT_DATA32 0x10 /* flat 32-bit data, 0xc93 */
#define AP_GDT_CODE16 0x18 /* 16-bit code, base = AP area, limit 0xffff */
#define AP_GDT_DATA16 0x20 /* 16-bit data, base = AP area, limit 0xffff */
#define AP_GDT_CODE64 0x28 /* 64-bit code */
#define AP_GDT_TSS 0x30    /* busy 32-bit TSS, base 0, limit 0x67 */
#define AP_GDT_SLOT0 0x40  /* + 8 * n: 32-bit data, base = slot n, limit AP_SLOT_SIZE - 1 */
#define AP_GDT_FIXED_ENTRIES 8
#define AP_GDT_ENTRIES (AP_GDT_FIXED_ENTRIES + AP_MAX_VCPUS)
#define AP_GDT_SIZE (AP_GDT_ENTRIES * 8)
#define AP_GDT_SLOT_SEL(n) (AP_GDT_SLOT0 + 8 * (n))

/* Bring-up header, at AP_BRINGUP_OFFSET. */
#define AP_HDR_MAGIC 0x41485650u /* "PVHA" in memory order */
#define AP_HDR_VERSION 1u
#define AP_HDR_F_GHCB_HOLD 0x1u /* idle with the GHCB MSR AP reset hold (else HLT, off mode) */

#define AP_HDR_OFF_MAGIC 0
#define AP_HDR_OFF_VERSION 4
#define AP_HDR_OFF_NR_VCPUS 8
#define AP_HDR_OFF_DOORBELL_PORT 12
#define AP_HDR_OFF_FLAGS 16
#define AP_HDR_OFF_SLOT_SIZE 20
#define AP_HDR_OFF_SLOTS 24 /* offset of slot 0 from the AP area base */
#define AP_HDR_OFF_JUMP_TABLE 28
#define AP_HDR_SIZE 64

/* Slot state words (slot offset 0). */
#define AP_SLOT_STOPPED 0u
#define AP_SLOT_UP_REQUESTED 1u
#define AP_SLOT_RUNNING 2u
#define AP_SLOT_FAILED 3u

/* Failure reasons (slot offset 4), written by the stub before it sets AP_SLOT_FAILED. */
#define AP_FAIL_NONE 0u
#define AP_FAIL_MODE 1u    /* mode is neither 32B (0) nor 64B (1) */
#define AP_FAIL_CR0 2u     /* PE clear, PG wrong for the mode, reserved bits, NW without CD */
#define AP_FAIL_CR3 3u     /* 64-bit: at or above 4 GiB or not page aligned */
#define AP_FAIL_CR4 4u     /* bits outside AP_CR4_ALLOWED, PAE missing in 64-bit mode */
#define AP_FAIL_EFER 5u    /* bits outside AP_EFER_ALLOWED, LME missing/present wrongly */
#define AP_FAIL_FLAGS 6u   /* (R/E)FLAGS: bit 1 clear, IF, TF or VM set, high bits set */
#define AP_FAIL_SEGMENT 7u /* 32-bit: CS/DS/SS/ES not flat */
#define AP_FAIL_TR 8u      /* 32-bit: TR neither zero nor the initial busy TSS */
#define AP_FAIL_RIP 9u     /* 64-bit: RIP not canonical (48-bit) */

/* What the stub accepts (docs/abi.md 4.2 explains why). */
#define AP_CR0_ALLOWED 0xe005003fu     /* PE MP EM TS ET NE WP AM NW CD PG */
#define AP_CR4_ALLOWED 0x000007f8u     /* DE PSE PAE MCE PGE PCE OSFXSR OSXMMEXCPT */
#define AP_EFER_ALLOWED 0x00000d01u    /* SCE LME LMA NXE */
#define AP_FLAGS_FORBIDDEN 0xffc20300u /* TF IF VM and bits 22-31 */

/* Slot layout. */
#define AP_SLOT_OFF_STATE 0
#define AP_SLOT_OFF_REASON 4
#define AP_SLOT_OFF_CTX 16 /* struct vcpu_hvm_context */

/* vcpu_hvm_context (Xen public/hvm/hvm_vcpu.h layout): mode, pad, then the register union. */
#define AP_CTX_MODE_32B 0u
#define AP_CTX_MODE_64B 1u
#define AP_CTX_OFF_MODE 0
#define AP_CTX_OFF_REGS 8
#define AP_CTX_SIZE 128

/* vcpu_hvm_x86_32 offsets, relative to AP_CTX_OFF_REGS. */
#define AP_X32_EAX 0
#define AP_X32_ECX 4
#define AP_X32_EDX 8
#define AP_X32_EBX 12
#define AP_X32_ESP 16
#define AP_X32_EBP 20
#define AP_X32_ESI 24
#define AP_X32_EDI 28
#define AP_X32_EIP 32
#define AP_X32_EFLAGS 36
#define AP_X32_CR0 40
#define AP_X32_CR3 44
#define AP_X32_CR4 48
#define AP_X32_EFER 56
#define AP_X32_CS_BASE 64
#define AP_X32_DS_BASE 68
#define AP_X32_SS_BASE 72
#define AP_X32_ES_BASE 76
#define AP_X32_TR_BASE 80
#define AP_X32_CS_LIMIT 84
#define AP_X32_DS_LIMIT 88
#define AP_X32_SS_LIMIT 92
#define AP_X32_ES_LIMIT 96
#define AP_X32_TR_LIMIT 100
#define AP_X32_CS_AR 104
#define AP_X32_DS_AR 106
#define AP_X32_SS_AR 108
#define AP_X32_ES_AR 110
#define AP_X32_TR_AR 112
#define AP_X32_SIZE 120

/* vcpu_hvm_x86_64 offsets, relative to AP_CTX_OFF_REGS. */
#define AP_X64_RAX 0
#define AP_X64_RCX 8
#define AP_X64_RDX 16
#define AP_X64_RBX 24
#define AP_X64_RSP 32
#define AP_X64_RBP 40
#define AP_X64_RSI 48
#define AP_X64_RDI 56
#define AP_X64_RIP 64
#define AP_X64_RFLAGS 72
#define AP_X64_CR0 80
#define AP_X64_CR3 88
#define AP_X64_CR4 96
#define AP_X64_EFER 104
#define AP_X64_SIZE 112

/* Doorbell (PVH_SEV_AP_DOORBELL_PORT): OUT 4 bytes = vCPU index; IN 4 bytes = result. */
#define AP_DB_OK 0u              /* the VMM started (or woke) that vCPU */
#define AP_DB_NO_SUCH_VCPU 1u    /* index >= number of vCPUs */
#define AP_DB_ALREADY_STARTED 2u /* that vCPU was started before (by doorbell or INIT-SIPI) */
#define AP_DB_IS_BSP 3u          /* index 0: the BSP is never started through the doorbell */
#define AP_DB_START_FAILED 4u    /* the VMM could not start it (its log says why) */
#define AP_DB_BAD_ACCESS 5u      /* the last OUT was not 4 bytes wide */
#define AP_DB_NO_REQUEST 6u      /* this vCPU has not written the doorbell yet */

#ifndef __ASSEMBLER__
#include <stdint.h>

struct ap_bringup_header {
	uint32_t magic;
	uint32_t version;
	uint32_t nr_vcpus;
	uint32_t doorbell_port;
	uint32_t flags;
	uint32_t slot_size;
	uint32_t slots_offset;
	uint32_t jump_table_offset;
	uint32_t reserved[8];
};

struct ap_hvm_x86_32 {
	uint32_t eax, ecx, edx, ebx, esp, ebp, esi, edi;
	uint32_t eip, eflags;
	uint32_t cr0, cr3, cr4;
	uint32_t pad1;
	uint64_t efer;
	uint32_t cs_base, ds_base, ss_base, es_base, tr_base;
	uint32_t cs_limit, ds_limit, ss_limit, es_limit, tr_limit;
	uint16_t cs_ar, ds_ar, ss_ar, es_ar, tr_ar;
	uint16_t pad2[3];
};

struct ap_hvm_x86_64 {
	uint64_t rax, rcx, rdx, rbx, rsp, rbp, rsi, rdi;
	uint64_t rip, rflags;
	uint64_t cr0, cr3, cr4, efer;
};

/* Same bytes as Xen's struct vcpu_hvm_context. */
struct ap_hvm_context {
	uint32_t mode;
	uint32_t pad;
	union {
		struct ap_hvm_x86_32 x86_32;
		struct ap_hvm_x86_64 x86_64;
	} cpu_regs;
};

struct ap_slot {
	volatile uint32_t state; /* AP_SLOT_* */
	uint32_t reason;         /* AP_FAIL_* when state is AP_SLOT_FAILED */
	uint32_t reserved[2];
	struct ap_hvm_context ctx;
};

#define AP_OFFSETOF(t, f) __builtin_offsetof(t, f)
_Static_assert(sizeof(struct ap_bringup_header) == AP_HDR_SIZE, "header size");
_Static_assert(AP_OFFSETOF(struct ap_bringup_header, nr_vcpus) == AP_HDR_OFF_NR_VCPUS, "nr");
_Static_assert(AP_OFFSETOF(struct ap_bringup_header, doorbell_port) == AP_HDR_OFF_DOORBELL_PORT,
               "port");
_Static_assert(AP_OFFSETOF(struct ap_bringup_header, flags) == AP_HDR_OFF_FLAGS, "flags");
_Static_assert(AP_OFFSETOF(struct ap_bringup_header, slot_size) == AP_HDR_OFF_SLOT_SIZE, "ssz");
_Static_assert(AP_OFFSETOF(struct ap_bringup_header, slots_offset) == AP_HDR_OFF_SLOTS, "slots");
_Static_assert(AP_OFFSETOF(struct ap_bringup_header, jump_table_offset) == AP_HDR_OFF_JUMP_TABLE,
               "jt");

_Static_assert(sizeof(struct ap_hvm_x86_32) == AP_X32_SIZE, "x86_32 size");
_Static_assert(AP_OFFSETOF(struct ap_hvm_x86_32, esp) == AP_X32_ESP, "esp");
_Static_assert(AP_OFFSETOF(struct ap_hvm_x86_32, edi) == AP_X32_EDI, "edi");
_Static_assert(AP_OFFSETOF(struct ap_hvm_x86_32, eip) == AP_X32_EIP, "eip");
_Static_assert(AP_OFFSETOF(struct ap_hvm_x86_32, eflags) == AP_X32_EFLAGS, "eflags");
_Static_assert(AP_OFFSETOF(struct ap_hvm_x86_32, cr0) == AP_X32_CR0, "cr0");
_Static_assert(AP_OFFSETOF(struct ap_hvm_x86_32, cr4) == AP_X32_CR4, "cr4");
_Static_assert(AP_OFFSETOF(struct ap_hvm_x86_32, efer) == AP_X32_EFER, "efer");
_Static_assert(AP_OFFSETOF(struct ap_hvm_x86_32, cs_base) == AP_X32_CS_BASE, "cs_base");
_Static_assert(AP_OFFSETOF(struct ap_hvm_x86_32, tr_base) == AP_X32_TR_BASE, "tr_base");
_Static_assert(AP_OFFSETOF(struct ap_hvm_x86_32, cs_limit) == AP_X32_CS_LIMIT, "cs_limit");
_Static_assert(AP_OFFSETOF(struct ap_hvm_x86_32, tr_limit) == AP_X32_TR_LIMIT, "tr_limit");
_Static_assert(AP_OFFSETOF(struct ap_hvm_x86_32, cs_ar) == AP_X32_CS_AR, "cs_ar");
_Static_assert(AP_OFFSETOF(struct ap_hvm_x86_32, es_ar) == AP_X32_ES_AR, "es_ar");
_Static_assert(AP_OFFSETOF(struct ap_hvm_x86_32, tr_ar) == AP_X32_TR_AR, "tr_ar");

_Static_assert(sizeof(struct ap_hvm_x86_64) == AP_X64_SIZE, "x86_64 size");
_Static_assert(AP_OFFSETOF(struct ap_hvm_x86_64, rsp) == AP_X64_RSP, "rsp");
_Static_assert(AP_OFFSETOF(struct ap_hvm_x86_64, rip) == AP_X64_RIP, "rip");
_Static_assert(AP_OFFSETOF(struct ap_hvm_x86_64, rflags) == AP_X64_RFLAGS, "rflags");
_Static_assert(AP_OFFSETOF(struct ap_hvm_x86_64, cr3) == AP_X64_CR3, "cr3");
_Static_assert(AP_OFFSETOF(struct ap_hvm_x86_64, efer) == AP_X64_EFER, "efer64");

_Static_assert(sizeof(struct ap_hvm_context) == AP_CTX_SIZE, "context size");
_Static_assert(AP_OFFSETOF(struct ap_hvm_context, cpu_regs) == AP_CTX_OFF_REGS, "regs");
_Static_assert(sizeof(struct ap_slot) == AP_SLOT_SIZE, "slot size");
_Static_assert(AP_OFFSETOF(struct ap_slot, reason) == AP_SLOT_OFF_REASON, "reason");
_Static_assert(AP_OFFSETOF(struct ap_slot, ctx) == AP_SLOT_OFF_CTX, "ctx");
#endif /* !__ASSEMBLER__ */

/* The layout fits its page(s) and the AP area. */
#if AP_STUB_OFFSET + AP_STUB_MAX > AP_PRESTUB_OFFSET
#error "stub overlaps the BSP pre-stub"
#endif
#if AP_PRESTUB_OFFSET + AP_PRESTUB_MAX > AP_PRESTUB_DATA_OFFSET ||                               \
    AP_PRESTUB_DATA_OFFSET + AP_PRE_DATA_SIZE > AP_GDT_OFFSET
#error "BSP pre-stub layout"
#endif
/* Five consecutive whole pages inside the slot array: PML4, PDPT, PD, PT, GHCB. */
#if AP_PRESTUB_PML4_OFFSET < AP_SLOTS_OFFSET || (AP_PRESTUB_PML4_OFFSET & 0xfff) ||             \
    AP_PRESTUB_PDPT_OFFSET != AP_PRESTUB_PML4_OFFSET + 0x1000 ||                               \
    AP_PRESTUB_PD_OFFSET != AP_PRESTUB_PDPT_OFFSET + 0x1000 ||                                 \
    AP_PRESTUB_PT_OFFSET != AP_PRESTUB_PD_OFFSET + 0x1000 ||                                   \
    AP_PRESTUB_GHCB_OFFSET != AP_PRESTUB_PT_OFFSET + 0x1000 ||                                 \
    AP_PRESTUB_GHCB_OFFSET + 0x1000 > AP_AREA_SIZE
#error "the pre-stub's borrowed pages must be whole pages of the slot array"
#endif
#if AP_GDT_OFFSET + AP_GDT_SIZE > AP_JUMP_TABLE_OFFSET
#error "GDT overlaps the jump table page"
#endif
#if (AP_JUMP_TABLE_OFFSET & 0xfff) || (AP_AREA_GPA & 0xfff)
#error "the jump table must be page aligned"
#endif
#if AP_BRINGUP_OFFSET + AP_HDR_SIZE > AP_SLOTS_OFFSET
#error "bring-up header overlaps the slots"
#endif
#if AP_SLOTS_OFFSET + AP_MAX_VCPUS * AP_SLOT_SIZE > AP_AREA_SIZE
#error "slots do not fit the AP area"
#endif
/* One page table (the first 2 MiB) maps both the AP area and the idle pages. */
#if (AP_IDLE_GPA & 0xfff) || AP_IDLE_GPA < AP_AREA_GPA + AP_AREA_SIZE ||                           \
    AP_IDLE_GPA + AP_IDLE_SIZE > PVH_SEV_ACPI_GPA || AP_IDLE_GPA + AP_IDLE_SIZE > 0x200000 ||      \
    AP_IDLE_MAX_VCPU < 1
#error "AP idle pages layout"
#endif
#if AP_AREA_GPA + AP_AREA_SIZE > PVH_SEV_MPTABLE_GPA
#error "AP area overlaps the MP table"
#endif

#endif
