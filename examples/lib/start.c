/* SPDX-License-Identifier: MIT */
/* The C side of the entry, the exit path and the checked access to boot data. */
#include "pvh_guest.h"

/* Called from the flavour's entry stub; public only for the assembler. */
__attribute__((noreturn)) void pvh_c_start(uintptr_t si_paddr);

uintptr_t pvh_start_info_paddr;

/* Both flavours reach exactly the first 4 GiB (32-bit linear space, or the identity map). */
#define PVH_REACHABLE_END 0x100000000ull

void pvh_c_start(uintptr_t si_paddr)
{
	const struct hvm_start_info *si = pvh_phys_ptr(si_paddr, sizeof(*si));

	pvh_exit((uint32_t)guest_main(si));
}

void pvh_exit(uint32_t status)
{
	pvh_outl(PVH_SEV_DEBUG_EXIT_PORT, status);
	/* Still running: no debug-exit device. A reset at least ends the run. */
	pvh_outb(PVH_SEV_I8042_CMD_PORT, PVH_SEV_I8042_CMD_RESET);
	for (;;)
		__asm__ volatile("cli; hlt");
}

const void *pvh_phys_ptr(uint64_t paddr, uint64_t len)
{
	if (paddr >= PVH_REACHABLE_END || len > PVH_REACHABLE_END - paddr)
		return NULL;
	return (const void *)(uintptr_t)paddr;
}

const char *pvh_phys_str(uint64_t paddr, size_t max)
{
	const char *s = pvh_phys_ptr(paddr, 1);
	uint64_t room;

	if (!s)
		return NULL;
	room = PVH_REACHABLE_END - paddr;
	if (max > room)
		max = (size_t)room;
	return pvh_strnlen(s, max) < max ? s : NULL;
}

static int is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n';
}

const char *pvh_cmdline_find(const char *cmdline, const char *key, size_t *len)
{
	size_t klen = strlen(key);
	const char *p = cmdline;

	while (p && *p) {
		const char *word;
		size_t wlen = 0;

		while (is_space(*p))
			p++;
		word = p;
		while (p[0] && !is_space(p[0])) {
			p++;
			wlen++;
		}
		if (wlen > klen && word[klen] == '=' && memcmp(word, key, klen) == 0) {
			*len = wlen - klen - 1;
			return word + klen + 1;
		}
	}
	return NULL;
}

static int digit_value(char c, unsigned base)
{
	unsigned v;

	if (c >= '0' && c <= '9')
		v = (unsigned)(c - '0');
	else if (c >= 'a' && c <= 'f')
		v = (unsigned)(c - 'a' + 10);
	else if (c >= 'A' && c <= 'F')
		v = (unsigned)(c - 'A' + 10);
	else
		return -1;
	return v < base ? (int)v : -1;
}

int pvh_parse_u32(const char *s, size_t len, uint32_t *out)
{
	unsigned base = 10;
	uint64_t v = 0;

	if (len > 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
		base = 16;
		s += 2;
		len -= 2;
	}
	if (len == 0)
		return -1;
	for (; len; s++, len--) {
		int d = digit_value(*s, base);

		if (d < 0)
			return -1;
		v = v * base + (unsigned)d;
		if (v > 0xffffffffu)
			return -1;
	}
	*out = (uint32_t)v;
	return 0;
}
