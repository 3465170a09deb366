/* SPDX-License-Identifier: MIT */
/* The VMM's devices as seen from the userspace GHCB service (ghcb/ghcb_service.h). */
#ifndef PVH_GHCB_OPS_H
#define PVH_GHCB_OPS_H

#include <stdbool.h>
#include <stdint.h>

#include "ghcb/ghcb_service.h"

extern const struct ghcb_ops vmm_ghcb_ops;

/*
 * Whether the guest's own WRMSR may move APIC_BASE from old to new: KVM refuses x2APIC ->
 * xAPIC and disabled -> x2APIC for a guest write but not for KVM_SET_MSRS, which the emulated
 * GHCB MSR event uses (reserved bits and the invalid mode KVM checks in both cases).
 */
bool apic_base_guest_transition_ok(uint64_t old, uint64_t new);

#endif
