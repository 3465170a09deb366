// SPDX-License-Identifier: MIT
/*
 * What each thread kind may call once the launch is done. The lists come from reading the run
 * path (and glibc's share of it: malloc, stdio, pthread), from strace of runs, and from the
 * whole suite running under them: a call missing here ends the run with status 126 and the
 * call's number, so a test that reaches it fails at once. Arguments are checked where a filter can see them (integers,
 * not pointers): ioctl requests, memory protections, clone's flags, open's access mode.
 */
#include "vmm/sandbox_rules.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/kvm.h>
#include <sched.h>
#include <stddef.h>
#include <sys/ioctl.h>
#include <sys/mman.h>

enum arg_check {
	ARGS_ANY,
	ARGS_NO_EXEC,    /* mmap, mprotect: prot (argument 2) without PROT_EXEC */
	ARGS_WRITE_ONLY, /* openat: flags (argument 2) open for writing, not reading */
};

struct call {
	int nr;
	enum arg_check args;
};

#define ANY(name) {SCMP_SYS(name), ARGS_ANY}
#define N_(a) (sizeof(a) / sizeof((a)[0]))

/*
 * Every thread kind: locks and condition variables, the kick signal (pthread_kill), malloc,
 * writing stderr (and stdout: the console), a thread's own end, and the signal handlers that
 * may run on any thread: the terminal restore of the console (tcsetattr, then re-raising the
 * fatal signal: rt_sigaction, tgkill) and the SIGSYS handler (write, tcsetattr, exit_group).
 */
static const struct call common_calls[] = {
	ANY(futex), ANY(rt_sigreturn), ANY(rt_sigprocmask), ANY(rt_sigaction), ANY(getpid),
	ANY(gettid), ANY(tgkill), ANY(write), ANY(clock_gettime), ANY(brk), ANY(munmap),
	ANY(mremap), ANY(madvise), ANY(exit), ANY(exit_group), {SCMP_SYS(mmap), ARGS_NO_EXEC},
	{SCMP_SYS(mprotect), ARGS_NO_EXEC},
};
/* ioctl, each kind: only the requests of its list, compared on the low 32 bits. */
static const unsigned long common_ioctls[] = {TCGETS, TCSETS}; /* glibc's tcsetattr: both */

/* vCPU: KVM_RUN and what the exit handlers ask of KVM (vmm/exit_dispatch.c and below). */
static const unsigned long vcpu_ioctls[] = {
	KVM_RUN,
	KVM_GET_REGS, KVM_SET_REGS, KVM_GET_SREGS, KVM_SET_SREGS, /* AP start, emulation failure */
	KVM_GET_MSRS, KVM_SET_MSRS,                               /* GHCB MSR requests */
	KVM_GET_MP_STATE, KVM_SET_MP_STATE,                       /* AP start, reset hold */
	KVM_SIGNAL_MSI,                                           /* INIT/SIPI, IOAPIC interrupts */
	KVM_SET_GSI_ROUTING,                                      /* IOAPIC level routes */
};

/* Console: wait on stdin and the wake pipe, read, hand bytes to COM1 (which may interrupt). */
static const struct call console_calls[] = {ANY(read), ANY(poll), ANY(ppoll)};
static const unsigned long console_ioctls[] = {KVM_SIGNAL_MSI};

/*
 * Main: after the start of every thread it waits (futex, clock_gettime), kicks and joins,
 * restores the terminal, closes the wake pipe, unmaps and closes everything, and writes the
 * report: `--report FILE` is opened then (write-only: the main thread cannot open a file to
 * read), `--report -` is stdout.
 */
static const struct call main_calls[] = {
	ANY(close), ANY(fstat), ANY(newfstatat), ANY(rename), {SCMP_SYS(openat), ARGS_WRITE_ONLY},
};

#ifdef PVH_SANDBOX_SANITIZER
/*
 * The AddressSanitizer/LeakSanitizer build only (-DPVH_SANITIZE=ON, never shipped): LSan's leak
 * check at exit runs in the main thread; it stops the world from a tracer task (clone without
 * CLONE_THREAD, ptrace, wait4), lists threads in /proc/self/task, and reads /proc/self/maps.
 */
static const struct call sanitizer_calls[] = {
	ANY(clone), ANY(ptrace), ANY(wait4), ANY(openat), ANY(read), ANY(getdents64), ANY(prctl),
	ANY(sched_yield), ANY(sigaltstack), ANY(getppid), ANY(close), ANY(lseek), ANY(pread64),
	ANY(readlink), ANY(kill), ANY(nanosleep), ANY(process_vm_readv), ANY(exit),
	ANY(sched_getaffinity), ANY(open), ANY(getdents),
};
#endif

/* Starting threads (process layer only): glibc's pthread_create and the per-thread filters. */
static const struct call start_calls[] = {
	ANY(set_robust_list), ANY(rseq), ANY(seccomp),
	/* console_input_start: is stdin there, a terminal of the foreground group? the wake pipe */
	ANY(fcntl), ANY(getpgid), ANY(getpgrp), ANY(pipe2),
};
static const unsigned long start_ioctls[] = {TIOCGPGRP};

struct allowlist {
	const struct call *calls;
	size_t ncalls;
	const unsigned long *ioctls;
	size_t nioctls;
};

static int add_ioctls(scmp_filter_ctx f, const unsigned long *req, size_t n)
{
	int r = 0;
	/* The kernel reads the request as an unsigned int: compare only the low 32 bits. */
	for (size_t i = 0; !r && i < n; i++)
		r = seccomp_rule_add(f, SCMP_ACT_ALLOW, SCMP_SYS(ioctl), 1,
				     SCMP_A1(SCMP_CMP_MASKED_EQ, 0xffffffffu, req[i]));
	return r;
}

static int add_call(scmp_filter_ctx f, const struct call *c)
{
	switch (c->args) {
	case ARGS_NO_EXEC:
		return seccomp_rule_add(f, SCMP_ACT_ALLOW, c->nr, 1,
					SCMP_A2(SCMP_CMP_MASKED_EQ, PROT_EXEC, 0));
	case ARGS_WRITE_ONLY:
		return seccomp_rule_add(f, SCMP_ACT_ALLOW, c->nr, 1,
					SCMP_A2(SCMP_CMP_MASKED_EQ, O_ACCMODE, O_WRONLY));
	default:
		return seccomp_rule_add(f, SCMP_ACT_ALLOW, c->nr, 0);
	}
}

static int add_list(scmp_filter_ctx f, const struct allowlist *l)
{
	int r = 0;
	for (size_t i = 0; !r && i < l->ncalls; i++)
		r = add_call(f, &l->calls[i]);
	return r ? r : add_ioctls(f, l->ioctls, l->nioctls);
}

static const struct allowlist kind_lists[SANDBOX_NKINDS] = {
	[SANDBOX_MAIN] = {main_calls, N_(main_calls), NULL, 0},
	[SANDBOX_VCPU] = {NULL, 0, vcpu_ioctls, N_(vcpu_ioctls)},
	[SANDBOX_CONSOLE] = {console_calls, N_(console_calls), console_ioctls, N_(console_ioctls)},
};

int sandbox_rules_add(scmp_filter_ctx f, enum sandbox_thread kind)
{
	static const struct allowlist common = {common_calls, N_(common_calls), common_ioctls,
						N_(common_ioctls)};
	int r = add_list(f, &common);
	if (!r)
		r = add_list(f, &kind_lists[kind]);
#ifdef PVH_SANDBOX_SANITIZER
	static const struct allowlist san = {sanitizer_calls, N_(sanitizer_calls), NULL, 0};
	if (!r)
		r = add_list(f, &san);
#endif
	return r;
}

int sandbox_rules_add_process(scmp_filter_ctx f)
{
	static const struct allowlist start = {start_calls, N_(start_calls), start_ioctls,
					       N_(start_ioctls)};
	int r = 0;
	for (int k = 0; !r && k < SANDBOX_NKINDS; k++)
		r = sandbox_rules_add(f, k);
	if (!r)
		r = add_list(f, &start);
	/* New threads only: a clone without CLONE_THREAD would be a new process. */
	if (!r)
		r = seccomp_rule_add(f, SCMP_ACT_ALLOW, SCMP_SYS(clone), 1,
				     SCMP_A0(SCMP_CMP_MASKED_EQ, CLONE_THREAD, CLONE_THREAD));
	/* clone3 takes its flags in memory, out of a filter's sight: glibc then uses clone. */
	if (!r)
		r = seccomp_rule_add(f, SCMP_ACT_ERRNO(ENOSYS), SCMP_SYS(clone3), 0);
	return r;
}
