// SPDX-License-Identifier: MIT
/* The harness's order statistics: what every reported median and ratio rests on. */
#include <errno.h>
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>

#include <cmocka.h>

#include "bench/harness/stats.h"

static void test_odd_count(void **state)
{
	const double v[] = {5, 1, 4, 2, 3};
	struct stats st;

	assert_int_equal(stats_compute(v, 5, &st), 0);
	assert_int_equal(st.n, 5);
	assert_true(st.median == 3 && st.min == 1 && st.max == 5);
	/* p10 at rank 0.4 between 1 and 2, p90 at rank 3.6 between 4 and 5 */
	assert_true(fabs(st.p10 - 1.4) < 1e-9);
	assert_true(fabs(st.p90 - 4.6) < 1e-9);
	assert_true(v[0] == 5 && v[4] == 3); /* input untouched */
}

static void test_even_count(void **state)
{
	const double v[] = {10, 2, 8, 4};
	struct stats st;

	assert_int_equal(stats_compute(v, 4, &st), 0);
	assert_true(st.median == 6);
	assert_true(st.min == 2 && st.max == 10);
}

static void test_single(void **state)
{
	const double v[] = {7.5};
	struct stats st;

	assert_int_equal(stats_compute(v, 1, &st), 0);
	assert_true(st.median == 7.5 && st.p10 == 7.5 && st.p90 == 7.5);
}

static void test_rejects(void **state)
{
	const double v[] = {1, NAN, 3};
	struct stats st;

	assert_int_equal(stats_compute(v, 0, &st), -EINVAL);
	assert_int_equal(stats_compute(v, 3, &st), -EINVAL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_odd_count),
	    cmocka_unit_test(test_even_count),
	    cmocka_unit_test(test_single),
	    cmocka_unit_test(test_rejects),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
