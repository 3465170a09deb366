/* SPDX-License-Identifier: MIT */
/* Guest output: COM1 (polled 16550) or the 0xe9 debug console, chosen at run time. */
#include "pvh_guest.h"

#define UART_LSR 5          /* line status register, offset from the base port */
#define UART_LSR_THRE 0x20  /* transmit holding register empty */
#define UART_POLL_LIMIT 100000u /* a UART that never gets ready must not hang the guest */

static enum pvh_console console_current; /* zero: PVH_CONSOLE_COM1 */
static pvh_write_fn console_writer;

void pvh_console_set_writer(pvh_write_fn writer)
{
	console_writer = writer;
	console_current = writer ? PVH_CONSOLE_CUSTOM : PVH_CONSOLE_COM1;
}

void pvh_console_select(enum pvh_console console)
{
	console_current = console;
}

enum pvh_console pvh_console_current(void)
{
	return console_current;
}

/* Every byte costs two exits (LSR read, THR write): no init, the VMM's 16550 needs none. */
void pvh_com1_write(const char *buf, size_t len)
{
	for (size_t i = 0; i < len; i++) {
		unsigned spins = 0;

		while (!(pvh_inb(PVH_SEV_COM1_PORT + UART_LSR) & UART_LSR_THRE) &&
		       ++spins < UART_POLL_LIMIT)
			__asm__ volatile("pause");
		pvh_outb(PVH_SEV_COM1_PORT, (uint8_t)buf[i]);
	}
}

/* One rep outsb: KVM hands the VMM the whole buffer in one I/O exit (per page). */
void pvh_debugcon_write(const char *buf, size_t len)
{
	__asm__ volatile("rep outsb"
			 : "+S"(buf), "+c"(len)
			 : "d"((uint16_t)PVH_SEV_DEBUGCON_PORT)
			 : "memory");
}

void pvh_console_write(const char *buf, size_t len)
{
	if (console_current == PVH_CONSOLE_DEBUGCON)
		pvh_debugcon_write(buf, len);
	else if (console_current == PVH_CONSOLE_CUSTOM && console_writer)
		console_writer(buf, len);
	else
		pvh_com1_write(buf, len);
}

void pvh_putc(char c)
{
	pvh_console_write(&c, 1);
}

void pvh_puts(const char *s)
{
	pvh_console_write(s, strlen(s));
}
