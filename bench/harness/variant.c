// SPDX-License-Identifier: MIT
/* Variants and metrics of a scenario: building them, running them interleaved, the numbers. */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "bench/harness/adapters.h"
#include "bench/harness/bench.h"
#include "bench/harness/spawn.h"

struct variant *scenario_add_variant(struct scenario *s, const char *id, int expect_status,
                                     const char *expect_output)
{
	if (s->nv == BENCH_MAX_VARIANTS)
		return NULL;
	struct variant *v = &s->v[s->nv++];
	snprintf(v->id, sizeof(v->id), "%s", id);
	v->expect_status = expect_status;
	v->expect_output = expect_output;
	return v;
}

/* A cut command line must not run: the variant is skipped, saying why. */
static int too_long(struct variant *v)
{
	snprintf(v->skip, sizeof(v->skip), "its command line does not fit (%d arguments)", v->argc);
	return -E2BIG;
}

int variant_arg(struct variant *v, const char *fmt, ...)
{
	size_t room = sizeof(v->arena) - v->arena_used;
	va_list ap;

	if (v->argc + 1 >= BENCH_MAX_ARGS)
		return too_long(v);
	va_start(ap, fmt);
	int n = vsnprintf(v->arena + v->arena_used, room, fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= room)
		return too_long(v);
	v->argv[v->argc++] = v->arena + v->arena_used;
	v->argv[v->argc] = NULL;
	v->arena_used += (size_t)n + 1;
	return 0;
}

void variant_skip_unless_file(struct variant *v, const char *path, const char *what)
{
	if (v->skip[0])
		return;
	if (!path || !path[0])
		snprintf(v->skip, sizeof(v->skip), "%s is not built", what);
	else if (access(path, R_OK))
		snprintf(v->skip, sizeof(v->skip), "%s not found (%.150s)", what, path);
}

int scenario_add_metric(struct scenario *s, const char *name, int a, int b, double divisor,
                        const char *unit)
{
	if (s->nm == BENCH_MAX_METRICS || a < 0)
		return -1;
	struct metric *m = &s->m[s->nm];
	snprintf(m->name, sizeof(m->name), "%s", name);
	m->a = a;
	m->b = b;
	m->divisor = divisor;
	m->unit = unit;
	m->field = FIELD_WALL;
	m->ref_floor = m->ref_qemu = -1;
	return s->nm++;
}

/* The last non-empty line of text (cut there), or "". */
static const char *last_line(char *text)
{
	size_t n = strlen(text);

	while (n && text[n - 1] == '\n')
		text[--n] = 0;
	char *last = strrchr(text, '\n');
	return last ? last + 1 : text;
}

/* A one-line failure reason: the last lines of stderr (a VMM's final word) and of stdout. */
static void reason(struct spawn_result *res, char *buf, size_t len)
{
	const char *err = last_line(res->err), *out = last_line(res->out);

	snprintf(buf, len, "%.150s%s%.150s", err, err[0] && out[0] ? " | guest: " : "", out);
}

static int check_run(struct variant *v, struct spawn_result *res, double timeout_s)
{
	if (res->timed_out)
		snprintf(v->fail, sizeof(v->fail), "timed out after %.0f s", timeout_s);
	else if (!res->exited)
		snprintf(v->fail, sizeof(v->fail), "killed by signal %d", res->status);
	else if (res->status != v->expect_status) {
		char why[320];
		reason(res, why, sizeof(why));
		snprintf(v->fail, sizeof(v->fail), "exit status %d, expected %d: %.250s",
		         res->status, v->expect_status, why);
	} else if (v->expect_output && !strstr(res->out, v->expect_output))
		snprintf(v->fail, sizeof(v->fail), "output lacks \"%s\" (the guest did not run?)",
		         v->expect_output);
	else if (v->check_output && v->check_output(res->out))
		snprintf(v->fail, sizeof(v->fail), "output not understood by %s", v->check_name);
	return v->fail[0] ? -1 : 0;
}

/* The launch report of the run just counted: its mode must be the one asked for (a silent
 * fallback would time the wrong thing), and its step timings become series. */
static void read_report(struct variant *v)
{
	static char report[65536];
	char mode[32];
	FILE *f = fopen(v->report_path, "r");
	size_t len = f ? fread(report, 1, sizeof(report) - 1, f) : 0;

	if (f)
		fclose(f);
	report[len] = 0;
	if (adapter_report_mode(report, mode, sizeof(mode)))
		snprintf(v->fail, sizeof(v->fail), "no readable launch report in %s",
		         v->report_path);
	else if (strcmp(mode, v->report_mode))
		snprintf(v->fail, sizeof(v->fail), "the report says mode \"%s\", not \"%s\"", mode,
		         v->report_mode);
	else if (adapter_report_steps(report, v) < 0)
		snprintf(v->fail, sizeof(v->fail), "no launch timings in %s (adapter_report_steps)",
		         v->report_path);
}

static void run_once(struct variant *v, double timeout_s, int counted)
{
	static struct spawn_result res; /* 70 KiB: not on the stack */
	if (v->report_path[0])
		unlink(v->report_path);
	int r = spawn_measure(v->argv, timeout_s, &res);
	if (r) {
		snprintf(v->fail, sizeof(v->fail), "cannot run %s: %s", v->argv[0], strerror(-r));
		return;
	}
	if (check_run(v, &res, timeout_s))
		return;
	size_t out_len = strnlen(res.out, sizeof(v->last_out) - 1);
	memcpy(v->last_out, res.out, out_len);
	v->last_out[out_len] = 0;
	if (!counted || v->n == BENCH_MAX_RUNS)
		return;
	v->wall_ms[v->n] = res.wall_ms;
	v->rss_kib[v->n] = (double)res.maxrss_kib;
	v->n++;
	if (v->report_path[0])
		read_report(v);
}

void scenario_run_rounds(struct scenario *s, const struct bench_config *c)
{
	int warmup = c->quick || s->no_warmup ? 0 : 1;
	double timeout_s = c->timeout_s > s->min_timeout_s ? c->timeout_s : s->min_timeout_s;

	/* Round-robin: every variant once per round, so load changes hit all of them alike. */
	for (int r = -warmup; r < s->runs; r++)
		for (int i = 0; i < s->nv; i++) {
			struct variant *v = &s->v[i];
			if (!v->skip[0] && !v->fail[0])
				run_once(v, timeout_s, r >= 0);
		}
	for (int i = 0; i < s->nv; i++)
		if (s->v[i].report_path[0])
			unlink(s->v[i].report_path);
}
