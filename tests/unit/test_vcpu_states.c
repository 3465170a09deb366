// SPDX-License-Identifier: MIT
/* The vCPU state line a timeout prints: ranges per state, in state order, cut with "...". */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>

#include <cmocka.h>

#include "vmm/vcpu_states.h"

#define W VCPU_WAITING
#define R VCPU_RUNNING
#define P VCPU_PARKED
#define S VCPU_STOPPED

static void ranges_per_state(void **unused)
{
	(void)unused;
	enum vcpu_run_state st[] = {R, R, R, W, W, R, P, S, R};
	char buf[128];
	vcpu_states_format(st, 9, buf, sizeof(buf));
	assert_string_equal(buf, "waiting 3-4; running 0-2,5,8; parked 6; stopped 7");
}

static void one_vcpu(void **unused)
{
	(void)unused;
	enum vcpu_run_state st[] = {R};
	char buf[32];
	vcpu_states_format(st, 1, buf, sizeof(buf));
	assert_string_equal(buf, "running 0");
}

static void every_other_of_255_is_cut(void **unused)
{
	(void)unused;
	enum vcpu_run_state st[255];
	for (unsigned i = 0; i < 255; i++)
		st[i] = i % 2 ? VCPU_WAITING : VCPU_RUNNING;
	char buf[64];
	memset(buf, 'x', sizeof(buf));
	vcpu_states_format(st, 255, buf, sizeof(buf));
	assert_int_equal(strlen(buf), sizeof(buf) - 1);
	assert_string_equal(buf + sizeof(buf) - 4, "...");
	assert_memory_equal(buf, "waiting 1,3,5,", 14);
}

static void tiny_buffers(void **unused)
{
	(void)unused;
	enum vcpu_run_state st[] = {W, R};
	char buf[4] = "zzz";
	vcpu_states_format(st, 2, buf, 1);
	assert_string_equal(buf, "");
	vcpu_states_format(st, 2, buf, 0); /* writes nothing at all */
	assert_string_equal(buf, "");
	assert_string_equal(vcpu_run_state_name((enum vcpu_run_state)9), "unknown");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(ranges_per_state),
	    cmocka_unit_test(one_vcpu),
	    cmocka_unit_test(every_other_of_255_is_cut),
	    cmocka_unit_test(tiny_buffers),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
