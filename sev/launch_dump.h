/* SPDX-License-Identifier: MIT */
/*
 * `--dump-launch DIR`: every measured blob as DIR/NNN-<name>.bin plus DIR/index, one line per
 * blob in measurement order. SHA-256 over the files' concatenation in index order is LD.
 * Internal to sev/.
 */
#ifndef PVH_SEV_LAUNCH_DUMP_H
#define PVH_SEV_LAUNCH_DUMP_H

#include <stdio.h>

#include "sev/launch.h"

struct sev_dump {
	char dir[4096];
	FILE *index;
};

/* Creates dir if needed and starts the index. 0 or -errno. */
int sev_dump_open(struct sev_dump *d, const char *dir, char *err, size_t errlen);
int sev_dump_blob(struct sev_dump *d, size_t i, const struct sev_measured_blob *b, const void *data,
                  char *err, size_t errlen);
/* Writes the LD line (when have_ld) and closes the index. 0 or -errno. */
int sev_dump_close(struct sev_dump *d, const uint8_t *ld, char *err, size_t errlen);

#endif
