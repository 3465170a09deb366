/* SPDX-License-Identifier: MIT */
/*
 * ADAPTERS: every place the harness depends on another program's command line or output.
 * The parsers follow pvh-sev's `run --report` and `measure --json` output as of main 8baf4d9;
 * they accept the shapes listed at each function and are the only code to change if it moves.
 */
#ifndef PVH_BENCH_ADAPTERS_H
#define PVH_BENCH_ADAPTERS_H

#include <stddef.h>

#include "bench/harness/bench.h"

/* What a boot loads and with how much: the same for every contender of a row. */
struct boot_spec {
	const char *kernel;
	const char *cmdline; /* or NULL */
	const char *initrd;  /* or NULL */
	int smp;
	int mem_mib; /* 0: the contender's default (256 MiB for both) */
};

/* Command lines (contenders.c). Each appends the whole argv to an empty variant. */
int contender_floor(struct variant *v, const struct bench_config *c, const char *kernel,
                    const char *cmdline, const char *irqchip);
/* QEMU microvm: `-m M -smp N ... -kernel K [-initrd F] [-append S]` */
int contender_qemu_boot(struct variant *v, const struct bench_config *c, const struct boot_spec *b);
int contender_qemu(struct variant *v, const struct bench_config *c, const char *kernel,
                   const char *cmdline, int smp);
/* `pvh-sev run KERNEL --sev=SEV --smp N [--mem MM] [--initrd F] [--cmdline S] [--report FILE]`;
 * report: 1 to ask. */
int contender_pvh_sev_boot(struct variant *v, const struct bench_config *c,
                           const struct boot_spec *b, const char *sev, int report);
int contender_pvh_sev(struct variant *v, const struct bench_config *c, const char *kernel,
                      const char *cmdline, const char *sev, int smp, int report);
/* `pvh-sev measure KERNEL [--initrd F] --json` */
int contender_pvh_sev_measure(struct variant *v, const struct bench_config *c, const char *kernel,
                              const char *initrd);
/* QEMU's isa-debug-exit turns the guest's value v into the status (v << 1) | 1. */
int qemu_status_of(int guest_value);
/* pvh-sev exits with the guest's exit-port value (abi.md section 2). */
int pvh_sev_status_of(int guest_value);

/*
 * pvh-sev's launch report (launch.md section 6): appends one sample per launch step to v.
 * Accepted: {"timings": {"step": N, ...}} or {"timings": [{"step"|"name": S, "ms"|"us"|"ns": N}]};
 * in the object form a key ending in _us/_ns/_ms gives the unit (default ms), as does a
 * "timings_us" or "timings_ms" object. Returns the number of steps found, or -EINVAL.
 */
int adapter_report_steps(const char *json_text, struct variant *v);

/* The mode the launch report says actually ran ("mode": "emulated"), into out. 0 or -EINVAL. */
int adapter_report_mode(const char *json_text, char *out, size_t len);

/*
 * `pvh-sev measure --json`: the bytes the launch measures, from "measured_bytes", else the sum
 * of "blobs": [{"size": N}] (each blob is what one LAUNCH_UPDATE hashes). 0 or -EINVAL.
 */
int adapter_measure_bytes(const char *json_text, double *measured);

/*
 * The content those measured pages carry: the sum of the run report's "regions": [{"size": N}]
 * (the region list: every boot artefact at its own length). 0 or -EINVAL.
 */
int adapter_report_content(const char *json_text, double *content);

/* `openssl speed -evp sha256 -bytes B`: the last "sha256 ... Nk" line, in bytes per second. */
int adapter_openssl_speed(const char *text, double *bytes_per_s);

#endif
