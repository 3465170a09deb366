/* SPDX-License-Identifier: MIT */
/* Runs one command and measures it: wall time from fork to reap, peak RSS, exit status. */
#ifndef PVH_BENCH_SPAWN_H
#define PVH_BENCH_SPAWN_H

#include <stddef.h>

#define SPAWN_CAPTURE_MAX 65536

struct spawn_result {
	double wall_ms;  /* CLOCK_MONOTONIC, fork to wait4 */
	long maxrss_kib; /* ru_maxrss of the child */
	int exited;      /* 1: status holds the exit code; 0: killed by signal `status` */
	int status;
	int timed_out;               /* killed by the harness after the timeout */
	char out[SPAWN_CAPTURE_MAX]; /* stdout, NUL-terminated, truncated to fit */
	char err[4096];              /* stderr, NUL-terminated, truncated to fit */
};

/*
 * Runs argv[0] (a path) with stdin from /dev/null, stdout and stderr captured in memory files
 * (the same cost for every contender), and waits at most timeout_s. Returns 0 when the command
 * ran (whatever its status), or -errno when it could not be started or waited for.
 */
int spawn_measure(char *const argv[], double timeout_s, struct spawn_result *res);

#endif
