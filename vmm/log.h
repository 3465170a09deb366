/* SPDX-License-Identifier: MIT */
/* VMM event logging to stderr, gated by -v (level 1) and -vv (level 2). */
#ifndef PVH_LOG_H
#define PVH_LOG_H

#include <stdarg.h>
#include <stdio.h>

#include "vmm/vm.h"

static inline void __attribute__((format(printf, 3, 4)))
vlog(const struct vm *vm, int level, const char *fmt, ...)
{
	if (!vm->cfg || vm->cfg->verbose < level)
		return;
	va_list ap;
	va_start(ap, fmt);
	flockfile(stderr);
	fputs("pvh-sev: ", stderr);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	funlockfile(stderr);
	va_end(ap);
}

#endif
