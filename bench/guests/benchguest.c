// SPDX-License-Identifier: MIT
/*
 * The benchmark guest: one PVH ELF for every contender (the floor, pvh-sev, QEMU), so they all
 * run the same payload. Its command line picks the work:
 *   kind=none            boot, print one line, exit (the P1 payload when no example guest exists)
 *   kind=out  n=N        N port-I/O exits (OUT to `port`, default 0x80) (P3)
 *   kind=ghcb n=N        N GHCB MSR-protocol CPUID calls: WRMSR, VMGEXIT, RDMSR (P3)
 *   kind=smp  n=N        start N APs (0: all) through the bring-up page and wait for them (P4)
 *   port=0xNN            the port for kind=out
 * It exits through the 4-byte exit port with 0 on success, 2 on a bad command line, 3 when
 * a GHCB reply is malformed, and 10 + enum smp_error when AP bring-up fails. Freestanding: no SSE,
 * no libc, no INT n, no 32-bit IRET.
 */
#include <stdint.h>

#include "bench/guests/benchguest.h"
#include "loader/hvm_start_info.h"
#include "loader/guest_abi.h"

#define GHCB_MSR 0xc0010130u
#define GHCB_MSR_CPUID_REQ 0x004u
#define GHCB_MSR_CPUID_RESP 0x005u

enum kind { KIND_NONE, KIND_OUT, KIND_GHCB, KIND_SMP };

struct params {
	enum kind kind;
	uint32_t n;
	uint16_t port;
};

static inline void outb(uint16_t port, uint8_t v)
{
	__asm__ volatile("outb %0, %1" : : "a"(v), "Nd"(port));
}

static void puts_debugcon(const char *s)
{
	while (*s)
		outb(PVH_SEV_DEBUGCON_PORT, (uint8_t)*s++);
}

static void put_u32(uint32_t v)
{
	char buf[11];
	int i = 10;

	buf[i] = 0;
	do {
		buf[--i] = (char)('0' + v % 10);
		v /= 10;
	} while (v && i > 0);
	puts_debugcon(&buf[i]);
}

static int starts_with(const char *s, const char *prefix)
{
	while (*prefix)
		if (*s++ != *prefix++)
			return 0;
	return 1;
}

/* Parses a decimal or 0x-prefixed number up to a space or NUL; returns -1 on junk. */
static int parse_u32(const char *s, uint32_t *out)
{
	uint32_t base = 10, v = 0;
	int digits = 0;

	if (s[0] == '0' && s[1] == 'x') {
		base = 16;
		s += 2;
	}
	for (; *s && *s != ' '; s++, digits++) {
		uint32_t d;
		if (*s >= '0' && *s <= '9')
			d = (uint32_t)(*s - '0');
		else if (base == 16 && *s >= 'a' && *s <= 'f')
			d = (uint32_t)(*s - 'a' + 10);
		else
			return -1;
		v = v * base + d;
	}
	if (!digits)
		return -1;
	*out = v;
	return 0;
}

static int parse_token(const char *t, struct params *p)
{
	uint32_t v;

	if (starts_with(t, "kind=none"))
		p->kind = KIND_NONE;
	else if (starts_with(t, "kind=out"))
		p->kind = KIND_OUT;
	else if (starts_with(t, "kind=ghcb"))
		p->kind = KIND_GHCB;
	else if (starts_with(t, "kind=smp"))
		p->kind = KIND_SMP;
	else if (starts_with(t, "n=")) {
		if (parse_u32(t + 2, &p->n))
			return -1;
	} else if (starts_with(t, "port=")) {
		if (parse_u32(t + 5, &v) || v > 0xffff)
			return -1;
		p->port = (uint16_t)v;
	}
	/* Unknown words are ignored: loaders may add their own. */
	return 0;
}

static int parse_cmdline(const struct hvm_start_info *si, struct params *p)
{
	p->kind = KIND_NONE;
	p->n = 0;
	p->port = 0x80;
	if (si->magic != XEN_HVM_START_MAGIC_VALUE || !si->cmdline_paddr)
		return 0;
	const char *s = (const char *)(uintptr_t)si->cmdline_paddr;
	while (*s) {
		while (*s == ' ')
			s++;
		if (*s && parse_token(s, p))
			return -1;
		while (*s && *s != ' ')
			s++;
	}
	return 0;
}

static void out_loop(uint32_t n, uint16_t port)
{
	for (uint32_t i = 0; i < n; i++)
		outb(port, 0);
}

/* One GHCB MSR-protocol call: request CPUID(0).EAX, then VMGEXIT (F3 0F 01 D9), read the reply. */
static int ghcb_cpuid_call(void)
{
	uint32_t lo, hi;

	__asm__ volatile("wrmsr\n\t.byte 0xf3, 0x0f, 0x01, 0xd9"
	                 :
	                 : "c"(GHCB_MSR), "a"(GHCB_MSR_CPUID_REQ), "d"(0u)
	                 : "memory");
	__asm__ volatile("rdmsr" : "=a"(lo), "=d"(hi) : "c"(GHCB_MSR));
	(void)hi;
	return (lo & 0xfffu) == GHCB_MSR_CPUID_RESP ? 0 : -1;
}

static int ghcb_loop(uint32_t n)
{
	for (uint32_t i = 0; i < n; i++)
		if (ghcb_cpuid_call())
			return -1;
	return 0;
}

uint32_t bench_main(const struct hvm_start_info *si);

uint32_t bench_main(const struct hvm_start_info *si)
{
	static const char *const names[] = {"none", "out", "ghcb", "smp"};
	struct params p;

	if (parse_cmdline(si, &p)) {
		puts_debugcon("bench guest: bad command line\n");
		return 2;
	}
	if (p.kind == KIND_OUT)
		out_loop(p.n, p.port);
	else if (p.kind == KIND_GHCB && ghcb_loop(p.n)) {
		puts_debugcon("bench guest: malformed GHCB reply\n");
		return 3;
	} else if (p.kind == KIND_SMP) {
		int r = smp_bring_up(p.n, &p.n);
		if (r) {
			static const char *const why[] = {"", "built without ap/ap_abi.h",
			                                  "no bring-up page", "doorbell refused",
			                                  "an AP never arrived"};
			puts_debugcon("bench guest: kind=smp failed: ");
			puts_debugcon(why[r]);
			if (r == SMP_TIMEOUT) {
				puts_debugcon(" (AP ");
				put_u32(p.n & 0xffff);
				puts_debugcon(", slot state ");
				put_u32((p.n >> 16) & 0xff);
				puts_debugcon(", reason ");
				put_u32(p.n >> 24);
				puts_debugcon(")");
			}
			puts_debugcon("\n");
			return 10 + (uint32_t)r;
		}
	}
	puts_debugcon("bench guest: kind=");
	puts_debugcon(names[p.kind]);
	puts_debugcon(" n=");
	put_u32(p.n);
	puts_debugcon(" ok\n");
	return 0;
}
