/* SPDX-License-Identifier: MIT */
/* `pvh-sev measure`: the boot image `run` would build, hashed offline (docs/sev.md 6). */
#ifndef PVH_MEASURE_CMD_H
#define PVH_MEASURE_CMD_H

#include "vmm/config.h"

/* Returns the measure exit status (sev/measure.h enum sev_measure_exit). */
int measure_main(const struct config *cfg);

#endif
