/* SPDX-License-Identifier: MIT */
/*
 * The GHCB (Guest-Hypervisor Communication Block) ABI of AMD SEV-ES, as KVM implements it:
 * the GHCB MSR protocol, the GHCB page layout, exit codes and results.
 *
 * One freestanding header shared by the VMM and the example guests (-ffreestanding, 32- or
 * 64-bit): only <stdint.h> and <stddef.h>, no host types. Facts and their sources are in
 * shared/design/reference/sev-es.md section 5 (Linux sev-common.h, svm.h, KVM svm/sev.c);
 * docs/ghcb.md lists how pvh-sev services each request.
 */
#ifndef PVH_GHCB_H
#define PVH_GHCB_H

#include <stddef.h>
#include <stdint.h>

/* ---- MSRs ---------------------------------------------------------------------------- */

#define GHCB_MSR 0xC0010130u       /* GHCB GPA, or an MSR-protocol request/response */
#define SEV_STATUS_MSR 0xC0010131u /* read-only: which SEV features are active */
#define SEV_STATUS_SEV (1ull << 0)
#define SEV_STATUS_SEV_ES (1ull << 1)
#define SEV_STATUS_SNP (1ull << 2)

/* GHCB protocol versions KVM speaks: version 2 with KVM_SEV_INIT2, 1 with the legacy init. */
#define GHCB_VERSION_MIN 1u
#define GHCB_VERSION_MAX 2u

/* ---- GHCB MSR protocol: GHCBInfo = bits 11:0, GHCBData = bits 63:12 ------------------- */

#define GHCB_MSR_INFO_MASK 0xfffull
#define GHCB_MSR_SEV_INFO_RESP 0x001u
#define GHCB_MSR_SEV_INFO_REQ 0x002u
#define GHCB_MSR_CPUID_REQ 0x004u
#define GHCB_MSR_CPUID_RESP 0x005u
#define GHCB_MSR_AP_RESET_HOLD_REQ 0x006u
#define GHCB_MSR_AP_RESET_HOLD_RESP 0x007u
#define GHCB_MSR_PREF_GPA_REQ 0x010u /* SNP only */
#define GHCB_MSR_PREF_GPA_RESP 0x011u
#define GHCB_MSR_REG_GPA_REQ 0x012u /* SNP only */
#define GHCB_MSR_REG_GPA_RESP 0x013u
#define GHCB_MSR_PSC_REQ 0x014u /* SNP only */
#define GHCB_MSR_PSC_RESP 0x015u
#define GHCB_MSR_HV_FT_REQ 0x080u
#define GHCB_MSR_HV_FT_RESP 0x081u
#define GHCB_MSR_TERM_REQ 0x100u

/* CPUID request register select (bits 31:30). */
#define GHCB_CPUID_EAX 0u
#define GHCB_CPUID_EBX 1u
#define GHCB_CPUID_ECX 2u
#define GHCB_CPUID_EDX 3u

/* Termination reason sets and the codes of set 0 (set 1 holds Linux's own codes). */
#define GHCB_TERM_SET_GENERAL 0u
#define GHCB_TERM_SET_LINUX 1u
#define GHCB_TERM_GEN_REQ 0u
#define GHCB_TERM_PROT_UNSUPPORTED 1u
#define GHCB_TERM_SNP_UNSUPPORTED 2u

/* Hypervisor features (MSR protocol 0x080 and the HV_FEATURES event). */
#define GHCB_HV_FT_SNP (1ull << 0)
#define GHCB_HV_FT_SNP_AP_CREATION (1ull << 1)
/* What KVM answers, to SEV-ES guests too. */
#define GHCB_HV_FT_KVM (GHCB_HV_FT_SNP | GHCB_HV_FT_SNP_AP_CREATION)

static inline uint32_t ghcb_msr_info(uint64_t v) { return (uint32_t)(v & GHCB_MSR_INFO_MASK); }

static inline uint64_t ghcb_msr_data(uint64_t v) { return v >> 12; }

/* SEV_INFO response: max version 63:48, min version 47:32, C-bit position 31:24. */
static inline uint64_t ghcb_msr_sev_info(uint16_t max, uint16_t min, uint8_t cbit)
{
	return (uint64_t)max << 48 | (uint64_t)min << 32 | (uint64_t)cbit << 24 |
	       GHCB_MSR_SEV_INFO_RESP;
}

static inline uint16_t ghcb_msr_sev_info_max(uint64_t v) { return (uint16_t)(v >> 48); }

static inline uint16_t ghcb_msr_sev_info_min(uint64_t v) { return (uint16_t)(v >> 32); }

static inline uint8_t ghcb_msr_sev_info_cbit(uint64_t v) { return (uint8_t)(v >> 24); }

/* CPUID request: function 63:32, register 31:30. The response carries the value in 63:32. */
static inline uint64_t ghcb_msr_cpuid_req(uint32_t fn, unsigned reg)
{
	return (uint64_t)fn << 32 | (uint64_t)(reg & 3u) << 30 | GHCB_MSR_CPUID_REQ;
}

static inline uint32_t ghcb_msr_cpuid_fn(uint64_t v) { return (uint32_t)(v >> 32); }

static inline unsigned ghcb_msr_cpuid_reg(uint64_t v) { return (unsigned)(v >> 30) & 3u; }

static inline uint32_t ghcb_msr_cpuid_value(uint64_t v) { return (uint32_t)(v >> 32); }

/* AP reset hold response: result in 63:12, non-zero when a SIPI released the hold. */
static inline uint64_t ghcb_msr_ap_reset_hold_result(uint64_t v) { return v >> 12; }

/* HV features response: the feature bitmap in 63:12. */
static inline uint64_t ghcb_msr_hv_ft(uint64_t v) { return v >> 12; }

/* Termination request: reason set 15:12, reason code 23:16. */
static inline uint64_t ghcb_msr_term_req(unsigned set, unsigned code)
{
	return (uint64_t)(code & 0xffu) << 16 | (uint64_t)(set & 0xfu) << 12 | GHCB_MSR_TERM_REQ;
}

static inline unsigned ghcb_msr_term_set(uint64_t v) { return (unsigned)(v >> 12) & 0xfu; }

static inline unsigned ghcb_msr_term_code(uint64_t v) { return (unsigned)(v >> 16) & 0xffu; }

/* ---- GHCB page ------------------------------------------------------------------------ */

#define GHCB_PAGE_SIZE 4096u
#define GHCB_SHARED_BUF_OFFSET 0x800u
#define GHCB_SHARED_BUF_SIZE 2032u
/* A scratch area outside the GHCB page may be at most this long (KVM's limit). */
#define GHCB_SCRATCH_AREA_LIMIT (16u * 4096u)

/* The save area: only the fields the GHCB protocol uses are named. */
struct ghcb_save_area {
	uint8_t reserved_0x0[0xcb];
	uint8_t cpl;
	uint8_t reserved_0xcc[0x140 - 0xcc];
	uint64_t xss;
	uint8_t reserved_0x148[0x160 - 0x148];
	uint64_t dr7;
	uint8_t reserved_0x168[0x178 - 0x168];
	uint64_t rip;
	uint8_t reserved_0x180[0x1d8 - 0x180];
	uint64_t rsp;
	uint8_t reserved_0x1e0[0x1f8 - 0x1e0];
	uint64_t rax;
	uint8_t reserved_0x200[0x308 - 0x200];
	uint64_t rcx;
	uint64_t rdx;
	uint64_t rbx;
	uint64_t reserved_0x320;
	uint64_t rbp;
	uint64_t rsi;
	uint64_t rdi;
	uint64_t r8, r9, r10, r11, r12, r13, r14, r15;
	uint8_t reserved_0x380[0x390 - 0x380];
	uint64_t sw_exit_code;
	uint64_t sw_exit_info_1;
	uint64_t sw_exit_info_2;
	uint64_t sw_scratch;
	uint8_t reserved_0x3b0[0x3e8 - 0x3b0];
	uint64_t xcr0;
	uint8_t valid_bitmap[16]; /* bit n = field at offset 8n; byte n/8, bit n%8 */
	uint64_t x87_state_gpa;
};

struct ghcb {
	struct ghcb_save_area save;
	uint8_t reserved_save[GHCB_SHARED_BUF_OFFSET - sizeof(struct ghcb_save_area)];
	uint8_t shared_buffer[GHCB_SHARED_BUF_SIZE];
	uint8_t reserved_0xff0[10];
	uint16_t protocol_version;
	uint32_t ghcb_usage; /* 0 is the only usage KVM accepts */
};

#define GHCB_OFF(field) offsetof(struct ghcb, save.field)
_Static_assert(GHCB_OFF(cpl) == 0x0cb, "cpl");
_Static_assert(GHCB_OFF(xss) == 0x140, "xss");
_Static_assert(GHCB_OFF(dr7) == 0x160, "dr7");
_Static_assert(GHCB_OFF(rip) == 0x178, "rip");
_Static_assert(GHCB_OFF(rsp) == 0x1d8, "rsp");
_Static_assert(GHCB_OFF(rax) == 0x1f8, "rax");
_Static_assert(GHCB_OFF(rcx) == 0x308, "rcx");
_Static_assert(GHCB_OFF(rdx) == 0x310, "rdx");
_Static_assert(GHCB_OFF(rbx) == 0x318, "rbx");
_Static_assert(GHCB_OFF(rsi) == 0x330, "rsi");
_Static_assert(GHCB_OFF(r15) == 0x378, "r15");
_Static_assert(GHCB_OFF(sw_exit_code) == 0x390, "sw_exit_code");
_Static_assert(GHCB_OFF(sw_exit_info_1) == 0x398, "sw_exit_info_1");
_Static_assert(GHCB_OFF(sw_exit_info_2) == 0x3a0, "sw_exit_info_2");
_Static_assert(GHCB_OFF(sw_scratch) == 0x3a8, "sw_scratch");
_Static_assert(GHCB_OFF(xcr0) == 0x3e8, "xcr0");
_Static_assert(GHCB_OFF(valid_bitmap) == 0x3f0, "valid_bitmap");
_Static_assert(GHCB_OFF(x87_state_gpa) == 0x400, "x87_state_gpa");
_Static_assert(offsetof(struct ghcb, shared_buffer) == GHCB_SHARED_BUF_OFFSET, "shared buffer");
_Static_assert(offsetof(struct ghcb, reserved_0xff0) == 0xff0, "reserved_0xff0");
_Static_assert(offsetof(struct ghcb, protocol_version) == 0xffa, "protocol_version");
_Static_assert(offsetof(struct ghcb, ghcb_usage) == 0xffc, "ghcb_usage");
_Static_assert(sizeof(struct ghcb) == GHCB_PAGE_SIZE, "GHCB is one page");

/* Valid-bitmap bit of the save-area field at byte offset `off` (e.g. GHCB_OFF(rax)). */
static inline unsigned ghcb_valid_bit(size_t off) { return (unsigned)(off / 8); }

static inline int ghcb_is_valid(const struct ghcb *g, size_t off)
{
	unsigned bit = ghcb_valid_bit(off);
	return (g->save.valid_bitmap[bit / 8] >> (bit % 8)) & 1;
}

static inline void ghcb_set_valid(struct ghcb *g, size_t off)
{
	unsigned bit = ghcb_valid_bit(off);
	g->save.valid_bitmap[bit / 8] |= (uint8_t)(1u << (bit % 8));
}

static inline void ghcb_clear_valid(struct ghcb *g)
{
	for (unsigned i = 0; i < sizeof(g->save.valid_bitmap); i++)
		g->save.valid_bitmap[i] = 0;
}

/* ---- Exit codes (sw_exit_code) --------------------------------------------------------- */

#define GHCB_EXIT_READ_DR7 0x027ull
#define GHCB_EXIT_WRITE_DR7 0x037ull
#define GHCB_EXIT_RDTSC 0x06eull
#define GHCB_EXIT_RDPMC 0x06full
#define GHCB_EXIT_CPUID 0x072ull
#define GHCB_EXIT_INVD 0x076ull
#define GHCB_EXIT_IOIO 0x07bull
#define GHCB_EXIT_MSR 0x07cull
#define GHCB_EXIT_VMMCALL 0x081ull
#define GHCB_EXIT_RDTSCP 0x087ull
#define GHCB_EXIT_WBINVD 0x089ull
#define GHCB_EXIT_MONITOR 0x08aull
#define GHCB_EXIT_MWAIT 0x08bull
#define GHCB_EXIT_MMIO_READ 0x80000001ull
#define GHCB_EXIT_MMIO_WRITE 0x80000002ull
#define GHCB_EXIT_NMI_COMPLETE 0x80000003ull
#define GHCB_EXIT_AP_HLT_LOOP 0x80000004ull
#define GHCB_EXIT_AP_JUMP_TABLE 0x80000005ull
#define GHCB_EXIT_SNP_PSC 0x80000010ull
#define GHCB_EXIT_GUEST_REQUEST 0x80000011ull
#define GHCB_EXIT_EXT_GUEST_REQUEST 0x80000012ull
#define GHCB_EXIT_AP_CREATION 0x80000013ull
#define GHCB_EXIT_HV_FEATURES 0x8000fffdull
#define GHCB_EXIT_TERM_REQUEST 0x8000fffeull
#define GHCB_EXIT_UNSUPPORTED 0x8000ffffull

/* AP_JUMP_TABLE: sw_exit_info_1 selects the operation; the GPA is in sw_exit_info_2. */
#define GHCB_AP_JUMP_TABLE_SET 0u
#define GHCB_AP_JUMP_TABLE_GET 1u

/* TERM_REQUEST: sw_exit_info_1 bits 3:0 = reason set, 11:4 = reason code. */
static inline unsigned ghcb_term_info_set(uint64_t info1) { return (unsigned)info1 & 0xfu; }

static inline unsigned ghcb_term_info_code(uint64_t info1)
{
	return (unsigned)(info1 >> 4) & 0xffu;
}

/* IOIO sw_exit_info_1 (the SVM IOIO intercept encoding); sw_exit_info_2 = repeat count. */
#define GHCB_IOIO_IN (1u << 0)
#define GHCB_IOIO_STR (1u << 2)
#define GHCB_IOIO_REP (1u << 3)
#define GHCB_IOIO_SZ8 (1u << 4)
#define GHCB_IOIO_SZ16 (1u << 5)
#define GHCB_IOIO_SZ32 (1u << 6)
#define GHCB_IOIO_SIZE_MASK (7u << 4)
#define GHCB_IOIO_A16 (1u << 7)
#define GHCB_IOIO_A32 (1u << 8)
#define GHCB_IOIO_A64 (1u << 9)
#define GHCB_IOIO_SEG_SHIFT 10
#define GHCB_IOIO_PORT_SHIFT 16

/* `flags` are GHCB_IOIO_IN/STR/REP/A*; size is 1, 2 or 4 bytes. */
static inline uint64_t ghcb_ioio_info(uint16_t port, unsigned size, uint32_t flags)
{
	return (uint64_t)port << GHCB_IOIO_PORT_SHIFT | (uint64_t)((size & 7u) << 4) | flags;
}

static inline uint16_t ghcb_ioio_port(uint64_t info1)
{
	return (uint16_t)(info1 >> GHCB_IOIO_PORT_SHIFT);
}

/* The size field is one-hot (1, 2 or 4); anything else is malformed. */
static inline unsigned ghcb_ioio_size(uint64_t info1)
{
	return (unsigned)(info1 & GHCB_IOIO_SIZE_MASK) >> 4;
}

/* ---- Results (sw_exit_info_1 bits 31:0; sw_exit_info_2 holds the detail) ----------------- */

#define GHCB_RESULT_OK 0u
#define GHCB_RESULT_EXCEPTION 1u /* info_2: event-injection format */
#define GHCB_RESULT_ERROR 2u     /* info_2: one of GHCB_ERR_* */

#define GHCB_ERR_NOT_REGISTERED 1u
#define GHCB_ERR_INVALID_USAGE 2u
#define GHCB_ERR_INVALID_SCRATCH_AREA 3u
#define GHCB_ERR_MISSING_INPUT 4u
#define GHCB_ERR_INVALID_INPUT 5u
#define GHCB_ERR_INVALID_EVENT 6u

/* Event injection: valid, type exception, vector 13: the #GP of a refused MSR access. */
#define GHCB_EVENT_VALID (1u << 31)
#define GHCB_EVENT_TYPE_EXCEPTION (3u << 8)
#define GHCB_EVENT_GP (GHCB_EVENT_VALID | GHCB_EVENT_TYPE_EXCEPTION | 13u)

/* ---- The VMGEXIT instruction, and CPUID bits that describe SEV ------------------------- */

#define GHCB_VMGEXIT_LEN 4u
static inline int ghcb_is_vmgexit(const uint8_t b[4])
{
	return b[0] == 0xf3 && b[1] == 0x0f && b[2] == 0x01 && b[3] == 0xd9;
}

#define CPUID_FN_SEV 0x8000001Fu
#define CPUID_SEV_EAX_SEV (1u << 1)
#define CPUID_SEV_EAX_SEV_ES (1u << 3)
#define CPUID_SEV_EBX_CBIT_MASK 0x3fu

#endif
