/* SPDX-License-Identifier: MIT */
/*
 * The doorbell on hardware SEV-ES. The VMM cannot see what APs do there: the guest's own
 * INIT-SIPI and the AP reset hold are handled inside KVM. KVM's MP state can tell, so before a
 * doorbell is decided the target's state is read (KVM_GET_MP_STATE) and replaces the VMM's
 * record: UNINITIALIZED -> start it (INIT-SIPI); AP_RESET_HOLD -> wake it (a SIPI alone, since an
 * INIT would reset a running SEV-ES vCPU); anything else -> already started. An AP the guest
 * started with INIT-SIPI is then never re-INITed by a doorbell, and a parked AP can be woken.
 *
 * KVM_GET_MP_STATE takes the vCPU's mutex, which KVM_RUN holds while an AP waits or is held in
 * the kernel: the probe therefore kicks the target, whose own thread reads its state on the way
 * out of KVM_RUN and answers.
 */
#ifndef PVH_AP_HW_DOORBELL_H
#define PVH_AP_HW_DOORBELL_H

#include <stdint.h>

#include "ap/ap_sm.h"

struct vm;
struct vcpu;

/* The record a KVM MP state stands for (pure). */
enum ap_vcpu_state ap_hw_classify(uint32_t mp_state);

/* Reads vCPU target's MP state through its thread (at most ~2 s) and records it in vm->ap.
 * Returns 0, -ETIMEDOUT (the thread did not answer), or the -errno of KVM_GET_MP_STATE. */
int ap_hw_observe(struct vm *vm, unsigned target);

/* A vCPU's thread, after KVM_RUN returned EINTR or EAGAIN: answers a pending probe. */
void ap_hw_answer_probe(struct vcpu *v);

#endif
