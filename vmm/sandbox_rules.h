/* SPDX-License-Identifier: MIT */
/* The sandbox's allowlists, one per thread kind, as data (the layers: vmm/sandbox.h). */
#ifndef PVH_SANDBOX_RULES_H
#define PVH_SANDBOX_RULES_H

#include <seccomp.h>

#include "vmm/sandbox.h"

/* Adds kind's allowlist to f. Returns 0 or a negative libseccomp error. */
int sandbox_rules_add(scmp_filter_ctx f, enum sandbox_thread kind);

/*
 * Adds the process layer to f: every kind's allowlist, and what starting a thread takes (clone
 * for threads only, clone3 refused with ENOSYS so that glibc falls back to the clone whose
 * flags a filter can read, and installing the per-thread filters).
 */
int sandbox_rules_add_process(scmp_filter_ctx f);

#endif
