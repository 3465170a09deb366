// SPDX-License-Identifier: MIT
/*
 * floor: the bare-KVM floor program of the benchmarks.
 *   floor [--mem MIB] [--irqchip split|none|full] [--cmdline S] [--timings] KERNEL
 *   floor [--irqchip ...] [--timings] --exit-loop N
 * --irqchip defaults to split: on this host a split irqchip (in-kernel LAPIC only) boots and
 * tears down faster than no irqchip at all, so it is the least a VMM can spend.
 * Boots a PVH ELF (or the built-in loop of N port-I/O exits) on one vCPU, prints the guest's
 * debugcon/COM1 output, and exits with the value the guest wrote to the exit port.
 * Exit status: the guest's value (low 8 bits), or 120 when the run failed, 121 on usage errors.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "bench/floor/floor.h"

#define EXIT_FAILED 120
#define EXIT_USAGE 121

struct options {
	const char *kernel;
	const char *cmdline;
	unsigned long mem_mib;
	enum floor_irqchip irqchip;
	long exit_loop; /* -1: boot the kernel */
	int timings;
};

/* Step timestamps for --timings: where the floor's time goes on this host. */
static struct timespec t_steps[4];

static double ms_between(int a, int b)
{
	return (double)(t_steps[b].tv_sec - t_steps[a].tv_sec) * 1e3 +
	       (double)(t_steps[b].tv_nsec - t_steps[a].tv_nsec) / 1e6;
}

static void usage(FILE *out)
{
	fprintf(out, "usage: floor [--mem MIB] [--irqchip none|split|full] [--cmdline S] "
	             "[--timings] KERNEL\n"
	             "       floor [--irqchip none|split|full] [--timings] --exit-loop N\n");
}

static int parse_irqchip(const char *s, enum floor_irqchip *out)
{
	static const char *const names[] = {"none", "split", "full"};

	for (int i = 0; i < 3; i++)
		if (!strcmp(s, names[i])) {
			*out = (enum floor_irqchip)i;
			return 0;
		}
	return -1;
}

static int parse_number(const char *s, unsigned long max, unsigned long *out)
{
	char *end;

	unsigned long v = strtoul(s, &end, 0);
	if (!*s || *end || v > max || s[0] == '-')
		return -1;
	*out = v;
	return 0;
}

static int parse_options(int argc, char **argv, struct options *o)
{
	static const struct option longopts[] = {{"mem", required_argument, NULL, 'm'},
	                                         {"irqchip", required_argument, NULL, 'i'},
	                                         {"cmdline", required_argument, NULL, 'c'},
	                                         {"exit-loop", required_argument, NULL, 'n'},
	                                         {"timings", no_argument, NULL, 't'},
	                                         {"help", no_argument, NULL, 'h'},
	                                         {NULL, 0, NULL, 0}};
	unsigned long v;
	int c;

	/* Split irqchip by default: here it is the cheaper set-up (docs/performance.md). */
	*o = (struct options){
	    .cmdline = "", .mem_mib = 256, .irqchip = FLOOR_IRQCHIP_SPLIT, .exit_loop = -1};
	while ((c = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
		if (c == 'm' && (parse_number(optarg, 65536, &o->mem_mib) || o->mem_mib < 2)) {
			fprintf(stderr, "floor: --mem wants MiB between 2 and 65536, not '%s'\n",
			        optarg);
			return -1;
		} else if (c == 'i' && parse_irqchip(optarg, &o->irqchip)) {
			fprintf(stderr, "floor: --irqchip wants none, split or full, not '%s'\n",
			        optarg);
			return -1;
		} else if (c == 'n') {
			if (parse_number(optarg, UINT32_MAX, &v)) {
				fprintf(stderr, "floor: --exit-loop wants a count, not '%s'\n",
				        optarg);
				return -1;
			}
			o->exit_loop = (long)v;
		} else if (c == 'c') {
			o->cmdline = optarg;
		} else if (c == 't') {
			o->timings = 1;
		} else if (c == 'h') {
			usage(stdout);
			exit(0);
		} else if (c == '?') {
			usage(stderr);
			return -1;
		}
	}
	if (o->exit_loop < 0 && optind != argc - 1) {
		usage(stderr);
		return -1;
	}
	o->kernel = o->exit_loop < 0 ? argv[optind] : NULL;
	return 0;
}

int main(int argc, char **argv)
{
	struct options o;
	struct floor_vm f;
	char err[256] = "";
	uint32_t entry = 0, start_info = 0, status = 0;
	int r;

	if (parse_options(argc, argv, &o))
		return EXIT_USAGE;
	clock_gettime(CLOCK_MONOTONIC, &t_steps[0]);
	r = floor_vm_create(&f, o.mem_mib << 20, o.irqchip, err, sizeof(err));
	clock_gettime(CLOCK_MONOTONIC, &t_steps[1]);
	if (!r && o.kernel)
		r = floor_load_elf(&f, o.kernel, &entry, err, sizeof(err));
	else if (!r)
		floor_load_exit_loop(&f, (uint32_t)o.exit_loop, &entry);
	if (!r)
		r = floor_boot_data(&f, o.cmdline, &start_info, err, sizeof(err));
	if (r) {
		fprintf(stderr, "floor: %s\n", err);
		return EXIT_FAILED;
	}
	floor_vcpu_entry_state(&f, entry, start_info);
	clock_gettime(CLOCK_MONOTONIC, &t_steps[2]);
	r = floor_run(&f, &status, err, sizeof(err));
	clock_gettime(CLOCK_MONOTONIC, &t_steps[3]);
	fflush(stdout);
	if (r) {
		fprintf(stderr, "floor: %s\n", err);
		return EXIT_FAILED;
	}
	if (o.timings)
		fprintf(stderr, "floor: vm+vcpu %.3f ms, load %.3f ms, run %.3f ms\n",
		        ms_between(0, 1), ms_between(1, 2), ms_between(2, 3));
	return (int)(status & 0xff);
}
