// SPDX-License-Identifier: MIT
#include "ap/ap_sm.h"

#include <errno.h>
#include <stdlib.h>

#include "ap/ap_abi.h"

int ap_sm_init(struct ap_sm *sm, unsigned nr_vcpus)
{
	if (nr_vcpus == 0 || nr_vcpus > AP_MAX_VCPUS)
		return -EINVAL;
	sm->v = calloc(nr_vcpus, sizeof(*sm->v));
	if (!sm->v)
		return -ENOMEM;
	int rc = pthread_mutex_init(&sm->lock, NULL);
	if (rc) {
		free(sm->v);
		sm->v = NULL;
		return -rc;
	}
	sm->nr_vcpus = nr_vcpus;
	for (unsigned i = 0; i < nr_vcpus; i++) {
		sm->v[i].state = i == 0 ? AP_VCPU_RUNNING : AP_VCPU_STOPPED;
		sm->v[i].last_result = AP_DB_NO_REQUEST;
	}
	return 0;
}

void ap_sm_destroy(struct ap_sm *sm)
{
	if (!sm->v)
		return;
	pthread_mutex_destroy(&sm->lock);
	free(sm->v);
	sm->v = NULL;
	sm->nr_vcpus = 0;
}

/* Decides the result of a doorbell for `target`; called with the lock held. */
static uint32_t doorbell_locked(struct ap_sm *sm, unsigned from, uint32_t target,
                                struct ap_action *act)
{
	if (target >= sm->nr_vcpus)
		return AP_DB_NO_SUCH_VCPU;
	if (target == 0)
		return AP_DB_IS_BSP;

	struct ap_vcpu_record *r = &sm->v[target];
	switch (r->state) {
	case AP_VCPU_STOPPED:
		act->kind = AP_ACTION_START;
		break;
	case AP_VCPU_PARKED_RESET_HOLD:
		act->kind = AP_ACTION_WAKE;
		break;
	case AP_VCPU_START_REQUESTED:
	case AP_VCPU_RUNNING:
	default:
		return AP_DB_ALREADY_STARTED;
	}
	act->vcpu = target;
	r->state = AP_VCPU_START_REQUESTED;
	r->requester = from;
	return AP_DB_OK;
}

int ap_doorbell(struct ap_sm *sm, unsigned from_vcpu, uint32_t value, struct ap_action *act)
{
	act->kind = AP_ACTION_NONE;
	act->vcpu = 0;
	if (from_vcpu >= sm->nr_vcpus)
		return -EINVAL;

	pthread_mutex_lock(&sm->lock);
	uint32_t result = doorbell_locked(sm, from_vcpu, value, act);
	sm->v[from_vcpu].last_result = result;
	pthread_mutex_unlock(&sm->lock);
	return (int)result;
}

int ap_doorbell_io(struct ap_sm *sm, unsigned from_vcpu, int is_write, unsigned size,
                   uint32_t *data, struct ap_action *act)
{
	act->kind = AP_ACTION_NONE;
	act->vcpu = 0;
	if (from_vcpu >= sm->nr_vcpus || !data)
		return -EINVAL;

	if (!is_write) {
		*data = size == 4 ? ap_doorbell_result(sm, from_vcpu) : 0xffffffffu;
		return 0;
	}
	if (size != 4) {
		pthread_mutex_lock(&sm->lock);
		sm->v[from_vcpu].last_result = AP_DB_BAD_ACCESS;
		pthread_mutex_unlock(&sm->lock);
		return 0;
	}
	int rc = ap_doorbell(sm, from_vcpu, *data, act);
	return rc < 0 ? rc : 0;
}

uint32_t ap_doorbell_result(struct ap_sm *sm, unsigned from_vcpu)
{
	if (from_vcpu >= sm->nr_vcpus)
		return AP_DB_NO_REQUEST;
	pthread_mutex_lock(&sm->lock);
	uint32_t r = sm->v[from_vcpu].last_result;
	pthread_mutex_unlock(&sm->lock);
	return r;
}

void ap_sm_start_done(struct ap_sm *sm, unsigned vcpu, int err)
{
	if (vcpu >= sm->nr_vcpus)
		return;
	pthread_mutex_lock(&sm->lock);
	struct ap_vcpu_record *r = &sm->v[vcpu];
	if (r->state == AP_VCPU_START_REQUESTED) {
		if (err == 0) {
			r->state = r->parked_early ? AP_VCPU_PARKED_RESET_HOLD : AP_VCPU_RUNNING;
		} else {
			/* Back to STOPPED so that the guest may retry; the requester learns why. */
			r->state = AP_VCPU_STOPPED;
			sm->v[r->requester].last_result = AP_DB_START_FAILED;
		}
		r->parked_early = false;
	}
	pthread_mutex_unlock(&sm->lock);
}

static void set_state(struct ap_sm *sm, unsigned vcpu, enum ap_vcpu_state from,
                      enum ap_vcpu_state to)
{
	if (vcpu >= sm->nr_vcpus)
		return;
	pthread_mutex_lock(&sm->lock);
	if (sm->v[vcpu].state == from)
		sm->v[vcpu].state = to;
	pthread_mutex_unlock(&sm->lock);
}

/* Records whether a vCPU whose start/wake is in progress sits in its hold right now. */
static void set_parked_early(struct ap_sm *sm, unsigned vcpu, bool parked)
{
	if (vcpu >= sm->nr_vcpus)
		return;
	pthread_mutex_lock(&sm->lock);
	if (sm->v[vcpu].state == AP_VCPU_START_REQUESTED)
		sm->v[vcpu].parked_early = parked;
	pthread_mutex_unlock(&sm->lock);
}

void ap_sm_parked(struct ap_sm *sm, unsigned vcpu)
{
	set_state(sm, vcpu, AP_VCPU_RUNNING, AP_VCPU_PARKED_RESET_HOLD);
	set_parked_early(sm, vcpu, true);
}

void ap_sm_mark_running(struct ap_sm *sm, unsigned vcpu)
{
	set_state(sm, vcpu, AP_VCPU_STOPPED, AP_VCPU_RUNNING);
	set_state(sm, vcpu, AP_VCPU_PARKED_RESET_HOLD, AP_VCPU_RUNNING);
	set_parked_early(sm, vcpu, false); /* released from a hold it entered early */
}

void ap_sm_observed(struct ap_sm *sm, unsigned vcpu, enum ap_vcpu_state seen)
{
	if (vcpu == 0 || vcpu >= sm->nr_vcpus || seen == AP_VCPU_START_REQUESTED)
		return;
	pthread_mutex_lock(&sm->lock);
	if (sm->v[vcpu].state != AP_VCPU_START_REQUESTED)
		sm->v[vcpu].state = seen;
	pthread_mutex_unlock(&sm->lock);
}

enum ap_vcpu_state ap_sm_state(struct ap_sm *sm, unsigned vcpu)
{
	if (vcpu >= sm->nr_vcpus)
		return AP_VCPU_STOPPED;
	pthread_mutex_lock(&sm->lock);
	enum ap_vcpu_state s = sm->v[vcpu].state;
	pthread_mutex_unlock(&sm->lock);
	return s;
}

const char *ap_vcpu_state_name(enum ap_vcpu_state s)
{
	switch (s) {
	case AP_VCPU_STOPPED:
		return "stopped";
	case AP_VCPU_START_REQUESTED:
		return "start-requested";
	case AP_VCPU_RUNNING:
		return "running";
	case AP_VCPU_PARKED_RESET_HOLD:
		return "parked-reset-hold";
	}
	return "?";
}

const char *ap_doorbell_result_name(uint32_t result)
{
	static const char *const names[] = {
	    [AP_DB_OK] = "ok",
	    [AP_DB_NO_SUCH_VCPU] = "no-such-vcpu",
	    [AP_DB_ALREADY_STARTED] = "already-started",
	    [AP_DB_IS_BSP] = "is-bsp",
	    [AP_DB_START_FAILED] = "start-failed",
	    [AP_DB_BAD_ACCESS] = "bad-access",
	    [AP_DB_NO_REQUEST] = "no-request",
	};
	if (result < sizeof(names) / sizeof(names[0]) && names[result])
		return names[result];
	return "?";
}
