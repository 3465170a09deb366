// SPDX-License-Identifier: MIT
#include "bench/harness/spawn.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static double now_ms(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec * 1e3 + (double)t.tv_nsec / 1e6;
}

static void read_capture(int fd, char *buf, size_t cap)
{
	ssize_t n = pread(fd, buf, cap - 1, 0);

	buf[n > 0 ? n : 0] = 0;
}

static void child_exec(char *const argv[], int out, int err)
{
	int in = open("/dev/null", O_RDONLY);

	if (in < 0 || dup2(in, 0) < 0 || dup2(out, 1) < 0 || dup2(err, 2) < 0)
		_exit(126);
	execv(argv[0], argv);
	_exit(127);
}

/* Waits for pid at most timeout_s through a pidfd, killing it when the time is up. */
static int wait_child(pid_t pid, double timeout_s, struct spawn_result *res, struct rusage *ru)
{
	int pidfd = (int)syscall(SYS_pidfd_open, pid, 0);
	int st;

	if (pidfd >= 0) {
		struct pollfd p = {.fd = pidfd, .events = POLLIN};
		int r;
		do
			r = poll(&p, 1, (int)(timeout_s * 1000));
		while (r < 0 && errno == EINTR);
		if (r == 0) {
			kill(pid, SIGKILL);
			res->timed_out = 1;
		}
		close(pidfd);
	}
	while (wait4(pid, &st, 0, ru) < 0)
		if (errno != EINTR)
			return -errno;
	res->exited = WIFEXITED(st);
	res->status = res->exited ? WEXITSTATUS(st) : WTERMSIG(st);
	return 0;
}

int spawn_measure(char *const argv[], double timeout_s, struct spawn_result *res)
{
	struct rusage ru;
	int out = -1, err = -1, r;

	memset(res, 0, sizeof(*res));
	out = memfd_create("bench-stdout", MFD_CLOEXEC);
	err = memfd_create("bench-stderr", MFD_CLOEXEC);
	if (out < 0 || err < 0) {
		r = -errno;
		goto out_close;
	}
	double t0 = now_ms();
	pid_t pid = fork();
	if (pid < 0) {
		r = -errno;
		goto out_close;
	}
	if (pid == 0)
		child_exec(argv, out, err);
	r = wait_child(pid, timeout_s, res, &ru);
	res->wall_ms = now_ms() - t0;
	if (r)
		goto out_close;
	res->maxrss_kib = ru.ru_maxrss;
	read_capture(out, res->out, sizeof(res->out));
	read_capture(err, res->err, sizeof(res->err));
out_close:
	if (out >= 0)
		close(out);
	if (err >= 0)
		close(err);
	return r;
}
