/* SPDX-License-Identifier: MIT */
/* `pvh-sev measure`: the boot image `run` would build, hashed offline (docs/sev.md 6). */
#ifndef PVH_MEASURE_CMD_H
#define PVH_MEASURE_CMD_H

#include "sev/measure.h"
#include "vmm/config.h"

#define MEASURE_ERRLEN 512

/* Returns the measure exit status (sev/measure.h enum sev_measure_exit). */
int measure_main(const struct config *cfg);

/* measure's own options (the hex values, the model's firmware version) into o: 0, or -EINVAL
 * with a one-line reason in err (MEASURE_ERRLEN bytes). Reads no file. */
int measure_options_parse(struct sev_measure_options *o, const struct config *cfg, char *err);

#endif
