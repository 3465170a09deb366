// SPDX-License-Identifier: MIT
#include "vmm/vcpu_states.h"

#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

const char *vcpu_run_state_name(enum vcpu_run_state s)
{
	static const char *const names[] = {"waiting", "running", "parked", "stopped"};
	return (unsigned)s < sizeof(names) / sizeof(names[0]) ? names[s] : "unknown";
}

struct line {
	char *buf;
	size_t size, used;
	bool cut;
};

__attribute__((format(printf, 2, 3))) static void put(struct line *l, const char *fmt, ...)
{
	va_list ap;
	if (l->cut)
		return;
	va_start(ap, fmt);
	int w = vsnprintf(l->buf + l->used, l->size - l->used, fmt, ap);
	va_end(ap);
	if (w < 0 || (size_t)w >= l->size - l->used) {
		l->cut = true;
		if (l->size >= 4)
			strcpy(l->buf + l->size - 4, "...");
		return;
	}
	l->used += (size_t)w;
}

/* ",a-b" or ",a" for each run of consecutive vCPUs in state s. */
static void put_ranges(struct line *l, const enum vcpu_run_state *states, unsigned n,
		       enum vcpu_run_state s)
{
	const char *sep = "";
	for (unsigned i = 0; i < n; i++) {
		if (states[i] != s)
			continue;
		unsigned j = i;
		while (j + 1 < n && states[j + 1] == s)
			j++;
		if (j == i)
			put(l, "%s%u", sep, i);
		else
			put(l, "%s%u-%u", sep, i, j);
		sep = ",";
		i = j;
	}
}

void vcpu_states_format(const enum vcpu_run_state *states, unsigned n, char *buf, size_t size)
{
	struct line l = {buf, size, 0, false};
	if (!size)
		return;
	buf[0] = '\0';
	const char *sep = "";
	for (int s = VCPU_WAITING; s <= VCPU_STOPPED; s++) {
		bool any = false;
		for (unsigned i = 0; i < n && !any; i++)
			any = states[i] == (enum vcpu_run_state)s;
		if (!any)
			continue;
		put(&l, "%s%s ", sep, vcpu_run_state_name((enum vcpu_run_state)s));
		put_ranges(&l, states, n, (enum vcpu_run_state)s);
		sep = "; ";
	}
}

void vm_vcpu_states(struct vm *vm, char *buf, size_t size)
{
	enum vcpu_run_state states[CONFIG_MAX_VCPUS];
	unsigned n = vm->nvcpus < CONFIG_MAX_VCPUS ? vm->nvcpus : CONFIG_MAX_VCPUS;
	for (unsigned i = 0; i < n; i++)
		states[i] = atomic_load(&vm->vcpus[i].state);
	vcpu_states_format(states, n, buf, size);
}
