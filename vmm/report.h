/* SPDX-License-Identifier: MIT */
/*
 * The launch report (`run --report FILE`, JSON through jansson): filled in step by step as the
 * run goes, and written at the end whatever happened, so a failed run still has a valid report.
 */
#ifndef PVH_REPORT_H
#define PVH_REPORT_H

#include <jansson.h>
#include <stdbool.h>

#include "loader/region.h"

/*
 * The report's layout version (docs/schemas/launch-report.schema.json): raised when a key changes
 * meaning or goes away, so that pipelines reading reports can tell which layout they hold.
 */
#define REPORT_SCHEMA_VERSION 1

struct report {
	json_t *root;
	json_t *timings; /* array of {"step", "ms"} in order */
	double t_last;
};

/* A disabled report (no --report) costs nothing: every call on it returns at once. */
void report_init(struct report *r, bool enabled);
bool report_enabled(const struct report *r);
void report_free(struct report *r);

/* Records that a step just finished; its time is measured from the previous step. */
void report_step(struct report *r, const char *step);

void report_set_str(struct report *r, const char *key, const char *value);
void report_set_int(struct report *r, const char *key, long long value);
/* Takes the reference to value. */
void report_set(struct report *r, const char *key, json_t *value);

void report_set_regions(struct report *r, const struct region_list *l);

/*
 * Writes the report to path atomically (temp file + rename), or to stdout when path is "-" (the
 * caller flushes the guest's output first). Returns 0 or -errno.
 */
int report_write(const struct report *r, const char *path);

#endif
