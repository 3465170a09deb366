// SPDX-License-Identifier: MIT
/*
 * pvh-sev: the boot script. Each step is one call and one error line; state lives in
 * struct vm / struct boot_image, passed explicitly.
 */
#include <errno.h>
#include <openssl/crypto.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "loader/hvm_start_info.h"
#include "loader/layout.h"
#include "sev/measure.h"
#include "vmm/ap_start.h"
#include "vmm/boot_image.h"
#include "vmm/check_cmd.h"
#include "vmm/config.h"
#include "vmm/devices.h"
#include "vmm/measure_cmd.h"
#include "vmm/privs.h"
#include "vmm/console_input.h"
#include "vmm/report.h"
#include "vmm/run.h"
#include "vmm/sandbox.h"
#include "vmm/sev_emul.h"
#include "vmm/sev_setup.h"
#include "vmm/version.h"
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

static int load_memory(struct vm *vm, const struct config *cfg, const struct sev_setup *sev,
		       const struct boot_image *img, struct report *rep, char *err)
{
	int r = guest_mem_map(&vm->mem, cfg->mem_size);
	if (r) {
		snprintf(err, ERRLEN, "cannot map %llu bytes of guest RAM: %s",
			 (unsigned long long)cfg->mem_size, strerror(-r));
		return fail(rep, "map-memory", err);
	}
	if (cfg->strict && sev->mode == SEV_MODE_EMULATED)
		sev_setup_strict_fill(vm, img);
	if ((r = guest_mem_load_regions(&vm->mem, &img->regions))) {
		snprintf(err, ERRLEN, "cannot copy the boot image into guest RAM: %s",
			 strerror(-r));
		return fail(rep, "load", err);
	}
	if ((r = vm_map_memory(vm, err, ERRLEN)))
		return fail(rep, "map-memory", err);
	return 0;
}

static int prepare_vcpus(struct vm *vm, struct sev_setup *sev, const struct boot_image *img,
			 struct report *rep, char *err)
{
	int r;
	if ((r = vm_create_vcpus(vm, img->nvcpus, err, ERRLEN)))
		return fail(rep, "create-vcpus", err);
	for (unsigned i = 0; i < img->nvcpus; i++) {
		if (sev_backend_vcpu_state_writable(&sev->backend))
			return fail(rep, "set-registers", "vCPU registers are locked by the launch");
		if ((r = vcpu_set_state(&vm->vcpus[i], &img->states[i], err, ERRLEN)))
			return fail(rep, "set-registers", err);
		if (vm->emul.on)
			sev_emul_setup_vcpu(vm, &vm->vcpus[i]);
	}
	if ((r = ap_doorbell_register(vm))) {
		snprintf(err, ERRLEN, "cannot register the AP doorbell: %s", strerror(-r));
		return fail(rep, "devices", err);
	}
	return 0;
}

static int prepare_vm(struct vm *vm, struct devices *dev, struct sev_setup *sev,
		      const struct config *cfg, const struct boot_image *img, struct report *rep,
		      char *err)
{
	int r;
	if ((r = vm_create(vm, cfg, sev->vm_type, err, ERRLEN)))
		return fail(rep, "create-vm", err);
	if ((r = sev_setup_platform(sev, vm, err, ERRLEN)))
		return fail(rep, "sev-setup", err);
	report_step(rep, "create-vm");
	if ((r = load_memory(vm, cfg, sev, img, rep, err)))
		return r;
	report_step(rep, "load-memory");
	if ((r = sev_setup_vm(sev, vm, cfg, err, ERRLEN)))
		return fail(rep, "sev-setup", err);
	report_step(rep, "sev-setup");
	if ((r = devices_register(dev, vm, stdout))) {
		snprintf(err, ERRLEN, "cannot register devices: %s", strerror(-r));
		return fail(rep, "devices", err);
	}
	if ((r = prepare_vcpus(vm, sev, img, rep, err)))
		return r;
	report_step(rep, "create-vcpus");
	if ((r = sev_setup_launch(sev, vm, img, err, ERRLEN)))
		return fail(rep, "launch", err);
	report_step(rep, "launch");
	return 0;
}

static void report_mode(struct report *rep, const struct sev_setup *sev)
{
	report_set_str(rep, "mode", sev_mode_name(sev->mode));
	if (sev->mode != SEV_MODE_OFF) {
		report_set_str(rep, "sev_init", sev_init_path_name(sev->init));
		report_set(rep, "vmsa_inputs", sev_host_profile_json(&sev->profile, &sev->vmsa));
	}
	report_set_str(rep, "encrypted", sev->mode == SEV_MODE_ES ? "yes" : "no");
	if (sev->note[0])
		report_set_str(rep, "mode_note", sev->note);
}

static void announce_mode(const struct sev_setup *sev)
{
	if (sev->note[0])
		fprintf(stderr, "pvh-sev: %s\n", sev->note);
	if (sev->mode == SEV_MODE_EMULATED)
		fprintf(stderr, "pvh-sev: emulated SEV-ES: guest memory is NOT encrypted\n");
}

static int run_vm(struct vm *vm, struct devices *dev, const struct sev_setup *sev,
		  const struct privs_user *user, struct report *rep, char *err)
{
	if (sev->mode != SEV_MODE_OFF && report_enabled(rep))
		report_set(rep, "launch", sev_launch_result_json(&sev->result, SEV_MEASURE_HEX));
	if (vm->emul.on)
		report_set_int(rep, "cbit", vm->emul.cbit);
	if (privs_drop(user, err, ERRLEN))
		return fail(rep, "drop-privileges", err);
	/* Every fd is open and memory is mapped: from here on only the run loop's calls. */
	if (vm->cfg->sandbox && sandbox_start(console_input_restore_terminal, err, ERRLEN))
		return fail(rep, "sandbox", err);
	report_set_str(rep, "sandbox", vm->cfg->sandbox ? "on" : "off");
	struct console_input con;
	int r = console_input_start(&con, vm, &dev->com1, STDIN_FILENO);
	if (r) {
		snprintf(err, ERRLEN, "console input: %s", strerror(-r));
		return fail(rep, "console", err);
	}
	int status = vm_run(vm);
	console_input_stop(&con);
	report_step(rep, "run");
	uint64_t exits = 0;
	for (unsigned i = 0; i < vm->nvcpus; i++)
		exits += vm->vcpus[i].exits;
	report_set_int(rep, "exits", (long long)exits);
	report_set_str(rep, "ending", vm_ending_name(vm->ending));
	report_set_str(rep, "ending_detail", vm->ending_detail);
	report_set_int(rep, "exit_status", status);
	if (vm->ending != ENDING_GUEST_EXIT)
		fprintf(stderr, "pvh-sev: %s (exit status %d)\n", vm->ending_detail, status);
	return status;
}

/* --dump-layout: the regions, then the memory map the guest gets, then stop. */
static int dump_layout(const struct config *cfg, const struct boot_image *img)
{
	struct hvm_memmap_table_entry map[PVH_SEV_MEMMAP_MAX];
	size_t n;
	char err[ERRLEN];
	region_list_print(&img->regions, stdout);
	if (layout_memmap(cfg->mem_size, &img->regions, map, PVH_SEV_MEMMAP_MAX, &n, err, ERRLEN)) {
		fprintf(stderr, "pvh-sev: %s\n", err);
		return PVH_EXIT_VMM_ERROR;
	}
	printf("\nmemory map (start_info at 0x%llx, kernel entry 0x%x):\n",
	       (unsigned long long)img->start_info, img->entry);
	layout_memmap_print(map, n, stdout);
	return 0;
}

static int run_main(const struct config *cfg, struct report *rep)
{
	struct boot_image img = {0};
	struct vm vm = {.kvm_fd = -1, .vm_fd = -1};
	struct sev_setup sev = {0};
	struct privs_user user = {0};
	struct devices dev;
	char err[ERRLEN];
	int status;

	report_set_str(rep, "kernel", cfg->kernel);
	report_set_int(rep, "vcpus", cfg->smp);
	if (cfg->user && privs_lookup_user(cfg->user, &user, err, ERRLEN)) {
		status = fail(rep, "user", err);
		goto out;
	}
	if (sev_setup_choose(&sev, cfg, err, ERRLEN)) {
		status = fail(rep, "sev-mode", err);
		goto out;
	}
	report_mode(rep, &sev);
	if (boot_image_build(&img, cfg, cfg->smp, sev.sev_es ? SIF_HVM_GHCB : 0, sev.sev_es, err,
			     ERRLEN)) {
		status = fail(rep, "load-kernel", err);
		goto out;
	}
	report_set_regions(rep, &img.regions);
	report_step(rep, "build-image");
	if (cfg->dump_vmsa && sev.sev_es &&
	    sev_measure_dump_vmsa(cfg->dump_vmsa, img.states, img.nvcpus, &sev.vmsa, err, ERRLEN)) {
		status = fail(rep, "dump-vmsa", err);
		goto out;
	}
	if (cfg->dump_layout) {
		status = dump_layout(cfg, &img);
		goto out;
	}
	announce_mode(&sev);
	status = prepare_vm(&vm, &dev, &sev, cfg, &img, rep, err);
	if (!status)
		status = run_vm(&vm, &dev, &sev, &user, rep, err);
out:
	vm_destroy(&vm);
	sev_setup_free(&sev);
	boot_image_free(&img);
	return status;
}

int main(int argc, char **argv)
{
	static char stdout_buf[BUFSIZ];
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
		version_print(stdout);
		return 0;
	}
	if (cfg.cmd == CMD_CHECK)
		return check_main(&cfg);
	/* SHA-256 and HMAC from the default provider are all pvh-sev uses: skip parsing the
	 * system's openssl.cnf and loading its error strings (~1 ms of every SEV-ES start-up on the
	 * development host). */
	OPENSSL_init_crypto(OPENSSL_INIT_NO_LOAD_CONFIG | OPENSSL_INIT_NO_LOAD_CRYPTO_STRINGS, NULL);
	if (cfg.cmd == CMD_MEASURE)
		return measure_main(&cfg);
	if (run_install_kick_signal()) {
		fprintf(stderr, "pvh-sev: cannot install the vCPU kick signal handler\n");
		return PVH_EXIT_VMM_ERROR;
	}
	/* The guest console is stdout: unbuffered on a terminal (a prompt shows before its
	 * newline), line by line elsewhere, so a program reading it sees lines as they come. */
	if (isatty(STDOUT_FILENO))
		setvbuf(stdout, NULL, _IONBF, 0);
	else /* its buffer now: a buffer made at the first write would fstat() in a vCPU thread */
		setvbuf(stdout, stdout_buf, _IOLBF, sizeof(stdout_buf));
	report_init(&rep, cfg.report != NULL);
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
