// SPDX-License-Identifier: MIT
/*
 * The kernel file is hostile input: the ELF/PVH loader and the boot-image builder (AP area,
 * MP table, ACPI, boot data, layout checks against --mem), from the file's bytes, then the
 * regions copied into guest RAM as `run` and `measure` do. The vCPU count comes from the
 * file's last byte so that the AP area and tables vary too.
 */
#include <sys/mman.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "loader/guest_abi.h"
#include "loader/guest_mem.h"
#include "loader/layout.h"
#include "sev/launch.h"
#include "vmm/boot_image.h"
#include "vmm/config.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static char path[64];
static int fd = -1;
static FILE *devnull;

/* The kernel file lives in memory (a memfd opened by path through /proc), not on a disk. */
static int setup(void)
{
	fd = memfd_create("fuzz_loader.elf", MFD_CLOEXEC);
	snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	devnull = fopen("/dev/null", "w");
	return fd >= 0 && devnull ? 0 : -1;
}

static int write_kernel(const uint8_t *data, size_t size)
{
	if (ftruncate(fd, 0))
		return -1;
	return pwrite(fd, data, size, 0) == (ssize_t)size ? 0 : -1;
}

/*
 * What --dump-layout prints (the memory map) and what the launch measures (the page runs):
 * the runs must be sorted and disjoint, so that no page is measured twice.
 */
static void dump_layout_and_plan(const struct boot_image *img, uint64_t mem_size)
{
	struct hvm_memmap_table_entry map[PVH_SEV_MEMMAP_MAX];
	struct sev_page_run *runs = NULL;
	size_t n;
	char err[256];
	if (!layout_memmap(mem_size, &img->regions, map, PVH_SEV_MEMMAP_MAX, &n, err, sizeof(err)))
		layout_memmap_print(map, n, devnull);
	if (sev_plan_page_runs(&img->regions, &runs, &n))
		return;
	for (size_t i = 1; i < n; i++)
		if (runs[i].gpa < runs[i - 1].gpa + runs[i - 1].size)
			abort();
	free(runs);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (fd < 0 && setup())
		abort();
	if (write_kernel(data, size))
		abort();
	char mem[] = "8M", *argv[] = {"pvh-sev", "measure", path, "--mem", mem, NULL};
	struct config cfg;
	char err[512];
	if (config_parse(&cfg, 5, argv, err, sizeof(err)))
		abort();
	unsigned nvcpus = size ? 1 + data[size - 1] % 8 : 1;
	struct boot_image img;
	if (!boot_image_build(&img, &cfg, nvcpus, 0, size && (data[size - 1] & 0x80), err,
	                      sizeof(err))) {
		struct guest_mem m;
		region_list_print(&img.regions, devnull);
		dump_layout_and_plan(&img, cfg.mem_size);
		if (!guest_mem_map(&m, cfg.mem_size)) {
			guest_mem_load_regions(&m, &img.regions);
			guest_mem_unmap(&m);
		}
	}
	boot_image_free(&img);
	return 0;
}
