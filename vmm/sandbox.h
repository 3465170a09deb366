/* SPDX-License-Identifier: MIT */
/*
 * The seccomp sandbox of `pvh-sev run` (docs/reliability.md, "The sandbox").
 *
 * Once /dev/kvm (and /dev/sev) are open, guest memory is mapped and privileges are dropped, the
 * VMM needs only a short list of system calls, and which ones depends on the thread: a vCPU
 * thread runs KVM_RUN and writes the console, the console thread reads stdin, the main thread
 * waits, joins and writes the report. Seccomp filters stack per thread (every filter a thread
 * carries must allow a call) and a thread inherits its creator's, so the sandbox is two layers:
 *
 *   1. the process layer, installed by the main thread before it starts any other thread: what
 *      every thread kind needs, plus starting threads. It is the ceiling for the whole process.
 *   2. one filter per thread kind, installed by each thread for itself once it has started
 *      (the main thread when it has started all the others): only what that kind needs.
 *
 * A call a filter does not allow ends the process: the calling thread gets SIGSYS, whose
 * handler restores the terminal, prints one line naming the thread kind and the system call
 * number, and exits with PVH_EXIT_SANDBOX (126). The launch report is not written then.
 */
#ifndef PVH_SANDBOX_H
#define PVH_SANDBOX_H

#include <stdbool.h>
#include <stddef.h>

enum sandbox_thread {
	SANDBOX_MAIN,    /* waits for the ending, kicks and joins, writes the report, exits */
	SANDBOX_VCPU,    /* KVM_RUN and the exit handlers: devices, GHCB, AP doorbell */
	SANDBOX_CONSOLE, /* reads stdin into COM1 */
	SANDBOX_NKINDS,
};

/*
 * Installs the SIGSYS handler and the process layer for the whole process (SECCOMP_FILTER_FLAG
 * _TSYNC), and prepares each thread kind's filter for sandbox_enter(). on_violation (may be
 * NULL) is called by the SIGSYS handler before it prints and exits: it must be
 * async-signal-safe (the console's terminal restore). Returns 0 or -errno with a reason in err.
 */
int sandbox_start(void (*on_violation)(void), char *err, size_t errlen);

/*
 * Narrows the calling thread to kind's allowlist. Does nothing and returns 0 when
 * sandbox_start() has not run (--sandbox off, unit tests), so callers need no condition.
 * Returns 0 or -errno.
 */
int sandbox_enter(enum sandbox_thread kind);

/* Whether sandbox_start() has installed the process layer. */
bool sandbox_active(void);

#endif
