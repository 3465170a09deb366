// SPDX-License-Identifier: MIT
/* The harness without KVM: --only's scenario ids, the command lines P2L builds, argv limits. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "bench/harness/adapters.h"
#include "bench/harness/bench.h"

#define CMDLINE "console=ttyS0 earlyprintk=serial,ttyS0 pvh_exit=poweroff"

static struct scenario s; /* about 1 MiB: not on the stack */
static struct variant v;
static struct bench_config c;

static int reset(void **state)
{
	memset(&s, 0, sizeof(s));
	memset(&v, 0, sizeof(v));
	memset(&c, 0, sizeof(c));
	snprintf(c.pvh_sev, sizeof(c.pvh_sev), "/b/pvh-sev");
	c.qemu = "/q/qemu-system-x86_64";
	return 0;
}

/* The index of `a` followed by `b` (or anything when b is NULL) in v's argv, or -1. */
static int arg_at(const struct variant *x, const char *a, const char *b)
{
	for (int i = 0; i < x->argc; i++)
		if (!strcmp(x->argv[i], a) &&
		    (!b || (i + 1 < x->argc && !strcmp(x->argv[i + 1], b))))
			return i;
	return -1;
}

static void test_only_ids(void **state)
{
	unsigned m = 0;

	assert_int_equal(bench_parse_only("P1,P3", &m), 0);
	assert_int_equal(m, 1u << 0 | 1u << 2);
	assert_int_equal(bench_parse_only("p2l", &m), 0);
	assert_int_equal(m, 1u << 6);
	assert_string_equal(bench_scenarios[6].id, "P2L");
	assert_int_equal(bench_parse_only("P2L,P2,P6", &m), 0);
	assert_int_equal(m, 1u << 6 | 1u << 1 | 1u << 5);
	assert_int_equal(bench_parse_only("P7", &m), -EINVAL);
	assert_int_equal(bench_parse_only("P2,P2LX", &m), -EINVAL);
	assert_int_equal(bench_parse_only("P", &m), -EINVAL);
	assert_int_equal(bench_parse_only(",", &m), -EINVAL);
	assert_int_equal(bench_parse_only("", &m), -EINVAL);
}

static void test_p2l_skipped_without_linux(void **state)
{
	scenario_p2l_setup(&s, &c);
	assert_string_equal(s.id, "P2L");
	assert_non_null(strstr(s.skip, "--linux DIR"));
	assert_int_equal(s.nv, 0);
	assert_int_equal(s.runs, 5);
	assert_int_equal(s.no_warmup, 1);
	assert_true(s.min_timeout_s >= 600);

	memset(&s, 0, sizeof(s));
	c.quick = 1;
	scenario_p2l_setup(&s, &c);
	assert_int_equal(s.runs, 1);
}

static void test_p2l_command_lines(void **state)
{
	snprintf(c.linux_dir, sizeof(c.linux_dir), "/fx");
	scenario_p2l_setup(&s, &c);
	assert_int_equal(s.nv, 3);
	for (int i = 0; i < 3; i++) {
		assert_string_equal(s.v[i].expect_output, "PVH-INIT-OK cpus=4 online=0-3");
		/* none of these files exists: skipped, not failed */
		assert_non_null(strstr(s.v[i].skip, "not found"));
	}

	const char *const off[] = {
	    "/b/pvh-sev", "run",      "/fx/vmlinux",           "--sev=off", "--smp", "4", "--mem",
	    "512M",       "--initrd", "/fx/initramfs.cpio.gz", "--cmdline", CMDLINE, NULL};
	for (int i = 0; off[i]; i++)
		assert_string_equal(s.v[0].argv[i], off[i]);
	assert_null(s.v[0].argv[12]);
	assert_int_equal(s.v[0].expect_status, 0);
	assert_null(s.v[0].check_output);

	assert_string_equal(s.v[1].argv[3], "--sev=emulated");
	assert_int_equal(arg_at(&s.v[1], "--initrd", "/fx/initramfs.cpio.gz"), 8);
	assert_int_equal(s.v[1].expect_status, 0);
	assert_non_null(s.v[1].check_output);
	assert_int_equal(s.v[1].check_output("[ 0.1] Memory Encryption Features active: AMD SEV "
	                                     "SEV-ES\nPVH-INIT-OK cpus=4 online=0-3\n"),
	                 0);
	assert_int_not_equal(s.v[1].check_output("PVH-INIT-OK cpus=4 online=0-3\n"), 0);

	const struct variant *q = &s.v[2];
	assert_string_equal(q->argv[0], "/q/qemu-system-x86_64");
	assert_true(arg_at(q, "-smp", "4") > 0);
	assert_true(arg_at(q, "-m", "512") > 0);
	assert_true(arg_at(q, "-kernel", "/fx/vmlinux") > 0);
	assert_true(arg_at(q, "-initrd", "/fx/initramfs.cpio.gz") > 0);
	assert_true(arg_at(q, "-append", CMDLINE) > 0);
	assert_true(arg_at(q, "-serial", "chardev:con") > 0);
	assert_true(arg_at(q, "isa-debug-exit,iobase=0xf4,iosize=4", NULL) > 0);
	assert_int_equal(q->expect_status, 0); /* ACPI power-off: QEMU exits 0 */
}

static void test_p2l_rows(void **state)
{
	snprintf(c.linux_dir, sizeof(c.linux_dir), "/fx");
	scenario_p2l_setup(&s, &c);
	int mq = -1, off = -1, emu = -1;
	for (int i = 0; i < s.nm; i++) {
		if (s.m[i].a == 2 && s.m[i].b < 0)
			mq = i;
		if (s.m[i].a == 0 && s.m[i].b < 0)
			off = i;
		if (s.m[i].a == 1 && s.m[i].b < 0)
			emu = i;
	}
	assert_true(mq >= 0 && off >= 0 && emu >= 0);
	assert_int_equal(s.m[off].ref_qemu, mq);
	assert_true(s.m[off].target_qemu == 0.8);
	assert_int_equal(s.m[emu].ref_qemu, mq);
	assert_true(s.m[emu].target_qemu == 0);
}

/* The small guests' command lines did not change with the boot spec. */
static void test_bench_guest_lines_unchanged(void **state)
{
	contender_qemu(&v, &c, "/k.elf", "kind=none", 1);
	assert_true(arg_at(&v, "-m", "256") > 0);
	assert_int_equal(arg_at(&v, "-initrd", NULL), -1);
	assert_true(arg_at(&v, "-append", "kind=none") > 0);

	memset(&v, 0, sizeof(v));
	contender_pvh_sev(&v, &c, "/k.elf", "kind=none", "off", 1, 0);
	const char *const pvh[] = {"/b/pvh-sev", "run",       "/k.elf",    "--sev=off", "--smp",
	                           "1",          "--cmdline", "kind=none", NULL};
	for (int i = 0; pvh[i]; i++)
		assert_string_equal(v.argv[i], pvh[i]);
	assert_null(v.argv[8]);
}

/* An argument that does not fit skips the variant instead of running a cut command line. */
static void test_cut_command_line_skips(void **state)
{
	int r = 0;

	for (int i = 0; i < BENCH_MAX_ARGS && !r; i++)
		r = variant_arg(&v, "arg%d", i);
	assert_int_equal(r, -E2BIG);
	assert_non_null(strstr(v.skip, "does not fit"));

	memset(&v, 0, sizeof(v));
	assert_int_equal(variant_arg(&v, "%*s", (int)sizeof(v.arena), "x"), -E2BIG);
	assert_int_equal(v.argc, 0);
	assert_non_null(strstr(v.skip, "does not fit"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup(test_only_ids, reset),
	    cmocka_unit_test_setup(test_p2l_skipped_without_linux, reset),
	    cmocka_unit_test_setup(test_p2l_command_lines, reset),
	    cmocka_unit_test_setup(test_p2l_rows, reset),
	    cmocka_unit_test_setup(test_bench_guest_lines_unchanged, reset),
	    cmocka_unit_test_setup(test_cut_command_line_skips, reset),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
