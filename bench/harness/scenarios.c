// SPDX-License-Identifier: MIT
/* P1 and P6: boot-to-exit time and peak RSS of the same guest under each contender. */
#include <stdio.h>

#include "bench/harness/adapters.h"
#include "bench/harness/bench.h"

struct boot_guest {
	const char *label; /* row prefix */
	const char *tag;   /* variant id suffix */
	const char *kernel;
	const char *cmdline;
	const char *expect;
};

static struct boot_guest minimal_guest(const struct bench_config *c)
{
	return (struct boot_guest){"minimal", "min", c->benchguest, "kind=none",
	                           "bench guest: kind=none n=0 ok"};
}

/* The payload: the examples' hello.elf once it is built, else the minimal guest. */
static struct boot_guest hello_guest(const struct bench_config *c)
{
	if (!c->hello[0])
		return minimal_guest(c);
	return (struct boot_guest){"hello", "hello", c->hello, "hello from pvh-bench", "hello"};
}

static int runs_or(const struct bench_config *c, int full, int quick)
{
	return c->runs ? c->runs : c->quick ? quick : full;
}

/* Variants floor (split irqchip), floor without irqchip, pvh-sev, QEMU; idx gets their
 * indices. The no-irqchip floor only comes along when `noirq` is set. */
static void add_boot_group(struct scenario *s, const struct bench_config *c,
                           const struct boot_guest *g, int noirq, int idx[4])
{
	char id[48];

	snprintf(id, sizeof(id), "floor-%s", g->tag);
	contender_floor(scenario_add_variant(s, id, 0, g->expect), c, g->kernel, g->cmdline, NULL);
	idx[0] = s->nv - 1;
	idx[1] = -1;
	if (noirq) {
		snprintf(id, sizeof(id), "floor-noirqchip-%s", g->tag);
		contender_floor(scenario_add_variant(s, id, 0, g->expect), c, g->kernel, g->cmdline,
		                "none");
		idx[1] = s->nv - 1;
	}
	snprintf(id, sizeof(id), "pvh-sev-off-%s", g->tag);
	contender_pvh_sev(scenario_add_variant(s, id, pvh_sev_status_of(0), g->expect), c,
	                  g->kernel, g->cmdline, "off", 1, 0);
	idx[2] = s->nv - 1;
	snprintf(id, sizeof(id), "qemu-%s", g->tag);
	contender_qemu(scenario_add_variant(s, id, qemu_status_of(0), g->expect), c, g->kernel,
	               g->cmdline, 1);
	idx[3] = s->nv - 1;
}

/* Rows for one group: floor first (the reference), QEMU, then the others against both. */
static void add_boot_rows(struct scenario *s, const struct boot_guest *g, const int idx[4],
                          enum metric_field field, const char *unit, int targets)
{
	static const char *const what[4] = {"floor (split irqchip)", "floor (no irqchip)",
	                                    "pvh-sev --sev=off", "qemu microvm"};
	static const int order[4] = {0, 3, 1, 2};
	char name[64];
	int f = -1, q = -1;

	for (int k = 0; k < 4; k++) {
		int i = order[k];
		if (idx[i] < 0)
			continue;
		snprintf(name, sizeof(name), "%s: %s", g->label, what[i]);
		int m = scenario_add_metric(s, name, idx[i], -1, 1, unit);
		s->m[m].field = field;
		s->m[m].ref_floor = i ? f : -1;
		s->m[m].ref_qemu = i == 1 || i == 2 ? q : -1;
		f = i == 0 ? m : f;
		q = i == 3 ? m : q;
		if (i == 2 && targets) {
			s->m[m].target_floor = 1.3;
			s->m[m].target_qemu = 0.1;
		}
	}
}

void scenario_p1(struct scenario *s, const struct bench_config *c)
{
	struct boot_guest hello = hello_guest(c), minimal = minimal_guest(c);
	int a[4], b[4];

	s->id = "P1";
	s->title = "boot to exit, 1 vCPU (exec to exit, wall ms)";
	s->runs = runs_or(c, 30, 2);
	add_boot_group(s, c, &hello, 1, a);
	add_boot_rows(s, &hello, a, FIELD_WALL, "ms", 1);
	if (c->hello[0]) {
		add_boot_group(s, c, &minimal, 0, b);
		add_boot_rows(s, &minimal, b, FIELD_WALL, "ms", 1);
	}
	snprintf(s->notes, sizeof(s->notes),
	         "hello = %.200s; minimal = the bench guest doing nothing (VMM cost alone); "
	         "targets: pvh-sev <= 1.3x floor, <= 0.1x QEMU",
	         hello.kernel);
	scenario_run_rounds(s, c);
	scenario_compute(s);
}

void scenario_p6(struct scenario *s, const struct bench_config *c)
{
	struct boot_guest hello = hello_guest(c);
	int a[4];

	s->id = "P6";
	s->title = "peak RSS (ru_maxrss, KiB), same guest";
	s->runs = runs_or(c, 5, 1);
	add_boot_group(s, c, &hello, 1, a);
	add_boot_rows(s, &hello, a, FIELD_RSS, "KiB", 0);
	scenario_run_rounds(s, c);
	scenario_compute(s);
}
