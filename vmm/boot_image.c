// SPDX-License-Identifier: MIT
#include "vmm/boot_image.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ap/ap_abi.h"
#include "ap/ap_area.h"
#include "ap/mptable.h"
#include "loader/acpi.h"
#include "loader/elf_loader.h"
#include "loader/layout.h"
#include "loader/guest_abi.h"

#define CR4_MCE 0x40u

/* The MP table is measured, so its CPU entries must not depend on the host that builds it
 * (`measure` runs anywhere): a fixed family-6 signature with FPU and APIC feature bits. */
#define MPTABLE_CPU_SIGNATURE 0x600u
#define MPTABLE_CPU_FEATURES 0x201u

static int boot_image_states(struct boot_image *img, bool sev_es, char *err, size_t errlen)
{
	img->states = calloc(img->nvcpus, sizeof(*img->states));
	if (!img->states) {
		snprintf(err, errlen, "out of memory for %u vCPU states", img->nvcpus);
		return -ENOMEM;
	}
	cpu_state_pvh_bsp(&img->states[0], img->entry, img->start_info, PVH_SEV_BOOT_GDT_GPA);
	for (unsigned i = 1; i < img->nvcpus; i++)
		ap_initial_state(&img->states[i], i);
	/* Under SEV-ES KVM copies the host's CR4.MCE into the VMSA; emulated mode sets it too so
	 * that a guest sees the same CR4 in both modes (docs/abi.md section 1). */
	for (unsigned i = 0; sev_es && i < img->nvcpus; i++)
		img->states[i].sregs.cr4 |= CR4_MCE;
	/* Under SEV-ES only guest code can SET the AP jump table: the BSP's measured start is
	 * the pre-stub that does it, then enters the kernel at the state above (abi.md 4.1). */
	if (sev_es)
		ap_bsp_prestub_state(&img->states[0]);
	return 0;
}

int boot_image_build(struct boot_image *img, const struct config *cfg, unsigned nvcpus,
		     uint32_t sif_flags, bool sev_es, char *err, size_t errlen)
{
	struct layout_params lp = {
		.mem_size = cfg->mem_size,
		.cmdline = cfg->cmdline,
		.initrd = cfg->initrd,
		.modules = cfg->modules,
		.nmodules = cfg->nmodules,
		.start_info_flags = sif_flags,
	};
	int r;

	memset(img, 0, sizeof(*img));
	region_list_init(&img->regions);
	img->nvcpus = nvcpus;
	if ((r = pvh_elf_load(cfg->kernel, &img->regions, &img->entry, err, errlen)))
		return r;
	if ((r = ap_area_add_region_entry(&img->regions, nvcpus, sev_es ? AP_HDR_F_GHCB_HOLD : 0,
					    img->entry, err, errlen)))
		return r;
	if ((r = mptable_add_regions(&img->regions, nvcpus, MPTABLE_CPU_SIGNATURE,
				     MPTABLE_CPU_FEATURES, err, errlen)))
		return r;
	if ((r = acpi_add_region(&img->regions, nvcpus, &lp.rsdp_paddr, err, errlen)))
		return r;
	if ((r = layout_add_boot_data(&lp, &img->regions, &img->start_info, err, errlen)))
		return r;
	return boot_image_states(img, sev_es, err, errlen);
}

void boot_image_free(struct boot_image *img)
{
	region_list_free(&img->regions);
	free(img->states);
	img->states = NULL;
}
