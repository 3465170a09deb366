// SPDX-License-Identifier: MIT
/* ADAPTER: parsers of other programs' output (formats at each function in adapters.h). */
#include <errno.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bench/harness/adapters.h"

static int ends_with(const char *s, const char *suffix)
{
	size_t n = strlen(s), m = strlen(suffix);

	return n >= m && !strcmp(s + n - m, suffix);
}

/* Milliseconds per unit named by a key's suffix (_ns, _us, _ms), or `dflt` without one. */
static double unit_of_key(const char *key, double dflt)
{
	if (ends_with(key, "_ns"))
		return 1e-6;
	if (ends_with(key, "_us"))
		return 1e-3;
	if (ends_with(key, "_ms"))
		return 1.0;
	return dflt;
}

static int add_step(struct variant *v, const char *name, double ms)
{
	size_t i;

	for (i = 0; i < v->nsteps; i++)
		if (!strcmp(v->steps[i].name, name))
			break;
	if (i == v->nsteps) {
		if (v->nsteps == BENCH_MAX_STEPS)
			return -E2BIG;
		snprintf(v->steps[v->nsteps++].name, sizeof(v->steps[0].name), "%s", name);
	}
	struct step_series *s = &v->steps[i];
	if (s->n < BENCH_MAX_RUNS)
		s->ms[s->n++] = ms;
	return 0;
}

static int steps_from_object(json_t *obj, double dflt, struct variant *v)
{
	const char *key;
	json_t *val;
	int found = 0;

	json_object_foreach(obj, key, val)
	{
		if (json_is_number(val) &&
		    !add_step(v, key, json_number_value(val) * unit_of_key(key, dflt)))
			found++;
	}
	return found;
}

static int steps_from_array(json_t *arr, struct variant *v)
{
	static const char *const units[] = {"ms", "us", "ns"};
	static const double scale[] = {1.0, 1e-3, 1e-6};
	size_t i;
	json_t *e;
	int found = 0;

	json_array_foreach(arr, i, e)
	{
		json_t *name = json_object_get(e, "step");
		if (!json_is_string(name))
			name = json_object_get(e, "name");
		for (int u = 0; u < 3 && json_is_string(name); u++) {
			json_t *val = json_object_get(e, units[u]);
			if (json_is_number(val) && !add_step(v, json_string_value(name),
			                                     json_number_value(val) * scale[u])) {
				found++;
				break;
			}
		}
	}
	return found;
}

int adapter_report_steps(const char *json_text, struct variant *v)
{
	json_t *root = json_loads(json_text, 0, NULL);
	json_t *t;
	int found = -EINVAL;

	if (!root)
		return -EINVAL;
	if ((t = json_object_get(root, "timings")) && json_is_object(t))
		found = steps_from_object(t, 1.0, v);
	else if (t && json_is_array(t))
		found = steps_from_array(t, v);
	else if ((t = json_object_get(root, "timings_us")) && json_is_object(t))
		found = steps_from_object(t, 1e-3, v);
	else if ((t = json_object_get(root, "timings_ms")) && json_is_object(t))
		found = steps_from_object(t, 1.0, v);
	json_decref(root);
	return found > 0 ? found : -EINVAL;
}

int adapter_report_mode(const char *json_text, char *out, size_t len)
{
	json_t *root = json_loads(json_text, 0, NULL);
	json_t *mode = json_object_get(root, "mode");
	int r = -EINVAL;

	if (json_is_string(mode)) {
		snprintf(out, len, "%s", json_string_value(mode));
		r = 0;
	}
	json_decref(root);
	return r;
}

/* Sum of the integer "size" members of an array's objects; -EINVAL if one lacks it. */
static int sum_sizes(json_t *arr, double *sum)
{
	size_t i;
	json_t *e;

	*sum = 0;
	if (!json_is_array(arr) || !json_array_size(arr))
		return -EINVAL;
	json_array_foreach(arr, i, e)
	{
		json_t *size = json_object_get(e, "size");
		if (!json_is_integer(size) || json_integer_value(size) < 0)
			return -EINVAL;
		*sum += (double)json_integer_value(size);
	}
	return 0;
}

int adapter_measure_bytes(const char *json_text, double *measured)
{
	json_t *root = json_loads(json_text, 0, NULL);
	json_t *m = json_object_get(root, "measured_bytes");
	int r = 0;

	if (json_is_number(m))
		*measured = json_number_value(m);
	else
		r = sum_sizes(json_object_get(root, "blobs"), measured);
	json_decref(root);
	return r;
}

int adapter_report_content(const char *json_text, double *content)
{
	json_t *root = json_loads(json_text, 0, NULL);
	int r = sum_sizes(json_object_get(root, "regions"), content);

	json_decref(root);
	return r;
}

int adapter_openssl_speed(const char *text, double *bytes_per_s)
{
	const char *line = text, *found = NULL;

	/* The result line: "sha256    1434705.92k" (1000s of bytes per second), after a header
	 * line that also starts with the algorithm's name in some versions: take the last one. */
	for (; line && *line; line = strchr(line, '\n'), line = line ? line + 1 : NULL)
		if (!strncmp(line, "sha256 ", 7) || !strncmp(line, "SHA256 ", 7))
			found = line;
	if (!found)
		return -EINVAL;
	char *end;
	double k = strtod(found + 7, &end);
	if (end == found + 7 || *end != 'k' || k <= 0)
		return -EINVAL;
	*bytes_per_s = k * 1000.0;
	return 0;
}
