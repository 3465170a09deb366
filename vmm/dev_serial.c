// SPDX-License-Identifier: MIT
/* A 16550A UART: enough for polled output and for Linux's 8250 probe (scratch, loopback). */
#include <string.h>

#include "vmm/devices.h"
#include "vmm/io_bus.h"

enum { RBR_THR = 0, IER = 1, IIR_FCR = 2, LCR = 3, MCR = 4, LSR = 5, MSR = 6, SCR = 7 };
#define LCR_DLAB 0x80
#define MCR_LOOP 0x10
#define LSR_THRE_TEMT 0x60
#define IIR_NO_INT 0x01
#define IIR_FIFO 0xc0
#define MSR_IDLE 0xb0 /* DCD, DSR, CTS */

static uint8_t serial_msr(const struct serial_16550 *s)
{
	if (!(s->mcr & MCR_LOOP))
		return MSR_IDLE;
	/* Loopback: DTR->DSR, RTS->CTS, OUT1->RI, OUT2->DCD, as the 8250 probe expects. */
	return (uint8_t)(((s->mcr & 1) << 5) | ((s->mcr & 2) << 3) | ((s->mcr & 4) << 4) |
			 ((s->mcr & 8) << 4));
}

static uint8_t serial_read(struct serial_16550 *s, unsigned reg)
{
	switch (reg) {
	case RBR_THR: return (s->lcr & LCR_DLAB) ? s->dll : 0;
	case IER: return (s->lcr & LCR_DLAB) ? s->dlm : s->ier;
	case IIR_FCR: return IIR_NO_INT | ((s->fcr & 1) ? IIR_FIFO : 0);
	case LCR: return s->lcr;
	case MCR: return s->mcr;
	case LSR: return LSR_THRE_TEMT;
	case MSR: return serial_msr(s);
	default: return s->scr;
	}
}

static void serial_write(struct serial_16550 *s, unsigned reg, uint8_t v)
{
	switch (reg) {
	case RBR_THR:
		if (s->lcr & LCR_DLAB)
			s->dll = v;
		else if (!(s->mcr & MCR_LOOP))
			putc(v, s->out);
		break;
	case IER:
		if (s->lcr & LCR_DLAB)
			s->dlm = v;
		else
			s->ier = v & 0x0f;
		break;
	case IIR_FCR: s->fcr = v; break;
	case LCR: s->lcr = v; break;
	case MCR: s->mcr = v & 0x1f; break;
	case SCR: s->scr = v; break;
	default: break; /* LSR and MSR are read-only */
	}
}

static void serial_io(void *dev, struct vcpu *vcpu, uint16_t port, uint8_t *data, unsigned len,
		      bool is_write)
{
	struct serial_16550 *s = dev;
	unsigned reg = port & 7;
	/* Wider accesses reach consecutive registers, as on the bus. */
	for (unsigned i = 0; i < len; i++, reg = (reg + 1) & 7) {
		if (is_write)
			serial_write(s, reg, data[i]);
		else
			data[i] = serial_read(s, reg);
	}
}

int serial_register(struct serial_16550 *s, struct io_bus *bus, uint16_t base, FILE *out)
{
	memset(s, 0, sizeof(*s));
	s->out = out;
	return io_bus_register(bus, base, 8, serial_io, s, "com1");
}
