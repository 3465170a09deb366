/* SPDX-License-Identifier: MIT */
/*
 * The VMM side of AP bring-up: one state per vCPU and the doorbell port's logic, with no KVM
 * in it, so unit tests drive it directly. It sees only what the VMM can see under SEV-ES (the
 * index written to the port, and what the VMM itself did to each vCPU), never guest memory.
 *
 *   STOPPED --doorbell--> START_REQUESTED --ap_sm_start_done(ok)--> RUNNING
 *      ^                        |                                   |   ^
 *      +---start_done(error)----+                    ap_sm_parked() v   | doorbell (wake)
 *                                                          PARKED_RESET_HOLD
 *
 * All functions are safe to call from several vCPU threads at once.
 */
#ifndef PVH_AP_SM_H
#define PVH_AP_SM_H

#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>

enum ap_vcpu_state {
	AP_VCPU_STOPPED,
	AP_VCPU_START_REQUESTED,
	AP_VCPU_RUNNING,
	AP_VCPU_PARKED_RESET_HOLD,
};

/* What the caller must do after a doorbell write. */
enum ap_action_kind {
	AP_ACTION_NONE,
	AP_ACTION_START, /* first start: ap_start() on `vcpu`, then ap_sm_start_done() */
	AP_ACTION_WAKE,  /* release `vcpu` from its reset hold, then ap_sm_start_done() */
};

struct ap_action {
	enum ap_action_kind kind;
	unsigned vcpu;
};

struct ap_vcpu_record {
	enum ap_vcpu_state state;
	unsigned requester;   /* who rang the doorbell for the start in progress */
	uint32_t last_result; /* AP_DB_* of this vCPU's last doorbell OUT */
	bool parked_early;    /* it parked while its start/wake was still START_REQUESTED */
};

struct ap_sm {
	pthread_mutex_t lock;
	unsigned nr_vcpus;
	struct ap_vcpu_record *v;
};

/* vCPU 0 (the BSP) starts RUNNING, the others STOPPED. Returns 0 or -EINVAL / -ENOMEM. */
int ap_sm_init(struct ap_sm *sm, unsigned nr_vcpus);
void ap_sm_destroy(struct ap_sm *sm);

/*
 * A 4-byte OUT of `value` by vCPU `from_vcpu`. Returns the AP_DB_* result (also kept for
 * that vCPU's next IN), or -EINVAL when from_vcpu is not a vCPU of this VM (a VMM bug).
 * act tells the caller which vCPU to start or wake, if any.
 */
int ap_doorbell(struct ap_sm *sm, unsigned from_vcpu, uint32_t value, struct ap_action *act);

/*
 * The port as a device: any access of any width. Writes that are not 4 bytes wide are
 * recorded as AP_DB_BAD_ACCESS; reads of 4 bytes return the last result, other widths read
 * as all ones. Returns 0 or -EINVAL (unknown from_vcpu, bad size pointer arguments).
 */
int ap_doorbell_io(struct ap_sm *sm, unsigned from_vcpu, int is_write, unsigned size,
                   uint32_t *data, struct ap_action *act);

/* The result an IN by from_vcpu reads (AP_DB_NO_REQUEST before its first OUT). */
uint32_t ap_doorbell_result(struct ap_sm *sm, unsigned from_vcpu);

/* The start or wake asked for by an action finished: err = 0 or the -errno it failed with. */
void ap_sm_start_done(struct ap_sm *sm, unsigned vcpu, int err);

/*
 * The VMM saw `vcpu` enter the AP reset hold (a later doorbell wakes it). An AP can park before
 * the ringer's thread has called ap_sm_start_done() (it finds nothing to do at once): that park
 * is kept and start_done(ok) then records PARKED, not RUNNING, so the next doorbell wakes it.
 */
void ap_sm_parked(struct ap_sm *sm, unsigned vcpu);

/* The VMM saw `vcpu` run by another route (the guest's INIT-SIPI). */
void ap_sm_mark_running(struct ap_sm *sm, unsigned vcpu);

/*
 * Hardware SEV-ES: what KVM says `vcpu` is doing (STOPPED, PARKED_RESET_HOLD or RUNNING)
 * replaces the VMM's own record, unless a start is in progress (START_REQUESTED stays).
 */
void ap_sm_observed(struct ap_sm *sm, unsigned vcpu, enum ap_vcpu_state seen);

enum ap_vcpu_state ap_sm_state(struct ap_sm *sm, unsigned vcpu);
const char *ap_vcpu_state_name(enum ap_vcpu_state s);
const char *ap_doorbell_result_name(uint32_t result);

#endif
