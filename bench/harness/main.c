// SPDX-License-Identifier: MIT
/*
 * pvh-bench: pvh-sev side by side with QEMU and the bare-KVM floor (docs/performance.md).
 *   pvh-bench [--runs N] [--quick] [--json FILE] [--only P1,P3,P2L] [--loop N] [--require IDS]
 *             [--build DIR] [--pvh-sev PATH] [--hello PATH] [--bench-guest PATH]
 *             [--qemu PATH] [--openssl PATH] [--linux DIR] [--timeout S]
 * Exit status: 0 when the scenarios ran (skips are reported, not errors), 1 when a contender
 * named in --require did not run cleanly, 2 on usage or output errors, 77 without /dev/kvm.
 */
#include <getopt.h>
#include <libgen.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bench/harness/bench.h"

static void usage(FILE *out)
{
	fprintf(
	    out,
	    "usage: pvh-bench [--runs N] [--quick] [--json FILE] [--only P1,P3,...] [--loop N]\n"
	    "                 [--require floor,qemu,...] [--build DIR] [--pvh-sev PATH]\n"
	    "                 [--hello PATH] [--bench-guest PATH] [--qemu PATH] [--openssl PATH]\n"
	    "                 [--linux DIR] [--timeout SECONDS]\n"
	    "  --only IDS     scenarios to run: P1..P6, P2L (default: all)\n"
	    "  --linux DIR    make-linux-pvh-fixture.sh's output (vmlinux, initramfs.cpio.gz):\n"
	    "                 P2L boots it; without it P2L is skipped\n"
	    "  --timeout S    per run (default 60; P2L at least 600)\n");
}

/* The first existing `name` on PATH, or `name` itself (a skip reason will name it). */
static const char *find_on_path(const char *name)
{
	static char found[2][PATH_MAX];
	static int slot;
	const char *path = getenv("PATH");
	char *copy = strdup(path ? path : "/usr/bin:/bin"), *save = NULL;

	for (char *d = strtok_r(copy, ":", &save); d; d = strtok_r(NULL, ":", &save)) {
		char *out = found[slot];
		snprintf(out, PATH_MAX, "%s/%s", d, name);
		if (!access(out, X_OK)) {
			slot ^= 1;
			free(copy);
			return out;
		}
	}
	free(copy);
	return name;
}

static void path_in_build(char *out, size_t len, const struct bench_config *c, const char *rel,
                          int only_if_present)
{
	snprintf(out, len, "%s/%s", c->build_dir, rel);
	if (only_if_present && access(out, R_OK))
		out[0] = 0;
}

/* Defaults relative to the build tree this harness lives in (build/bench/pvh-bench). */
static void default_paths(struct bench_config *c)
{
	char self[PATH_MAX];
	ssize_t n = readlink("/proc/self/exe", self, sizeof(self) - 1);

	if (!c->build_dir[0] && n > 0) {
		self[n] = 0;
		snprintf(c->build_dir, sizeof(c->build_dir), "%s", dirname(dirname(self)));
	}
	path_in_build(c->floor, sizeof(c->floor), c, "bench/floor", 0);
	if (!c->benchguest[0])
		path_in_build(c->benchguest, sizeof(c->benchguest), c, "bench/benchguest.elf", 0);
	if (!c->pvh_sev[0])
		path_in_build(c->pvh_sev, sizeof(c->pvh_sev), c, "vmm/pvh-sev", 0);
	if (!c->hello[0])
		path_in_build(c->hello, sizeof(c->hello), c, "examples/hello.elf", 1);
	if (!c->qemu)
		c->qemu = find_on_path("qemu-system-x86_64");
	if (!c->openssl)
		c->openssl = find_on_path("openssl");
}

static int parse_count(const char *s, long max, long *out)
{
	char *end;
	long v = strtol(s, &end, 10);

	if (!*s || *end || v < 1 || v > max)
		return -1;
	*out = v;
	return 0;
}

struct cli {
	const char *json_path;
	const char *require; /* comma-separated variant id prefixes */
};

static int parse_args(int argc, char **argv, struct bench_config *c, struct cli *cli)
{
	static const struct option opts[] = {{"runs", required_argument, NULL, 'r'},
	                                     {"quick", no_argument, NULL, 'q'},
	                                     {"json", required_argument, NULL, 'j'},
	                                     {"only", required_argument, NULL, 'o'},
	                                     {"loop", required_argument, NULL, 'l'},
	                                     {"require", required_argument, NULL, 'R'},
	                                     {"build", required_argument, NULL, 'b'},
	                                     {"pvh-sev", required_argument, NULL, 'p'},
	                                     {"hello", required_argument, NULL, 'H'},
	                                     {"bench-guest", required_argument, NULL, 'g'},
	                                     {"linux", required_argument, NULL, 'L'},
	                                     {"qemu", required_argument, NULL, 'Q'},
	                                     {"openssl", required_argument, NULL, 'O'},
	                                     {"timeout", required_argument, NULL, 't'},
	                                     {"help", no_argument, NULL, 'h'},
	                                     {NULL, 0, NULL, 0}};
	long v;
	int ch, li = 0;

	while ((ch = getopt_long(argc, argv, "", opts, &li)) != -1) {
		if (ch == 'r' && !parse_count(optarg, BENCH_MAX_RUNS, &v))
			c->runs = (int)v;
		else if (ch == 'l' && !parse_count(optarg, 100000000, &v))
			c->loop_n = (uint32_t)v;
		else if (ch == 't' && !parse_count(optarg, 3600, &v))
			c->timeout_s = (double)v;
		else if (ch == 'o' && !bench_parse_only(optarg, &c->only))
			continue;
		else if (ch == 'q')
			c->quick = 1;
		else if (ch == 'j')
			cli->json_path = optarg;
		else if (ch == 'R')
			cli->require = optarg;
		else if (ch == 'b')
			snprintf(c->build_dir, sizeof(c->build_dir), "%s", optarg);
		else if (ch == 'p')
			snprintf(c->pvh_sev, sizeof(c->pvh_sev), "%s", optarg);
		else if (ch == 'H')
			snprintf(c->hello, sizeof(c->hello), "%s", optarg);
		else if (ch == 'g')
			snprintf(c->benchguest, sizeof(c->benchguest), "%s", optarg);
		else if (ch == 'L')
			snprintf(c->linux_dir, sizeof(c->linux_dir), "%s", optarg);
		else if (ch == 'Q')
			c->qemu = optarg;
		else if (ch == 'O')
			c->openssl = optarg;
		else if (ch == 'h') {
			usage(stdout);
			exit(0);
		} else {
			if (ch != '?')
				fprintf(stderr, "pvh-bench: bad value '%s' for --%s\n", optarg,
				        opts[li].name);
			usage(stderr);
			return -1;
		}
	}
	if (optind != argc) {
		usage(stderr);
		return -1;
	}
	return 0;
}

/* 0 when every variant whose id starts with one of the --require prefixes ran cleanly. */
static int check_required(const struct scenario *s, size_t count, const char *require)
{
	int bad = 0;

	for (size_t i = 0; require && i < count; i++)
		for (int j = 0; j < s[i].nv; j++) {
			const struct variant *v = &s[i].v[j];
			char *copy = strdup(require), *save = NULL;
			for (char *p = strtok_r(copy, ",", &save); p;
			     p = strtok_r(NULL, ",", &save))
				if (!strncmp(v->id, p, strlen(p)) &&
				    (v->skip[0] || v->fail[0] || !v->n)) {
					fprintf(stderr, "pvh-bench: %s %s did not run: %s\n",
					        s[i].id, v->id, v->skip[0] ? v->skip : v->fail);
					bad = 1;
					break;
				}
			free(copy);
		}
	return bad;
}

static int write_json(json_t *doc, const char *path)
{
	if (!path)
		return 0;
	if (json_dump_file(doc, path, JSON_INDENT(1) | JSON_REAL_PRECISION(6))) {
		fprintf(stderr, "pvh-bench: cannot write %s\n", path);
		return -1;
	}
	printf("\nJSON: %s\n", path);
	return 0;
}

int main(int argc, char **argv)
{
	static struct bench_config c = {.loop_n = 0, .timeout_s = 60};
	struct cli cli = {0};
	struct scenario *s = calloc(BENCH_N_SCENARIOS, sizeof(*s));
	size_t count = 0;

	if (!s || parse_args(argc, argv, &c, &cli))
		return 2;
	if (!c.loop_n)
		c.loop_n = c.quick ? 10000 : 100000;
	if (access("/dev/kvm", R_OK | W_OK)) {
		fprintf(stderr, "pvh-bench: /dev/kvm is not usable here: nothing to measure\n");
		return 77;
	}
	default_paths(&c);
	char load[64];
	output_loadavg(load, sizeof(load));
	printf("pvh-bench %s: %s mode, pvh-sev %s, load %s\n", PVH_SEV_VERSION,
	       c.quick ? "quick (smoke)" : "full", c.pvh_sev, load);
	for (int i = 0; i < BENCH_N_SCENARIOS; i++) {
		if (c.only && !(c.only & (1u << i)))
			continue;
		bench_scenarios[i].run(&s[count], &c);
		output_table(&s[count], 1);
		fflush(stdout);
		count++;
	}
	json_t *doc = output_json(s, count, &c, load);
	int r = write_json(doc, cli.json_path) ? 2 : check_required(s, count, cli.require);
	json_decref(doc);
	for (size_t i = 0; i < count; i++)
		json_decref(s[i].extra);
	free(s);
	return r;
}
