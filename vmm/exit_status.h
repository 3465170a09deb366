/* SPDX-License-Identifier: MIT */
/*
 * Process exit statuses of `pvh-sev run`. A guest ending through the debug exit port owns the
 * value it wrote (& 0xff); every other ending has its own fixed status in 118..126 (ACPI
 * power-off: 0, as a clean shutdown), so guests that want an unambiguous status use 1..117.
 * README.md and docs/usage.md list these.
 */
#ifndef PVH_EXIT_STATUS_H
#define PVH_EXIT_STATUS_H

enum pvh_exit_status {
	PVH_EXIT_CONSOLE_QUIT = 118,  /* Ctrl-A x typed on the console's terminal */
	PVH_EXIT_WOULD_VC = 119,      /* --strict: an exit that raises #VC on hardware */
	PVH_EXIT_EMULATION = 120,     /* KVM could not emulate a guest instruction */
	PVH_EXIT_GUEST_TERM = 121,    /* GHCB termination request / SEV_TERM / unsupported event */
	PVH_EXIT_REBOOT = 122,        /* i8042 reset or a reset system event */
	PVH_EXIT_SHUTDOWN = 123,      /* triple fault or a shutdown system event */
	PVH_EXIT_TIMEOUT = 124,       /* --timeout expired */
	PVH_EXIT_VMM_ERROR = 125,     /* bad input, host setup failure, VMM error */
	PVH_EXIT_SANDBOX = 126,       /* a system call the seccomp sandbox forbids (vmm/sandbox.h) */
};

enum vm_ending_kind {
	ENDING_NONE = 0,
	ENDING_GUEST_EXIT,  /* debug exit port */
	ENDING_WOULD_VC,
	ENDING_EMULATION,
	ENDING_GUEST_TERM,
	ENDING_REBOOT,
	ENDING_SHUTDOWN,
	ENDING_TIMEOUT,
	ENDING_VMM_ERROR,
	ENDING_CONSOLE_QUIT, /* Ctrl-A x on the terminal */
	ENDING_POWEROFF,    /* ACPI S5 through the FADT's sleep control register: status 0 */
};

#endif
