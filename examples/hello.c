/* SPDX-License-Identifier: MIT */
/*
 * hello: prints everything it received through PVH (start_info, command line, memory map,
 * modules with their CRC-32) in a stable, greppable format, then exits with the status given by
 * "exit=N" on its command line (default 0). Built as hello.elf (32-bit) and hello64.elf (64-bit).
 *
 * Command line: exit=N (decimal or 0x hex), console=com1|debugcon, crc=0 (skip module CRCs;
 * each byte costs about 1.5 us of emulation on a PVM host).
 */
#include "lib/pvh_guest.h"

#define HELLO_EXIT_BAD_START_INFO 250u /* start_info unreachable or its magic is wrong */
#define HELLO_EXIT_BAD_CMDLINE 251u    /* an option on the command line is malformed */
#define HELLO_MAX_LISTED 128u          /* more memmap entries or modules are counted, not listed */
#define HELLO_MODULE_CMDLINE_MAX 256u

#ifdef __x86_64__
#define HELLO_MODE "64-bit long mode"
#else
#define HELLO_MODE "32-bit protected mode"
#endif

/* Options are taken before the first line so that console= applies to all output. */
struct hello_opts {
	uint32_t exit_status;
	int crc;
	int bad;
};

static void parse_console(const char *cmdline, struct hello_opts *opts)
{
	size_t len;
	const char *v = pvh_cmdline_find(cmdline, "console", &len);

	if (!v)
		return;
	if (len == 8 && memcmp(v, "debugcon", 8) == 0)
		pvh_console_select(PVH_CONSOLE_DEBUGCON);
	else if (len == 4 && memcmp(v, "com1", 4) == 0)
		pvh_console_select(PVH_CONSOLE_COM1);
	else
		opts->bad = 1;
}

static struct hello_opts parse_opts(const char *cmdline)
{
	struct hello_opts opts = {.crc = 1};
	size_t len;
	const char *v;

	parse_console(cmdline, &opts);
	v = pvh_cmdline_find(cmdline, "exit", &len);
	if (v && pvh_parse_u32(v, len, &opts.exit_status) != 0)
		opts.bad = 1;
	v = pvh_cmdline_find(cmdline, "crc", &len);
	if (v && len == 1 && v[0] == '0')
		opts.crc = 0;
	return opts;
}

static void print_memmap(const struct hvm_start_info *si)
{
	uint32_t n = si->memmap_entries;

	if (si->version < 1) {
		pvh_printf("memmap: none (start_info version 0)\n");
		return;
	}
	pvh_printf("memmap: paddr=0x%llx entries=%u\n", (unsigned long long)si->memmap_paddr, n);
	for (uint32_t i = 0; i < n && i < HELLO_MAX_LISTED; i++) {
		const struct hvm_memmap_table_entry *e =
			pvh_phys_ptr(si->memmap_paddr + (uint64_t)i * sizeof(*e), sizeof(*e));

		if (!e) {
			pvh_printf("memmap[%u]: unreachable\n", i);
			return;
		}
		pvh_printf("memmap[%u]: addr=0x%llx size=0x%llx type=%u\n", i,
			   (unsigned long long)e->addr, (unsigned long long)e->size, e->type);
	}
}

static void print_module(uint32_t i, const struct hvm_modlist_entry *m, int crc)
{
	const void *data = pvh_phys_ptr(m->paddr, m->size);
	const char *cmd = NULL;

	if (m->cmdline_paddr)
		cmd = pvh_phys_str(m->cmdline_paddr, HELLO_MODULE_CMDLINE_MAX);
	pvh_printf("module[%u]: paddr=0x%llx size=%llu", i, (unsigned long long)m->paddr,
		   (unsigned long long)m->size);
	if (!data)
		pvh_printf(" crc32=unreachable");
	else if (crc)
		pvh_printf(" crc32=0x%08x", pvh_crc32(0, data, (size_t)m->size));
	else
		pvh_printf(" crc32=skipped");
	if (!m->cmdline_paddr)
		pvh_printf(" cmdline=(none)\n");
	else if (!cmd)
		pvh_printf(" cmdline=(unreadable)\n");
	else
		pvh_printf(" cmdline=%s\n", cmd);
}

static void print_modules(const struct hvm_start_info *si, int crc)
{
	for (uint32_t i = 0; i < si->nr_modules && i < HELLO_MAX_LISTED; i++) {
		const struct hvm_modlist_entry *m =
			pvh_phys_ptr(si->modlist_paddr + (uint64_t)i * sizeof(*m), sizeof(*m));

		if (!m) {
			pvh_printf("module[%u]: unreachable\n", i);
			return;
		}
		print_module(i, m, crc);
	}
}

static void print_start_info(const struct hvm_start_info *si)
{
	pvh_printf("start_info: magic=0x%x ok\n", si->magic);
	pvh_printf("start_info: version=%u flags=0x%x nr_modules=%u rsdp=0x%llx\n", si->version,
		   si->flags, si->nr_modules, (unsigned long long)si->rsdp_paddr);
	pvh_printf("start_info: ghcb=%s\n", (si->flags & SIF_HVM_GHCB) ? "yes" : "no");
}

int guest_main(const struct hvm_start_info *si)
{
	const char *cmdline = NULL;
	struct hello_opts opts;

	if (si && si->magic == XEN_HVM_START_MAGIC_VALUE && si->cmdline_paddr)
		cmdline = pvh_phys_str(si->cmdline_paddr, PVH_SEV_CMDLINE_MAX);
	opts = parse_opts(cmdline);
	pvh_printf("hello: pvh example guest, %s\n", HELLO_MODE);
	if (!si || si->magic != XEN_HVM_START_MAGIC_VALUE) {
		pvh_printf("start_info: bad paddr=0x%lx magic=0x%x\n",
			   (unsigned long)pvh_start_info_paddr, si ? si->magic : 0);
		pvh_printf("exit: %u\n", HELLO_EXIT_BAD_START_INFO);
		return HELLO_EXIT_BAD_START_INFO;
	}
	print_start_info(si);
	if (!si->cmdline_paddr)
		pvh_printf("cmdline: (none)\n");
	else
		pvh_printf("cmdline: %s\n", cmdline ? cmdline : "(unreadable)");
	print_memmap(si);
	print_modules(si, opts.crc);
	if (opts.bad) {
		pvh_printf("cmdline: malformed option (exit=N console=com1|debugcon crc=0)\n");
		opts.exit_status = HELLO_EXIT_BAD_CMDLINE;
	}
	pvh_printf("exit: %u\n", opts.exit_status);
	return (int)opts.exit_status;
}
