// SPDX-License-Identifier: MIT
/*
 * The seccomp sandbox, for real: each case forks a child that installs the VMM's own filters
 * (sandbox_start, sandbox_enter) and makes calls. A call the thread kind may make works; a
 * forbidden one ends the child with status 126 and the one line the docs promise, naming the
 * thread kind and the call's number. A filter cannot be taken back, so every case is a child.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <errno.h>
#include <fcntl.h>
#include <linux/kvm.h>
#include <pthread.h>
#include <semaphore.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "vmm/exit_status.h"
#include "vmm/sandbox.h"
#include "proc_status.h"

#ifdef PVH_SANDBOX_SANITIZER
static const bool sanitizer_build = true;
#else
static const bool sanitizer_build = false;
#endif

struct child_result {
	int status; /* exit status, or 1000 + signal */
	char err[512];
};

/* Runs fn in a child with stderr captured. */
static struct child_result in_child(int (*fn)(void))
{
	struct child_result res = {0};
	int p[2];
	assert_int_equal(pipe(p), 0);
	fflush(NULL);
	pid_t pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		dup2(p[1], STDERR_FILENO);
		close(p[0]);
		_exit(fn());
	}
	close(p[1]);
	size_t got = 0;
	ssize_t n;
	while ((n = read(p[0], res.err + got, sizeof(res.err) - 1 - got)) > 0)
		got += (size_t)n;
	close(p[0]);
	int st;
	assert_int_equal(waitpid(pid, &st, 0), pid);
	res.status = WIFEXITED(st) ? WEXITSTATUS(st) : 1000 + WTERMSIG(st);
	return res;
}

static void expect_refused(int (*fn)(void), long nr, const char *kind)
{
	char want[160];
	struct child_result r = in_child(fn);
	snprintf(want, sizeof(want),
		 "pvh-sev: sandbox: forbidden system call %ld in the %s thread "
		 "(docs/reliability.md); exit status 126\n",
		 nr, kind);
	if (r.status != PVH_EXIT_SANDBOX || strcmp(r.err, want))
		fail_msg("status %d, stderr '%s', wanted 126 and '%s'", r.status, r.err, want);
}

static void expect_ok(int (*fn)(void))
{
	struct child_result r = in_child(fn);
	if (r.status != 0)
		fail_msg("status %d, stderr '%s'", r.status, r.err);
}

static int start(void)
{
	char err[256];
	if (sandbox_start(NULL, err, sizeof(err))) {
		fprintf(stderr, "%s\n", err);
		_exit(90);
	}
	return 0;
}

static int enter(enum sandbox_thread kind)
{
	start();
	if (sandbox_enter(kind))
		_exit(91);
	return 0;
}

/* --- what each kind may do --- */

static int vcpu_allowed_calls(void)
{
	enter(SANDBOX_VCPU);
	void *m = mmap(NULL, 1 << 20, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (m == MAP_FAILED || munmap(m, 1 << 20))
		return 1;
	void *big = malloc(64 << 20); /* malloc's own mmap */
	if (!big)
		return 2;
	free(big);
	if (write(STDERR_FILENO, "", 0) != 0)
		return 3;
	/* KVM_RUN on a non-KVM fd passes the filter and fails in the kernel. */
	if (ioctl(STDERR_FILENO, KVM_RUN, 0) != -1 || errno != ENOTTY)
		return 4;
	return getpid() > 0 ? 0 : 5;
}

static int main_allowed_calls(void)
{
	char path[] = "/tmp/pvh-sandbox-XXXXXX";
	int tmp = mkstemp(path); /* before the filter: the test's own file */
	if (tmp < 0)
		return 1;
	close(tmp);
	enter(SANDBOX_MAIN);
	FILE *f = fopen(path, "w"); /* a report file: write-only */
	int r = !f || fputs("{}\n", f) == EOF || fclose(f) ? 2 : 0;
	char to[64];
	snprintf(to, sizeof(to), "%s.done", path);
	if (!r && rename(path, to))
		r = 3;
	return r;
}

static int console_allowed_calls(void)
{
	int p[2];
	char c;
	if (pipe(p))
		return 1;
	enter(SANDBOX_CONSOLE);
	if (write(p[1], "x", 1) != 1 || read(p[0], &c, 1) != 1 || c != 'x')
		return 2;
	return 0;
}

static void each_kind_makes_its_calls(void **state)
{
	expect_ok(vcpu_allowed_calls);
	expect_ok(main_allowed_calls);
	expect_ok(console_allowed_calls);
}

/* --- what each kind may not do --- */

static int vcpu_opens_a_file(void)
{
	enter(SANDBOX_VCPU);
	syscall(SYS_openat, AT_FDCWD, "/etc/passwd", O_RDONLY);
	return 1;
}

static int vcpu_maps_executable_memory(void)
{
	enter(SANDBOX_VCPU);
	mmap(NULL, 4096, PROT_READ | PROT_EXEC, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	return 1;
}

static int vcpu_asks_for_a_vm_ioctl(void)
{
	enter(SANDBOX_VCPU);
	ioctl(STDERR_FILENO, KVM_SET_USER_MEMORY_REGION, NULL);
	return 1;
}

static int console_runs_kvm(void)
{
	enter(SANDBOX_CONSOLE);
	ioctl(STDERR_FILENO, KVM_RUN, 0);
	return 1;
}

static int main_opens_to_read(void)
{
	enter(SANDBOX_MAIN);
	syscall(SYS_openat, AT_FDCWD, "/etc/passwd", O_RDONLY);
	return 1;
}

static int main_reads(void)
{
	char c;
	enter(SANDBOX_MAIN);
	syscall(SYS_read, STDIN_FILENO, &c, 1);
	return 1;
}

static int process_forks(void)
{
	start();
	syscall(SYS_clone, (unsigned long)SIGCHLD, 0, NULL, NULL, 0);
	return 1;
}

static int process_opens_a_socket(void)
{
	start();
	syscall(SYS_socket, 2 /* AF_INET */, 1 /* SOCK_STREAM */, 0);
	return 1;
}

static int vcpu_executes(void)
{
	char *argv[] = {"/bin/true", NULL};
	enter(SANDBOX_VCPU);
	syscall(SYS_execve, argv[0], argv, NULL);
	return 1;
}

static int console_removes_a_file(void)
{
	enter(SANDBOX_CONSOLE);
	syscall(SYS_unlinkat, AT_FDCWD, "/nonexistent-pvh-sandbox", 0);
	return 1;
}

static void forbidden_calls_end_the_process(void **state)
{
	expect_refused(vcpu_maps_executable_memory, SYS_mmap, "vcpu");
	expect_refused(vcpu_asks_for_a_vm_ioctl, SYS_ioctl, "vcpu");
	expect_refused(vcpu_executes, SYS_execve, "vcpu");
	expect_refused(console_runs_kvm, SYS_ioctl, "console");
	expect_refused(console_removes_a_file, SYS_unlinkat, "console");
	expect_refused(process_opens_a_socket, SYS_socket, "main");
	if (sanitizer_build)
		return; /* there every kind may open, read and clone (LSan's leak check) */
	expect_refused(vcpu_opens_a_file, SYS_openat, "vcpu");
	expect_refused(main_opens_to_read, SYS_openat, "main");
	expect_refused(main_reads, SYS_read, "main");
	expect_refused(process_forks, SYS_clone, "main");
}

/* --- the layers --- */

/* A "Name:\tvalue" field of an open /proc status file (read once: no lseek in the filter). */
static const char *fd_field(int fd, const char *name, char *out, size_t len)
{
	char text[4096];
	ssize_t n = read(fd, text, sizeof(text) - 1);
	out[0] = '\0';
	if (n <= 0)
		return out;
	text[n] = '\0';
	char key[64];
	snprintf(key, sizeof(key), "\n%s:", name);
	const char *at = strstr(text, key);
	if (at) {
		at += strlen(key);
		at += strspn(at, " \t");
		snprintf(out, len, "%.*s", (int)strcspn(at, "\n"), at);
	}
	return out;
}

static void *narrowing_thread(void *arg)
{
	int *result = arg;
	*result = sandbox_enter(SANDBOX_VCPU) ? 21 : 0;
	return NULL;
}

static void *thread_opens_a_socket(void *arg)
{
	if (sandbox_enter(SANDBOX_VCPU))
		_exit(91);
	syscall(SYS_socket, 2 /* AF_INET */, 1 /* SOCK_STREAM */, 0);
	_exit(1);
}

static int threads_start_and_narrow(void)
{
	char buf[32];
	pthread_t t;
	int result = -1, p[2];
	int st1 = open("/proc/self/status", O_RDONLY), st2 = open("/proc/self/status", O_RDONLY);
	if (st1 < 0 || st2 < 0)
		return 9;
	start();
	if (strcmp(fd_field(st1, "Seccomp", buf, sizeof(buf)), "2"))
		return 10;
	/* clone3 is refused with ENOSYS, so that glibc starts the thread with clone. */
	if (syscall(SYS_clone3, NULL, 0) != -1 || errno != ENOSYS)
		return 11;
	if (pthread_create(&t, NULL, narrowing_thread, &result) || pthread_join(t, NULL))
		return 12;
	if (result)
		return result;
	/* The thread narrowed itself only: this one still has the process layer alone. */
	if (strcmp(fd_field(st2, "Seccomp_filters", buf, sizeof(buf)), "1"))
		return 13;
	if (pipe2(p, O_CLOEXEC))
		return 14;
	return sandbox_enter(SANDBOX_MAIN) ? 15 : 0;
}

static int thread_refused(void)
{
	pthread_t t;
	start();
	if (pthread_create(&t, NULL, thread_opens_a_socket, NULL))
		return 12;
	pthread_join(t, NULL);
	return 2;
}

static void threads_inherit_the_process_layer(void **state)
{
	expect_ok(threads_start_and_narrow);
	expect_refused(thread_refused, SYS_socket, "vcpu");
}

#define MALLOC_THREADS 24
static sem_t malloced;
static pthread_barrier_t all_done;

/* Each live thread's first malloc takes an arena of its own; one at a time, so that glibc counts
 * them (concurrent first mallocs may all pass its check): past the eighth, glibc would look the
 * CPU count up in sysfs unless the sandbox settled the limit. */
static void *vcpu_thread_mallocs(void *arg)
{
	(void)arg;
	if (sandbox_enter(SANDBOX_VCPU))
		_exit(91);
	void *p = malloc(5000);
	if (!p)
		_exit(92);
	memset(p, 1, 5000);
	sem_post(&malloced);
	pthread_barrier_wait(&all_done); /* alive until all have their arena */
	free(p);
	return NULL;
}

static int many_threads_malloc(void)
{
	pthread_t t[MALLOC_THREADS];
	start();
	sem_init(&malloced, 0, 0);
	pthread_barrier_init(&all_done, NULL, MALLOC_THREADS + 1);
	for (int i = 0; i < MALLOC_THREADS; i++) {
		if (pthread_create(&t[i], NULL, vcpu_thread_mallocs, NULL))
			return 12;
		sem_wait(&malloced);
	}
	pthread_barrier_wait(&all_done);
	for (int i = 0; i < MALLOC_THREADS; i++)
		pthread_join(t[i], NULL);
	return 0;
}

/* A 32-vCPU guest whose APs all served VMGEXITs from their GHCB pages ended with 126. */
static void many_vcpu_threads_may_malloc(void **state)
{
	expect_ok(many_threads_malloc);
}

static int off_changes_nothing(void)
{
	char buf[32];
	if (sandbox_enter(SANDBOX_VCPU) || sandbox_active())
		return 1;
	if (strcmp(status_field("Seccomp", buf, sizeof(buf)), "0"))
		return 2;
	return 0;
}

static void without_start_enter_does_nothing(void **state)
{
	expect_ok(off_changes_nothing);
}

static void hook(void)
{
	ssize_t w = write(STDERR_FILENO, "hook\n", 5);
	(void)w;
}

static int hook_then_forbidden(void)
{
	char err[256];
	if (sandbox_start(hook, err, sizeof(err)) || sandbox_enter(SANDBOX_CONSOLE))
		return 90;
	syscall(SYS_getuid);
	return 1;
}

static void the_violation_hook_runs(void **state)
{
	struct child_result r = in_child(hook_then_forbidden);
	assert_int_equal(r.status, PVH_EXIT_SANDBOX);
	assert_true(!strncmp(r.err, "pvh-sev: sandbox: forbidden system call ", 40));
	assert_true(strstr(r.err, " in the console thread (docs/reliability.md); exit status 126\nhook\n"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(each_kind_makes_its_calls),
	    cmocka_unit_test(forbidden_calls_end_the_process),
	    cmocka_unit_test(threads_inherit_the_process_layer),
	    cmocka_unit_test(many_vcpu_threads_may_malloc),
	    cmocka_unit_test(without_start_enter_does_nothing),
	    cmocka_unit_test(the_violation_hook_runs),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
