// SPDX-License-Identifier: MIT
/*
 * P3: the cost of one exit round trip. Each contender runs the benchmark guest twice per round,
 * once idle (n=0) and once with N exits; the row is (T_N - T_0) / N in µs, per round, so boot
 * cost and load shifts between rounds cancel out.
 */
#include <stdio.h>

#include "bench/harness/adapters.h"
#include "bench/harness/bench.h"

static int add_guest_run(struct scenario *s, const struct bench_config *c, const char *who,
                         const char *kind, uint32_t n, const char *sev)
{
	static char expect[BENCH_MAX_VARIANTS][96];
	char id[48], cmdline[64];
	struct variant *v;

	snprintf(cmdline, sizeof(cmdline), "kind=%s n=%u", kind, n);
	snprintf(expect[s->nv], sizeof(expect[0]), "bench guest: %s ok", cmdline);
	snprintf(id, sizeof(id), "%s%s%s-%s-%u", who, sev ? "-" : "", sev ? sev : "", kind, n);
	if (who[0] == 'f') {
		v = scenario_add_variant(s, id, 0, expect[s->nv]);
		contender_floor(v, c, c->benchguest, cmdline, NULL);
	} else if (who[0] == 'p') {
		v = scenario_add_variant(s, id, pvh_sev_status_of(0), expect[s->nv]);
		contender_pvh_sev(v, c, c->benchguest, cmdline, sev, 1, 0);
	} else {
		v = scenario_add_variant(s, id, qemu_status_of(0), expect[s->nv]);
		contender_qemu(v, c, c->benchguest, cmdline, 1);
	}
	return s->nv - 1;
}

static int add_builtin_loop(struct scenario *s, const struct bench_config *c, uint32_t n)
{
	char id[48];

	snprintf(id, sizeof(id), "floor-builtin-%u", n);
	struct variant *v = scenario_add_variant(s, id, 0, NULL);
	variant_arg(v, "%s", c->floor);
	variant_arg(v, "--exit-loop=%u", n);
	variant_skip_unless_file(v, c->floor, "the floor program");
	return s->nv - 1;
}

static int per_exit(struct scenario *s, const char *name, int with, int without, uint32_t n)
{
	return scenario_add_metric(s, name, with, without, n / 1000.0, "us/exit");
}

void scenario_p3(struct scenario *s, const struct bench_config *c)
{
	uint32_t n = c->loop_n;

	s->id = "P3";
	s->title = "exit round trip: (T(n exits) - T(0)) / n, per round";
	s->runs = c->runs ? c->runs : c->quick ? 1 : 5;
	s->no_warmup = 1;
	int f0 = add_guest_run(s, c, "floor", "none", 0, NULL);
	int fo = add_guest_run(s, c, "floor", "out", n, NULL);
	int fg = add_guest_run(s, c, "floor", "ghcb", n, NULL);
	int b0 = add_builtin_loop(s, c, 0);
	int bn = add_builtin_loop(s, c, n);
	int p0 = add_guest_run(s, c, "pvh-sev", "none", 0, "off");
	int po = add_guest_run(s, c, "pvh-sev", "out", n, "off");
	int e0 = add_guest_run(s, c, "pvh-sev", "none", 0, "emulated");
	int eg = add_guest_run(s, c, "pvh-sev", "ghcb", n, "emulated");
	int q0 = add_guest_run(s, c, "qemu", "none", 0, NULL);
	int qo = add_guest_run(s, c, "qemu", "out", n, NULL);

	int mfo = per_exit(s, "floor: port I/O", fo, f0, n);
	int mfg = per_exit(s, "floor: GHCB MSR call", fg, f0, n);
	s->m[per_exit(s, "floor built-in loop: port I/O", bn, b0, n)].ref_floor = mfo;
	int m = per_exit(s, "pvh-sev --sev=off: port I/O", po, p0, n);
	s->m[m].ref_floor = mfo;
	s->m[m].target_floor = 1.2;
	m = per_exit(s, "pvh-sev --sev=emulated: GHCB MSR call", eg, e0, n);
	s->m[m].ref_floor = mfg;
	s->m[m].target_floor = 1.2;
	s->m[per_exit(s, "qemu microvm: port I/O", qo, q0, n)].ref_floor = mfo;
	snprintf(s->notes, sizeof(s->notes),
	         "n=%u; port I/O = one OUT to port 0x80; GHCB MSR call = WRMSR 0xC0010130 (CPUID "
	         "request), VMGEXIT, RDMSR; target: pvh-sev <= 1.2x floor",
	         n);
	scenario_run_rounds(s, c);
	scenario_compute(s);
}
