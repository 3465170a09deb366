// SPDX-License-Identifier: MIT
/* ACPI tables written from the ACPI 6.x layouts; one page, built in a buffer, then a region. */
#include "loader/acpi.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "loader/guest_abi.h"

/* Where each table sits, as offsets from the start of the ACPI region. */
enum {
	OFF_RSDP = 0x000,
	OFF_XSDT = 0x040,
	OFF_FADT = 0x080,
	OFF_DSDT = 0x1c0,
	OFF_MADT = 0x200,
};

#define SDT_HEADER_LEN 36u
#define RSDP_LEN 36u
#define FADT_LEN 276u /* revision 6 */
#define MADT_FIXED_LEN 44u
#define MADT_LAPIC_LEN 8u
#define FADT_FLAG_HW_REDUCED (1u << 20)
#define IAPC_VGA_NOT_PRESENT (1u << 2)
#define IAPC_CMOS_RTC_NOT_PRESENT (1u << 5)
#define LAPIC_BASE 0xfee00000u

uint8_t acpi_sum(const uint8_t *p, size_t len)
{
	uint8_t s = 0;
	while (len--)
		s += *p++;
	return s;
}

static void put16(uint8_t *p, uint16_t v)
{
	memcpy(p, &v, sizeof(v));
}

static void put32(uint8_t *p, uint32_t v)
{
	memcpy(p, &v, sizeof(v));
}

static void put64(uint8_t *p, uint64_t v)
{
	memcpy(p, &v, sizeof(v));
}

/* The common header; the checksum (byte 9) is set once the table is complete. */
static void sdt_header(uint8_t *t, const char sig[4], uint32_t len, uint8_t rev)
{
	memcpy(t, sig, 4);
	put32(t + 4, len);
	t[8] = rev;
	memcpy(t + 10, "PVHSEV", 6);
	memcpy(t + 16, "PVHSEVVM", 8);
	put32(t + 24, 1);
	memcpy(t + 28, "PVHS", 4);
	put32(t + 32, 1);
}

static void sdt_checksum(uint8_t *t)
{
	uint32_t len;
	memcpy(&len, t + 4, sizeof(len));
	t[9] = 0;
	t[9] = (uint8_t)(0x100 - acpi_sum(t, len));
}

static void build_rsdp(uint8_t *r, gpa_t xsdt)
{
	memcpy(r, "RSD PTR ", 8);
	memcpy(r + 9, "PVHSEV", 6);
	r[15] = 2; /* ACPI 2.0+: XSDT */
	put32(r + 20, RSDP_LEN);
	put64(r + 24, xsdt);
	r[8] = (uint8_t)(0x100 - acpi_sum(r, 20));
	r[32] = (uint8_t)(0x100 - acpi_sum(r, RSDP_LEN));
}

static void build_fadt(uint8_t *f, gpa_t dsdt)
{
	sdt_header(f, "FACP", FADT_LEN, 6);
	put32(f + 40, (uint32_t)dsdt);
	put16(f + 109, IAPC_VGA_NOT_PRESENT | IAPC_CMOS_RTC_NOT_PRESENT);
	put32(f + 112, FADT_FLAG_HW_REDUCED); /* no PM blocks, no SCI, no legacy devices */
	put64(f + 140, dsdt);                  /* X_DSDT */
	memcpy(f + 268, "PVHSEV\0\0", 8);      /* hypervisor vendor identity */
	sdt_checksum(f);
}

static uint32_t build_madt(uint8_t *m, unsigned ncpus)
{
	uint32_t len = MADT_FIXED_LEN + ncpus * MADT_LAPIC_LEN;
	sdt_header(m, "APIC", len, 4);
	put32(m + 36, LAPIC_BASE);
	put32(m + 40, 0); /* no 8259 PICs */
	for (unsigned i = 0; i < ncpus; i++) {
		uint8_t *e = m + MADT_FIXED_LEN + i * MADT_LAPIC_LEN;
		e[0] = 0; /* processor local APIC */
		e[1] = MADT_LAPIC_LEN;
		e[2] = (uint8_t)i; /* ACPI processor UID */
		e[3] = (uint8_t)i; /* APIC ID = vCPU index, as CPUID and the MP table say */
		put32(e + 4, 1);   /* enabled */
	}
	sdt_checksum(m);
	return len;
}

size_t acpi_build(uint8_t *buf, size_t len, gpa_t gpa, unsigned ncpus)
{
	size_t need = OFF_MADT + MADT_FIXED_LEN + (size_t)ncpus * MADT_LAPIC_LEN;
	if (ncpus < 1 || ncpus > ACPI_MAX_CPUS || len < need)
		return 0;
	memset(buf, 0, need);
	uint8_t *xsdt = buf + OFF_XSDT;
	sdt_header(xsdt, "XSDT", SDT_HEADER_LEN + 2 * 8, 1);
	put64(xsdt + SDT_HEADER_LEN, gpa + OFF_FADT);
	put64(xsdt + SDT_HEADER_LEN + 8, gpa + OFF_MADT);
	sdt_checksum(xsdt);
	sdt_header(buf + OFF_DSDT, "DSDT", SDT_HEADER_LEN, 2); /* no AML: nothing to describe */
	sdt_checksum(buf + OFF_DSDT);
	build_fadt(buf + OFF_FADT, gpa + OFF_DSDT);
	build_madt(buf + OFF_MADT, ncpus);
	build_rsdp(buf + OFF_RSDP, gpa + OFF_XSDT);
	return need;
}

int acpi_add_region(struct region_list *l, unsigned ncpus, gpa_t *rsdp, char *err,
		    size_t errlen)
{
	uint8_t buf[PAGE_SIZE];
	size_t n = acpi_build(buf, sizeof(buf), PVH_SEV_ACPI_GPA, ncpus);
	if (!n) {
		snprintf(err, errlen, "ACPI tables: %u vCPUs, supported 1..%u", ncpus,
			 ACPI_MAX_CPUS);
		return -EINVAL;
	}
	int r = region_add(l, "acpi", REGION_TABLE, REGION_F_RESERVED, PVH_SEV_ACPI_GPA, n, buf, n);
	if (r) {
		snprintf(err, errlen, "ACPI tables: %s", strerror(-r));
		return r;
	}
	*rsdp = PVH_SEV_ACPI_GPA + OFF_RSDP;
	return 0;
}
