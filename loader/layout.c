// SPDX-License-Identifier: MIT
#include "loader/layout.h"

#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "loader/boot_gdt.h"
#include "loader/guest_mem.h"
#include "loader/modules.h"

/* start_info and the modlist share a page, so they are one region (pages are measured once). */
#define MODLIST_OFFSET (PVH_SEV_MODLIST_GPA - PVH_SEV_START_INFO_GPA)
_Static_assert(MODLIST_OFFSET >= sizeof(struct hvm_start_info), "modlist after start_info");
_Static_assert(PVH_SEV_MODLIST_GPA + PVH_SEV_MODLIST_MAX * sizeof(struct hvm_modlist_entry) <=
                   PVH_SEV_MEMMAP_GPA,
               "the modlist ends before the memory map");

int layout_check_mem(uint64_t mem_size, char *err, size_t errlen)
{
	const char *why = NULL;
	if (mem_size < GUEST_MEM_MIN)
		why = "is below the minimum of 2 MiB";
	else if (mem_size > GUEST_MEM_MAX)
		why = "is above the maximum of 64 GiB";
	else if (mem_size % PAGE_SIZE)
		why = "is not a multiple of 4 KiB";
	if (!why)
		return 0;
	snprintf(err, errlen, "guest memory size %" PRIu64 " bytes %s", mem_size, why);
	return -EINVAL;
}

static int check_params(const struct layout_params *p, char *err, size_t errlen)
{
	int r = layout_check_mem(p->mem_size, err, errlen);
	if (r)
		return r;
	size_t len = p->cmdline ? strlen(p->cmdline) : 0;
	if (len > LAYOUT_CMDLINE_MAX) {
		snprintf(err, errlen, "command line is %zu bytes, maximum is %u", len,
		         LAYOUT_CMDLINE_MAX);
		return -EINVAL;
	}
	size_t nmods = (p->initrd ? 1 : 0) + p->nmodules;
	if (p->nmodules > LAYOUT_MODULES_MAX || nmods > LAYOUT_MODULES_MAX) {
		snprintf(err, errlen, "%zu modules given (initrd included), maximum is %u", nmods,
		         LAYOUT_MODULES_MAX);
		return -EINVAL;
	}
	if (p->nmodules && !p->modules) {
		snprintf(err, errlen, "%zu modules announced but no list given", p->nmodules);
		return -EINVAL;
	}
	return 0;
}

static int add_fixed(struct region_list *l, const struct layout_params *p)
{
	uint8_t gdt[BOOT_GDT_SIZE];
	memcpy(gdt, boot_gdt_entries, sizeof(gdt)); /* x86 host: guest byte order already */
	int r = region_add(l, "boot-gdt", REGION_BOOT, 0, PVH_SEV_BOOT_GDT_GPA, sizeof(gdt), gdt,
	                   sizeof(gdt));
	if (r || !p->cmdline || !*p->cmdline)
		return r;
	size_t n = strlen(p->cmdline) + 1;
	return region_add(l, "cmdline", REGION_BOOT, 0, PVH_SEV_CMDLINE_GPA, n, p->cmdline, n);
}

static int add_memmap(const struct layout_params *p, struct region_list *l, uint32_t *entries,
                      char *err, size_t errlen)
{
	struct hvm_memmap_table_entry map[LAYOUT_MEMMAP_MAX];
	size_t n;
	int r = layout_memmap(p->mem_size, l, map, LAYOUT_MEMMAP_MAX, &n, err, errlen);
	if (r)
		return r;
	*entries = (uint32_t)n;
	return region_add(l, "memmap", REGION_BOOT, 0, PVH_SEV_MEMMAP_GPA, n * sizeof(map[0]), map,
	                  n * sizeof(map[0]));
}

static int add_start_info(const struct layout_params *p, struct region_list *l,
                          const struct hvm_modlist_entry *mods, size_t nmods, uint32_t entries)
{
	size_t size = MODLIST_OFFSET + nmods * sizeof(*mods);
	uint8_t *buf = calloc(1, size);
	if (!buf)
		return -ENOMEM;
	struct hvm_start_info si = {
	    .magic = XEN_HVM_START_MAGIC_VALUE,
	    .version = 1,
	    .flags = p->start_info_flags,
	    .nr_modules = (uint32_t)nmods,
	    .modlist_paddr = nmods ? PVH_SEV_MODLIST_GPA : 0,
	    .cmdline_paddr = p->cmdline && *p->cmdline ? PVH_SEV_CMDLINE_GPA : 0,
	    .rsdp_paddr = p->rsdp_paddr,
	    .memmap_paddr = PVH_SEV_MEMMAP_GPA,
	    .memmap_entries = entries,
	};
	memcpy(buf, &si, sizeof(si));
	if (nmods)
		memcpy(buf + MODLIST_OFFSET, mods, nmods * sizeof(*mods));
	/* Without modules the region is just start_info: no stray zero bytes are measured. */
	size_t len = nmods ? size : sizeof(si);
	int r = region_add_owned(l, "start_info", REGION_BOOT, 0, PVH_SEV_START_INFO_GPA, len, buf,
	                         len);
	if (r)
		free(buf);
	return r;
}

static int check_list(const struct layout_params *p, struct region_list *l, char *err,
                      size_t errlen)
{
	struct ram_range ram[2];
	size_t nram;
	char why[200];
	guest_mem_ranges(p->mem_size, ram, &nram);
	int r = region_list_check(l, ram, nram, why, sizeof(why));
	if (r)
		snprintf(err, errlen, "guest layout: %s", why);
	return r;
}

int layout_add_boot_data(const struct layout_params *p, struct region_list *l, gpa_t *start_info,
                         char *err, size_t errlen)
{
	struct hvm_modlist_entry *mods = calloc(LAYOUT_MODULES_MAX, sizeof(*mods));
	char dummy[1];
	size_t n0 = l->n, nmods = 0;
	uint32_t entries = 0;
	if (!err || !errlen) {
		err = dummy;
		errlen = sizeof(dummy);
	}
	err[0] = '\0';
	int r = mods ? check_params(p, err, errlen) : -ENOMEM;
	if (!r)
		r = modules_load(p, l, mods, &nmods, err, errlen);
	if (!r)
		r = add_fixed(l, p);
	if (!r)
		r = add_memmap(p, l, &entries, err, errlen);
	if (!r)
		r = add_start_info(p, l, mods, nmods, entries);
	if (!r)
		r = check_list(p, l, err, errlen);
	if (r && !err[0])
		snprintf(err, errlen, "guest layout: %s", strerror(-r));
	if (r) {
		region_list_truncate(l, n0);
	} else {
		region_list_sort(l);
		*start_info = PVH_SEV_START_INFO_GPA;
	}
	free(mods);
	return r;
}
