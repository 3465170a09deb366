// SPDX-License-Identifier: MIT
/* Turns a scenario's samples into its table rows: per-round values, their spread, ratios. */
#include <stdio.h>

#include "bench/harness/bench.h"

static double field_of(const struct variant *v, enum metric_field f, size_t r)
{
	return f == FIELD_RSS ? v->rss_kib[r] : v->wall_ms[r];
}

/* Why variant v gives no numbers, or NULL when it has some. */
static const char *variant_problem(const struct variant *v, char *buf, size_t len)
{
	if (v->skip[0])
		snprintf(buf, len, "skipped: %.200s", v->skip);
	else if (v->fail[0])
		snprintf(buf, len, "failed (%.48s): %.320s", v->id, v->fail);
	else if (!v->n)
		snprintf(buf, len, "no runs");
	else
		return NULL;
	return buf;
}

static size_t metric_values(const struct scenario *s, struct metric *m, double *out)
{
	const struct variant *a = &s->v[m->a];
	const struct variant *b = m->b >= 0 ? &s->v[m->b] : NULL;
	char why[sizeof(m->skip)];

	if (variant_problem(a, why, sizeof(why)) || (b && variant_problem(b, why, sizeof(why)))) {
		snprintf(m->skip, sizeof(m->skip), "%s", why);
		return 0;
	}
	size_t n = b && b->n < a->n ? b->n : a->n;
	for (size_t r = 0; r < n; r++) {
		double x = field_of(a, m->field, r) - (b ? field_of(b, m->field, r) : 0);
		out[r] = x / m->divisor;
	}
	return n;
}

/* Per-round ratios x[r] / ref[r]: both were measured in the same round, under the same load. */
static int ratio_stats(const double *x, size_t nx, const double *ref, size_t nref, struct stats *st)
{
	double q[BENCH_MAX_RUNS];
	size_t n = 0;

	for (size_t r = 0; r < nx && r < nref; r++)
		if (ref[r] > 0)
			q[n++] = x[r] / ref[r];
	return n ? stats_compute(q, n, st) : -1;
}

void scenario_compute(struct scenario *s)
{
	static double vals[BENCH_MAX_METRICS][BENCH_MAX_RUNS];
	size_t n[BENCH_MAX_METRICS];

	for (int i = 0; i < s->nm; i++) {
		n[i] = metric_values(s, &s->m[i], vals[i]);
		if (n[i] && stats_compute(vals[i], n[i], &s->m[i].st))
			n[i] = 0;
	}
	for (int i = 0; i < s->nm; i++) {
		struct metric *m = &s->m[i];
		if (!n[i])
			continue;
		if (m->ref_floor >= 0 && n[m->ref_floor])
			m->have_x_floor = !ratio_stats(vals[i], n[i], vals[m->ref_floor],
			                               n[m->ref_floor], &m->x_floor);
		if (m->ref_qemu >= 0 && n[m->ref_qemu])
			m->have_x_qemu = !ratio_stats(vals[i], n[i], vals[m->ref_qemu],
			                              n[m->ref_qemu], &m->x_qemu);
	}
}
