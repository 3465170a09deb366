// SPDX-License-Identifier: MIT
#include "ap/mptable.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "loader/guest_abi.h"

#define MP_SPEC_REV 4        /* 1.4 */
#define MP_APIC_VERSION 0x14 /* integrated local APIC */
#define MP_IOAPIC_VERSION 0x11
#define MP_CPU_ENABLED 0x1
#define MP_CPU_BSP 0x2
#define MP_INT_INT 0
#define MP_INT_NMI 1
#define MP_INT_EXTINT 3

/* Both tables stay inside their reserved ranges for the largest machine we build. */
_Static_assert(sizeof(struct mp_config_header) + MP_MAX_CPUS * sizeof(struct mp_cpu_entry) +
                       sizeof(struct mp_bus_entry) + sizeof(struct mp_ioapic_entry) +
                       (MP_ISA_IRQS + 2) * sizeof(struct mp_int_entry) <=
                   PVH_SEV_MPTABLE_SIZE,
               "MP configuration table does not fit");
_Static_assert(PVH_SEV_MPTABLE_GPA + PVH_SEV_MPTABLE_SIZE <= PVH_SEV_MPFLOAT_GPA,
               "MP table overlaps the floating pointer");

size_t mptable_config_size(unsigned ncpus)
{
	return sizeof(struct mp_config_header) + ncpus * sizeof(struct mp_cpu_entry) +
	       sizeof(struct mp_bus_entry) + sizeof(struct mp_ioapic_entry) +
	       (MP_ISA_IRQS + 2) * sizeof(struct mp_int_entry);
}

uint8_t mptable_sum(const uint8_t *p, size_t len)
{
	uint8_t s = 0;
	for (size_t i = 0; i < len; i++)
		s = (uint8_t)(s + p[i]);
	return s;
}

static uint8_t *put_int(uint8_t *p, uint8_t type, uint8_t int_type, uint8_t src_irq,
                        uint8_t dst_apic, uint8_t dst_pin)
{
	struct mp_int_entry e = {
	    .type = type,
	    .int_type = int_type,
	    .src_bus = 0,
	    .src_irq = src_irq,
	    .dst_apic = dst_apic,
	    .dst_pin = dst_pin,
	};
	memcpy(p, &e, sizeof(e));
	return p + sizeof(e);
}

/* The entries after the header; returns the number written. */
static unsigned write_entries(uint8_t *p, unsigned ncpus, uint32_t sig, uint32_t features)
{
	for (unsigned i = 0; i < ncpus; i++) {
		struct mp_cpu_entry c = {
		    .type = MP_ENTRY_CPU,
		    .apic_id = (uint8_t)i,
		    .apic_version = MP_APIC_VERSION,
		    .flags = MP_CPU_ENABLED | (i == 0 ? MP_CPU_BSP : 0),
		    .signature = sig,
		    .features = features,
		};
		memcpy(p, &c, sizeof(c));
		p += sizeof(c);
	}
	struct mp_bus_entry bus = {.type = MP_ENTRY_BUS, .bus_id = 0};
	memcpy(bus.bus_type, "ISA   ", 6);
	memcpy(p, &bus, sizeof(bus));
	p += sizeof(bus);

	uint8_t ioapic = mptable_ioapic_id(ncpus);
	struct mp_ioapic_entry io = {
	    .type = MP_ENTRY_IOAPIC,
	    .apic_id = ioapic,
	    .version = MP_IOAPIC_VERSION,
	    .flags = 1,
	    .gpa = MP_IOAPIC_GPA,
	};
	memcpy(p, &io, sizeof(io));
	p += sizeof(io);

	/*
	 * ISA IRQ n to I/O APIC pin n, except IRQ 0 (the PIT), which KVM's default routing sends
	 * to pin 2; IRQ 2 is the 8259 cascade, so its entry is the ExtINT one: 8259 output (ISA
	 * IRQ 0 as Linux's find_isa_irq_pin(0, ExtINT) looks it up) to pin 0.
	 */
	for (unsigned irq = 0; irq < MP_ISA_IRQS; irq++) {
		if (irq == 2)
			p = put_int(p, MP_ENTRY_IOINT, MP_INT_EXTINT, 0, ioapic, 0);
		else
			p = put_int(p, MP_ENTRY_IOINT, MP_INT_INT, (uint8_t)irq, ioapic,
			            irq == 0 ? 2 : (uint8_t)irq);
	}
	p = put_int(p, MP_ENTRY_LINT, MP_INT_EXTINT, 0, 0xff, 0); /* LINT0 */
	put_int(p, MP_ENTRY_LINT, MP_INT_NMI, 0, 0xff, 1);        /* LINT1 */
	return ncpus + 2 + MP_ISA_IRQS + 2;
}

int mptable_build(uint8_t *floating, uint8_t *config, unsigned ncpus, uint32_t cpu_signature,
                  uint32_t cpu_features, char *err, size_t errlen)
{
	if (ncpus == 0 || ncpus > MP_MAX_CPUS) {
		snprintf(err, errlen, "MP table: %u CPUs, supported 1..%u", ncpus, MP_MAX_CPUS);
		return -EINVAL;
	}
	size_t size = mptable_config_size(ncpus);
	memset(config, 0, size);
	struct mp_config_header h = {
	    .length = (uint16_t)size,
	    .spec_rev = MP_SPEC_REV,
	    .lapic_gpa = MP_LAPIC_GPA,
	};
	memcpy(h.signature, "PCMP", 4);
	memcpy(h.oem_id, "PVH-SEV ", 8);
	memcpy(h.product_id, "PVH-SEV VMM ", 12);
	h.entry_count =
	    (uint16_t)write_entries(config + sizeof(h), ncpus, cpu_signature, cpu_features);
	memcpy(config, &h, sizeof(h));
	config[offsetof(struct mp_config_header, checksum)] = (uint8_t)-mptable_sum(config, size);

	struct mp_floating f = {
	    .config_gpa = PVH_SEV_MPTABLE_GPA,
	    .length = 1,
	    .spec_rev = MP_SPEC_REV,
	};
	memcpy(f.signature, "_MP_", 4);
	memcpy(floating, &f, sizeof(f));
	floating[offsetof(struct mp_floating, checksum)] =
	    (uint8_t)-mptable_sum(floating, sizeof(f));
	return 0;
}

int mptable_add_regions(struct region_list *l, unsigned ncpus, uint32_t cpu_signature,
                        uint32_t cpu_features, char *err, size_t errlen)
{
	uint8_t floating[sizeof(struct mp_floating)];
	uint8_t *config = malloc(mptable_config_size(MP_MAX_CPUS));
	if (!config) {
		snprintf(err, errlen, "MP table: out of memory");
		return -ENOMEM;
	}
	int rc = mptable_build(floating, config, ncpus, cpu_signature, cpu_features, err, errlen);
	if (rc)
		goto out;
	size_t size = mptable_config_size(ncpus);
	rc = region_add(l, "mp-config", REGION_TABLE, REGION_F_RESERVED, PVH_SEV_MPTABLE_GPA, size,
	                config, size);
	if (rc == 0)
		rc = region_add(l, "mp-float", REGION_TABLE, REGION_F_RESERVED, PVH_SEV_MPFLOAT_GPA,
		                sizeof(floating), floating, sizeof(floating));
	if (rc)
		snprintf(err, errlen, "MP table: cannot add the regions: %s", strerror(-rc));
out:
	free(config);
	return rc;
}
