/* SPDX-License-Identifier: MIT */
/*
 * Minimal ACPI tables for a PVH guest: RSDP -> XSDT -> FADT (hardware-reduced, with an empty
 * DSDT) and MADT (one local APIC per vCPU). Operating systems that find CPUs only through ACPI
 * (Linux without CONFIG_X86_MPPARSE, as Debian's cloud kernel) then see every vCPU. start_info's
 * rsdp_paddr points at the RSDP. The bytes depend only on the vCPU count: they are measured.
 */
#ifndef PVH_ACPI_H
#define PVH_ACPI_H

#include <stddef.h>
#include <stdint.h>

#include "loader/gpa.h"
#include "loader/region.h"

#define ACPI_MAX_CPUS 255u

/*
 * Builds the tables for ncpus vCPUs (APIC IDs 0..ncpus-1) into buf, as they will sit at gpa.
 * Returns the number of bytes used, or 0 when ncpus is out of range or buf is too small.
 */
size_t acpi_build(uint8_t *buf, size_t len, gpa_t gpa, unsigned ncpus);

/* Adds region "acpi" (REGION_TABLE, reserved) at PVH_SEV_ACPI_GPA; *rsdp = its GPA. */
int acpi_add_region(struct region_list *l, unsigned ncpus, gpa_t *rsdp, char *err,
		    size_t errlen);

/* Byte sum (a valid table sums to 0 mod 256). */
uint8_t acpi_sum(const uint8_t *p, size_t len);

#endif
