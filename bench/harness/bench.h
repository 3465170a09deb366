/* SPDX-License-Identifier: MIT */
/*
 * pvh-bench: runs contenders (the bare-KVM floor, pvh-sev, QEMU) side by side, interleaved
 * round-robin within one run, and reports medians, spread and per-round ratios.
 *
 * A scenario holds variants (one command line each, run `runs` times, interleaved) and metrics
 * (a table row each: one variant's samples, or the per-round difference of two variants over a
 * divisor, compared per round with a reference metric).
 */
#ifndef PVH_BENCH_H
#define PVH_BENCH_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

#include "bench/harness/stats.h"

#define BENCH_MAX_ARGS 40
#define BENCH_MAX_RUNS 256
#define BENCH_MAX_VARIANTS 16
#define BENCH_MAX_METRICS 16
#define BENCH_MAX_STEPS 24

struct bench_config {
	char build_dir[512];
	char floor[600];
	char pvh_sev[600];
	char benchguest[600];
	char hello[600];     /* examples' hello.elf, or "" when it is not built */
	char linux_dir[600]; /* --linux: make-linux-pvh-fixture.sh's output, or "" (P2L skips) */
	const char *qemu;
	const char *openssl;
	int runs;        /* 0: each scenario's default */
	int quick;       /* smoke mode: one or two runs, small loops */
	uint32_t loop_n; /* P3 iterations */
	unsigned only;   /* bit i set: run bench_scenarios[i]; 0 means all */
	double timeout_s;
};

/* One named series of step timings taken from pvh-sev's report. */
struct step_series {
	char name[48];
	size_t n;
	double ms[BENCH_MAX_RUNS];
};

struct variant {
	char id[48];
	char *argv[BENCH_MAX_ARGS];
	int argc;
	char arena[2048]; /* the argv strings */
	size_t arena_used;
	int expect_status;
	const char *expect_output; /* a substring stdout must hold, proving the guest ran */
	/* Or a check of the whole stdout: 0 when it is what this run must print. */
	int (*check_output)(const char *out);
	const char *check_name;
	char report_path[128]; /* pvh-sev --report FILE, parsed after each run, or "" */
	char report_mode[16];  /* the mode the report must name: the one asked for */
	char skip[200];        /* why this variant is skipped, or "" */
	char fail[320];        /* the first failed run, or "" */
	size_t n;
	double wall_ms[BENCH_MAX_RUNS];
	double rss_kib[BENCH_MAX_RUNS];
	size_t nsteps;
	struct step_series steps[BENCH_MAX_STEPS];
	char last_out[16384]; /* stdout of the last run (P5 parses it) */
};

enum metric_field { FIELD_WALL, FIELD_RSS };

struct metric {
	char name[64];
	int a, b;       /* variant indices; b < 0: the row is variant a alone */
	double divisor; /* the row is (a - b) / divisor, per round */
	enum metric_field field;
	const char *unit;
	int ref_floor;                    /* metric index for the x-floor ratio, or -1 */
	int ref_qemu;                     /* metric index for the x-QEMU ratio, or -1 */
	double target_floor, target_qemu; /* the largest ratio the issue allows, or 0 */
	/* results */
	char skip[400];
	struct stats st;
	int have_x_floor, have_x_qemu;
	struct stats x_floor, x_qemu; /* per-round ratios */
};

struct scenario {
	const char *id;
	const char *title;
	int runs;
	int no_warmup;        /* long runs: no uncounted first round */
	double min_timeout_s; /* a run's limit is the larger of this and --timeout */
	int nv, nm;
	struct variant v[BENCH_MAX_VARIANTS];
	struct metric m[BENCH_MAX_METRICS];
	char skip[200];  /* the whole scenario cannot run, or "" */
	json_t *extra;   /* scenario-specific results (P2 steps, P5 throughput), owned */
	char notes[600]; /* printed under the table */
};

/* variant.c */
struct variant *scenario_add_variant(struct scenario *s, const char *id, int expect_status,
                                     const char *expect_output);
int variant_arg(struct variant *v, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void variant_skip_unless_file(struct variant *v, const char *path, const char *what);
int scenario_add_metric(struct scenario *s, const char *name, int a, int b, double divisor,
                        const char *unit);
void scenario_run_rounds(struct scenario *s, const struct bench_config *c);
void scenario_compute(struct scenario *s);

/* scenarios*.c: fill a scenario, then run it. */
void scenario_p1(struct scenario *s, const struct bench_config *c);
void scenario_p2(struct scenario *s, const struct bench_config *c);
void scenario_p2l(struct scenario *s, const struct bench_config *c);
/* P2L's variants and rows, not run (the unit tests read them). */
void scenario_p2l_setup(struct scenario *s, const struct bench_config *c);
void scenario_p3(struct scenario *s, const struct bench_config *c);
void scenario_p4(struct scenario *s, const struct bench_config *c);
void scenario_p5(struct scenario *s, const struct bench_config *c);
void scenario_p6(struct scenario *s, const struct bench_config *c);

/* select.c: every scenario, in the order they run; --only picks among them by id. */
#define BENCH_N_SCENARIOS 7
struct scenario_def {
	const char *id;
	void (*run)(struct scenario *s, const struct bench_config *c);
};
extern const struct scenario_def bench_scenarios[BENCH_N_SCENARIOS];
/* "P1,P3,P2L" (ids in any case) -> bit i set for each bench_scenarios[i] named. 0 or -EINVAL. */
int bench_parse_only(const char *list, unsigned *mask);

/* output.c */
void output_table(const struct scenario *s, size_t count);
json_t *output_json(const struct scenario *s, size_t count, const struct bench_config *c,
                    const char *load_start);
/* The host's /proc/loadavg line: how busy the shared machine was. */
void output_loadavg(char *buf, size_t len);

#endif
