// SPDX-License-Identifier: MIT
/* The scenarios and --only's choice among them. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "bench/harness/bench.h"

/* P2L last: its Linux boots take the longest, the short scenarios' tables come first. */
const struct scenario_def bench_scenarios[BENCH_N_SCENARIOS] = {
    {"P1", scenario_p1}, {"P2", scenario_p2}, {"P3", scenario_p3},  {"P4", scenario_p4},
    {"P5", scenario_p5}, {"P6", scenario_p6}, {"P2L", scenario_p2l}};

static int scenario_index(const char *id)
{
	for (int i = 0; i < BENCH_N_SCENARIOS; i++)
		if (!strcasecmp(id, bench_scenarios[i].id))
			return i;
	return -1;
}

int bench_parse_only(const char *list, unsigned *mask)
{
	char *copy = strdup(list), *save = NULL;
	int r = 0;

	*mask = 0;
	if (!copy)
		return -ENOMEM;
	for (char *t = strtok_r(copy, ",", &save); t; t = strtok_r(NULL, ",", &save)) {
		int i = scenario_index(t);
		if (i < 0)
			r = -EINVAL;
		else
			*mask |= 1u << i;
	}
	free(copy);
	return r || !*mask ? -EINVAL : 0;
}
