// SPDX-License-Identifier: MIT
/* The harness's parsers of pvh-sev's report and measure output and of `openssl speed`. */
#include <errno.h>
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>

#include <cmocka.h>

#include "bench/harness/adapters.h"

static struct variant v;

static int reset(void **state)
{
	memset(&v, 0, sizeof(v));
	return 0;
}

static void test_report_object_units(void **state)
{
	const char *j = "{\"timings\": {\"launch_start_us\": 1500, \"measure_ns\": 2000000,"
	                " \"finish\": 0.25, \"name\": \"x\"}}";

	assert_int_equal(adapter_report_steps(j, &v), 3);
	assert_int_equal(v.nsteps, 3);
	assert_string_equal(v.steps[0].name, "launch_start_us");
	assert_true(fabs(v.steps[0].ms[0] - 1.5) < 1e-9);
	assert_true(fabs(v.steps[1].ms[0] - 2.0) < 1e-9);
	assert_true(fabs(v.steps[2].ms[0] - 0.25) < 1e-9);
	/* a second report adds a sample to the same series */
	assert_int_equal(adapter_report_steps(j, &v), 3);
	assert_int_equal(v.nsteps, 3);
	assert_int_equal(v.steps[0].n, 2);
}

static void test_report_array_and_us_object(void **state)
{
	const char *a = "{\"timings\": [{\"step\": \"LAUNCH_START\", \"us\": 250},"
	                " {\"name\": \"LAUNCH_MEASURE\", \"ms\": 1.5}, {\"step\": \"x\"}]}";
	const char *o = "{\"timings_us\": {\"vcpu\": 3000}}";

	assert_int_equal(adapter_report_steps(a, &v), 2);
	assert_true(fabs(v.steps[0].ms[0] - 0.25) < 1e-9);
	assert_string_equal(v.steps[1].name, "LAUNCH_MEASURE");
	assert_int_equal(adapter_report_steps(o, &v), 1);
	assert_true(fabs(v.steps[2].ms[0] - 3.0) < 1e-9);
}

static void test_report_rejects(void **state)
{
	assert_int_equal(adapter_report_steps("", &v), -EINVAL);
	assert_int_equal(adapter_report_steps("{\"timings\": {}}", &v), -EINVAL);
	assert_int_equal(adapter_report_steps("{\"mode\": \"emulated\"}", &v), -EINVAL);
	assert_int_equal(adapter_report_steps("[1, 2]", &v), -EINVAL);
	assert_int_equal(v.nsteps, 0);
}

static void test_report_mode(void **state)
{
	char mode[16];

	assert_int_equal(
	    adapter_report_mode("{\"mode\": \"emulated\", \"timings\": []}", mode, sizeof(mode)),
	    0);
	assert_string_equal(mode, "emulated");
	assert_int_equal(adapter_report_mode("{\"mode\": 3}", mode, sizeof(mode)), -EINVAL);
	assert_int_equal(adapter_report_mode("not json", mode, sizeof(mode)), -EINVAL);
}

static void test_measure_bytes(void **state)
{
	double m = 0;

	assert_int_equal(adapter_measure_bytes("{\"measured_bytes\": 98304, \"blobs\": []}", &m),
	                 0);
	assert_true(m == 98304);
	assert_int_equal(adapter_measure_bytes("{\"blobs\": [{\"name\": \"a\", \"size\": 4096},"
	                                       " {\"size\": 49152}]}",
	                                       &m),
	                 0);
	assert_true(m == 4096 + 49152);
	assert_int_equal(adapter_measure_bytes("{\"blobs\": [{\"size\": \"x\"}]}", &m), -EINVAL);
	assert_int_equal(adapter_measure_bytes("{\"blobs\": []}", &m), -EINVAL);
	assert_int_equal(adapter_measure_bytes("bench guest: kind=none n=0 ok\n", &m), -EINVAL);
}

static void test_report_content(void **state)
{
	double c = 0;

	assert_int_equal(
	    adapter_report_content("{\"regions\": [{\"name\": \"boot-gdt\", \"size\": 32},"
	                           " {\"name\": \"start_info\", \"size\": 56}]}",
	                           &c),
	    0);
	assert_true(c == 88);
	assert_int_equal(adapter_report_content("{\"regions\": [{\"size\": -1}]}", &c), -EINVAL);
	assert_int_equal(adapter_report_content("{\"mode\": \"off\"}", &c), -EINVAL);
}

static void test_openssl_speed(void **state)
{
	const char *out = "version: 3.0.22\n"
	                  "The 'numbers' are in 1000s of bytes per second processed.\n"
	                  "type           4096 bytes\n"
	                  "sha256         1434705.92k\n";
	double bps = 0;

	assert_int_equal(adapter_openssl_speed(out, &bps), 0);
	assert_true(fabs(bps - 1434705920.0) < 1);
	assert_int_equal(adapter_openssl_speed("sha256 garbage\n", &bps), -EINVAL);
	assert_int_equal(adapter_openssl_speed("type 4096 bytes\n", &bps), -EINVAL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup(test_report_object_units, reset),
	    cmocka_unit_test_setup(test_report_array_and_us_object, reset),
	    cmocka_unit_test_setup(test_report_rejects, reset),
	    cmocka_unit_test_setup(test_report_mode, reset),
	    cmocka_unit_test_setup(test_measure_bytes, reset),
	    cmocka_unit_test_setup(test_report_content, reset),
	    cmocka_unit_test_setup(test_openssl_speed, reset),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
