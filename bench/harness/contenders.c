// SPDX-License-Identifier: MIT
/*
 * ADAPTER: the command line of each contender (adapters.h). The three boot the same ELF with
 * the same command line and 256 MiB of RAM (pvh-sev: its default; QEMU and pvh-sev also take
 * another size and an initrd, for Linux), and print the guest's debugcon and COM1 output to
 * stdout, where the harness looks for proof that the guest ran.
 */
#include <stdio.h>
#include <unistd.h>

#include "bench/harness/adapters.h"

#define ADD(...)                                                                                   \
	do {                                                                                       \
		if (variant_arg(v, __VA_ARGS__))                                                   \
			return -1;                                                                 \
	} while (0)

/* `NAME VALUE` when there is a value. 0 or -1 (no room). */
static int opt(struct variant *v, const char *name, const char *value)
{
	return value && (variant_arg(v, "%s", name) || variant_arg(v, "%s", value)) ? -1 : 0;
}

#define OPT(name, value)                                                                           \
	do {                                                                                       \
		if (opt(v, name, value))                                                           \
			return -1;                                                                 \
	} while (0)

static void skip_unless_boot_files(struct variant *v, const struct boot_spec *b)
{
	variant_skip_unless_file(v, b->kernel, "the guest");
	if (b->initrd)
		variant_skip_unless_file(v, b->initrd, "the initrd");
}

int contender_floor(struct variant *v, const struct bench_config *c, const char *kernel,
                    const char *cmdline, const char *irqchip)
{
	ADD("%s", c->floor);
	if (irqchip)
		ADD("--irqchip=%s", irqchip);
	if (cmdline)
		ADD("--cmdline=%s", cmdline);
	ADD("%s", kernel);
	variant_skip_unless_file(v, c->floor, "the floor program");
	variant_skip_unless_file(v, kernel, "the guest");
	return 0;
}

/*
 * QEMU at its fastest for a PVH ELF: microvm without option ROMs, RTC, PIT or PIC (the serial
 * port stays, for guests that print there), no default devices, no user config.
 */
int contender_qemu_boot(struct variant *v, const struct bench_config *c, const struct boot_spec *b)
{
	ADD("%s", c->qemu);
	ADD("-M");
	ADD("microvm,x-option-roms=off,rtc=off,pit=off,pic=off");
	ADD("-accel");
	ADD("kvm");
	ADD("-m");
	ADD("%d", b->mem_mib ? b->mem_mib : 256);
	ADD("-smp");
	ADD("%d", b->smp);
	ADD("-nodefaults");
	ADD("-no-user-config");
	ADD("-display");
	ADD("none");
	ADD("-monitor");
	ADD("none");
	ADD("-no-reboot");
	ADD("-chardev");
	ADD("stdio,id=con,mux=on");
	ADD("-serial");
	ADD("chardev:con");
	ADD("-device");
	ADD("isa-debugcon,iobase=0xe9,chardev=con");
	ADD("-device");
	ADD("isa-debug-exit,iobase=0xf4,iosize=4");
	OPT("-kernel", b->kernel);
	OPT("-initrd", b->initrd);
	OPT("-append", b->cmdline);
	variant_skip_unless_file(v, c->qemu, "qemu-system-x86_64");
	skip_unless_boot_files(v, b);
	return 0;
}

int contender_qemu(struct variant *v, const struct bench_config *c, const char *kernel,
                   const char *cmdline, int smp)
{
	const struct boot_spec b = {.kernel = kernel, .cmdline = cmdline, .smp = smp};

	return contender_qemu_boot(v, c, &b);
}

int contender_pvh_sev_boot(struct variant *v, const struct bench_config *c,
                           const struct boot_spec *b, const char *sev, int report)
{
	ADD("%s", c->pvh_sev);
	ADD("run");
	ADD("%s", b->kernel);
	ADD("--sev=%s", sev);
	ADD("--smp");
	ADD("%d", b->smp);
	if (b->mem_mib) {
		ADD("--mem");
		ADD("%dM", b->mem_mib);
	}
	OPT("--initrd", b->initrd);
	OPT("--cmdline", b->cmdline);
	if (report) {
		static int seq;
		snprintf(v->report_path, sizeof(v->report_path), "/tmp/pvh-bench-%d-%d.json",
		         (int)getpid(), seq++);
		snprintf(v->report_mode, sizeof(v->report_mode), "%s", sev);
		ADD("--report");
		ADD("%s", v->report_path);
	}
	variant_skip_unless_file(v, c->pvh_sev, "pvh-sev");
	skip_unless_boot_files(v, b);
	return 0;
}

int contender_pvh_sev(struct variant *v, const struct bench_config *c, const char *kernel,
                      const char *cmdline, const char *sev, int smp, int report)
{
	const struct boot_spec b = {.kernel = kernel, .cmdline = cmdline, .smp = smp};

	return contender_pvh_sev_boot(v, c, &b, sev, report);
}

int contender_pvh_sev_measure(struct variant *v, const struct bench_config *c, const char *kernel,
                              const char *initrd)
{
	ADD("%s", c->pvh_sev);
	ADD("measure");
	ADD("%s", kernel);
	OPT("--initrd", initrd);
	ADD("--json");
	variant_skip_unless_file(v, c->pvh_sev, "pvh-sev");
	variant_skip_unless_file(v, kernel, "the guest");
	return 0;
}

int qemu_status_of(int guest_value) { return ((guest_value << 1) | 1) & 0xff; }

int pvh_sev_status_of(int guest_value) { return guest_value & 0xff; }
