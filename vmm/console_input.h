/* SPDX-License-Identifier: MIT */
/*
 * The guest console's input side: stdin feeds COM1's receiver. On a terminal (stdin a tty and
 * pvh-sev in its foreground process group) the terminal is put in raw mode for the run and
 * restored on every ending, signals included; there Ctrl-A x ends the run (ENDING_CONSOLE_QUIT)
 * and Ctrl-A Ctrl-A sends one Ctrl-A. Anything else (a pipe, a file) is passed on byte for byte.
 */
#ifndef PVH_CONSOLE_INPUT_H
#define PVH_CONSOLE_INPUT_H

#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <termios.h>

struct vm;
struct serial_16550;

#define CONSOLE_ESCAPE_CHAR 0x01 /* Ctrl-A */
#define CONSOLE_QUIT_CHAR 'x'

/* The escape state machine of a terminal's input. */
struct console_escape {
	bool armed; /* the last byte was Ctrl-A */
};

/*
 * Filters n bytes typed on the terminal into out (room for n bytes): returns how many to send.
 * *quit becomes true at Ctrl-A x; the bytes after it are dropped.
 */
size_t console_escape_filter(struct console_escape *e, const uint8_t *in, size_t n, uint8_t *out,
			     bool *quit);

struct console_input {
	int fd;
	bool raw;                /* a terminal, now in raw mode */
	bool running;            /* the reader thread exists */
	struct termios saved;    /* the terminal's mode before the run */
	int wake[2];             /* console_input_stop() writes here to end the reader */
	atomic_bool stop;
	struct console_escape esc;
	struct serial_16550 *uart;
	struct vm *vm;
	pthread_t thread;
};

/* Starts reading fd into uart (raw mode first when fd is the controlling terminal). */
int console_input_start(struct console_input *ci, struct vm *vm, struct serial_16550 *uart,
			int fd);

/* Ends the reader and restores the terminal. Safe to call twice. */
void console_input_stop(struct console_input *ci);

/* Puts the terminal back as it was before raw mode, if it is raw. Async-signal-safe. */
void console_input_restore_terminal(void);

/* Whether fd is a terminal pvh-sev may take over (a tty in the foreground process group). */
bool console_input_is_interactive(int fd);

#endif
