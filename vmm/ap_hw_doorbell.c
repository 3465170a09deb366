// SPDX-License-Identifier: MIT
#include "vmm/ap_hw_doorbell.h"

#include <errno.h>
#include <sys/ioctl.h>
#include <time.h>

#include "sev/kvm_compat.h"
#include "vmm/vm.h"

#define PROBE_TIMEOUT_S 2

enum ap_vcpu_state ap_hw_classify(uint32_t mp_state)
{
	switch (mp_state) {
	case KVM_MP_STATE_UNINITIALIZED:
		return AP_VCPU_STOPPED;
	case KVM_MP_STATE_AP_RESET_HOLD:
		return AP_VCPU_PARKED_RESET_HOLD;
	default: /* RUNNABLE, HALTED, INIT_RECEIVED (a start under way), ... */
		return AP_VCPU_RUNNING;
	}
}

void ap_hw_answer_probe(struct vcpu *v)
{
	struct vm *vm = v->vm;
	pthread_mutex_lock(&vm->lock);
	if (v->probe_asked != v->probe_answered) {
		struct kvm_mp_state mp = {0};
		v->probe_err = ioctl(v->fd, KVM_GET_MP_STATE, &mp) ? -errno : 0;
		v->probe_mp_state = mp.mp_state;
		v->probe_answered = v->probe_asked;
		pthread_cond_broadcast(&vm->probe_cond);
	}
	pthread_mutex_unlock(&vm->lock);
}

int ap_hw_observe(struct vm *vm, unsigned target)
{
	struct vcpu *v = &vm->vcpus[target];
	struct timespec deadline;
	int r = 0;
	clock_gettime(CLOCK_MONOTONIC, &deadline); /* probe_cond runs on the monotonic clock */
	deadline.tv_sec += PROBE_TIMEOUT_S;
	pthread_mutex_lock(&vm->lock);
	unsigned ticket = ++v->probe_asked;
	pthread_mutex_unlock(&vm->lock);
	vcpu_kick(v);
	pthread_mutex_lock(&vm->lock);
	while (!r && (int)(v->probe_answered - ticket) < 0)
		r = pthread_cond_timedwait(&vm->probe_cond, &vm->lock, &deadline) == ETIMEDOUT
		        ? -ETIMEDOUT
		        : 0;
	if (!r)
		r = v->probe_err;
	uint32_t mp_state = v->probe_mp_state;
	pthread_mutex_unlock(&vm->lock);
	if (!r)
		ap_sm_observed(&vm->ap, target, ap_hw_classify(mp_state));
	return r;
}
