/* SPDX-License-Identifier: MIT */
/*
 * The AP area (ap/ap_abi.h, docs/abi.md section 3): its measured bytes as a region, and the
 * measured initial register state of every AP.
 */
#ifndef PVH_AP_AREA_H
#define PVH_AP_AREA_H

#include <stddef.h>
#include <stdint.h>

#include "loader/cpu_state.h"
#include "loader/region.h"

/*
 * Writes the AP area image (AP_AREA_SIZE bytes) for nr_vcpus vCPUs into buf: the stub, its
 * GDT, a zeroed jump-table page, the bring-up header and every slot STOPPED. hdr_flags is
 * AP_HDR_F_GHCB_HOLD when the guest runs SEV-ES (hardware or emulated), else 0.
 * Returns 0, or -EINVAL (bad nr_vcpus or flags) / -E2BIG (stub too large) with a reason in err.
 */
int ap_area_image(uint8_t *buf, unsigned nr_vcpus, uint32_t hdr_flags, char *err, size_t errlen);

/* Adds the image as region "ap-area" (REGION_AP, REGION_F_RESERVED). Returns 0 or -errno. */
int ap_area_add_region(struct region_list *l, unsigned nr_vcpus, uint32_t hdr_flags, char *err,
                       size_t errlen);

/* The same, with the kernel entry the BSP pre-stub jumps to (docs/abi.md 4.1). */
int ap_area_add_region_entry(struct region_list *l, unsigned nr_vcpus, uint32_t hdr_flags,
                             uint32_t kernel_entry, char *err, size_t errlen);

/* Stores the kernel entry for the BSP pre-stub into an AP area image. */
void ap_area_set_kernel_entry(uint8_t *buf, uint32_t entry);

/*
 * SEV-ES modes: the BSP starts in the measured pre-stub (AP_PRESTUB_GPA), which SETs the AP
 * jump table GPA and then enters the kernel with the state bsp held here before (PVH entry).
 */
void ap_bsp_prestub_state(struct cpu_state *bsp);

/*
 * The measured start state of vCPU vcpu_index as an AP: 32-bit protected mode at the stub,
 * EBX = AP area, ESI = vcpu_index, GDTR = the AP area's GDT, otherwise the conventions of
 * cpu_state_pvh_bsp (flat 0xc9b/0xc93 segments, busy TSS, LDTR 0x82, CR0 0x11, DR7 0x400).
 */
void ap_initial_state(struct cpu_state *s, unsigned vcpu_index);

/* Guest-physical address of slot n and its GDT descriptor (for tests and docs). */
uint64_t ap_slot_gpa(unsigned n);
uint64_t ap_gdt_descriptor(uint32_t base, uint32_t limit20, uint16_t ar);

#endif
