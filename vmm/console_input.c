// SPDX-License-Identifier: MIT
#include "vmm/console_input.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "vmm/devices.h"
#include "vmm/sandbox.h"
#include "vmm/vm.h"

size_t console_escape_filter(struct console_escape *e, const uint8_t *in, size_t n, uint8_t *out,
			     bool *quit)
{
	size_t m = 0;
	for (size_t i = 0; i < n; i++) {
		uint8_t c = in[i];
		if (!e->armed) {
			if (c == CONSOLE_ESCAPE_CHAR)
				e->armed = true;
			else
				out[m++] = c;
			continue;
		}
		e->armed = false;
		if (c == CONSOLE_QUIT_CHAR) {
			*quit = true;
			return m;
		}
		if (c != CONSOLE_ESCAPE_CHAR)
			out[m++] = CONSOLE_ESCAPE_CHAR; /* not a command: both bytes go on */
		out[m++] = c;
	}
	return m;
}

/* What the signal handlers restore: set while the terminal is raw. */
static int restore_fd = -1;
static struct termios restore_mode;

void console_input_restore_terminal(void)
{
	if (restore_fd >= 0)
		tcsetattr(restore_fd, TCSANOW, &restore_mode);
}

/* A fatal signal while the terminal is raw: restore it, then die of the signal as before. */
static void restore_and_reraise(int sig)
{
	console_input_restore_terminal();
	signal(sig, SIG_DFL);
	raise(sig);
}

static void install_restore_handlers(void)
{
	static const int sigs[] = {SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGABRT, SIGSEGV, SIGBUS};
	static bool once;
	if (!once) {
		atexit(console_input_restore_terminal);
		once = true;
	}
	for (size_t i = 0; i < sizeof(sigs) / sizeof(sigs[0]); i++) {
		struct sigaction sa;
		memset(&sa, 0, sizeof(sa));
		sa.sa_handler = restore_and_reraise;
		sigemptyset(&sa.sa_mask);
		sigaction(sigs[i], &sa, NULL);
	}
}

bool console_input_is_interactive(int fd)
{
	/* A background job must not take the terminal (tcsetattr would stop it with SIGTTOU). */
	return isatty(fd) && tcgetpgrp(fd) == getpgrp();
}

static int enter_raw_mode(struct console_input *ci)
{
	if (tcgetattr(ci->fd, &ci->saved))
		return -errno;
	struct termios raw = ci->saved;
	cfmakeraw(&raw);
	raw.c_oflag |= OPOST | ONLCR; /* VMM messages on stderr keep their line starts */
	restore_mode = ci->saved;
	restore_fd = ci->fd;
	install_restore_handlers();
	if (tcsetattr(ci->fd, TCSANOW, &raw)) {
		restore_fd = -1;
		return -errno;
	}
	ci->raw = true;
	return 0;
}

static void console_forward(struct console_input *ci, const uint8_t *buf, size_t n)
{
	uint8_t out[256];
	bool quit = false;
	if (ci->raw) {
		n = console_escape_filter(&ci->esc, buf, n, out, &quit);
		buf = out;
	}
	serial_receive(ci->uart, buf, n, &ci->stop);
	if (quit)
		vm_end(ci->vm, ENDING_CONSOLE_QUIT, PVH_EXIT_CONSOLE_QUIT, "console: Ctrl-A x");
}

static void *console_reader(void *arg)
{
	struct console_input *ci = arg;
	uint8_t buf[256];
	int r = sandbox_enter(SANDBOX_CONSOLE);
	if (r) {
		vm_end(ci->vm, ENDING_VMM_ERROR, PVH_EXIT_VMM_ERROR, "console: sandbox: %s",
		       strerror(-r));
		return NULL;
	}
	struct pollfd p[2] = {{.fd = ci->fd, .events = POLLIN}, {.fd = ci->wake[0], .events = POLLIN}};
	while (!atomic_load(&ci->stop)) {
		if (poll(p, 2, -1) < 0) {
			if (errno == EINTR)
				continue;
			break;
		}
		if (p[1].revents)
			break;
		ssize_t n = read(ci->fd, buf, sizeof(buf));
		if (n < 0 && (errno == EINTR || errno == EAGAIN))
			continue;
		if (n <= 0)
			break; /* end of input: the guest just gets no more */
		console_forward(ci, buf, (size_t)n);
	}
	return NULL;
}

int console_input_start(struct console_input *ci, struct vm *vm, struct serial_16550 *uart,
			int fd)
{
	memset(ci, 0, sizeof(*ci));
	ci->fd = fd;
	ci->vm = vm;
	ci->uart = uart;
	ci->wake[0] = ci->wake[1] = -1;
	if (fcntl(fd, F_GETFD) < 0)
		return 0; /* no stdin at all: nothing to read */
	if (pipe2(ci->wake, O_CLOEXEC))
		return -errno;
	int r = 0;
	if (console_input_is_interactive(fd) && (r = enter_raw_mode(ci)))
		return r;
	/* The reader must not take the kick signal meant for vCPU threads (sandbox_enter()
	 * opens SIGSYS again, so that a call the sandbox refuses is reported). */
	sigset_t all, old;
	sigfillset(&all);
	pthread_sigmask(SIG_BLOCK, &all, &old);
	r = pthread_create(&ci->thread, NULL, console_reader, ci);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	if (r) {
		console_input_stop(ci);
		return -r;
	}
	ci->running = true;
	return 0;
}

void console_input_stop(struct console_input *ci)
{
	atomic_store(&ci->stop, true);
	if (ci->running) {
		ssize_t w = write(ci->wake[1], "", 1);
		(void)w;
		pthread_join(ci->thread, NULL);
		ci->running = false;
	}
	for (int i = 0; i < 2; i++) {
		if (ci->wake[i] >= 0)
			close(ci->wake[i]);
		ci->wake[i] = -1;
	}
	if (ci->raw) {
		tcsetattr(ci->fd, TCSANOW, &ci->saved);
		restore_fd = -1;
		ci->raw = false;
	}
}
