/* SPDX-License-Identifier: MIT */
/*
 * Everything the guest starts with, built without a VM: the region list (kernel, AP area,
 * MP table, boot data) and every vCPU's initial registers. `run` copies it into the VM;
 * `measure` hashes it offline; both go through this one builder so they cannot drift apart.
 */
#ifndef PVH_BOOT_IMAGE_H
#define PVH_BOOT_IMAGE_H

#include <stddef.h>
#include <stdint.h>

#include "loader/cpu_state.h"
#include "loader/region.h"
#include "vmm/config.h"

struct boot_image {
	struct region_list regions;
	uint32_t entry;
	gpa_t start_info;
	unsigned nvcpus;
	struct cpu_state *states; /* nvcpus entries, index 0 = BSP */
};

/* sif_flags are OR-ed into start_info.flags (SIF_HVM_GHCB in SEV-ES modes). */
int boot_image_build(struct boot_image *img, const struct config *cfg, unsigned nvcpus,
		     uint32_t sif_flags, bool sev_es, char *err, size_t errlen);
void boot_image_free(struct boot_image *img);

#endif
