// SPDX-License-Identifier: MIT
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <errno.h>
#include <pthread.h>
#include <string.h>

#include "ap/ap_abi.h"
#include "ap/ap_sm.h"

static void init_rejects_bad_counts(void **state)
{
	struct ap_sm sm;
	assert_int_equal(ap_sm_init(&sm, 0), -EINVAL);
	assert_int_equal(ap_sm_init(&sm, AP_MAX_VCPUS + 1), -EINVAL);
	assert_int_equal(ap_sm_init(&sm, AP_MAX_VCPUS), 0);
	assert_int_equal(ap_sm_state(&sm, 0), AP_VCPU_RUNNING);
	assert_int_equal(ap_sm_state(&sm, AP_MAX_VCPUS - 1), AP_VCPU_STOPPED);
	ap_sm_destroy(&sm);
}

static void start_then_double_start(void **state)
{
	struct ap_sm sm;
	struct ap_action act;
	assert_int_equal(ap_sm_init(&sm, 4), 0);
	assert_int_equal(ap_doorbell_result(&sm, 0), AP_DB_NO_REQUEST);

	assert_int_equal(ap_doorbell(&sm, 0, 2, &act), AP_DB_OK);
	assert_int_equal(act.kind, AP_ACTION_START);
	assert_int_equal(act.vcpu, 2);
	assert_int_equal(ap_sm_state(&sm, 2), AP_VCPU_START_REQUESTED);
	assert_int_equal(ap_doorbell_result(&sm, 0), AP_DB_OK);

	/* While the start is in progress and after it, a second ring changes nothing. */
	assert_int_equal(ap_doorbell(&sm, 1, 2, &act), AP_DB_ALREADY_STARTED);
	assert_int_equal(act.kind, AP_ACTION_NONE);
	ap_sm_start_done(&sm, 2, 0);
	assert_int_equal(ap_sm_state(&sm, 2), AP_VCPU_RUNNING);
	assert_int_equal(ap_doorbell(&sm, 0, 2, &act), AP_DB_ALREADY_STARTED);
	assert_int_equal(act.kind, AP_ACTION_NONE);
	/* Each vCPU reads its own last result. */
	assert_int_equal(ap_doorbell_result(&sm, 1), AP_DB_ALREADY_STARTED);
	ap_sm_destroy(&sm);
}

static void unknown_bsp_and_bad_caller(void **state)
{
	struct ap_sm sm;
	struct ap_action act;
	assert_int_equal(ap_sm_init(&sm, 2), 0);
	assert_int_equal(ap_doorbell(&sm, 0, 2, &act), AP_DB_NO_SUCH_VCPU);
	assert_int_equal(ap_doorbell(&sm, 0, 0xffffffffu, &act), AP_DB_NO_SUCH_VCPU);
	assert_int_equal(act.kind, AP_ACTION_NONE);
	assert_int_equal(ap_doorbell(&sm, 1, 0, &act), AP_DB_IS_BSP);
	assert_int_equal(ap_doorbell_result(&sm, 1), AP_DB_IS_BSP);
	assert_int_equal(ap_doorbell(&sm, 2, 1, &act), -EINVAL);
	assert_int_equal(ap_sm_state(&sm, 1), AP_VCPU_STOPPED);
	ap_sm_destroy(&sm);
}

static void failed_start_is_reported_and_retryable(void **state)
{
	struct ap_sm sm;
	struct ap_action act;
	assert_int_equal(ap_sm_init(&sm, 3), 0);
	assert_int_equal(ap_doorbell(&sm, 0, 1, &act), AP_DB_OK);
	ap_sm_start_done(&sm, 1, -EIO);
	assert_int_equal(ap_doorbell_result(&sm, 0), AP_DB_START_FAILED);
	assert_int_equal(ap_sm_state(&sm, 1), AP_VCPU_STOPPED);
	assert_int_equal(ap_doorbell(&sm, 0, 1, &act), AP_DB_OK);
	assert_int_equal(act.kind, AP_ACTION_START);
	ap_sm_destroy(&sm);
}

static void parked_ap_is_woken(void **state)
{
	struct ap_sm sm;
	struct ap_action act;
	assert_int_equal(ap_sm_init(&sm, 3), 0);
	ap_sm_parked(&sm, 1); /* only a running AP can park */
	assert_int_equal(ap_sm_state(&sm, 1), AP_VCPU_STOPPED);
	assert_int_equal(ap_doorbell(&sm, 0, 1, &act), AP_DB_OK);
	ap_sm_start_done(&sm, 1, 0);
	ap_sm_parked(&sm, 1);
	assert_int_equal(ap_sm_state(&sm, 1), AP_VCPU_PARKED_RESET_HOLD);
	assert_int_equal(ap_doorbell(&sm, 2, 1, &act), AP_DB_OK);
	assert_int_equal(act.kind, AP_ACTION_WAKE);
	assert_int_equal(act.vcpu, 1);
	ap_sm_start_done(&sm, 1, 0);
	assert_int_equal(ap_sm_state(&sm, 1), AP_VCPU_RUNNING);
	ap_sm_destroy(&sm);
}

/* An AP that parks before the ringer's thread records the start is still woken later (the hostile
 * guest's case=doorbells lost its AP that way: RUNNING for ever, every doorbell "already started"). */
static void ap_parked_before_start_done_is_woken(void **state)
{
	struct ap_sm sm;
	struct ap_action act;
	assert_int_equal(ap_sm_init(&sm, 3), 0);
	assert_int_equal(ap_doorbell(&sm, 0, 1, &act), AP_DB_OK);
	ap_sm_mark_running(&sm, 1); /* started at its measured state */
	ap_sm_parked(&sm, 1);       /* nothing to do: parks at once */
	ap_sm_start_done(&sm, 1, 0);
	assert_int_equal(ap_sm_state(&sm, 1), AP_VCPU_PARKED_RESET_HOLD);
	/* The wake: released, then parked again, all before start_done. */
	assert_int_equal(ap_doorbell(&sm, 0, 1, &act), AP_DB_OK);
	assert_int_equal(act.kind, AP_ACTION_WAKE);
	ap_sm_mark_running(&sm, 1);
	ap_sm_parked(&sm, 1);
	ap_sm_start_done(&sm, 1, 0);
	assert_int_equal(ap_sm_state(&sm, 1), AP_VCPU_PARKED_RESET_HOLD);
	/* Woken and still running when start_done comes: RUNNING. */
	assert_int_equal(ap_doorbell(&sm, 0, 1, &act), AP_DB_OK);
	ap_sm_mark_running(&sm, 1);
	ap_sm_start_done(&sm, 1, 0);
	assert_int_equal(ap_sm_state(&sm, 1), AP_VCPU_RUNNING);
	/* A failed start forgets an early park. */
	assert_int_equal(ap_doorbell(&sm, 0, 2, &act), AP_DB_OK);
	ap_sm_parked(&sm, 2);
	ap_sm_start_done(&sm, 2, -EIO);
	assert_int_equal(ap_sm_state(&sm, 2), AP_VCPU_STOPPED);
	assert_int_equal(ap_doorbell(&sm, 0, 2, &act), AP_DB_OK);
	ap_sm_start_done(&sm, 2, 0);
	assert_int_equal(ap_sm_state(&sm, 2), AP_VCPU_RUNNING);
	ap_sm_destroy(&sm);
}

static void init_sipi_started_ap_counts_as_started(void **state)
{
	struct ap_sm sm;
	struct ap_action act;
	assert_int_equal(ap_sm_init(&sm, 2), 0);
	ap_sm_mark_running(&sm, 1);
	assert_int_equal(ap_doorbell(&sm, 0, 1, &act), AP_DB_ALREADY_STARTED);
	ap_sm_destroy(&sm);
}

/* Hardware: KVM's MP state replaces the record (vmm/ap_hw_doorbell.c), except mid-start. */
static void observed_state_replaces_the_record(void **state)
{
	struct ap_sm sm;
	struct ap_action act;
	assert_int_equal(ap_sm_init(&sm, 3), 0);
	ap_sm_observed(&sm, 1, AP_VCPU_RUNNING); /* the guest's own INIT-SIPI started it */
	assert_int_equal(ap_doorbell(&sm, 0, 1, &act), AP_DB_ALREADY_STARTED);
	ap_sm_observed(&sm, 1, AP_VCPU_PARKED_RESET_HOLD); /* it parked inside KVM */
	assert_int_equal(ap_doorbell(&sm, 0, 1, &act), AP_DB_OK);
	assert_int_equal(act.kind, AP_ACTION_WAKE);
	ap_sm_observed(&sm, 1, AP_VCPU_STOPPED); /* a start in progress is kept */
	assert_int_equal(ap_sm_state(&sm, 1), AP_VCPU_START_REQUESTED);
	ap_sm_start_done(&sm, 1, 0);
	ap_sm_observed(&sm, 0, AP_VCPU_STOPPED); /* never the BSP */
	assert_int_equal(ap_sm_state(&sm, 0), AP_VCPU_RUNNING);
	ap_sm_observed(&sm, 2, AP_VCPU_STOPPED);
	assert_int_equal(ap_doorbell(&sm, 0, 2, &act), AP_DB_OK);
	assert_int_equal(act.kind, AP_ACTION_START);
	ap_sm_observed(&sm, 7, AP_VCPU_RUNNING); /* out of range: ignored */
	ap_sm_destroy(&sm);
}

static void io_widths(void **state)
{
	struct ap_sm sm;
	struct ap_action act;
	uint32_t v = 1;
	assert_int_equal(ap_sm_init(&sm, 2), 0);
	assert_int_equal(ap_doorbell_io(&sm, 0, 1, 2, &v, &act), 0);
	assert_int_equal(act.kind, AP_ACTION_NONE);
	assert_int_equal(ap_doorbell_io(&sm, 0, 0, 4, &v, &act), 0);
	assert_int_equal(v, AP_DB_BAD_ACCESS);
	assert_int_equal(ap_doorbell_io(&sm, 0, 0, 1, &v, &act), 0);
	assert_int_equal(v, 0xffffffffu);
	v = 1;
	assert_int_equal(ap_doorbell_io(&sm, 0, 1, 4, &v, &act), 0);
	assert_int_equal(act.kind, AP_ACTION_START);
	assert_int_equal(ap_doorbell_io(&sm, 0, 0, 4, &v, &act), 0);
	assert_int_equal(v, AP_DB_OK);
	assert_int_equal(ap_doorbell_io(&sm, 7, 0, 4, &v, &act), -EINVAL);
	ap_sm_destroy(&sm);
}

static void names(void **state)
{
	assert_string_equal(ap_doorbell_result_name(AP_DB_IS_BSP), "is-bsp");
	assert_string_equal(ap_doorbell_result_name(99), "?");
	assert_string_equal(ap_vcpu_state_name(AP_VCPU_PARKED_RESET_HOLD), "parked-reset-hold");
}

/* Every vCPU thread rings for the same AP at once: exactly one start is handed out. */
#define RACERS 8
struct race {
	struct ap_sm *sm;
	unsigned from;
	int starts;
};

static void *racer(void *arg)
{
	struct race *r = arg;
	struct ap_action act;
	for (unsigned target = 1; target < RACERS; target++) {
		ap_doorbell(r->sm, r->from, target, &act);
		if (act.kind == AP_ACTION_START)
			r->starts++;
	}
	return NULL;
}

static void concurrent_doorbells_start_each_ap_once(void **state)
{
	struct ap_sm sm;
	pthread_t t[RACERS];
	struct race r[RACERS];
	assert_int_equal(ap_sm_init(&sm, RACERS), 0);
	for (unsigned i = 0; i < RACERS; i++) {
		r[i] = (struct race){.sm = &sm, .from = i};
		assert_int_equal(pthread_create(&t[i], NULL, racer, &r[i]), 0);
	}
	int total = 0;
	for (unsigned i = 0; i < RACERS; i++) {
		pthread_join(t[i], NULL);
		total += r[i].starts;
	}
	assert_int_equal(total, RACERS - 1);
	for (unsigned i = 1; i < RACERS; i++)
		assert_int_equal(ap_sm_state(&sm, i), AP_VCPU_START_REQUESTED);
	ap_sm_destroy(&sm);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(init_rejects_bad_counts),
	    cmocka_unit_test(start_then_double_start),
	    cmocka_unit_test(unknown_bsp_and_bad_caller),
	    cmocka_unit_test(failed_start_is_reported_and_retryable),
	    cmocka_unit_test(parked_ap_is_woken),
	    cmocka_unit_test(ap_parked_before_start_done_is_woken),
	    cmocka_unit_test(init_sipi_started_ap_counts_as_started),
	    cmocka_unit_test(observed_state_replaces_the_record),
	    cmocka_unit_test(io_widths),
	    cmocka_unit_test(names),
	    cmocka_unit_test(concurrent_doorbells_start_each_ap_once),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
