// SPDX-License-Identifier: MIT
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "loader/acpi.h"
#include "loader/guest_abi.h"

static uint32_t get32(const uint8_t *p)
{
	uint32_t v;
	memcpy(&v, p, 4);
	return v;
}

static uint64_t get64(const uint8_t *p)
{
	uint64_t v;
	memcpy(&v, p, 8);
	return v;
}

/* A table at gpa inside buf (built at base): its signature and a zero checksum. */
static const uint8_t *table_at(const uint8_t *buf, gpa_t base, uint64_t gpa, const char *sig)
{
	const uint8_t *t = buf + (gpa - base);
	assert_memory_equal(t, sig, 4);
	assert_int_equal(acpi_sum(t, get32(t + 4)), 0);
	return t;
}

static void tables_chain_from_rsdp_to_madt(void **state)
{
	static uint8_t buf[4096];
	const gpa_t base = PVH_SEV_ACPI_GPA;
	size_t n = acpi_build(buf, sizeof(buf), base, 4);
	assert_true(n > 0);
	assert_memory_equal(buf, "RSD PTR ", 8);
	assert_int_equal(acpi_sum(buf, 20), 0);
	assert_int_equal(acpi_sum(buf, 36), 0);
	assert_int_equal(buf[15], 2);
	const uint8_t *xsdt = table_at(buf, base, get64(buf + 24), "XSDT");
	assert_int_equal(get32(xsdt + 4), 36 + 16);
	const uint8_t *fadt = table_at(buf, base, get64(xsdt + 36), "FACP");
	assert_int_equal(get32(fadt + 4), 276);
	assert_true(get32(fadt + 112) & (1u << 20)); /* hardware-reduced */
	table_at(buf, base, get64(fadt + 140), "DSDT");
	assert_int_equal(get32(fadt + 40), (uint32_t)get64(fadt + 140));
	const uint8_t *madt = table_at(buf, base, get64(xsdt + 44), "APIC");
	assert_int_equal(get32(madt + 36), 0xfee00000u);
	assert_int_equal(get32(madt + 4), 44 + 4 * 8 + 12);
	for (unsigned i = 0; i < 4; i++) {
		const uint8_t *e = madt + 44 + 8 * i;
		assert_int_equal(e[0], 0);
		assert_int_equal(e[1], 8);
		assert_int_equal(e[3], i); /* APIC ID = vCPU index */
		assert_int_equal(get32(e + 4), 1);
	}
	const uint8_t *io = madt + 44 + 32; /* the IOAPIC after the local APICs */
	assert_int_equal(io[0], 1);
	assert_int_equal(io[1], 12);
	assert_int_equal(io[2], 4); /* its ID follows the APIC IDs, as in the MP table */
	assert_int_equal(get32(io + 4), PVH_SEV_IOAPIC_GPA);
	assert_int_equal(get32(io + 8), 0);
	/* Sleep control/status and reset registers: byte-wide I/O ports. */
	assert_true(get32(fadt + 112) & (1u << 10));
	assert_int_equal(fadt[116], 1);
	assert_int_equal(get64(fadt + 120), PVH_SEV_ACPI_RESET_PORT);
	assert_int_equal(fadt[128], PVH_SEV_ACPI_RESET_VALUE);
	assert_int_equal(get64(fadt + 248), PVH_SEV_ACPI_SLEEP_CTL_PORT);
	assert_int_equal(get64(fadt + 260), PVH_SEV_ACPI_SLEEP_STS_PORT);
	/* The DSDT names \_S5 and a PNP0501 device; it is the last table. */
	const uint8_t *dsdt = buf + (get64(fadt + 140) - base);
	uint32_t dlen = get32(dsdt + 4);
	assert_true(memmem(dsdt, dlen, "_S5_", 4) != NULL);
	assert_true(memmem(dsdt, dlen, "\x41\xd0\x05\x01", 4) != NULL);
	assert_int_equal(n, (size_t)(dsdt - buf) + dlen);
}

static void every_cpu_count_fits_and_bad_counts_are_refused(void **state)
{
	static uint8_t buf[4096];
	assert_true(acpi_build(buf, sizeof(buf), PVH_SEV_ACPI_GPA, 1) > 0);
	size_t n = acpi_build(buf, sizeof(buf), PVH_SEV_ACPI_GPA, 255);
	assert_true(n > 0 && n <= sizeof(buf));
	assert_int_equal(acpi_build(buf, sizeof(buf), PVH_SEV_ACPI_GPA, 0), 0);
	assert_int_equal(acpi_build(buf, sizeof(buf), PVH_SEV_ACPI_GPA, 256), 0);
	assert_int_equal(acpi_build(buf, 100, PVH_SEV_ACPI_GPA, 4), 0);
}

static void region_is_reserved_and_points_start_info_at_the_rsdp(void **state)
{
	struct region_list l;
	gpa_t rsdp = 0;
	char err[128];
	region_list_init(&l);
	assert_int_equal(acpi_add_region(&l, 8, &rsdp, err, sizeof(err)), 0);
	assert_int_equal(rsdp, PVH_SEV_ACPI_GPA);
	assert_int_equal(l.n, 1);
	assert_true(l.v[0].flags & REGION_F_RESERVED);
	assert_int_not_equal(acpi_add_region(&l, 300, &rsdp, err, sizeof(err)), 0);
	assert_non_null(strstr(err, "ACPI"));
	region_list_free(&l);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(tables_chain_from_rsdp_to_madt),
		cmocka_unit_test(every_cpu_count_fits_and_bad_counts_are_refused),
		cmocka_unit_test(region_is_reserved_and_points_start_info_at_the_rsdp),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
