// SPDX-License-Identifier: MIT
/* The hardware doorbell's MP-state probe: classification and the kick-and-answer handshake. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <string.h>
#include <time.h>

#include "sev/kvm_compat.h"
#include "vmm/ap_hw_doorbell.h"
#include "vmm/vm.h"

static void classify(void **state)
{
	assert_int_equal(ap_hw_classify(KVM_MP_STATE_UNINITIALIZED), AP_VCPU_STOPPED);
	assert_int_equal(ap_hw_classify(KVM_MP_STATE_AP_RESET_HOLD), AP_VCPU_PARKED_RESET_HOLD);
	assert_int_equal(ap_hw_classify(KVM_MP_STATE_RUNNABLE), AP_VCPU_RUNNING);
	assert_int_equal(ap_hw_classify(KVM_MP_STATE_HALTED), AP_VCPU_RUNNING);
	assert_int_equal(ap_hw_classify(KVM_MP_STATE_INIT_RECEIVED), AP_VCPU_RUNNING);
}

struct rig {
	struct vm vm;
	struct vcpu vcpus[2];
	atomic_bool stop;
};

static void rig_init(struct rig *g)
{
	memset(g, 0, sizeof(*g));
	pthread_mutex_init(&g->vm.lock, NULL);
	pthread_condattr_t ca;
	pthread_condattr_init(&ca);
	pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
	pthread_cond_init(&g->vm.probe_cond, &ca);
	pthread_condattr_destroy(&ca);
	g->vm.vcpus = g->vcpus;
	g->vm.nvcpus = 2;
	for (int i = 0; i < 2; i++) {
		g->vcpus[i].vm = &g->vm;
		g->vcpus[i].index = (unsigned)i;
		g->vcpus[i].fd = -1; /* KVM_GET_MP_STATE fails with EBADF: the answer still comes */
	}
	assert_int_equal(ap_sm_init(&g->vm.ap, 2), 0);
}

/* vCPU 1's thread: answers probes the way vcpu_run_loop does after EINTR. */
static void *answerer(void *arg)
{
	struct rig *g = arg;
	while (!atomic_load(&g->stop)) {
		ap_hw_answer_probe(&g->vcpus[1]);
		nanosleep(&(struct timespec){0, 1000000}, NULL);
	}
	return NULL;
}

static void probe_handshake(void **state)
{
	struct rig g;
	pthread_t t;
	rig_init(&g);
	assert_int_equal(pthread_create(&t, NULL, answerer, &g), 0);
	assert_int_equal(ap_hw_observe(&g.vm, 1), -EBADF);
	assert_int_equal(ap_hw_observe(&g.vm, 1), -EBADF); /* every probe gets its own answer */
	assert_int_equal(g.vcpus[1].probe_answered, 2);
	atomic_store(&g.stop, true);
	pthread_join(t, NULL);
	/* Nobody answers: the probe gives up and the record stays. */
	assert_int_equal(ap_hw_observe(&g.vm, 1), -ETIMEDOUT);
	assert_int_equal(ap_sm_state(&g.vm.ap, 1), AP_VCPU_STOPPED);
	ap_sm_destroy(&g.vm.ap);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(classify),
	    cmocka_unit_test(probe_handshake),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
