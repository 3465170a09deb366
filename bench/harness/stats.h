/* SPDX-License-Identifier: MIT */
/* Order statistics of a sample: median and spread, robust on a noisy shared machine. */
#ifndef PVH_BENCH_STATS_H
#define PVH_BENCH_STATS_H

#include <stddef.h>

struct stats {
	size_t n;
	double median;
	double p10;
	double p90;
	double min;
	double max;
};

/*
 * Fills *st from v[0..n) (v is left unchanged). Percentiles interpolate linearly between the
 * closest ranks. Returns 0, or -EINVAL for n == 0, n too large, or a NaN in v.
 */
int stats_compute(const double *v, size_t n, struct stats *st);

#endif
