/* SPDX-License-Identifier: MIT */
/* What `pvh-sev --version` and the launch report say about the build. */
#ifndef PVH_VERSION_H
#define PVH_VERSION_H

#include <stdio.h>

/* `git describe` of the source at build time, or the project version outside git. */
const char *pvh_build_version(void);

/* The --version text: the name of the build, then the features compiled in. */
void version_print(FILE *out);

#endif
