// SPDX-License-Identifier: MIT
/* The results: a table on stdout and a JSON document (same numbers, plus every sample). */
#include <stdio.h>
#include <string.h>
#include <sys/utsname.h>
#include <time.h>

#include "bench/harness/bench.h"

static void fmt_ratio(char *buf, size_t len, int have, const struct stats *st)
{
	if (have)
		snprintf(buf, len, "%.3gx [%.3g-%.3g]", st->median, st->p10, st->p90);
	else
		snprintf(buf, len, "-");
}

/* "met" / "MISSED" for each target the metric has, from the median per-round ratio. */
static void fmt_target(char *buf, size_t len, const struct metric *m)
{
	size_t n = 0;

	buf[0] = 0;
	if (m->target_floor > 0 && m->have_x_floor)
		n += (size_t)snprintf(buf + n, len - n, "<=%.2gx floor %s ", m->target_floor,
		                      m->x_floor.median <= m->target_floor ? "met" : "MISSED");
	if (m->target_qemu > 0 && m->have_x_qemu && n < len)
		snprintf(buf + n, len - n, "<=%.2gx QEMU %s", m->target_qemu,
		         m->x_qemu.median <= m->target_qemu ? "met" : "MISSED");
}

static void table_row(const struct metric *m)
{
	char xf[48], xq[48], tgt[96];

	if (m->skip[0]) {
		printf("  %-40s %.260s\n", m->name, m->skip);
		return;
	}
	fmt_ratio(xf, sizeof(xf), m->have_x_floor, &m->x_floor);
	fmt_ratio(xq, sizeof(xq), m->have_x_qemu, &m->x_qemu);
	fmt_target(tgt, sizeof(tgt), m);
	printf("  %-40s %10.3f %10.3f %10.3f %-7s %3zu  %-24s %-24s %s\n", m->name, m->st.median,
	       m->st.p10, m->st.p90, m->unit, m->st.n, xf, xq, tgt);
}

void output_table(const struct scenario *s, size_t count)
{
	for (size_t i = 0; i < count; i++, s++) {
		printf("\n%s  %s  [%d interleaved rounds]\n", s->id, s->title, s->runs);
		if (s->skip[0]) {
			printf("  skipped: %s\n", s->skip);
			continue;
		}
		printf("  %-40s %10s %10s %10s %-7s %3s  %-24s %-24s %s\n", "contender", "median",
		       "p10", "p90", "unit", "n", "x floor [p10-p90]", "x QEMU [p10-p90]",
		       "target");
		for (int m = 0; m < s->nm; m++)
			table_row(&s->m[m]);
		if (s->notes[0])
			printf("  note: %s\n", s->notes);
	}
}

static json_t *json_stats(const struct stats *st)
{
	return json_pack("{s:f, s:f, s:f, s:f, s:f, s:i}", "median", st->median, "p10", st->p10,
	                 "p90", st->p90, "min", st->min, "max", st->max, "n", (int)st->n);
}

static json_t *json_samples(const double *v, size_t n)
{
	json_t *a = json_array();

	for (size_t i = 0; i < n; i++)
		json_array_append_new(a, json_real(v[i]));
	return a;
}

static json_t *json_variant(const struct variant *v)
{
	json_t *o =
	    json_pack("{s:s, s:o, s:o}", "id", v->id, "wall_ms", json_samples(v->wall_ms, v->n),
	              "maxrss_kib", json_samples(v->rss_kib, v->n));
	json_t *argv = json_array();

	for (int i = 0; i < v->argc; i++)
		json_array_append_new(argv, json_string(v->argv[i]));
	json_object_set_new(o, "argv", argv);
	if (v->skip[0])
		json_object_set_new(o, "skipped", json_string(v->skip));
	if (v->fail[0])
		json_object_set_new(o, "failed", json_string(v->fail));
	return o;
}

static json_t *json_metric(const struct metric *m)
{
	json_t *o = json_pack("{s:s, s:s}", "name", m->name, "unit", m->unit);

	if (m->skip[0]) {
		json_object_set_new(o, "skipped", json_string(m->skip));
		return o;
	}
	json_object_set_new(o, "stats", json_stats(&m->st));
	if (m->have_x_floor)
		json_object_set_new(o, "x_floor", json_stats(&m->x_floor));
	if (m->have_x_qemu)
		json_object_set_new(o, "x_qemu", json_stats(&m->x_qemu));
	if (m->target_floor > 0)
		json_object_set_new(o, "target_x_floor", json_real(m->target_floor));
	if (m->target_qemu > 0)
		json_object_set_new(o, "target_x_qemu", json_real(m->target_qemu));
	return o;
}

static json_t *json_scenario(const struct scenario *s)
{
	json_t *o = json_pack("{s:s, s:s, s:i}", "id", s->id, "title", s->title, "runs", s->runs);
	json_t *vs = json_array(), *ms = json_array();

	if (s->skip[0])
		json_object_set_new(o, "skipped", json_string(s->skip));
	for (int i = 0; i < s->nv; i++)
		json_array_append_new(vs, json_variant(&s->v[i]));
	for (int i = 0; i < s->nm; i++)
		json_array_append_new(ms, json_metric(&s->m[i]));
	json_object_set_new(o, "variants", vs);
	json_object_set_new(o, "metrics", ms);
	if (s->extra)
		json_object_set(o, "extra", s->extra);
	if (s->notes[0])
		json_object_set_new(o, "notes", json_string(s->notes));
	return o;
}

void output_loadavg(char *buf, size_t len)
{
	FILE *f = fopen("/proc/loadavg", "r");

	snprintf(buf, len, "unknown");
	if (f && fgets(buf, (int)len, f))
		buf[strcspn(buf, "\n")] = 0;
	if (f)
		fclose(f);
}

json_t *output_json(const struct scenario *s, size_t count, const struct bench_config *c,
                    const char *load_start)
{
	struct utsname u;
	char date[32];
	time_t t = time(NULL);
	json_t *sc = json_array();

	char load[64];
	output_loadavg(load, sizeof(load));
	uname(&u);
	strftime(date, sizeof(date), "%Y-%m-%dT%H:%M:%SZ", gmtime(&t));
	for (size_t i = 0; i < count; i++)
		json_array_append_new(sc, json_scenario(&s[i]));
	return json_pack("{s:s, s:s, s:s, s:{s:s, s:s, s:s, s:s}, s:{s:i, s:b, s:i, s:s}, s:o}",
	                 "tool", "pvh-bench", "version", PVH_SEV_VERSION, "date", date, "host",
	                 "kernel", u.release, "machine", u.machine, "loadavg_start", load_start,
	                 "loadavg_end", load, "config", "runs", c->runs, "quick", c->quick,
	                 "loop_n", (int)c->loop_n, "pvh_sev", c->pvh_sev, "scenarios", sc);
}
