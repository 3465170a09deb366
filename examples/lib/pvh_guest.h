/* SPDX-License-Identifier: MIT */
/*
 * The example-guest library: everything a freestanding PVH test guest needs (entry, console,
 * printf, exit, CRC-32, command-line parsing). One source builds two flavours:
 *   - 32-bit: ELF32, stays in 32-bit protected mode with paging off (the PVH entry state);
 *   - 64-bit: ELF64, the 32-bit entry stub switches to long mode on identity page tables.
 * A guest provides guest_main(); the library's entry calls it and exits with its result.
 * docs/examples.md describes the API and how to write a guest.
 */
#ifndef PVH_GUEST_H
#define PVH_GUEST_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include "loader/hvm_start_info.h"
#include "loader/guest_abi.h"

/* The guest's own entry point, called once with the start_info EBX pointed at (not validated:
 * check si->magic). The return value is the exit status (see pvh_exit). */
int guest_main(const struct hvm_start_info *si);

/* --- port I/O ------------------------------------------------------------------------------ */

static inline void pvh_outb(uint16_t port, uint8_t v)
{
	__asm__ volatile("outb %0, %1" : : "a"(v), "Nd"(port));
}

static inline void pvh_outl(uint16_t port, uint32_t v)
{
	__asm__ volatile("outl %0, %1" : : "a"(v), "Nd"(port));
}

static inline uint8_t pvh_inb(uint16_t port)
{
	uint8_t v;

	__asm__ volatile("inb %1, %0" : "=a"(v) : "Nd"(port));
	return v;
}

/* --- console ------------------------------------------------------------------------------- */

enum pvh_console {
	PVH_CONSOLE_COM1,     /* 16550 at 0x3f8, polls LSR.THRE before each byte (the default) */
	PVH_CONSOLE_DEBUGCON, /* port 0xe9; a whole buffer goes out with one rep outsb */
	PVH_CONSOLE_CUSTOM,   /* the writer given to pvh_console_set_writer */
};

/*
 * Output goes through one writer. An SEV-ES guest (where a bare IN/OUT raises #VC on hardware)
 * installs one that uses the GHCB; pvh_console_set_writer(NULL) goes back to COM1.
 * The library takes no locks: on SMP, one CPU prints at a time.
 */
typedef void (*pvh_write_fn)(const char *buf, size_t len);
void pvh_console_set_writer(pvh_write_fn writer);
void pvh_console_select(enum pvh_console console); /* CUSTOM without a writer means COM1 */
enum pvh_console pvh_console_current(void);
void pvh_console_write(const char *buf, size_t len);
void pvh_com1_write(const char *buf, size_t len);
void pvh_debugcon_write(const char *buf, size_t len);
void pvh_putc(char c);
void pvh_puts(const char *s); /* no newline added */

/*
 * printf subset: %s %c %d %i %u %x %X %p %%, flags '0' and '-', a decimal width, length
 * modifiers l, ll and z. Each call formats into a 256-byte buffer and writes it out at once
 * (longer output is written in pieces). Returns the number of characters produced.
 */
int pvh_printf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
int pvh_vsnprintf(char *buf, size_t size, const char *fmt, va_list ap)
	__attribute__((format(printf, 3, 0)));
int pvh_snprintf(char *buf, size_t size, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* --- ending the run ------------------------------------------------------------------------ */

/*
 * Writes status to the debug-exit port 0xf4 with one 4-byte OUT (the plain value: QEMU's
 * isa-debug-exit and pvh-sev --debug-exit=qemu turn it into (status << 1) | 1). If nothing
 * stops the VM there, asks the i8042 for a reset, then halts forever.
 */
__attribute__((noreturn)) void pvh_exit(uint32_t status);

/*
 * An exit handler runs first in pvh_exit (an SEV-ES guest ends through the GHCB instead of a
 * bare OUT); if it returns, the port-based exit follows. NULL removes it.
 */
typedef void (*pvh_exit_fn)(uint32_t status);
void pvh_set_exit_handler(pvh_exit_fn handler);

/* --- boot data ----------------------------------------------------------------------------- */

/* The start_info address the entry stub received in EBX. */
extern uintptr_t pvh_start_info_paddr;

/*
 * A pointer to [paddr, paddr + len) if this flavour can reach all of it (both flavours reach
 * exactly the first 4 GiB), otherwise NULL. Use it for every address taken from start_info.
 */
const void *pvh_phys_ptr(uint64_t paddr, uint64_t len);

/* A NUL-terminated string at paddr, at most max bytes long, or NULL if unreachable. */
const char *pvh_phys_str(uint64_t paddr, size_t max);

/*
 * Finds "key=value" in a space-separated command line. Returns a pointer to the value (which
 * ends at a space or NUL) and stores its length, or returns NULL. key is given without '='.
 */
const char *pvh_cmdline_find(const char *cmdline, const char *key, size_t *len);

/* Parses a decimal or 0x-hex number of exactly len characters; 0 on success, -1 if malformed. */
int pvh_parse_u32(const char *s, size_t len, uint32_t *out);

/* --- CRC-32 -------------------------------------------------------------------------------- */

/* IEEE 802.3 CRC-32 (zlib's crc32()): start with crc = 0, feed chunks in order. */
uint32_t pvh_crc32(uint32_t crc, const void *buf, size_t len);

/* --- freestanding string functions (the compiler may also call these) ---------------------- */

void *memset(void *dst, int c, size_t n);
void *memcpy(void *dst, const void *src, size_t n);
int memcmp(const void *a, const void *b, size_t n);
size_t strlen(const char *s);
size_t pvh_strnlen(const char *s, size_t max);

/* --- 64-bit flavour only: identity page tables ----------------------------------------------
 * The entry stub maps the first 4 GiB 1:1 with 2 MiB pages (tables are static data, so the
 * default path costs no instructions). Before it enables paging it calls the 32-bit hook
 * pvh_entry32_hook (weak, default does nothing) with EBX = start_info; a guest may override it
 * (in 32-bit assembly) to set pvh_pte_extra_mask, e.g. to an SEV C-bit. A non-zero mask is ORed
 * into every PML4E, PDPTE and PDE, and into CR3 once in long mode.
 */
#ifdef __x86_64__
extern uint64_t pvh_pte_extra_mask;
extern uint64_t pvh_pml4[512]; /* CR3 target (below 4 GiB), e.g. for APs entering long mode */

/* The long-mode GDT the stub loads (null, code, data), for APs that enter the same way. */
#define PVH_GDT64_CODE_SEL 0x08
#define PVH_GDT64_DATA_SEL 0x10
extern const uint64_t pvh_gdt64[3];
#endif

#endif
