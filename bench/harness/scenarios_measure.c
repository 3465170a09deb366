// SPDX-License-Identifier: MIT
/*
 * P5: measurement cost. `pvh-sev measure` with and without an initrd of known size: the extra
 * time over the extra measured bytes is the LD hashing throughput, compared with
 * `openssl speed -evp sha256` on 4 KiB blocks (the launch measures 4 KiB pages).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bench/harness/adapters.h"
#include "bench/harness/bench.h"
#include "bench/harness/spawn.h"

/* An initrd of `size` bytes of xorshift noise (no page is all zero, none repeats). */
static int make_initrd(const char *path, size_t size)
{
	static uint64_t buf[8192];
	uint64_t x = 0x9e3779b97f4a7c15ull;
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);

	if (fd < 0)
		return -errno;
	for (size_t done = 0; done < size; done += sizeof(buf)) {
		for (size_t i = 0; i < 8192; i++) {
			x ^= x << 13;
			x ^= x >> 7;
			x ^= x << 17;
			buf[i] = x;
		}
		if (write(fd, buf, sizeof(buf)) != (ssize_t)sizeof(buf)) {
			close(fd);
			return -EIO;
		}
	}
	return close(fd) ? -errno : 0;
}

static void append_note(struct scenario *s, const char *text)
{
	size_t len = strlen(s->notes);

	snprintf(s->notes + len, sizeof(s->notes) - len, "\n    %s", text);
}

static int check_measure_output(const char *out)
{
	double m;

	return adapter_measure_bytes(out, &m);
}

/*
 * The content bytes behind a measurement: one `pvh-sev run --sev=emulated --report` of the same
 * kernel and initrd (the bench guest exits at once) and the sizes of its region list.
 */
static int content_bytes(const struct bench_config *c, const char *initrd, double *content)
{
	static struct spawn_result res;
	static char report[65536];
	char path[64];
	struct variant *v = calloc(1, sizeof(*v));
	int r = -ENOMEM;

	if (!v)
		return r;
	snprintf(path, sizeof(path), "/tmp/pvh-bench-content-%d.json", (int)getpid());
	if (variant_arg(v, "%s", c->pvh_sev) || variant_arg(v, "run") ||
	    variant_arg(v, "%s", c->benchguest) || variant_arg(v, "--sev=emulated") ||
	    variant_arg(v, "--report=%s", path) ||
	    (initrd && variant_arg(v, "--initrd=%s", initrd)))
		r = -E2BIG;
	else
		r = spawn_measure(v->argv, 60, &res);
	FILE *f = r ? NULL : fopen(path, "r");
	size_t len = f ? fread(report, 1, sizeof(report) - 1, f) : 0;
	if (f)
		fclose(f);
	report[len] = 0;
	if (!r)
		r = adapter_report_content(report, content);
	unlink(path);
	free(v);
	return r;
}

static void openssl_reference(struct scenario *s, const struct bench_config *c, double *bps)
{
	static struct spawn_result res;
	char *argv[] = {(char *)c->openssl, "speed", "-seconds", "1", "-bytes", "4096", "-evp",
	                "sha256",           NULL};

	*bps = 0;
	if (access(c->openssl, X_OK) || spawn_measure(argv, 60, &res) || !res.exited ||
	    res.status || adapter_openssl_speed(res.out, bps)) {
		json_object_set_new(s->extra, "openssl_sha256", json_string("unavailable"));
		return;
	}
	json_object_set_new(s->extra, "openssl_sha256_MBps", json_real(*bps / 1e6));
	char line[96];
	snprintf(line, sizeof(line), "openssl speed -evp sha256, 4 KiB blocks: %.0f MB/s",
	         *bps / 1e6);
	append_note(s, line);
}

/* Measured bytes (from the measure runs) and content bytes (from a report), with and without
 * the initrd, into the note and s->extra. */
static int measured_sizes(struct scenario *s, const struct bench_config *c, const char *initrd,
                          int vk, int vi, double *mk, double *mi)
{
	double ck = -1, ci = -1;
	char line[200];

	if (adapter_measure_bytes(s->v[vk].last_out, mk) ||
	    adapter_measure_bytes(s->v[vi].last_out, mi))
		return -1;
	if (content_bytes(c, NULL, &ck) || content_bytes(c, initrd, &ci))
		ck = ci = -1; /* unknown: the table still gets the measured bytes */
	json_object_set_new(s->extra, "kernel",
	                    json_pack("{s:f, s:f}", "measured_bytes", *mk, "content_bytes", ck));
	json_object_set_new(s->extra, "kernel_initrd",
	                    json_pack("{s:f, s:f}", "measured_bytes", *mi, "content_bytes", ci));
	snprintf(line, sizeof(line),
	         "measured/content bytes: kernel %.0f/%.0f (%.2fx), with initrd %.0f/%.0f (%.3fx)",
	         *mk, ck, ck > 0 ? *mk / ck : 0, *mi, ci, ci > 0 ? *mi / ci : 0);
	append_note(s, line);
	return 0;
}

/* Per round: the initrd's extra measured bytes over the extra time they took. */
static void throughput(struct scenario *s, const struct bench_config *c, const char *initrd, int vk,
                       int vi, double ossl)
{
	const struct variant *k = &s->v[vk], *i = &s->v[vi];
	double mk, mi, q[BENCH_MAX_RUNS];
	size_t n = 0;
	struct stats st;
	char line[160];

	if (!k->n || !i->n || measured_sizes(s, c, initrd, vk, vi, &mk, &mi))
		return;
	for (size_t r = 0; r < k->n && r < i->n; r++)
		if (i->wall_ms[r] > k->wall_ms[r])
			q[n++] = (mi - mk) / ((i->wall_ms[r] - k->wall_ms[r]) / 1e3) / 1e6;
	if (!n || stats_compute(q, n, &st))
		return;
	json_object_set_new(s->extra, "ld_hashing_MBps",
	                    json_pack("{s:f, s:f, s:f, s:i}", "median", st.median, "p10", st.p10,
	                              "p90", st.p90, "n", (int)st.n));
	snprintf(line, sizeof(line), "LD hashing %.0f MB/s [%.0f-%.0f] = %.2fx openssl sha256",
	         st.median, st.p10, st.p90, ossl > 0 ? st.median * 1e6 / ossl : 0);
	append_note(s, line);
}

void scenario_p5(struct scenario *s, const struct bench_config *c)
{
	size_t size = (c->quick ? 4u : 64u) << 20;
	char initrd[64];
	double ossl;

	s->id = "P5";
	s->title = "measurement cost: pvh-sev measure (wall ms)";
	s->runs = c->runs ? c->runs : c->quick ? 1 : 5;
	s->extra = json_object();
	snprintf(initrd, sizeof(initrd), "/tmp/pvh-bench-initrd-%d.bin", (int)getpid());
	int vk = s->nv;
	contender_pvh_sev_measure(scenario_add_variant(s, "measure-kernel", 0, NULL), c,
	                          c->benchguest, NULL);
	int vi = s->nv;
	contender_pvh_sev_measure(scenario_add_variant(s, "measure-kernel-initrd", 0, NULL), c,
	                          c->benchguest, initrd);
	for (int i = vk; i <= vi; i++) {
		s->v[i].check_output = check_measure_output;
		s->v[i].check_name = "adapter_measure_bytes";
	}
	scenario_add_metric(s, "pvh-sev measure: kernel", vk, -1, 1, "ms");
	scenario_add_metric(s, "pvh-sev measure: kernel + initrd", vi, -1, 1, "ms");
	snprintf(s->notes, sizeof(s->notes), "initrd: %zu MiB of noise", size >> 20);
	openssl_reference(s, c, &ossl);
	if (!s->v[vi].skip[0] && make_initrd(initrd, size))
		snprintf(s->v[vi].skip, sizeof(s->v[vi].skip), "cannot write %s", initrd);
	scenario_run_rounds(s, c);
	scenario_compute(s);
	throughput(s, c, initrd, vk, vi, ossl);
	unlink(initrd);
}
