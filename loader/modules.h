/* SPDX-License-Identifier: MIT */
/* Internal to the layout: reading the initrd and --module files into REGION_MODULE regions. */
#ifndef PVH_MODULES_H
#define PVH_MODULES_H

#include <stddef.h>

#include "loader/hvm_start_info.h"
#include "loader/layout.h"

/*
 * Appends the initrd (if any) and then each module as a region, placed page aligned downward
 * from min(mem, 3 GiB) and above 1 MiB, skipping the page-rounded extent of every region
 * already in l. Fills mods[0..*nmods) for the modlist. Returns 0 or -errno with a reason;
 * the caller undoes the regions added on failure.
 */
int modules_load(const struct layout_params *p, struct region_list *l,
                 struct hvm_modlist_entry *mods, size_t *nmods, char *err, size_t errlen);

#endif
