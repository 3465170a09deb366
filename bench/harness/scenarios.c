// SPDX-License-Identifier: MIT
/* P1, P2, P3 and P6: boot-to-exit time, exit round trips, peak RSS (issue text in bench.h). */
#include <stdio.h>

#include "bench/harness/adapters.h"
#include "bench/harness/bench.h"

#define BOOT_OUTPUT "bench guest: kind=none n=0 ok"

struct boot_guest {
	const char *kernel;
	const char *cmdline;
	const char *expect;
};

/* The examples' hello.elf once it is built, else the benchmark guest doing nothing. */
static struct boot_guest boot_guest(const struct bench_config *c)
{
	if (c->hello[0])
		return (struct boot_guest){c->hello, "hello from pvh-bench", "hello"};
	return (struct boot_guest){c->benchguest, "kind=none", BOOT_OUTPUT};
}

static int runs_or(const struct bench_config *c, int full, int quick)
{
	return c->runs ? c->runs : c->quick ? quick : full;
}

static void set_refs(struct metric *m, int floor, int qemu, double tf, double tq)
{
	m->ref_floor = floor;
	m->ref_qemu = qemu;
	m->target_floor = tf;
	m->target_qemu = tq;
}

/* Variants floor (split irqchip), floor without irqchip, pvh-sev, qemu booting the boot guest;
 * returns their indices. */
static void add_boot_variants(struct scenario *s, const struct bench_config *c, int smp,
                              const char *sev, int idx[4])
{
	struct boot_guest g = boot_guest(c);
	char id[48];

	contender_floor(scenario_add_variant(s, "floor", 0, g.expect), c, g.kernel, g.cmdline,
	                NULL);
	idx[0] = s->nv - 1;
	contender_floor(scenario_add_variant(s, "floor-noirqchip", 0, g.expect), c, g.kernel,
	                g.cmdline, "none");
	idx[1] = s->nv - 1;
	snprintf(id, sizeof(id), "pvh-sev-%s-smp%d", sev, smp);
	contender_pvh_sev(scenario_add_variant(s, id, pvh_sev_status_of(0), g.expect), c, g.kernel,
	                  g.cmdline, sev, smp, 0);
	idx[2] = s->nv - 1;
	snprintf(id, sizeof(id), "qemu-smp%d", smp);
	contender_qemu(scenario_add_variant(s, id, qemu_status_of(0), g.expect), c, g.kernel,
	               g.cmdline, smp);
	idx[3] = s->nv - 1;
}

void scenario_p1(struct scenario *s, const struct bench_config *c)
{
	int v[4];

	s->id = "P1";
	s->title = "boot to exit, 1 vCPU (exec to exit, wall ms)";
	s->runs = runs_or(c, 30, 2);
	add_boot_variants(s, c, 1, "off", v);
	int f = scenario_add_metric(s, "floor (split irqchip)", v[0], -1, 1, "ms");
	int q = scenario_add_metric(s, "qemu microvm", v[3], -1, 1, "ms");
	set_refs(&s->m[q], f, -1, 0, 0);
	set_refs(&s->m[scenario_add_metric(s, "floor (no irqchip)", v[1], -1, 1, "ms")], f, q, 0,
	         0);
	set_refs(&s->m[scenario_add_metric(s, "pvh-sev --sev=off", v[2], -1, 1, "ms")], f, q, 1.3,
	         0.1);
	snprintf(s->notes, sizeof(s->notes),
	         "guest: %.300s; targets: pvh-sev <= 1.3x floor, <= 0.1x "
	         "QEMU",
	         boot_guest(c).kernel);
	scenario_run_rounds(s, c);
	scenario_compute(s);
}

void scenario_p6(struct scenario *s, const struct bench_config *c)
{
	int v[4];

	s->id = "P6";
	s->title = "peak RSS (ru_maxrss, KiB), same guest";
	s->runs = runs_or(c, 5, 1);
	add_boot_variants(s, c, 1, "off", v);
	static const char *const names[4] = {"floor (split irqchip)", "floor (no irqchip)",
	                                     "pvh-sev --sev=off", "qemu microvm"};
	int f = -1, q = -1;
	for (int i = 0; i < 4; i++) {
		int m = scenario_add_metric(s, names[i], v[i], -1, 1, "KiB");
		s->m[m].field = FIELD_RSS;
		f = i == 0 ? m : f;
		q = i == 3 ? m : q;
	}
	for (int i = 1; i < s->nm; i++)
		set_refs(&s->m[i], f, i == q ? -1 : q, 0, 0);
	scenario_run_rounds(s, c);
	scenario_compute(s);
}
