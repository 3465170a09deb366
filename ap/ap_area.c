// SPDX-License-Identifier: MIT
#include "ap/ap_area.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ap/ap_abi.h"
#include "ap/ap_stub_blob.h"
#include "ap/bsp_prestub_blob.h"

_Static_assert(AP_AREA_SIZE % 4096 == 0, "the AP area is whole pages");

uint64_t ap_slot_gpa(unsigned n)
{
	return (uint64_t)AP_AREA_GPA + AP_SLOTS_OFFSET + (uint64_t)n * AP_SLOT_SIZE;
}

/* A segment descriptor from base, 20-bit limit and the packed 12-bit attributes (VMCB "ar"). */
uint64_t ap_gdt_descriptor(uint32_t base, uint32_t limit20, uint16_t ar)
{
	return (uint64_t)(limit20 & 0xffff) | (uint64_t)(base & 0xffffff) << 16 |
	       (uint64_t)(ar & 0xff) << 40 | (uint64_t)((limit20 >> 16) & 0xf) << 48 |
	       (uint64_t)((ar >> 8) & 0xf) << 52 | (uint64_t)(base >> 24) << 56;
}

static void put64(uint8_t *p, uint64_t v)
{
	for (int i = 0; i < 8; i++)
		p[i] = (uint8_t)(v >> (8 * i));
}

static void put32(uint8_t *p, uint32_t v)
{
	for (int i = 0; i < 4; i++)
		p[i] = (uint8_t)(v >> (8 * i));
}

static void write_gdt(uint8_t *gdt)
{
	const uint32_t area = AP_AREA_GPA;
	put64(gdt + AP_GDT_CODE32, ap_gdt_descriptor(0, 0xfffff, 0xc9b));
	put64(gdt + AP_GDT_DATA32, ap_gdt_descriptor(0, 0xfffff, 0xc93));
	/* Base = AP area, limit 64 KiB, byte granular: the real-mode switch needs exactly this. */
	put64(gdt + AP_GDT_CODE16, ap_gdt_descriptor(area, 0xffff, 0x09b));
	put64(gdt + AP_GDT_DATA16, ap_gdt_descriptor(area, 0xffff, 0x093));
	put64(gdt + AP_GDT_CODE64, ap_gdt_descriptor(0, 0xfffff, 0xa9b));
	put64(gdt + AP_GDT_TSS, ap_gdt_descriptor(0, 0x67, 0x08b));
	/* One data segment per slot: the stub's last loads address the slot through FS. */
	for (unsigned n = 0; n < AP_MAX_VCPUS; n++)
		put64(gdt + AP_GDT_SLOT_SEL(n),
		      ap_gdt_descriptor((uint32_t)ap_slot_gpa(n), AP_SLOT_SIZE - 1, 0x493));
}

static void write_bringup_header(uint8_t *hdr, unsigned nr_vcpus, uint32_t flags)
{
	put32(hdr + AP_HDR_OFF_MAGIC, AP_HDR_MAGIC);
	put32(hdr + AP_HDR_OFF_VERSION, AP_HDR_VERSION);
	put32(hdr + AP_HDR_OFF_NR_VCPUS, nr_vcpus);
	put32(hdr + AP_HDR_OFF_DOORBELL_PORT, PVH_SEV_AP_DOORBELL_PORT);
	put32(hdr + AP_HDR_OFF_FLAGS, flags);
	put32(hdr + AP_HDR_OFF_SLOT_SIZE, AP_SLOT_SIZE);
	put32(hdr + AP_HDR_OFF_SLOTS, AP_SLOTS_OFFSET);
	put32(hdr + AP_HDR_OFF_JUMP_TABLE, AP_JUMP_TABLE_OFFSET);
}

int ap_area_image(uint8_t *buf, unsigned nr_vcpus, uint32_t hdr_flags, char *err, size_t errlen)
{
	if (nr_vcpus == 0 || nr_vcpus > AP_MAX_VCPUS) {
		snprintf(err, errlen, "AP area: %u vCPUs requested, supported 1..%u", nr_vcpus,
		         AP_MAX_VCPUS);
		return -EINVAL;
	}
	if (hdr_flags & ~AP_HDR_F_GHCB_HOLD) {
		snprintf(err, errlen, "AP area: unknown header flags 0x%x", hdr_flags);
		return -EINVAL;
	}
	if (ap_stub_size == 0 || ap_stub_size > AP_STUB_MAX) {
		snprintf(err, errlen, "AP area: stub is %zu bytes, room for 1..%u", ap_stub_size,
		         AP_STUB_MAX);
		return -E2BIG;
	}
	if (bsp_prestub_size == 0 || bsp_prestub_size > AP_PRESTUB_MAX) {
		snprintf(err, errlen, "AP area: BSP pre-stub is %zu bytes, room for 1..%u",
		         bsp_prestub_size, AP_PRESTUB_MAX);
		return -E2BIG;
	}
	/* Everything not written below is zero: the jump table, every slot (STOPPED), the
	 * pre-stub's data and the slot pages it borrows. */
	memset(buf, 0, AP_AREA_SIZE);
	memcpy(buf + AP_STUB_OFFSET, ap_stub_bytes, ap_stub_size);
	memcpy(buf + AP_PRESTUB_OFFSET, bsp_prestub_bytes, bsp_prestub_size);
	write_gdt(buf + AP_GDT_OFFSET);
	write_bringup_header(buf + AP_BRINGUP_OFFSET, nr_vcpus, hdr_flags);
	return 0;
}

void ap_area_set_kernel_entry(uint8_t *buf, uint32_t entry)
{
	put32(buf + AP_PRESTUB_DATA_OFFSET + AP_PRE_ENTRY, entry);
}

int ap_area_add_region(struct region_list *l, unsigned nr_vcpus, uint32_t hdr_flags, char *err,
                       size_t errlen)
{
	return ap_area_add_region_entry(l, nr_vcpus, hdr_flags, 0, err, errlen);
}

int ap_area_add_region_entry(struct region_list *l, unsigned nr_vcpus, uint32_t hdr_flags,
                             uint32_t kernel_entry, char *err, size_t errlen)
{
	uint8_t *buf = malloc(AP_AREA_SIZE);
	if (!buf) {
		snprintf(err, errlen, "AP area: out of memory");
		return -ENOMEM;
	}
	int rc = ap_area_image(buf, nr_vcpus, hdr_flags, err, errlen);
	if (rc)
		goto out_free;
	ap_area_set_kernel_entry(buf, kernel_entry);
	rc = region_add_owned(l, "ap-area", REGION_AP, REGION_F_RESERVED, AP_AREA_GPA, AP_AREA_SIZE,
	                      buf, AP_AREA_SIZE);
	if (rc) {
		snprintf(err, errlen, "AP area: cannot add the region: %s", strerror(-rc));
		goto out_free;
	}
	return 0;
out_free:
	free(buf);
	return rc;
}

void ap_bsp_prestub_state(struct cpu_state *bsp)
{
	bsp->regs.rip = AP_PRESTUB_GPA;
}

void ap_initial_state(struct cpu_state *s, unsigned vcpu_index)
{
	/* Start from the BSP's PVH conventions, then point everything at the AP area. */
	cpu_state_pvh_bsp(s, AP_AREA_GPA + AP_STUB_OFFSET, AP_AREA_GPA,
	                  AP_AREA_GPA + AP_GDT_OFFSET);
	s->regs.rsi = vcpu_index;

	struct kvm_sregs *sr = &s->sregs;
	cpu_state_flat_segment(&sr->cs, AP_GDT_CODE32, 1);
	cpu_state_flat_segment(&sr->ds, AP_GDT_DATA32, 0);
	sr->es = sr->fs = sr->gs = sr->ss = sr->ds;
	sr->tr.selector = AP_GDT_TSS;
	sr->gdt.limit = AP_GDT_SIZE - 1;
	sr->apic_base = CPU_APIC_BASE_DEFAULT; /* enabled, not the BSP */
}
