/* SPDX-License-Identifier: MIT */
#ifndef PVH_VMM_VCPU_STATES_H
#define PVH_VMM_VCPU_STATES_H

#include <stddef.h>

#include "vmm/vm.h"

/*
 * One line saying which vCPUs are in which run state, as ranges: "running 0-2,5; waiting 3-4".
 * A timeout says it, so that a guest which hung (an AP never started, one parked for good)
 * shows where without a debugger. Writes at most size bytes (NUL included; "..." when cut).
 */
void vcpu_states_format(const enum vcpu_run_state *states, unsigned n, char *buf, size_t size);

/* The same for a VM's vCPUs as their threads last recorded them. */
void vm_vcpu_states(struct vm *vm, char *buf, size_t size);

const char *vcpu_run_state_name(enum vcpu_run_state s);

#endif
