/* SPDX-License-Identifier: MIT */
/*
 * endings: ends the run in the way its command line names, so every ending of `pvh-sev run`
 * (docs/usage.md) has a real guest behind its test. end=exit|hang|triple|reset|emufail|ghcbterm.
 */
#include "lib/pvh_guest.h"

struct idt_ptr {
	uint16_t limit;
	uintptr_t base;
} __attribute__((packed));

static void triple_fault(void)
{
	static const struct idt_ptr empty = {0, 0};
	/* With no IDT, #UD escalates to #DF and then to a shutdown. */
	__asm__ volatile("lidt %0\n\tud2" : : "m"(empty));
}

/* A guest-physical address in the hole below 4 GiB: no RAM and no device behind it. */
#define UNBACKED_GPA 0xd0000000u

static void emulation_failure(void)
{
	/*
	 * popcnt (%ecx), %eax on an unbacked address. The access is MMIO, so KVM must emulate the
	 * instruction on every host, and its emulator has no POPCNT (arch/x86/kvm/emulate.c, 0F B8
	 * is not decoded): KVM_EXIT_INTERNAL_ERROR. A register operand would run natively on AMD-V.
	 */
	__asm__ volatile(".byte 0xf3, 0x0f, 0xb8, 0x01" : : "c"((uintptr_t)UNBACKED_GPA) : "eax", "memory");
}

static void ghcb_termination(void)
{
	/* GHCB MSR protocol termination request, reason set 1, code 2, then VMGEXIT. */
	uint32_t lo = 0x100u | (1u << 12) | (2u << 16);
	__asm__ volatile("wrmsr\n\t.byte 0xf3, 0x0f, 0x01, 0xd9" : : "c"(0xC0010130u), "a"(lo),
			 "d"(0));
}

static int is(const char *v, size_t len, const char *word)
{
	size_t n = strlen(word);
	return v && len == n && memcmp(v, word, n) == 0;
}

int guest_main(const struct hvm_start_info *si)
{
	const char *cmdline = NULL;
	size_t len = 0;
	const char *end;

	if (si && si->magic == XEN_HVM_START_MAGIC_VALUE && si->cmdline_paddr)
		cmdline = pvh_phys_str(si->cmdline_paddr, PVH_SEV_CMDLINE_MAX);
	end = pvh_cmdline_find(cmdline, "end", &len);
	pvh_printf("endings: cmdline %s\n", cmdline ? cmdline : "(none)");
	if (is(end, len, "hang"))
		for (;;)
			__asm__ volatile("cli; hlt");
	if (is(end, len, "triple"))
		triple_fault();
	if (is(end, len, "reset"))
		pvh_outb(PVH_SEV_I8042_CMD_PORT, PVH_SEV_I8042_CMD_RESET);
	if (is(end, len, "emufail"))
		emulation_failure();
	if (is(end, len, "ghcbterm"))
		ghcb_termination();
	pvh_printf("endings: still running\n");
	return 42;
}
