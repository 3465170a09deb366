// SPDX-License-Identifier: MIT
/* Modules: order, placement and alignment, the modlist, and every way a module file can fail. */
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

#include "loader/layout.h"
#include "tests/unit/test_loader_elfw.h"

#define MiB (1ull << 20)

static const struct region *find(const struct region_list *l, const char *name)
{
	for (size_t i = 0; i < l->n; i++)
		if (strcmp(l->v[i].name, name) == 0)
			return &l->v[i];
	return NULL;
}

/* Writes a file of n bytes (byte i = seed + i) into the temp dir; returns a heap copy of its path.
 */
static char *make_file(const char *name, size_t n, uint8_t seed)
{
	uint8_t *buf = malloc(n ? n : 1);
	assert_non_null(buf);
	for (size_t i = 0; i < n; i++)
		buf[i] = (uint8_t)(seed + i);
	char *path = strdup(elfw_tmp_path(name));
	assert_non_null(path);
	assert_int_equal(elfw_write_bytes(path, buf, n), 0);
	free(buf);
	return path;
}

static void check_module(const struct region_list *l, const char *name, gpa_t gpa, size_t n,
                         uint8_t seed, const struct hvm_modlist_entry *e)
{
	const struct region *g = find(l, name);
	assert_non_null(g);
	assert_int_equal(g->kind, REGION_MODULE);
	assert_int_equal(g->gpa, gpa);
	assert_int_equal(g->gpa % 4096, 0);
	assert_int_equal(g->size, n);
	assert_int_equal(g->data_len, n);
	for (size_t i = 0; i < n; i++)
		assert_int_equal(g->data[i], (uint8_t)(seed + i));
	assert_int_equal(e->paddr, gpa);
	assert_int_equal(e->size, n);
	assert_int_equal(e->cmdline_paddr, 0);
	assert_int_equal(e->reserved, 0);
}

static void initrd_first_then_modules_downward(void **state)
{
	char *initrd = make_file("initrd.img", 5000, 1), *a = make_file("a.mod", 4096, 2);
	char *b = make_file("b.mod", 1, 3);
	const char *mods[] = {a, b};
	struct layout_params p = {
	    .mem_size = 64 * MiB, .initrd = initrd, .modules = mods, .nmodules = 2};
	struct region_list l;
	char err[256];
	gpa_t si;
	region_list_init(&l);
	assert_int_equal(layout_add_boot_data(&p, &l, &si, err, sizeof(err)), 0);
	const struct region *sr = find(&l, "start_info");
	const struct hvm_start_info *s = (const void *)sr->data;
	const struct hvm_modlist_entry *e = (const void *)(sr->data + 0x40);
	assert_int_equal(s->nr_modules, 3);
	assert_int_equal(s->modlist_paddr, PVH_SEV_MODLIST_GPA);
	assert_int_equal(sr->size, 0x40 + 3 * sizeof(*e));
	check_module(&l, "initrd", 64 * MiB - 0x2000, 5000, 1, &e[0]);
	check_module(&l, "module[1]", 64 * MiB - 0x3000, 4096, 2, &e[1]);
	check_module(&l, "module[2]", 64 * MiB - 0x4000, 1, 3, &e[2]);
	region_list_free(&l);

	/* Without an initrd the first --module is module 0; above 3 GiB modules stay below it. */
	p = (struct layout_params){.mem_size = 4ull << 30, .modules = mods, .nmodules = 1};
	region_list_init(&l);
	assert_int_equal(layout_add_boot_data(&p, &l, &si, err, sizeof(err)), 0);
	sr = find(&l, "start_info");
	check_module(&l, "module[0]", PVH_SEV_MMIO_HOLE_GPA - 0x1000, 4096, 2,
	             (const void *)(sr->data + 0x40));
	assert_null(find(&l, "initrd"));
	region_list_free(&l);
	free(initrd);
	free(a);
	free(b);
}

static void modules_go_around_existing_regions(void **state)
{
	char *initrd = make_file("initrd2.img", 0x1800, 9);
	struct layout_params p = {.mem_size = 16 * MiB, .initrd = initrd};
	struct region_list l;
	char err[256];
	gpa_t si;
	region_list_init(&l);
	/* Something already at the top of RAM, and a one-page hole below it too small to use. */
	assert_int_equal(region_add(&l, "acpi", REGION_TABLE, REGION_F_RESERVED, 16 * MiB - 0x1000,
	                            0x100, NULL, 0),
	                 0);
	assert_int_equal(
	    region_add(&l, "kernel[0]", REGION_KERNEL, 0, 16 * MiB - 0x5000, 0x2800, NULL, 0), 0);
	assert_int_equal(layout_add_boot_data(&p, &l, &si, err, sizeof(err)), 0);
	const struct region *g = find(&l, "initrd");
	assert_int_equal(g->gpa, 16 * MiB - 0x7000);
	region_list_free(&l);
	free(initrd);
}

static void expect_module_error(const struct layout_params *p, int want, const char *frag)
{
	struct region_list l;
	char err[512];
	gpa_t si = 0;
	region_list_init(&l);
	assert_int_equal(region_add(&l, "kernel[0]", REGION_KERNEL, 0, MiB, 0x1000, NULL, 0), 0);
	int r = layout_add_boot_data(p, &l, &si, err, sizeof(err));
	if (r != want || !strstr(err, frag))
		print_error("got %d \"%s\", want %d \"...%s...\"\n", r, err, want, frag);
	assert_int_equal(r, want);
	assert_non_null(strstr(err, frag));
	assert_int_equal(l.n, 1);
	assert_int_equal(si, 0);
	region_list_free(&l);
}

static void module_file_errors(void **state)
{
	char *good = make_file("good.mod", 100, 0), *empty = make_file("empty.mod", 0, 0);
	char *big = make_file("big.mod", MiB + 1, 0);
	char *dir = strdup(elfw_tmp_path("moddir"));
	char *missing = strdup(elfw_tmp_path("missing.img"));
	assert_int_equal(mkdir(dir, 0700), 0);
	const char *after_good[] = {good, missing};
	struct layout_params p = {.mem_size = 64 * MiB, .initrd = missing};
	char want[300];

	snprintf(want, sizeof(want), "initrd %s: cannot open: No such file or directory", missing);
	expect_module_error(&p, -ENOENT, want);
	p.initrd = dir;
	expect_module_error(&p, -EISDIR, "is a directory");
	p.initrd = "/dev/null";
	expect_module_error(&p, -EINVAL, "initrd /dev/null: not a regular file");
	p.initrd = empty;
	expect_module_error(&p, -EINVAL, "is empty");
	/* A failure after a module was placed still leaves the list as it was. */
	p = (struct layout_params){.mem_size = 64 * MiB, .modules = after_good, .nmodules = 2};
	snprintf(want, sizeof(want), "module[1] %s: cannot open", missing);
	expect_module_error(&p, -ENOENT, want);
	/* 2 MiB of RAM leaves 1 MiB above 1 MiB: one byte more does not fit. */
	p = (struct layout_params){.mem_size = 2 * MiB, .initrd = big};
	snprintf(want, sizeof(want),
	         "initrd %s (1048577 bytes) does not fit in guest RAM between 1 MiB and 0x200000",
	         big);
	expect_module_error(&p, -EINVAL, want);
	p.initrd = good;
	p.mem_size = 2 * MiB;
	const char *many[LAYOUT_MODULES_MAX];
	for (size_t i = 0; i < LAYOUT_MODULES_MAX; i++)
		many[i] = good;
	p.modules = many;
	p.nmodules = LAYOUT_MODULES_MAX;
	expect_module_error(&p, -EINVAL, "127 modules given (initrd included), maximum is 126");
	p.initrd = NULL;
	p.modules = (const char *const[]){NULL};
	p.nmodules = 1;
	expect_module_error(&p, -EINVAL, "module[0]: no file name given");
	free(good);
	free(empty);
	free(big);
	free(dir);
	free(missing);
}

static int cleanup(void **state)
{
	elfw_tmp_cleanup();
	return 0;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(initrd_first_then_modules_downward),
	    cmocka_unit_test(modules_go_around_existing_regions),
	    cmocka_unit_test(module_file_errors),
	};
	return cmocka_run_group_tests(tests, NULL, cleanup);
}
