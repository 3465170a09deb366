/* SPDX-License-Identifier: MIT */
/*
 * --strict before the guest has an IDT: on SEV-ES hardware CPUID (and WBINVD) raise #VC like
 * port I/O does, but KVM answers them in the kernel, so no exit shows them to pvh-sev. Without an
 * IDT that #VC is a triple fault, which is how an unmodified Linux ends its PVH entry under real
 * SEV-ES (docs/linux.md). So under --strict the BSP is single-stepped from its first instruction
 * (the measured pre-stub, ~1100 steps, then the kernel entry) while IDTR.limit is 0, for at most
 * STRICT_ENTRY_STEPS instructions; such an instruction ends the run with the would-#VC status.
 * (A first version armed a hardware breakpoint at the kernel entry to skip the pre-stub; in the
 * nested lane it never caught Linux's CPUID, so the watch starts at the first instruction.)
 */
#ifndef PVH_STRICT_ENTRY_H
#define PVH_STRICT_ENTRY_H

#include <stdint.h>

#include "vmm/exit_dispatch.h"

struct vcpu;

#define STRICT_ENTRY_STEPS 8192u

/* Arms the watch on the BSP, before its first KVM_RUN. */
int strict_entry_arm(struct vcpu *bsp);

/* KVM_EXIT_DEBUG of a watched vCPU. */
enum exit_action strict_entry_debug_exit(struct vcpu *v);

/* The instruction bytes CPUID or WBINVD, which raise #VC on SEV-ES hardware: its name, or NULL. */
const char *strict_entry_vc_insn(const uint8_t insn[2]);

#endif
