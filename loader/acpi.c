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
	OFF_MADT = 0x200, /* up to 0xa30 with 255 vCPUs */
	OFF_DSDT = 0xc00,
};

#define SDT_HEADER_LEN 36u
#define RSDP_LEN 36u
#define FADT_LEN 276u /* revision 6 */
#define MADT_FIXED_LEN 44u
#define MADT_LAPIC_LEN 8u
#define MADT_IOAPIC_LEN 12u
#define FADT_FLAG_RESET_REG_SUP (1u << 10)
#define GAS_SYSTEM_IO 1u
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

/* A Generic Address Structure for one byte-wide I/O port. */
static void put_gas_port(uint8_t *g, uint16_t port)
{
	g[0] = GAS_SYSTEM_IO;
	g[1] = 8; /* register bit width */
	g[2] = 0; /* bit offset */
	g[3] = 1; /* byte access */
	put64(g + 4, port);
}

static void build_fadt(uint8_t *f, gpa_t dsdt)
{
	sdt_header(f, "FACP", FADT_LEN, 6);
	put32(f + 40, (uint32_t)dsdt);
	put16(f + 109, IAPC_VGA_NOT_PRESENT | IAPC_CMOS_RTC_NOT_PRESENT);
	/* Hardware-reduced: no PM1 blocks, no SCI; power-off and reset through the registers of
	 * vmm/dev_acpi_pm.c (sleep control/status, ACPI 6.x 4.8.3.7, and the reset register). */
	put32(f + 112, FADT_FLAG_HW_REDUCED | FADT_FLAG_RESET_REG_SUP);
	put_gas_port(f + 116, PVH_SEV_ACPI_RESET_PORT);
	f[128] = PVH_SEV_ACPI_RESET_VALUE;
	put64(f + 140, dsdt);                  /* X_DSDT */
	put_gas_port(f + 244, PVH_SEV_ACPI_SLEEP_CTL_PORT);
	put_gas_port(f + 256, PVH_SEV_ACPI_SLEEP_STS_PORT);
	memcpy(f + 268, "PVHSEV\0\0", 8);      /* hypervisor vendor identity */
	sdt_checksum(f);
}

static uint32_t build_madt(uint8_t *m, unsigned ncpus)
{
	uint32_t len = MADT_FIXED_LEN + ncpus * MADT_LAPIC_LEN + MADT_IOAPIC_LEN;
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
	/* The IOAPIC: its ID follows the APIC IDs, as in the MP table; GSIs 0..23 from pin 0. */
	uint8_t *io = m + MADT_FIXED_LEN + ncpus * MADT_LAPIC_LEN;
	io[0] = 1;
	io[1] = MADT_IOAPIC_LEN;
	io[2] = (uint8_t)ncpus;
	put32(io + 4, PVH_SEV_IOAPIC_GPA);
	put32(io + 8, 0);
	sdt_checksum(m);
	return len;
}

/* AML: a name's package length (one byte up to 63, else two), for n bytes after it. */
static uint8_t *aml_pkglen(uint8_t *p, size_t n)
{
	if (n + 1 < 0x40) {
		*p++ = (uint8_t)(n + 1);
	} else {
		n += 2;
		*p++ = (uint8_t)(0x40 | (n & 0xf));
		*p++ = (uint8_t)(n >> 4);
	}
	return p;
}

static uint8_t *aml_bytes(uint8_t *p, const void *b, size_t n)
{
	memcpy(p, b, n);
	return p + n;
}

/*
 * The DSDT's AML: \_S5 (SLP_TYP 5, what the sleep control register takes for power-off) and
 * COM1 as a PNP0501 device with its port range and IRQ 4 (ACPI 6.x 19.6, 6.4.2).
 */
static size_t build_dsdt_aml(uint8_t *a)
{
	static const uint8_t s5[] = {0x08, '_', 'S', '5', '_', 0x12, 0x06, 0x02,
				     0x0a, PVH_SEV_ACPI_SLP_TYP_S5, 0x0a, 0x00};
	static const uint8_t com1_body[] = {
	    'C', 'O', 'M', '1',
	    0x08, '_', 'H', 'I', 'D', 0x0c, 0x41, 0xd0, 0x05, 0x01, /* EISAID PNP0501 */
	    0x08, '_', 'U', 'I', 'D', 0x01,
	    0x08, '_', 'C', 'R', 'S', 0x11, 0x10, 0x0a, 0x0d,
	    0x47, 0x01, 0xf8, 0x03, 0xf8, 0x03, 0x01, 0x08, /* IO(Decode16, 0x3f8, 0x3f8, 1, 8) */
	    0x22, 1u << PVH_SEV_COM1_IRQ, 0x00,             /* IRQNoFlags() {4} */
	    0x79, 0x00,                                     /* end tag */
	};
	uint8_t dev[64];
	uint8_t *d = dev;
	*d++ = 0x5b; /* ExtOpPrefix */
	*d++ = 0x82; /* DeviceOp */
	d = aml_pkglen(d, sizeof(com1_body));
	d = aml_bytes(d, com1_body, sizeof(com1_body));

	static const uint8_t sb[] = {'\\', '_', 'S', 'B', '_'};
	uint8_t *p = aml_bytes(a, s5, sizeof(s5));
	*p++ = 0x10; /* ScopeOp (\_SB) */
	p = aml_pkglen(p, sizeof(sb) + (size_t)(d - dev));
	p = aml_bytes(p, sb, sizeof(sb));
	p = aml_bytes(p, dev, (size_t)(d - dev));
	return (size_t)(p - a);
}

size_t acpi_build(uint8_t *buf, size_t len, gpa_t gpa, unsigned ncpus)
{
	uint8_t aml[128];
	size_t aml_len = build_dsdt_aml(aml);
	size_t need = OFF_DSDT + SDT_HEADER_LEN + aml_len;
	if (ncpus < 1 || ncpus > ACPI_MAX_CPUS || len < need)
		return 0;
	memset(buf, 0, need);
	uint8_t *xsdt = buf + OFF_XSDT;
	sdt_header(xsdt, "XSDT", SDT_HEADER_LEN + 2 * 8, 1);
	put64(xsdt + SDT_HEADER_LEN, gpa + OFF_FADT);
	put64(xsdt + SDT_HEADER_LEN + 8, gpa + OFF_MADT);
	sdt_checksum(xsdt);
	sdt_header(buf + OFF_DSDT, "DSDT", (uint32_t)(SDT_HEADER_LEN + aml_len), 2);
	memcpy(buf + OFF_DSDT + SDT_HEADER_LEN, aml, aml_len);
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
