// SPDX-License-Identifier: MIT
/* Region list -> page runs: what LAUNCH_UPDATE_DATA is issued over (launch.md section 3). */
#include "sev/launch.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct extent {
	gpa_t lo, hi, gpa;
	size_t index;
	const char *name;
};

static int extent_cmp(const void *a, const void *b)
{
	const struct extent *x = a, *y = b;
	if (x->gpa != y->gpa)
		return x->gpa < y->gpa ? -1 : 1;
	return x->index < y->index ? -1 : (x->index > y->index);
}

static void append_name(struct sev_page_run *run, const char *name)
{
	size_t used = strlen(run->name);
	if (used)
		snprintf(run->name + used, sizeof(run->name) - used, "+%s", name);
	else
		snprintf(run->name, sizeof(run->name), "%s", name);
}

static int collect_extents(const struct region_list *l, struct extent *ex, size_t *n)
{
	*n = 0;
	for (size_t i = 0; i < l->n; i++) {
		const struct region *g = &l->v[i];
		if (g->size == 0)
			continue; /* KVM rejects a zero-length UPDATE_DATA; nothing to measure */
		gpa_t end = g->gpa + g->size;
		if (end < g->gpa || PAGE_UP(end) < end)
			return -EINVAL;
		ex[*n] = (struct extent){PAGE_DOWN(g->gpa), PAGE_UP(end), g->gpa, i, g->name};
		(*n)++;
	}
	return 0;
}

int sev_plan_page_runs(const struct region_list *l, struct sev_page_run **runs, size_t *n)
{
	*runs = NULL;
	*n = 0;
	struct extent *ex = calloc(l->n ? l->n : 1, sizeof(*ex));
	struct sev_page_run *out = calloc(l->n ? l->n : 1, sizeof(*out));
	size_t nex = 0, nout = 0;
	int r = -ENOMEM;
	if (!ex || !out)
		goto fail;
	r = collect_extents(l, ex, &nex);
	if (r)
		goto fail;
	qsort(ex, nex, sizeof(*ex), extent_cmp);
	for (size_t i = 0; i < nex; i++) {
		struct sev_page_run *last = nout ? &out[nout - 1] : NULL;
		if (last && ex[i].lo < last->gpa + last->size) {
			/* Shares a page with the run before it: one run, each page issued once. */
			if (ex[i].hi > last->gpa + last->size)
				last->size = ex[i].hi - last->gpa;
			append_name(last, ex[i].name);
			continue;
		}
		out[nout].gpa = ex[i].lo;
		out[nout].size = ex[i].hi - ex[i].lo;
		append_name(&out[nout], ex[i].name);
		nout++;
	}
	free(ex);
	*runs = out;
	*n = nout;
	return 0;
fail:
	free(ex);
	free(out);
	return r;
}
