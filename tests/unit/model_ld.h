// SPDX-License-Identifier: MIT
/* The LD the software firmware model computes for a launch: what a hardware prediction must equal. */
#ifndef PVH_TEST_MODEL_LD_H
#define PVH_TEST_MODEL_LD_H

#include <stddef.h>
#include <stdint.h>

#include "loader/guest_mem.h"
#include "sev/launch.h"

/* Launches MEM, REGIONS and VCPUS on the model with O (cmocka-asserts each step); LD out. */
void model_ld_of(const struct guest_mem *mem, const struct region_list *regions,
                 const struct cpu_state *vcpus, size_t nvcpus, const struct vmsa_options *o,
                 uint8_t ld[32]);

#endif
