// SPDX-License-Identifier: MIT
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "loader/guest_mem.h"
#include "loader/region.h"

static void overlap_on_page_rounded_extent_is_rejected(void **state)
{
	struct region_list l;
	struct ram_range ram = {0, 16 << 20};
	char why[256];
	region_list_init(&l);
	assert_int_equal(region_add(&l, "a", REGION_BOOT, 0, 0x1000, 0x10, "x", 1), 0);
	assert_int_equal(region_add(&l, "b", REGION_BOOT, 0, 0x1ff0, 0x10, NULL, 0), 0);
	assert_int_not_equal(region_list_check(&l, &ram, 1, why, sizeof(why)), 0);
	assert_non_null(strstr(why, "overlap"));
	region_list_free(&l);
}

static void region_outside_ram_is_rejected(void **state)
{
	struct region_list l;
	struct ram_range ram = {0, 16 << 20};
	char why[256];
	region_list_init(&l);
	assert_int_equal(region_add(&l, "k", REGION_KERNEL, 0, (16 << 20) - 8, 16, NULL, 0), 0);
	assert_int_not_equal(region_list_check(&l, &ram, 1, why, sizeof(why)), 0);
	assert_non_null(strstr(why, "outside guest RAM"));
	region_list_free(&l);
}

static void wrapping_region_is_rejected(void **state)
{
	struct region_list l;
	struct ram_range ram = {0, 16 << 20};
	region_list_init(&l);
	assert_int_equal(region_add(&l, "w", REGION_KERNEL, 0, UINT64_MAX - 10, 100, NULL, 0), 0);
	assert_int_not_equal(region_list_check(&l, &ram, 1, NULL, 0), 0);
	region_list_free(&l);
}

static void disjoint_regions_pass_and_sort(void **state)
{
	struct region_list l;
	struct ram_range ram = {0, 16 << 20};
	region_list_init(&l);
	assert_int_equal(region_add(&l, "b", REGION_BOOT, 0, 0x3000, 0x10, NULL, 0), 0);
	assert_int_equal(region_add(&l, "a", REGION_BOOT, 0, 0x1000, 0x1000, NULL, 0), 0);
	assert_int_equal(region_list_check(&l, &ram, 1, NULL, 0), 0);
	region_list_sort(&l);
	assert_string_equal(l.v[0].name, "a");
	region_list_free(&l);
}

static void guest_mem_ptr_checks_ranges(void **state)
{
	struct guest_mem m;
	assert_int_equal(guest_mem_map(&m, 4ull << 30), 0);
	assert_int_equal(m.nram, 2);
	assert_non_null(guest_mem_ptr(&m, 0, 4096));
	assert_null(guest_mem_ptr(&m, 0xc0000000ull - 1, 2));
	assert_null(guest_mem_ptr(&m, 0xc0000000ull, 1));
	assert_non_null(guest_mem_ptr(&m, 1ull << 32, 4096));
	assert_null(guest_mem_ptr(&m, (1ull << 32) + (1ull << 30) - 1, 2));
	assert_null(guest_mem_ptr(&m, UINT64_MAX, 2));
	assert_null(guest_mem_ptr(&m, 0, UINT64_MAX));
	guest_mem_unmap(&m);
}

static void mem_sizes_parse(void **state)
{
	uint64_t v;
	assert_int_equal(parse_mem_size("256M", &v), 0);
	assert_int_equal(v, 256ull << 20);
	assert_int_equal(parse_mem_size("1G", &v), 0);
	assert_int_equal(v, 1ull << 30);
	assert_int_equal(parse_mem_size("2MiB", &v), 0);
	assert_int_equal(v, 2ull << 20);
	assert_int_not_equal(parse_mem_size("", &v), 0);
	assert_int_not_equal(parse_mem_size("-1M", &v), 0);
	assert_int_not_equal(parse_mem_size("12Q", &v), 0);
	assert_int_not_equal(parse_mem_size("99999999999999999999G", &v), 0);
	assert_int_not_equal(parse_mem_size("17179869184G", &v), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(overlap_on_page_rounded_extent_is_rejected),
		cmocka_unit_test(region_outside_ram_is_rejected),
		cmocka_unit_test(wrapping_region_is_rejected),
		cmocka_unit_test(disjoint_regions_pass_and_sort),
		cmocka_unit_test(guest_mem_ptr_checks_ranges),
		cmocka_unit_test(mem_sizes_parse),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
