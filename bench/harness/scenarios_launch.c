// SPDX-License-Identifier: MIT
/*
 * P2 (SMP and emulated SEV launch), P2L (the same against QEMU with Debian's Linux) and P4 (AP
 * bring-up): pvh-sev variants of the boot run.
 */
#include <stdio.h>
#include <string.h>

#include "bench/harness/adapters.h"
#include "bench/harness/bench.h"

#define BOOT_OUTPUT "bench guest: kind=none n=0 ok"

static int runs_or(const struct bench_config *c, int full, int quick)
{
	return c->runs ? c->runs : c->quick ? quick : full;
}

static int add_pvh(struct scenario *s, const struct bench_config *c, const char *kernel,
                   const char *cmdline, const char *expect, const char *sev, int smp, int report)
{
	char id[48];

	snprintf(id, sizeof(id), "pvh-sev-%s-smp%d", sev, smp);
	contender_pvh_sev(scenario_add_variant(s, id, pvh_sev_status_of(0), expect), c, kernel,
	                  cmdline, sev, smp, report);
	return s->nv - 1;
}

static int add_qemu(struct scenario *s, const struct bench_config *c, int smp)
{
	char id[48];

	snprintf(id, sizeof(id), "qemu-smp%d", smp);
	contender_qemu(scenario_add_variant(s, id, qemu_status_of(0), BOOT_OUTPUT), c,
	               c->benchguest, "kind=none", smp);
	return s->nv - 1;
}

static int metric(struct scenario *s, const char *name, int a, int b, int rf, int rq)
{
	int m = scenario_add_metric(s, name, a, b, 1, "ms");

	s->m[m].ref_floor = rf;
	s->m[m].ref_qemu = rq;
	return m;
}

/* The launch steps pvh-sev's report gave for variant v, into s->extra and s->notes. */
static void collect_steps(struct scenario *s, const struct variant *v)
{
	json_t *steps = json_array();
	size_t len = 0;

	if (v->nsteps)
		len = (size_t)snprintf(s->notes, sizeof(s->notes),
		                       "launch steps of --sev=emulated (report timings, median):");

	for (size_t i = 0; i < v->nsteps; i++) {
		struct stats st;
		if (stats_compute(v->steps[i].ms, v->steps[i].n, &st))
			continue;
		json_array_append_new(steps,
		                      json_pack("{s:s, s:f, s:f, s:f, s:i}", "step",
		                                v->steps[i].name, "median_ms", st.median, "p10_ms",
		                                st.p10, "p90_ms", st.p90, "n", (int)st.n));
		len += (size_t)snprintf(s->notes + len,
		                        sizeof(s->notes) > len ? sizeof(s->notes) - len : 0,
		                        "\n    %s: %.3f ms", v->steps[i].name, st.median);
		if (len >= sizeof(s->notes))
			break;
	}
	json_object_set_new(s->extra, "launch_steps", steps);
}

void scenario_p2(struct scenario *s, const struct bench_config *c)
{
	const char *k = c->benchguest, *cmd = "kind=none";

	s->id = "P2";
	s->title = "boot to exit: --smp 4 and --sev=emulated (wall ms)";
	s->runs = runs_or(c, 20, 2);
	s->extra = json_object();
	struct variant *fv = scenario_add_variant(s, "floor", 0, BOOT_OUTPUT);
	contender_floor(fv, c, k, cmd, NULL);
	int vf = s->nv - 1;
	int v1 = add_pvh(s, c, k, cmd, BOOT_OUTPUT, "off", 1, 0);
	int v4 = add_pvh(s, c, k, cmd, BOOT_OUTPUT, "off", 4, 0);
	int ve = add_pvh(s, c, k, cmd, BOOT_OUTPUT, "emulated", 1, 1);
	int q1 = add_qemu(s, c, 1);
	int q4 = add_qemu(s, c, 4);

	int mf = metric(s, "floor (1 vCPU)", vf, -1, -1, -1);
	int mq1 = metric(s, "qemu microvm -smp 1", q1, -1, mf, -1);
	int mq4 = metric(s, "qemu microvm -smp 4", q4, -1, mf, -1);
	metric(s, "pvh-sev --sev=off --smp 1", v1, -1, mf, mq1);
	metric(s, "pvh-sev --sev=off --smp 4", v4, -1, mf, mq4);
	metric(s, "pvh-sev --sev=emulated --smp 1", ve, -1, mf, mq1);
	metric(s, "  +3 vCPUs: pvh-sev (smp4 - smp1)", v4, v1, -1, -1);
	metric(s, "  +3 vCPUs: qemu (smp4 - smp1)", q4, q1, -1, -1);
	metric(s, "  launch+measure: emulated - off", ve, v1, -1, -1);
	scenario_run_rounds(s, c);
	scenario_compute(s);
	collect_steps(s, &s->v[ve]);
}

/*
 * The integration tests' command line (tests/integration/linux_fixture.sh): /init powers off
 * through ACPI, and both VMMs end with 0. Not /init's port ending: a write to QEMU's
 * isa-debug-exit ends it at once, while the kernel's tty still holds the end of /init's line
 * (seen in the lane: "PVH-INIT-OK cp"), so QEMU's runs would not count.
 */
#define LINUX_CMDLINE "console=ttyS0 earlyprintk=serial,ttyS0 pvh_exit=poweroff"
#define LINUX_OUTPUT "PVH-INIT-OK cpus=4 online=0-3"

/* Linux's own word that it runs as an SEV-ES guest: --sev=emulated did not fall back. */
static int check_linux_sev_es(const char *out)
{
	return strstr(out, "Memory Encryption Features active: AMD SEV SEV-ES") ? 0 : -1;
}

static struct variant *add_linux(struct scenario *s, const char *id, int expect_status)
{
	return scenario_add_variant(s, id, expect_status, LINUX_OUTPUT);
}

/*
 * P2L without running it: make-linux-pvh-fixture.sh's vmlinux and initramfs in --linux DIR,
 * 4 vCPUs and 512 MiB (as the integration tests boot it) under pvh-sev off and emulated and
 * QEMU microvm, one run of each per round. Without --linux the scenario is skipped.
 */
void scenario_p2l_setup(struct scenario *s, const struct bench_config *c)
{
	char kernel[sizeof(c->linux_dir) + 16], initrd[sizeof(c->linux_dir) + 24];
	const struct boot_spec b = {kernel, LINUX_CMDLINE, initrd, 4, 512};

	s->id = "P2L";
	s->title = "Debian's Linux to its /init, 4 vCPUs (exec to exit, wall ms)";
	s->runs = runs_or(c, 5, 1);
	s->no_warmup = 1;
	s->min_timeout_s = 600;
	if (!c->linux_dir[0]) {
		snprintf(s->skip, sizeof(s->skip),
		         "no Linux fixture (--linux DIR: make-linux-pvh-fixture.sh's output)");
		return;
	}
	snprintf(kernel, sizeof(kernel), "%s/vmlinux", c->linux_dir);
	snprintf(initrd, sizeof(initrd), "%s/initramfs.cpio.gz", c->linux_dir);
	contender_pvh_sev_boot(add_linux(s, "pvh-sev-off-linux-smp4", pvh_sev_status_of(0)), c, &b,
	                       "off", 0);
	int voff = s->nv - 1;
	struct variant *ve = add_linux(s, "pvh-sev-emulated-linux-smp4", pvh_sev_status_of(0));
	int vemu = s->nv - 1;
	ve->check_output = check_linux_sev_es;
	ve->check_name = "the SEV-ES check (Linux's \"Memory Encryption Features active\" line)";
	contender_pvh_sev_boot(ve, c, &b, "emulated", 0);
	contender_qemu_boot(add_linux(s, "qemu-linux-smp4", 0), c, &b);
	int vq = s->nv - 1;

	int mq = metric(s, "qemu microvm -smp 4", vq, -1, -1, -1);
	int m = metric(s, "pvh-sev --sev=off --smp 4", voff, -1, -1, mq);
	s->m[m].target_qemu = 0.8;
	metric(s, "pvh-sev --sev=emulated --smp 4", vemu, -1, -1, mq);
	metric(s, "  emulated - off", vemu, voff, -1, -1);
	snprintf(s->notes, sizeof(s->notes),
	         "%.200s/{vmlinux,initramfs.cpio.gz}, --cmdline \"%s\", 512 MiB, all contenders; "
	         "target: pvh-sev --sev=off <= 0.8x QEMU",
	         c->linux_dir, LINUX_CMDLINE);
}

void scenario_p2l(struct scenario *s, const struct bench_config *c)
{
	scenario_p2l_setup(s, c);
	if (s->skip[0])
		return;
	scenario_run_rounds(s, c);
	scenario_compute(s);
}

/* One pvh-sev run of the bench guest: `kind` at --smp `smp`; returns the variant index. */
static int add_smp_run(struct scenario *s, const struct bench_config *c, const char *kind,
                       const char *sev, int smp)
{
	static char expect[BENCH_MAX_VARIANTS][64];
	char id[48], cmdline[32];

	snprintf(id, sizeof(id), "pvh-sev-%s-%s-smp%d", sev, kind, smp);
	snprintf(cmdline, sizeof(cmdline), "kind=%s", kind);
	snprintf(expect[s->nv], sizeof(expect[0]), "bench guest: kind=%s n=%d ok", kind,
	         strcmp(kind, "smp") ? 0 : smp - 1);
	contender_pvh_sev(scenario_add_variant(s, id, pvh_sev_status_of(0), expect[s->nv]), c,
	                  c->benchguest, cmdline, sev, smp, 0);
	return s->nv - 1;
}

/*
 * P4: the bench guest with kind=smp starts all its APs through the bring-up page at once and
 * waits for them; kind=none at the same --smp is its baseline (same vCPUs created, none
 * started). The row is the difference, per round.
 */
void scenario_p4(struct scenario *s, const struct bench_config *c)
{
	static const int smp[3] = {2, 5, 65};
	static const char *const modes[2] = {"off", "emulated"};

	s->id = "P4";
	s->title = "AP bring-up via the bring-up page: T(start all APs) - T(idle), same --smp";
	s->runs = runs_or(c, 10, 1);
	for (int mo = 0; mo < 2; mo++)
		for (int i = 0; i < 3; i++) {
			char name[64];
			int idle = add_smp_run(s, c, "none", modes[mo], smp[i]);
			int up = add_smp_run(s, c, "smp", modes[mo], smp[i]);
			snprintf(name, sizeof(name), "pvh-sev --sev=%s: %d AP%s", modes[mo],
			         smp[i] - 1, smp[i] > 2 ? "s" : "");
			scenario_add_metric(s, name, up, idle, 1, "ms");
		}
	snprintf(s->notes, sizeof(s->notes),
	         "per AP = row / APs; the floor has one vCPU by design (host.md: ~0.1 ms from "
	         "doorbell to an AP's first instruction)");
	scenario_run_rounds(s, c);
	scenario_compute(s);
}
