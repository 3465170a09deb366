// SPDX-License-Identifier: MIT
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <string.h>

#include "vmm/gva.h"

#define CBIT (1ull << 51)

static void put64(struct guest_mem *m, uint64_t gpa, uint64_t v)
{
	memcpy(guest_mem_ptr(m, gpa, 8), &v, 8);
}

static void paging_off_is_identity_with_32bit_wrap(void **state)
{
	struct guest_mem m;
	struct gva_regs r = {.cr0 = 0x11};
	uint64_t gpa;
	assert_int_equal(guest_mem_map(&m, 16 << 20), 0);
	assert_int_equal(gva_translate(&m, &r, 0, 0x100000123ull, &gpa), 0);
	assert_int_equal(gpa, 0x123);
	guest_mem_unmap(&m);
}

/* A 4-level table with the C-bit in CR3 and every entry, mapping 0x40200000 -> 0x3000 (4 KiB)
 * and 0x600000 as a 2 MiB page. */
static void long_mode_with_cbit_in_every_entry(void **state)
{
	struct guest_mem m;
	struct gva_regs r = {.cr0 = 0x80000011, .cr4 = 0x20, .efer = 0x500, .cr3 = 0x10000 | CBIT};
	uint64_t gpa;
	uint8_t bytes[4];
	assert_int_equal(guest_mem_map(&m, 16 << 20), 0);
	put64(&m, 0x10000, 0x11000 | CBIT | 3);             /* PML4[0] */
	put64(&m, 0x11000 + 1 * 8, 0x12000 | CBIT | 3);     /* PDPT[1] */
	put64(&m, 0x12000 + 1 * 8, 0x13000 | CBIT | 3);     /* PD[1] */
	put64(&m, 0x13000, 0x3000 | CBIT | 3);              /* PT[0] */
	put64(&m, 0x11000, 0x14000 | CBIT | 3);             /* PDPT[0] */
	put64(&m, 0x14000 + 3 * 8, 0x600000 | CBIT | 0x83); /* PD[3]: 2 MiB */
	memcpy(guest_mem_ptr(&m, 0x3ffe, 2), "\xf3\x0f", 2);
	memcpy(guest_mem_ptr(&m, 0x4000, 2), "\x01\xd9", 2);
	assert_int_equal(gva_translate(&m, &r, CBIT, 0x40200010, &gpa), 0);
	assert_int_equal(gpa, 0x3010);
	assert_int_equal(gva_translate(&m, &r, CBIT, 0x6abcde, &gpa), 0);
	assert_int_equal(gpa, 0x6abcde);
	/* Not present, and a table pointer outside RAM. */
	assert_int_equal(gva_translate(&m, &r, CBIT, 0x80000000ull, &gpa), -EFAULT);
	put64(&m, 0x10000 + 8, 0x7ff0000000ull | 3);
	assert_int_equal(gva_translate(&m, &r, CBIT, 1ull << 39, &gpa), -EFAULT);
	/* A read that crosses into an unmapped page fails; within the 2 MiB page it works. */
	assert_int_equal(gva_read(&m, &r, CBIT, 0x40200ffe, bytes, 4), -EFAULT);
	put64(&m, 0x13000 + 8, 0x4000 | CBIT | 3);
	assert_int_equal(gva_read(&m, &r, CBIT, 0x40200ffe, bytes, 4), 0);
	assert_memory_equal(bytes, "\xf3\x0f\x01\xd9", 4);
	guest_mem_unmap(&m);
}

static void pae_and_legacy_32bit_paging(void **state)
{
	struct guest_mem m;
	uint64_t gpa;
	assert_int_equal(guest_mem_map(&m, 16 << 20), 0);
	struct gva_regs pae = {.cr0 = 0x80000011, .cr4 = 0x20, .cr3 = 0x20000};
	put64(&m, 0x20000 + 2 * 8, 0x21000 | 1);       /* PDPT[2] */
	put64(&m, 0x21000 + 5 * 8, 0xa00000 | 0x83);   /* PD[5]: 2 MiB */
	assert_int_equal(gva_translate(&m, &pae, 0, 0x80a12345, &gpa), 0);
	assert_int_equal(gpa, 0xa12345);
	struct gva_regs legacy = {.cr0 = 0x80000011, .cr4 = 0x10, .cr3 = 0x30000};
	uint32_t pde = 0x00800000 | 0x83; /* 4 MiB page */
	memcpy(guest_mem_ptr(&m, 0x30000 + 3 * 4, 4), &pde, 4);
	assert_int_equal(gva_translate(&m, &legacy, 0, 0x00c01234, &gpa), 0);
	assert_int_equal(gpa, 0x801234);
	guest_mem_unmap(&m);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(paging_off_is_identity_with_32bit_wrap),
		cmocka_unit_test(long_mode_with_cbit_in_every_entry),
		cmocka_unit_test(pae_and_legacy_32bit_paging),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
