/* SPDX-License-Identifier: MIT */
/*
 * One dispatcher for every KVM exit: a switch on the exit reason calling small handlers.
 * Unit tests drive it with fabricated struct kvm_run exits (tests/unit/test_exit_dispatch.c).
 */
#ifndef PVH_EXIT_DISPATCH_H
#define PVH_EXIT_DISPATCH_H

struct vcpu;

enum exit_action {
	EXIT_CONTINUE, /* re-enter the guest */
	EXIT_STOP,     /* the run ended (vm_end() was called) */
};

enum exit_action vcpu_handle_exit(struct vcpu *v);

/* The name of a KVM exit reason, for logs ("io", "mmio", "shutdown", ...). */
const char *kvm_exit_reason_name(unsigned reason);

#endif
