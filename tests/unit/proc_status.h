/* SPDX-License-Identifier: MIT */
#ifndef PVH_TESTS_PROC_STATUS_H
#define PVH_TESTS_PROC_STATUS_H

#include <stddef.h>

/* The value of a "Name:\tvalue" line of /proc/self/status, or "" (test_privs, test_sandbox). */
const char *status_field(const char *name, char *buf, size_t len);

#endif
