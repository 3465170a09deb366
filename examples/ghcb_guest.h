/* SPDX-License-Identifier: MIT */
/*
 * The ghcb example guest (64-bit only): its GHCB transport (ghcb_transport.c) and its checks
 * (ghcb.c, ghcb_checks.c). Everything goes through the GHCB once the transport is set up: no
 * bare port I/O, MMIO or CPUID, so the guest runs unchanged on SEV-ES hardware (hw=1).
 */
#ifndef GHCB_GUEST_H
#define GHCB_GUEST_H

#include "ghcb/ghcb.h"
#include "lib/pvh_guest.h"

/* The GHCB MSR as the 32-bit hook read it, before anything wrote it (ghcb_hook.S). */
extern uint64_t ghcb_guest_entry_msr;

/* The shared pages (GHCB, and one more for scratch areas outside it), their plain GPAs (what
 * the MSR and sw_scratch are given), and the C-bit mask. */
extern struct ghcb *ghcb_page;
extern uint8_t *ghcb_scratch_page;
extern uint64_t ghcb_page_gpa, ghcb_scratch_gpa;
extern uint64_t ghcb_cbit_mask;

/*
 * Makes the GHCB page shared: splits the 2 MiB identity page holding it into 4 KiB pages with
 * the C-bit everywhere but on the two shared pages. Then routes console output and pvh_exit through
 * the GHCB. Returns 0, or -1 if the page tables are not what the library built.
 */
int ghcb_transport_init(void);

/* WRMSR of the GHCB MSR immediately followed by VMGEXIT. */
void ghcb_vmgexit_msr(uint64_t msr);
uint64_t ghcb_rdmsr(uint32_t idx);

/* One MSR-protocol request: the response, with the GHCB GPA written back afterwards. */
uint64_t ghcb_msr_proto(uint64_t request);

/* Starts a page request: valid bitmap cleared, usage 0, exit code and infos set and valid. */
void ghcb_req_begin(uint64_t code, uint64_t info1, uint64_t info2);
void ghcb_req_set(size_t off, uint64_t val); /* writes a save-area u64 and marks it valid */
/* Issues the request with the GHCB GPA: returns sw_exit_info_1[31:0]. */
uint32_t ghcb_req_issue(void);
/* ghcb_req_begin + ghcb_req_issue. */
uint32_t ghcb_call(uint64_t code, uint64_t info1, uint64_t info2);

/* Port I/O through the GHCB IOIO event. Return sw_exit_info_1[31:0] (0 = success). */
uint32_t ghcb_out(uint16_t port, unsigned size, uint32_t val);
uint32_t ghcb_in(uint16_t port, unsigned size, uint64_t rax_before, uint64_t *rax_after);
uint32_t ghcb_outs(uint16_t port, const void *buf, size_t len); /* 1-byte elements, len <= 2032 */

/* MSR-protocol termination: does not return. */
__attribute__((noreturn)) void ghcb_terminate(unsigned set, unsigned code);

/* --- checks (ghcb.c prints the result of each) -------------------------------------------- */

struct ghcb_opts {
	int hw;           /* hw=1: no CPUID insn, no requests KVM on hardware treats differently */
	unsigned cbit;    /* from the entry MSR */
	unsigned max_ver; /* from the entry MSR */
};

/* Records one check: prints "PASS name" or "FAIL name: detail". Returns ok. */
int ghcb_check(int ok, const char *name, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

void ghcb_checks_msr_protocol(const struct ghcb_opts *o);
void ghcb_checks_page_basic(const struct ghcb_opts *o);
void ghcb_checks_page_errors(const struct ghcb_opts *o);

/* The CPUID instruction (only without hw=1: it raises #VC on hardware). */
void ghcb_cpuid_insn(uint32_t fn, uint32_t idx, uint32_t out[4]);
/*
 * Whether a GHCB CPUID answer agrees with the instruction. Leaves 0 and the SEV-related
 * 0x80000000, 0x80000008 and 0x8000001F must match exactly. Other leaves may differ on a host
 * whose KVM lets the CPUID instruction see more than KVM_SET_CPUID2 says (this project's PVM
 * host does, for leaves 1 and 7): a difference there is printed as a NOTE, not a failure.
 */
int ghcb_cpuid_insn_agrees(uint32_t fn, const uint32_t ghcb[4], const uint32_t insn[4]);

#endif
