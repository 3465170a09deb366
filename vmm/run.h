/* SPDX-License-Identifier: MIT */
/* Running the VM: one thread per vCPU, a timeout, and the exit status at the end. */
#ifndef PVH_RUN_H
#define PVH_RUN_H

struct vm;
struct vcpu;

/* Installs the no-op SIGUSR1 handler that kicks vCPU threads out of KVM_RUN. */
int run_install_kick_signal(void);

/* The loop of one vCPU: KVM_RUN, dispatch, until the run ends. */
void vcpu_run_loop(struct vcpu *v);

/*
 * Starts every vCPU thread, waits for the run to end (or the timeout), joins them and
 * returns the process exit status.
 */
int vm_run(struct vm *vm);

#endif
