/* SPDX-License-Identifier: MIT */
/*
 * One dispatcher for every KVM exit: a switch on the exit reason calling small handlers.
 * Unit tests drive it with fabricated struct kvm_run exits (tests/unit/test_exit_dispatch.c).
 */
#ifndef PVH_EXIT_DISPATCH_H
#define PVH_EXIT_DISPATCH_H

#include <stdbool.h>
#include <stdint.h>

struct vcpu;

enum exit_action {
	EXIT_CONTINUE, /* re-enter the guest */
	EXIT_STOP,     /* the run ended (vm_end() was called) */
};

enum exit_action vcpu_handle_exit(struct vcpu *v);

/* One MMIO access of len bytes at gpa, from an MMIO exit or a GHCB MMIO request. */
void vcpu_mmio_access(struct vcpu *v, uint64_t gpa, uint8_t *data, unsigned len, bool is_write);

/* The name of a KVM exit reason, for logs ("io", "mmio", "shutdown", ...). */
const char *kvm_exit_reason_name(unsigned reason);

#endif
