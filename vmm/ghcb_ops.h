/* SPDX-License-Identifier: MIT */
/* The VMM's devices as seen from the userspace GHCB service (ghcb/ghcb_service.h). */
#ifndef PVH_GHCB_OPS_H
#define PVH_GHCB_OPS_H

#include "ghcb/ghcb_service.h"

extern const struct ghcb_ops vmm_ghcb_ops;

#endif
