// SPDX-License-Identifier: MIT
/* Console input: the Ctrl-A escape, byte-exact piped input, raw mode restored on every ending. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#include "loader/guest_abi.h"
#include "vmm/console_input.h"
#include "vmm/devices.h"
#include "vmm/io_bus.h"
#include "vmm/vm.h"

static void escape_sequences(void **state)
{
	struct console_escape e = {0};
	uint8_t out[16];
	bool quit = false;
	size_t n = console_escape_filter(&e, (const uint8_t *)"ab\x01\x01" "c", 5, out, &quit);
	assert_int_equal(n, 4);
	assert_memory_equal(out, "ab\x01" "c", 4); /* Ctrl-A Ctrl-A sends one Ctrl-A */
	n = console_escape_filter(&e, (const uint8_t *)"\x01", 1, out, &quit);
	assert_int_equal(n, 0);
	n = console_escape_filter(&e, (const uint8_t *)"zq", 2, out, &quit); /* split across reads */
	assert_int_equal(n, 3);
	assert_memory_equal(out, "\x01zq", 3);
	n = console_escape_filter(&e, (const uint8_t *)"k\x01xlost", 7, out, &quit);
	assert_true(quit);
	assert_int_equal(n, 1);
	assert_int_equal(out[0], 'k');
}

struct rig {
	struct vm vm;
	struct io_bus bus;
	struct serial_16550 uart;
	FILE *null;
};

static void rig_init(struct rig *r)
{
	memset(r, 0, sizeof(*r));
	pthread_mutex_init(&r->vm.lock, NULL);
	pthread_cond_init(&r->vm.ended_cond, NULL);
	r->null = fopen("/dev/null", "w");
	assert_int_equal(serial_register(&r->uart, &r->bus, PVH_SEV_COM1_PORT, r->null), 0);
	uint8_t fcr = 0x01;
	io_bus_access(&r->bus, NULL, PVH_SEV_COM1_PORT + 2, &fcr, 1, true); /* FIFO on */
}

/* Reads n bytes from the UART as a guest would, polling LSR.DR. */
static void guest_read(struct rig *r, uint8_t *buf, size_t n)
{
	for (size_t i = 0; i < n;) {
		uint8_t lsr;
		io_bus_access(&r->bus, NULL, PVH_SEV_COM1_PORT + 5, &lsr, 1, false);
		if (lsr & 1)
			io_bus_access(&r->bus, NULL, PVH_SEV_COM1_PORT, &buf[i++], 1, false);
		else
			usleep(100);
	}
}

static void piped_input_arrives_whole_and_in_order(void **state)
{
	struct rig r;
	rig_init(&r);
	int p[2];
	assert_int_equal(pipe(p), 0);
	uint8_t data[1000];
	for (size_t i = 0; i < sizeof(data); i++)
		data[i] = (uint8_t)(i * 7); /* includes 0x01 and 'x': no escape off a terminal */
	assert_int_equal(write(p[1], data, sizeof(data)), (ssize_t)sizeof(data));
	close(p[1]);
	struct console_input ci;
	assert_int_equal(console_input_start(&ci, &r.vm, &r.uart, p[0]), 0);
	assert_false(ci.raw);
	uint8_t got[1000];
	guest_read(&r, got, sizeof(got)); /* 1000 bytes through a 16-byte FIFO: no overrun */
	assert_memory_equal(got, data, sizeof(data));
	console_input_stop(&ci);
	assert_int_equal(r.vm.ending, ENDING_NONE);
	close(p[0]);
	fclose(r.null);
}

/* A child with the pty as its controlling terminal; returns the master fd and its pid. */
static pid_t child_on_pty(int *master, int (*body)(int slave))
{
	*master = posix_openpt(O_RDWR | O_NOCTTY);
	assert_true(*master >= 0);
	assert_int_equal(grantpt(*master), 0);
	assert_int_equal(unlockpt(*master), 0);
	const char *name = ptsname(*master);
	pid_t pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		setsid();
		int slave = open(name, O_RDWR); /* the first tty a session leader opens: its ctty */
		_exit(slave < 0 ? 90 : body(slave));
	}
	return pid;
}

static bool pty_is_canonical(int master)
{
	struct termios t;
	assert_int_equal(tcgetattr(master, &t), 0); /* on Linux: the slave's mode */
	return t.c_lflag & ICANON;
}

static int body_raw_then_restored(int slave)
{
	struct rig r;
	rig_init(&r);
	struct termios t;
	if (!console_input_is_interactive(slave))
		return 10;
	struct console_input ci;
	if (console_input_start(&ci, &r.vm, &r.uart, slave) || !ci.raw)
		return 11;
	tcgetattr(slave, &t);
	if (t.c_lflag & (ICANON | ECHO))
		return 12;
	/* Ctrl-A x typed on the terminal ends the run. */
	for (int i = 0; i < 5000 && r.vm.ending == ENDING_NONE; i++)
		usleep(1000);
	if (r.vm.ending != ENDING_CONSOLE_QUIT || r.vm.exit_status != PVH_EXIT_CONSOLE_QUIT)
		return 13;
	uint8_t got[2];
	guest_read(&r, got, 2);
	if (memcmp(got, "hi", 2))
		return 14;
	console_input_stop(&ci);
	tcgetattr(slave, &t);
	return (t.c_lflag & ICANON) ? 0 : 15;
}

static void terminal_is_raw_during_the_run_and_ctrl_a_x_quits(void **state)
{
	int master;
	pid_t pid = child_on_pty(&master, body_raw_then_restored);
	/* Wait for raw mode, then type. */
	for (int i = 0; i < 5000 && pty_is_canonical(master); i++)
		usleep(1000);
	assert_false(pty_is_canonical(master));
	assert_int_equal(write(master, "hi\x01x", 4), 4);
	int st;
	assert_int_equal(waitpid(pid, &st, 0), pid);
	assert_true(WIFEXITED(st));
	assert_int_equal(WEXITSTATUS(st), 0);
	assert_true(pty_is_canonical(master));
	close(master);
}

static int body_killed(int slave)
{
	struct rig r;
	rig_init(&r);
	struct console_input ci;
	if (console_input_start(&ci, &r.vm, &r.uart, slave) || !ci.raw)
		return 11;
	pause(); /* until the parent's SIGTERM */
	return 12;
}

static void terminal_is_restored_when_a_signal_ends_the_run(void **state)
{
	int master;
	pid_t pid = child_on_pty(&master, body_killed);
	for (int i = 0; i < 5000 && pty_is_canonical(master); i++)
		usleep(1000);
	assert_false(pty_is_canonical(master));
	kill(pid, SIGTERM);
	int st;
	assert_int_equal(waitpid(pid, &st, 0), pid);
	assert_true(WIFSIGNALED(st));
	assert_int_equal(WTERMSIG(st), SIGTERM); /* it still dies of the signal */
	assert_true(pty_is_canonical(master));
	close(master);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(escape_sequences),
		cmocka_unit_test(piped_input_arrives_whole_and_in_order),
		cmocka_unit_test(terminal_is_raw_during_the_run_and_ctrl_a_x_quits),
		cmocka_unit_test(terminal_is_restored_when_a_signal_ends_the_run),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
