// SPDX-License-Identifier: MIT
#include "vmm/sandbox.h"

#include <errno.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <pthread.h>
#include <seccomp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "vmm/exit_status.h"
#include "vmm/sandbox_rules.h"

#define FAIL(e, ...) (snprintf(err, errlen, __VA_ARGS__), -(e))
/* A kernel without seccomp filters, or valgrind (it does not implement seccomp()). */
#define OFF_HINT "--sandbox off runs without it"

static bool active;
static void (*violation_hook)(void);
/* Each kind's filter, compiled once by sandbox_start(): sandbox_enter() is one system call. */
static struct sock_fprog kind_prog[SANDBOX_NKINDS];
/* For the SIGSYS line: the kind the thread narrowed to (NULL: a thread not narrowed yet). */
static __thread const char *thread_label;

const char *sandbox_thread_name(enum sandbox_thread kind)
{
	static const char *const names[] = {"main", "vcpu", "console"};
	return kind < SANDBOX_NKINDS ? names[kind] : "?";
}

bool sandbox_active(void)
{
	return active;
}

static size_t put_str(char *buf, size_t at, size_t len, const char *s)
{
	while (*s && at < len)
		buf[at++] = *s++;
	return at;
}

static size_t put_uint(char *buf, size_t at, size_t len, unsigned long v)
{
	char digits[24];
	size_t n = 0;
	do
		digits[n++] = (char)('0' + v % 10);
	while ((v /= 10) && n < sizeof(digits));
	while (n && at < len)
		buf[at++] = digits[--n];
	return at;
}

/* Runs on the thread that made the call; only async-signal-safe work (no stdio, no malloc). */
static void on_sigsys(int sig, siginfo_t *si, void *uc)
{
	char line[160];
	size_t n = put_str(line, 0, sizeof(line), "pvh-sev: sandbox: forbidden system call ");
	n = put_uint(line, n, sizeof(line), (unsigned long)(unsigned)si->si_syscall);
	n = put_str(line, n, sizeof(line), " in the ");
	n = put_str(line, n, sizeof(line), thread_label ? thread_label : "starting");
	n = put_str(line, n, sizeof(line), " thread (docs/reliability.md); exit status ");
	n = put_uint(line, n, sizeof(line), PVH_EXIT_SANDBOX);
	n = put_str(line, n, sizeof(line), "\n");
	/* The line first: should the hook itself be refused, the process still says why. */
	ssize_t w = write(STDERR_FILENO, line, n);
	(void)w;
	if (violation_hook)
		violation_hook();
	_exit(PVH_EXIT_SANDBOX);
}

static int install(const struct sock_fprog *prog, unsigned flags)
{
	/* With TSYNC, a positive value is a thread that could not take the filter. */
	long r = syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, flags, prog);
	return r < 0 ? -errno : r > 0 ? -EBUSY : 0;
}

/* libseccomp 2.5 exports BPF only to a file: a memfd, read back into prog. */
static int export_bpf(scmp_filter_ctx f, struct sock_fprog *prog)
{
	int fd = memfd_create("pvh-sev-seccomp", MFD_CLOEXEC);
	if (fd < 0)
		return -errno;
	int r = seccomp_export_bpf(f, fd);
	off_t size = r ? 0 : lseek(fd, 0, SEEK_CUR);
	if (!r && (size <= 0 || size % sizeof(struct sock_filter) ||
		   size > (off_t)(BPF_MAXINSNS * sizeof(struct sock_filter))))
		r = -E2BIG;
	struct sock_filter *insns = r ? NULL : malloc(size);
	if (!r && !insns)
		r = -ENOMEM;
	if (!r && pread(fd, insns, size, 0) != size)
		r = -EIO;
	close(fd);
	if (r) {
		free(insns);
		return r;
	}
	prog->filter = insns;
	prog->len = (unsigned short)(size / sizeof(struct sock_filter));
	return 0;
}

/* kind < SANDBOX_NKINDS: that kind's filter; SANDBOX_NKINDS: the process layer. */
static int compile(int kind, struct sock_fprog *prog)
{
	scmp_filter_ctx f = seccomp_init(SCMP_ACT_TRAP);
	if (!f)
		return -ENOMEM;
	/* A system call of another ABI (int 0x80, x32) is never the VMM's: no handler. */
	int r = seccomp_attr_set(f, SCMP_FLTATR_ACT_BADARCH, SCMP_ACT_KILL_PROCESS);
	if (!r)
		r = seccomp_attr_set(f, SCMP_FLTATR_CTL_NNP, 0); /* set once, in sandbox_start */
	if (!r)
		r = kind == SANDBOX_NKINDS ? sandbox_rules_add_process(f) : sandbox_rules_add(f, kind);
	if (!r)
		r = export_bpf(f, prog);
	seccomp_release(f);
	return r;
}

int sandbox_start(void (*on_violation)(void), char *err, size_t errlen)
{
	struct sock_fprog process = {0};
	int r = 0;
	for (int k = 0; !r && k < SANDBOX_NKINDS; k++)
		if (!kind_prog[k].filter && (r = compile(k, &kind_prog[k])))
			return FAIL(-r, "sandbox: cannot build the %s thread filter: %s (%s)",
				    sandbox_thread_name(k), strerror(-r), OFF_HINT);
	if ((r = compile(SANDBOX_NKINDS, &process)))
		return FAIL(-r, "sandbox: cannot build the process filter: %s (%s)", strerror(-r),
			    OFF_HINT);
	violation_hook = on_violation;
	struct sigaction sa;
	memset(&sa, 0, sizeof(sa));
	sa.sa_sigaction = on_sigsys;
	sa.sa_flags = SA_SIGINFO;
	sigfillset(&sa.sa_mask);
	if (sigaction(SIGSYS, &sa, NULL) || prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0))
		r = -errno;
	else
		r = install(&process, SECCOMP_FILTER_FLAG_TSYNC);
	free(process.filter);
	if (r)
		return FAIL(-r, "sandbox: cannot install the seccomp filter: %s (%s)", strerror(-r),
			    OFF_HINT);
	thread_label = "main";
	active = true;
	return 0;
}

int sandbox_enter(enum sandbox_thread kind)
{
	if (!active)
		return 0;
	if (kind >= SANDBOX_NKINDS)
		return -EINVAL;
	/* A thread that blocks every signal (the console reader) must still take SIGSYS: a
	 * blocked one kills the process without the line saying why. */
	sigset_t sys;
	sigemptyset(&sys);
	sigaddset(&sys, SIGSYS);
	int r = pthread_sigmask(SIG_UNBLOCK, &sys, NULL);
	if (r)
		return -r;
	r = install(&kind_prog[kind], 0);
	if (!r)
		thread_label = sandbox_thread_name(kind);
	return r;
}
