// SPDX-License-Identifier: MIT
/* The boot-data layout: start_info, memory map, command line, modules, and its error cases. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h> /* needs the four headers above */

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "loader/boot_gdt.h"
#include "loader/elf_loader.h"
#include "loader/guest_mem.h"
#include "loader/layout.h"
#include "tests/unit/test_loader_elfw.h"

#define MiB (1ull << 20)
#define GiB (1ull << 30)
#define RAM XEN_HVM_MEMMAP_TYPE_RAM
#define RES XEN_HVM_MEMMAP_TYPE_RESERVED

static const struct region *find(const struct region_list *l, const char *name)
{
	for (size_t i = 0; i < l->n; i++)
		if (strcmp(l->v[i].name, name) == 0)
			return &l->v[i];
	return NULL;
}

/* A list as the VMM has it before the last layout step: kernel, AP area, MP table. */
static void base_list(struct region_list *l)
{
	region_list_init(l);
	assert_int_equal(region_add(l, "kernel[0]", REGION_KERNEL, 0, MiB, 0x3000, "k", 1), 0);
	assert_int_equal(region_add(l, "ap-area", REGION_AP, REGION_F_RESERVED, PVH_SEV_AP_AREA_GPA,
	                            PVH_SEV_AP_AREA_SIZE, NULL, 0),
	                 0);
	assert_int_equal(region_add(l, "mptable", REGION_TABLE, REGION_F_RESERVED,
	                            PVH_SEV_MPTABLE_GPA, 0x100, "_MP_", 4),
	                 0);
}

static int run_layout(const struct layout_params *p, struct region_list *l, char *err)
{
	gpa_t si = 0;
	int r = layout_add_boot_data(p, l, &si, err, 256);
	if (r == 0)
		assert_int_equal(si, PVH_SEV_START_INFO_GPA);
	return r;
}

static const struct hvm_start_info *start_info_of(const struct region_list *l)
{
	const struct region *g = find(l, "start_info");
	assert_non_null(g);
	assert_int_equal(g->gpa, PVH_SEV_START_INFO_GPA);
	assert_true(g->data_len >= sizeof(struct hvm_start_info));
	return (const struct hvm_start_info *)g->data;
}

/* The memmap region holds exactly `want`, and layout_memmap() returns the same. */
static void assert_memmap(uint64_t mem, const struct region_list *l,
                          const struct hvm_memmap_table_entry *want, size_t nwant)
{
	const struct region *g = find(l, "memmap");
	struct hvm_memmap_table_entry got[LAYOUT_MEMMAP_MAX];
	size_t n;
	char err[128];
	assert_non_null(g);
	assert_int_equal(g->gpa, PVH_SEV_MEMMAP_GPA);
	assert_int_equal(layout_memmap(mem, l, got, LAYOUT_MEMMAP_MAX, &n, err, sizeof(err)), 0);
	if (n != nwant || memcmp(got, want, n * sizeof(*got)) != 0) {
		layout_memmap_print(got, n, stderr);
		fail_msg("memory map differs from the expected %zu entries", nwant);
	}
	assert_int_equal(g->size, nwant * sizeof(*want));
	assert_memory_equal(g->data, want, nwant * sizeof(*want));
	assert_int_equal(start_info_of(l)->memmap_entries, nwant);
}

static void sorted_and_checked(const struct region_list *l, uint64_t mem)
{
	struct ram_range ram[2];
	size_t nram;
	for (size_t i = 1; i < l->n; i++)
		assert_true(l->v[i - 1].gpa <= l->v[i].gpa);
	guest_mem_ranges(mem, ram, &nram);
	assert_int_equal(region_list_check(l, ram, nram, NULL, 0), 0);
}

static void layout_256m_with_cmdline(void **state)
{
	struct region_list l;
	char err[256];
	struct layout_params p = {.mem_size = 256 * MiB,
	                          .cmdline = "console=ttyS0 panic=-1",
	                          .start_info_flags = SIF_HVM_GHCB};
	base_list(&l);
	assert_int_equal(run_layout(&p, &l, err), 0);
	sorted_and_checked(&l, p.mem_size);
	const struct hvm_start_info *si = start_info_of(&l);
	assert_int_equal(si->magic, XEN_HVM_START_MAGIC_VALUE);
	assert_int_equal(si->version, 1);
	assert_int_equal(si->flags, SIF_HVM_GHCB);
	assert_int_equal(si->nr_modules, 0);
	assert_int_equal(si->modlist_paddr, 0);
	assert_int_equal(si->cmdline_paddr, PVH_SEV_CMDLINE_GPA);
	assert_int_equal(si->rsdp_paddr, 0);
	assert_int_equal(si->memmap_paddr, PVH_SEV_MEMMAP_GPA);
	assert_int_equal(si->reserved, 0);
	assert_int_equal(find(&l, "start_info")->size, sizeof(*si));
	const struct region *c = find(&l, "cmdline");
	assert_int_equal(c->gpa, PVH_SEV_CMDLINE_GPA);
	assert_int_equal(c->size, strlen(p.cmdline) + 1);
	assert_string_equal((const char *)c->data, p.cmdline);
	const struct region *gdt = find(&l, "boot-gdt");
	assert_int_equal(gdt->gpa, PVH_SEV_BOOT_GDT_GPA);
	assert_memory_equal(gdt->data, boot_gdt_entries, BOOT_GDT_SIZE);
	const struct hvm_memmap_table_entry want[] = {
	    {0, PVH_SEV_LOW_RAM_END, RAM, 0},
	    {PVH_SEV_LOW_RAM_END, MiB - PVH_SEV_LOW_RAM_END, RES, 0},
	    {MiB, 255 * MiB, RAM, 0},
	};
	assert_memmap(p.mem_size, &l, want, 3);
	region_list_free(&l);
}

static void memmap_hole_below_4g(void **state)
{
	struct region_list l;
	char err[256];
	struct layout_params p = {.mem_size = 5 * GiB, .rsdp_paddr = 0x9f000};
	base_list(&l);
	assert_int_equal(run_layout(&p, &l, err), 0);
	const struct hvm_memmap_table_entry want[] = {
	    {0, 0x90000, RAM, 0},
	    {0x90000, 0x70000, RES, 0},
	    {MiB, 3 * GiB - MiB, RAM, 0},
	    {4 * GiB, 2 * GiB, RAM, 0},
	};
	assert_memmap(p.mem_size, &l, want, 4);
	assert_int_equal(start_info_of(&l)->rsdp_paddr, 0x9f000);
	assert_int_equal(start_info_of(&l)->cmdline_paddr, 0);
	assert_null(find(&l, "cmdline"));
	region_list_free(&l);

	/* Exactly 3 GiB has no high range; one page more starts it at 4 GiB. */
	struct hvm_memmap_table_entry got[8];
	size_t n;
	region_list_init(&l);
	assert_int_equal(layout_memmap(3 * GiB, &l, got, 8, &n, err, sizeof(err)), 0);
	assert_int_equal(n, 3);
	assert_int_equal(got[2].addr + got[2].size, 3 * GiB);
	assert_int_equal(layout_memmap(3 * GiB + 4096, &l, got, 8, &n, err, sizeof(err)), 0);
	assert_int_equal(n, 4);
	assert_int_equal(got[3].addr, 4 * GiB);
	assert_int_equal(got[3].size, 4096);
}

static void reserved_regions_are_carved_out(void **state)
{
	struct region_list l;
	char err[256];
	struct layout_params p = {.mem_size = 5 * GiB, .cmdline = ""};
	base_list(&l);
	/* ACPI tables at 2 MiB (rounded out to whole pages), one at the top of low RAM, one high.
	 */
	assert_int_equal(region_add(&l, "acpi", REGION_TABLE, REGION_F_RESERVED, 2 * MiB + 0x10,
	                            0x1800, NULL, 0),
	                 0);
	assert_int_equal(
	    region_add(&l, "top", REGION_TABLE, REGION_F_RESERVED, 3 * GiB - 4096, 4096, NULL, 0),
	    0);
	assert_int_equal(
	    region_add(&l, "high", REGION_TABLE, REGION_F_RESERVED, 5 * GiB, 4096, NULL, 0), 0);
	assert_int_equal(region_add(&l, "mpfloat", REGION_TABLE, REGION_F_RESERVED,
	                            PVH_SEV_MPFLOAT_GPA, 16, NULL, 0),
	                 0);
	assert_int_equal(run_layout(&p, &l, err), 0);
	sorted_and_checked(&l, p.mem_size);
	const struct hvm_memmap_table_entry want[] = {
	    {0, 0x90000, RAM, 0},
	    {0x90000, 0x70000, RES, 0},
	    {MiB, MiB, RAM, 0},
	    {2 * MiB, 0x2000, RES, 0},
	    {2 * MiB + 0x2000, 3 * GiB - 4096 - 2 * MiB - 0x2000, RAM, 0},
	    {3 * GiB - 4096, 4096, RES, 0},
	    {4 * GiB, GiB, RAM, 0},
	    {5 * GiB, 4096, RES, 0},
	    {5 * GiB + 4096, GiB - 4096, RAM, 0},
	};
	assert_memmap(p.mem_size, &l, want, 9);
	assert_int_equal(start_info_of(&l)->cmdline_paddr, 0); /* "" is no command line */
	region_list_free(&l);
}

static void command_line_limits(void **state)
{
	struct region_list l;
	char err[256], *cmd = malloc(LAYOUT_CMDLINE_MAX + 2);
	struct layout_params p = {.mem_size = 64 * MiB, .cmdline = cmd};
	assert_non_null(cmd);
	memset(cmd, 'a', LAYOUT_CMDLINE_MAX + 1);
	cmd[LAYOUT_CMDLINE_MAX + 1] = '\0';
	base_list(&l);
	assert_int_equal(run_layout(&p, &l, err), -EINVAL);
	assert_string_equal(err, "command line is 4096 bytes, maximum is 4095");
	assert_int_equal(l.n, 3);
	cmd[LAYOUT_CMDLINE_MAX] = '\0';
	assert_int_equal(run_layout(&p, &l, err), 0);
	assert_int_equal(find(&l, "cmdline")->size, PVH_SEV_CMDLINE_MAX);
	assert_int_equal(find(&l, "cmdline")->data[LAYOUT_CMDLINE_MAX], 0);
	region_list_free(&l);
	free(cmd);
}

static void bad_memory_sizes(void **state)
{
	static const struct {
		uint64_t mem;
		const char *msg;
	} cases[] = {
	    {MiB, "guest memory size 1048576 bytes is below the minimum of 2 MiB"},
	    {65 * GiB, "is above the maximum of 64 GiB"},
	    {2 * MiB + 1, "is not a multiple of 4 KiB"},
	    {0, "is below the minimum"},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct region_list l;
		char err[256];
		struct layout_params p = {.mem_size = cases[i].mem};
		base_list(&l);
		assert_int_equal(run_layout(&p, &l, err), -EINVAL);
		assert_non_null(strstr(err, cases[i].msg));
		assert_int_equal(l.n, 3);
		region_list_free(&l);
	}
	assert_int_equal(layout_check_mem(2 * MiB, NULL, 0), 0);
	assert_int_equal(layout_check_mem(64 * GiB, NULL, 0), 0);
}

static void overlap_with_kernel_is_rejected(void **state)
{
	struct region_list l;
	char err[256];
	struct layout_params p = {.mem_size = 256 * MiB, .cmdline = "x"};
	region_list_init(&l);
	assert_int_equal(region_add(&l, "kernel[0]", REGION_KERNEL, 0, 0x6800, 0x100, NULL, 0), 0);
	assert_int_equal(run_layout(&p, &l, err), -EINVAL);
	assert_non_null(strstr(err, "guest layout: regions"));
	assert_non_null(strstr(err, "kernel[0]"));
	assert_non_null(strstr(err, "start_info"));
	assert_non_null(strstr(err, "overlap"));
	assert_int_equal(l.n, 1); /* the list is as it was */
	region_list_free(&l);

	region_list_init(&l);
	assert_int_equal(region_add(&l, "kernel[0]", REGION_KERNEL, 0, 300 * MiB, 0x1000, NULL, 0),
	                 0);
	assert_int_equal(run_layout(&p, &l, err), -EINVAL);
	assert_non_null(
	    strstr(err, "region kernel[0] [0x12c00000-0x12c01000) is outside guest RAM"));
	region_list_free(&l);
}

static void memmap_entry_limit(void **state)
{
	struct region_list l;
	char err[256];
	struct layout_params p = {.mem_size = GiB};
	region_list_init(&l);
	/* Every other page reserved: two entries each, far more than one page of entries. */
	for (unsigned i = 0; i < LAYOUT_MEMMAP_MAX; i++)
		assert_int_equal(region_add(&l, "r", REGION_TABLE, REGION_F_RESERVED,
		                            16 * MiB + i * 0x2000ull, 16, NULL, 0),
		                 0);
	assert_int_equal(run_layout(&p, &l, err), -EINVAL);
	assert_string_equal(err, "the memory map needs more than 170 entries");
	assert_int_equal(l.n, LAYOUT_MEMMAP_MAX);
	region_list_free(&l);
}

/* The whole pipeline on a real (test-written) kernel file. */
static void elf_then_layout(void **state)
{
	struct elfw *w = malloc(sizeof(*w));
	struct region_list l;
	char path[128], err[256];
	uint32_t entry;
	struct layout_params p = {.mem_size = 32 * MiB, .cmdline = "quiet"};
	assert_non_null(w);
	elfw_good(w, 64, 8, 0);
	snprintf(path, sizeof(path), "%s", elfw_tmp_path("kernel.elf"));
	assert_int_equal(elfw_write(w, path), 0);
	region_list_init(&l);
	assert_int_equal(pvh_elf_load(path, &l, &entry, err, sizeof(err)), 0);
	assert_int_equal(run_layout(&p, &l, err), 0);
	sorted_and_checked(&l, p.mem_size);
	const char *order[] = {"boot-gdt", "start_info", "memmap",
	                       "cmdline",  "kernel[0]",  "kernel[1]"};
	assert_int_equal(l.n, 6);
	for (size_t i = 0; i < 6; i++)
		assert_string_equal(l.v[i].name, order[i]);
	region_list_free(&l);
	free(w);
}

static int cleanup(void **state)
{
	elfw_tmp_cleanup();
	return 0;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(layout_256m_with_cmdline),
	    cmocka_unit_test(memmap_hole_below_4g),
	    cmocka_unit_test(reserved_regions_are_carved_out),
	    cmocka_unit_test(command_line_limits),
	    cmocka_unit_test(bad_memory_sizes),
	    cmocka_unit_test(overlap_with_kernel_is_rejected),
	    cmocka_unit_test(memmap_entry_limit),
	    cmocka_unit_test(elf_then_layout),
	};
	return cmocka_run_group_tests(tests, NULL, cleanup);
}
