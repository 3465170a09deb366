// SPDX-License-Identifier: MIT
#include "bench/harness/stats.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#define STATS_MAX_N 4096

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

/* The q-quantile (0..1) of sorted s[0..n), interpolated between the two closest ranks. */
static double quantile(const double *s, size_t n, double q)
{
	double pos = q * (double)(n - 1);
	size_t lo = (size_t)pos;

	if (lo + 1 >= n)
		return s[n - 1];
	return s[lo] + (pos - (double)lo) * (s[lo + 1] - s[lo]);
}

int stats_compute(const double *v, size_t n, struct stats *st)
{
	double s[STATS_MAX_N];

	if (n == 0 || n > STATS_MAX_N)
		return -EINVAL;
	for (size_t i = 0; i < n; i++)
		if (isnan(v[i]))
			return -EINVAL;
	memcpy(s, v, n * sizeof(*s));
	qsort(s, n, sizeof(*s), cmp_double);
	st->n = n;
	st->min = s[0];
	st->max = s[n - 1];
	st->median = quantile(s, n, 0.5);
	st->p10 = quantile(s, n, 0.1);
	st->p90 = quantile(s, n, 0.9);
	return 0;
}
