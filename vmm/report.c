// SPDX-License-Identifier: MIT
#include "vmm/report.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "vmm/version.h"
#include "vmm/vm.h"

void report_init(struct report *r, bool enabled)
{
	memset(r, 0, sizeof(*r));
	if (!enabled)
		return; /* without --report every call below returns at once */
	r->root = json_object();
	r->timings = json_array();
	json_object_set(r->root, "timings", r->timings);
	json_object_set_new(r->root, "schema_version", json_integer(REPORT_SCHEMA_VERSION));
	json_object_set_new(r->root, "pvh_sev_version", json_string(pvh_build_version()));
	r->t_last = monotonic_seconds();
}

void report_free(struct report *r)
{
	json_decref(r->timings);
	json_decref(r->root);
	r->root = r->timings = NULL;
}

void report_step(struct report *r, const char *step)
{
	if (!r->root)
		return;
	double now = monotonic_seconds();
	json_array_append_new(r->timings, json_pack("{s:s, s:f}", "step", step, "ms",
						     (now - r->t_last) * 1e3));
	r->t_last = now;
}

bool report_enabled(const struct report *r)
{
	return r->root != NULL;
}

void report_set_str(struct report *r, const char *key, const char *value)
{
	if (!r->root)
		return;
	json_object_set_new(r->root, key, value ? json_string(value) : json_null());
}

void report_set_int(struct report *r, const char *key, long long value)
{
	if (!r->root)
		return;
	json_object_set_new(r->root, key, json_integer(value));
}

void report_set(struct report *r, const char *key, json_t *value)
{
	if (!r->root) {
		json_decref(value);
		return;
	}
	json_object_set_new(r->root, key, value);
}

void report_set_regions(struct report *r, const struct region_list *l)
{
	if (!r->root)
		return;
	json_t *a = json_array();
	char gpa[24];
	for (size_t i = 0; i < l->n; i++) {
		snprintf(gpa, sizeof(gpa), "0x%llx", (unsigned long long)l->v[i].gpa);
		json_array_append_new(a, json_pack("{s:s, s:s, s:I, s:s}", "name", l->v[i].name,
						   "gpa", gpa, "size", (json_int_t)l->v[i].size,
						   "kind", region_kind_name(l->v[i].kind)));
	}
	json_object_set_new(r->root, "regions", a);
}

int report_write(const struct report *r, const char *path)
{
	char tmp[4096];
	if (!strcmp(path, "-")) {
		if (json_dumpf(r->root, stdout, JSON_INDENT(2) | JSON_SORT_KEYS) || putchar('\n') == EOF)
			return -EIO;
		return fflush(stdout) ? -EIO : 0;
	}
	if (snprintf(tmp, sizeof(tmp), "%s.tmp", path) >= (int)sizeof(tmp))
		return -ENAMETOOLONG;
	if (json_dump_file(r->root, tmp, JSON_INDENT(2) | JSON_SORT_KEYS))
		return -EIO;
	return rename(tmp, path) ? -errno : 0;
}
