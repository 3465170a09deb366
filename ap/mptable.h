/* SPDX-License-Identifier: MIT */
/*
 * Intel MultiProcessor Specification 1.4 tables: the floating pointer at PVH_SEV_MPFLOAT_GPA
 * and the configuration table at PVH_SEV_MPTABLE_GPA, for N CPUs with APIC IDs 0..N-1 (CPU 0
 * is the BSP), one ISA bus, one I/O APIC and the 16 ISA interrupts identity-routed to it.
 */
#ifndef PVH_MPTABLE_H
#define PVH_MPTABLE_H

#include <stddef.h>
#include <stdint.h>

#include "loader/guest_abi.h"
#include "loader/region.h"

#define MP_MAX_CPUS 255u
#define MP_IOAPIC_GPA PVH_SEV_IOAPIC_GPA
#define MP_LAPIC_GPA 0xfee00000u
#define MP_ISA_IRQS 16u

struct mp_floating {
	char signature[4]; /* "_MP_" */
	uint32_t config_gpa;
	uint8_t length; /* in 16-byte units: 1 */
	uint8_t spec_rev;
	uint8_t checksum;
	uint8_t feature[5];
} __attribute__((packed));

struct mp_config_header {
	char signature[4]; /* "PCMP" */
	uint16_t length;   /* header and base entries */
	uint8_t spec_rev;
	uint8_t checksum;
	char oem_id[8];
	char product_id[12];
	uint32_t oem_table;
	uint16_t oem_table_size;
	uint16_t entry_count;
	uint32_t lapic_gpa;
	uint16_t ext_length;
	uint8_t ext_checksum;
	uint8_t reserved;
} __attribute__((packed));

enum mp_entry_type {
	MP_ENTRY_CPU = 0,
	MP_ENTRY_BUS = 1,
	MP_ENTRY_IOAPIC = 2,
	MP_ENTRY_IOINT = 3,
	MP_ENTRY_LINT = 4,
};

struct mp_cpu_entry {
	uint8_t type;
	uint8_t apic_id;
	uint8_t apic_version;
	uint8_t flags; /* bit 0 enabled, bit 1 bootstrap processor */
	uint32_t signature;
	uint32_t features;
	uint32_t reserved[2];
} __attribute__((packed));

struct mp_bus_entry {
	uint8_t type;
	uint8_t bus_id;
	char bus_type[6];
} __attribute__((packed));

struct mp_ioapic_entry {
	uint8_t type;
	uint8_t apic_id;
	uint8_t version;
	uint8_t flags; /* bit 0 enabled */
	uint32_t gpa;
} __attribute__((packed));

/* I/O and local interrupt assignment entries share this layout. */
struct mp_int_entry {
	uint8_t type;
	uint8_t int_type; /* 0 INT, 1 NMI, 2 SMI, 3 ExtINT */
	uint16_t flags;   /* polarity / trigger: 0 = conforms to the bus */
	uint8_t src_bus;
	uint8_t src_irq;
	uint8_t dst_apic; /* 0xff: every local APIC */
	uint8_t dst_pin;
} __attribute__((packed));

_Static_assert(sizeof(struct mp_floating) == 16, "floating pointer");
_Static_assert(sizeof(struct mp_config_header) == 44, "config header");
_Static_assert(sizeof(struct mp_cpu_entry) == 20, "cpu entry");
_Static_assert(sizeof(struct mp_bus_entry) == 8, "bus entry");
_Static_assert(sizeof(struct mp_ioapic_entry) == 8, "ioapic entry");
_Static_assert(sizeof(struct mp_int_entry) == 8, "interrupt entry");

/* Size of the configuration table for n CPUs. */
size_t mptable_config_size(unsigned ncpus);

/* The I/O APIC's MP ID: right after the CPUs' APIC IDs. */
static inline uint8_t mptable_ioapic_id(unsigned ncpus) { return (uint8_t)ncpus; }

/*
 * Builds both tables into caller buffers (float: 16 bytes; config: mptable_config_size(n)).
 * cpu_signature / cpu_features are CPUID leaf 1 EAX / EDX as the guest will see them.
 * Returns 0 or -EINVAL (ncpus outside 1..MP_MAX_CPUS) with a reason in err.
 */
int mptable_build(uint8_t *floating, uint8_t *config, unsigned ncpus, uint32_t cpu_signature,
                  uint32_t cpu_features, char *err, size_t errlen);

/* Adds regions "mp-float" and "mp-config" (REGION_TABLE, REGION_F_RESERVED). */
int mptable_add_regions(struct region_list *l, unsigned ncpus, uint32_t cpu_signature,
                        uint32_t cpu_features, char *err, size_t errlen);

/* Byte sum of len bytes (a valid table sums to 0 mod 256). */
uint8_t mptable_sum(const uint8_t *p, size_t len);

#endif
