// SPDX-License-Identifier: MIT
/*
 * pvh-sev: the boot script. Each step is one call and one error line; state lives in
 * struct vm / struct boot_image, passed explicitly.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "loader/hvm_start_info.h"
#include "vmm/ap_start.h"
#include "vmm/boot_image.h"
#include "vmm/config.h"
#include "vmm/devices.h"
#include "vmm/privs.h"
#include "vmm/report.h"
#include "vmm/run.h"
#include "vmm/vm.h"

#define ERRLEN 512

static int fail(struct report *rep, const char *step, const char *err)
{
	fprintf(stderr, "pvh-sev: %s\n", err);
	report_set_str(rep, "ending", "vmm-error");
	report_set_str(rep, "error_step", step);
	report_set_str(rep, "error", err);
	report_set_int(rep, "exit_status", PVH_EXIT_VMM_ERROR);
	return PVH_EXIT_VMM_ERROR;
}

static int prepare_vm(struct vm *vm, struct devices *dev, const struct config *cfg,
		      const struct boot_image *img, struct report *rep, char *err)
{
	int r;
	if ((r = vm_create(vm, cfg, 0, err, ERRLEN)))
		return fail(rep, "create-vm", err);
	if ((r = guest_mem_map(&vm->mem, cfg->mem_size))) {
		snprintf(err, ERRLEN, "cannot map %llu bytes of guest RAM: %s",
			 (unsigned long long)cfg->mem_size, strerror(-r));
		return fail(rep, "map-memory", err);
	}
	if ((r = guest_mem_load_regions(&vm->mem, &img->regions))) {
		snprintf(err, ERRLEN, "cannot copy the boot image into guest RAM: %s",
			 strerror(-r));
		return fail(rep, "load", err);
	}
	if ((r = vm_map_memory(vm, err, ERRLEN)))
		return fail(rep, "map-memory", err);
	if ((r = devices_register(dev, vm, stdout))) {
		snprintf(err, ERRLEN, "cannot register devices: %s", strerror(-r));
		return fail(rep, "devices", err);
	}
	if ((r = vm_create_vcpus(vm, img->nvcpus, err, ERRLEN)))
		return fail(rep, "create-vcpus", err);
	if ((r = ap_doorbell_register(vm))) {
		snprintf(err, ERRLEN, "cannot register the AP doorbell: %s", strerror(-r));
		return fail(rep, "devices", err);
	}
	for (unsigned i = 0; i < img->nvcpus; i++)
		if ((r = vcpu_set_state(&vm->vcpus[i], &img->states[i], err, ERRLEN)))
			return fail(rep, "set-registers", err);
	report_step(rep, "create-vm");
	return 0;
}

static int run_main(const struct config *cfg, struct report *rep)
{
	struct boot_image img;
	struct vm vm = {.kvm_fd = -1, .vm_fd = -1};
	struct devices dev;
	char err[ERRLEN];
	int status;

	report_set_str(rep, "kernel", cfg->kernel);
	report_set_int(rep, "vcpus", cfg->smp);
	report_set_str(rep, "mode", "off");
	if (boot_image_build(&img, cfg, cfg->smp, 0, false, err, ERRLEN)) {
		status = fail(rep, "load-kernel", err);
		goto out_image;
	}
	report_set_regions(rep, &img.regions);
	report_step(rep, "build-image");
	if (cfg->dump_layout) {
		region_list_print(&img.regions, stdout);
		status = 0;
		goto out_image;
	}
	if ((status = prepare_vm(&vm, &dev, cfg, &img, rep, err)))
		goto out_vm;
	if (privs_drop(err, ERRLEN)) {
		status = fail(rep, "drop-privileges", err);
		goto out_vm;
	}
	status = vm_run(&vm);
	report_step(rep, "run");
	report_set_str(rep, "ending", vm_ending_name(vm.ending));
	report_set_str(rep, "ending_detail", vm.ending_detail);
	report_set_int(rep, "exit_status", status);
	if (vm.ending != ENDING_GUEST_EXIT)
		fprintf(stderr, "pvh-sev: %s (exit status %d)\n", vm.ending_detail, status);
out_vm:
	vm_destroy(&vm);
out_image:
	boot_image_free(&img);
	return status;
}

int main(int argc, char **argv)
{
	struct config cfg;
	struct report rep;
	char err[ERRLEN];
	int status;

	if (config_parse(&cfg, argc, argv, err, sizeof(err))) {
		fprintf(stderr, "pvh-sev: %s\n", err);
		return PVH_EXIT_VMM_ERROR;
	}
	if (cfg.cmd == CMD_HELP) {
		config_print_help(argv[0]);
		return 0;
	}
	if (cfg.cmd == CMD_VERSION) {
		printf("pvh-sev %s\n", PVH_SEV_VERSION);
		return 0;
	}
	if (run_install_kick_signal()) {
		fprintf(stderr, "pvh-sev: cannot install the vCPU kick signal handler\n");
		return PVH_EXIT_VMM_ERROR;
	}
	report_init(&rep);
	status = run_main(&cfg, &rep);
	fflush(stdout);
	if (cfg.report && report_write(&rep, cfg.report)) {
		fprintf(stderr, "pvh-sev: cannot write the report to %s\n", cfg.report);
		if (status == 0)
			status = PVH_EXIT_VMM_ERROR;
	}
	report_free(&rep);
	return status;
}
