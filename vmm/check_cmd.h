/* SPDX-License-Identifier: MIT */
/*
 * `pvh-sev check [--json]`: can this host run hardware SEV-ES guests, and where not, what to do.
 * One line per check (pass, fail or skip, the reason, the remedy), built from the host probe
 * (sev/host_probe.h) so the lines say exactly what --sev=auto and --sev=es decide on.
 */
#ifndef PVH_CHECK_CMD_H
#define PVH_CHECK_CMD_H

#include <jansson.h>
#include <stddef.h>

#include "sev/host_probe.h"
#include "vmm/config.h"

#define CHECK_MAX_LINES 16

enum check_status { CHECK_PASS, CHECK_FAIL, CHECK_SKIP };

struct check_line {
	const char *name; /* stable id, e.g. "dev-sev" */
	enum check_status status;
	char reason[200];
	char todo[200]; /* "" when nothing is to be done */
};

struct check_list {
	struct check_line v[CHECK_MAX_LINES];
	size_t n;
};

/* The lines for a probed host (pure: tests feed it fake hosts). */
void check_build(struct check_list *l, const struct sev_host_caps *caps);

const char *check_status_name(enum check_status s);

/* docs/schemas/check.schema.json */
json_t *check_json(const struct check_list *l, const struct sev_host_caps *caps);

/* Probes this host, prints, returns the exit status: 0 usable, 1 not. */
int check_main(const struct config *cfg);

#endif
