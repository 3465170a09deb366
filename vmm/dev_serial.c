// SPDX-License-Identifier: MIT
/*
 * A 16550A UART as Linux's 8250 driver uses it: a receive FIFO fed by the console, instant
 * transmission, the IIR's priority order (line status, received data, THR empty, modem status),
 * the THRE interrupt (raised when THR empties or when enabled while empty, cleared by reading
 * the IIR that shows it or by writing THR), loopback for the driver's probe, and an IRQ line
 * gated by MCR.OUT2 as on a PC.
 */
#include <string.h>
#include <time.h>

#include "vmm/devices.h"
#include "vmm/io_bus.h"

enum { RBR_THR = 0, IER = 1, IIR_FCR = 2, LCR = 3, MCR = 4, LSR = 5, MSR = 6, SCR = 7 };
#define LCR_DLAB 0x80
#define MCR_OUT2 0x08
#define MCR_LOOP 0x10
#define LSR_DR 0x01
#define LSR_OE 0x02
#define LSR_THRE_TEMT 0x60
#define LSR_ERRORS 0x1e
#define IER_RDI 0x01
#define IER_THRI 0x02
#define IER_RLSI 0x04
#define IER_MSI 0x08
#define IIR_NO_INT 0x01
#define IIR_MSI 0x00
#define IIR_THRI 0x02
#define IIR_RDI 0x04
#define IIR_RLSI 0x06
#define IIR_FIFO 0xc0
#define FCR_ENABLE 0x01
#define FCR_CLEAR_RX 0x02
#define MSR_IDLE 0xb0 /* DCD, DSR, CTS */

static uint8_t serial_msr(const struct serial_16550 *s)
{
	if (!(s->mcr & MCR_LOOP))
		return MSR_IDLE;
	/* Loopback: DTR->DSR, RTS->CTS, OUT1->RI, OUT2->DCD, as the 8250 probe expects. */
	return (uint8_t)(((s->mcr & 1) << 5) | ((s->mcr & 2) << 3) | ((s->mcr & 4) << 4) |
			 ((s->mcr & 8) << 4));
}

static unsigned rx_capacity(const struct serial_16550 *s)
{
	return (s->fcr & FCR_ENABLE) ? SERIAL_FIFO_SIZE : 1;
}

/* The interrupt the IIR reports now, by priority. */
static uint8_t serial_iir_cause(const struct serial_16550 *s)
{
	if ((s->ier & IER_RLSI) && (s->lsr_err & LSR_ERRORS))
		return IIR_RLSI;
	if ((s->ier & IER_RDI) && s->rx_count)
		return IIR_RDI;
	if ((s->ier & IER_THRI) && s->thr_ipending)
		return IIR_THRI;
	return IIR_NO_INT; /* no modem status changes are ever latched */
}

static void serial_update_irq(struct serial_16550 *s)
{
	bool level = serial_iir_cause(s) != IIR_NO_INT && (s->mcr & MCR_OUT2) &&
		     !(s->mcr & MCR_LOOP);
	if (level != s->irq_level && s->irq) {
		s->irq_level = level;
		s->irq(s->irq_ctx, level);
	}
}

/* A byte arriving at the receiver (from the console, or looped back). */
static bool serial_rx_push(struct serial_16550 *s, uint8_t b)
{
	if (s->rx_count >= rx_capacity(s)) {
		s->lsr_err |= LSR_OE;
		return false;
	}
	s->rx[(s->rx_head + s->rx_count) % SERIAL_FIFO_SIZE] = b;
	s->rx_count++;
	return true;
}

static uint8_t serial_rx_pop(struct serial_16550 *s)
{
	if (!s->rx_count)
		return 0;
	uint8_t b = s->rx[s->rx_head];
	s->rx_head = (s->rx_head + 1) % SERIAL_FIFO_SIZE;
	s->rx_count--;
	pthread_cond_broadcast(&s->rx_room);
	return b;
}

static uint8_t serial_read(struct serial_16550 *s, unsigned reg)
{
	uint8_t v;
	switch (reg) {
	case RBR_THR: return (s->lcr & LCR_DLAB) ? s->dll : serial_rx_pop(s);
	case IER: return (s->lcr & LCR_DLAB) ? s->dlm : s->ier;
	case IIR_FCR:
		v = serial_iir_cause(s);
		if (v == IIR_THRI)
			s->thr_ipending = false; /* reading the IIR that shows THRE clears it */
		return v | ((s->fcr & FCR_ENABLE) ? IIR_FIFO : 0);
	case LCR: return s->lcr;
	case MCR: return s->mcr;
	case LSR:
		v = LSR_THRE_TEMT | (s->rx_count ? LSR_DR : 0) | s->lsr_err;
		s->lsr_err = 0;
		return v;
	case MSR: return serial_msr(s);
	default: return s->scr;
	}
}

static void serial_transmit(struct serial_16550 *s, uint8_t v)
{
	if (s->mcr & MCR_LOOP)
		serial_rx_push(s, v);
	else
		putc(v, s->out);
	s->thr_ipending = true; /* sent at once: THR is empty again */
}

static void serial_write(struct serial_16550 *s, unsigned reg, uint8_t v)
{
	switch (reg) {
	case RBR_THR:
		if (s->lcr & LCR_DLAB)
			s->dll = v;
		else
			serial_transmit(s, v);
		break;
	case IER:
		if (s->lcr & LCR_DLAB) {
			s->dlm = v;
			break;
		}
		/* Enabling THRE while THR is empty raises it (the 8250 driver's THRE test). */
		if ((v & IER_THRI) && !(s->ier & IER_THRI))
			s->thr_ipending = true;
		s->ier = v & (IER_RDI | IER_THRI | IER_RLSI | IER_MSI);
		break;
	case IIR_FCR:
		if ((v ^ s->fcr) & FCR_ENABLE || (v & FCR_CLEAR_RX)) {
			s->rx_head = s->rx_count = 0;
			pthread_cond_broadcast(&s->rx_room);
		}
		s->fcr = v & 0xc9; /* trigger level, DMA mode and enable are kept; resets are not */
		break;
	case LCR: s->lcr = v; break;
	case MCR: s->mcr = v & 0x1f; break;
	case SCR: s->scr = v; break;
	default: break; /* LSR and MSR are read-only */
	}
}

static void serial_io(void *dev, struct vcpu *vcpu, uint16_t port, uint8_t *data, unsigned len,
		      bool is_write)
{
	(void)vcpu;
	struct serial_16550 *s = dev;
	unsigned reg = port & 7;
	pthread_mutex_lock(&s->lock);
	/* Wider accesses reach consecutive registers, as on the bus. */
	for (unsigned i = 0; i < len; i++, reg = (reg + 1) & 7) {
		if (is_write)
			serial_write(s, reg, data[i]);
		else
			data[i] = serial_read(s, reg);
	}
	serial_update_irq(s);
	pthread_mutex_unlock(&s->lock);
}

size_t serial_receive(struct serial_16550 *s, const uint8_t *buf, size_t n, const atomic_bool *stop)
{
	size_t done = 0;
	pthread_mutex_lock(&s->lock);
	while (done < n && !(stop && atomic_load(stop))) {
		/* Wait for room rather than overrun: piped input must reach the guest whole. */
		if (s->rx_count >= rx_capacity(s) || (s->mcr & MCR_LOOP)) {
			struct timespec ts;
			clock_gettime(CLOCK_REALTIME, &ts);
			ts.tv_nsec += 50 * 1000 * 1000;
			if (ts.tv_nsec >= 1000000000L) {
				ts.tv_sec++;
				ts.tv_nsec -= 1000000000L;
			}
			pthread_cond_timedwait(&s->rx_room, &s->lock, &ts);
			continue;
		}
		serial_rx_push(s, buf[done++]);
		serial_update_irq(s);
	}
	pthread_mutex_unlock(&s->lock);
	return done;
}

int serial_register(struct serial_16550 *s, struct io_bus *bus, uint16_t base, FILE *out)
{
	memset(s, 0, sizeof(*s));
	pthread_mutex_init(&s->lock, NULL);
	pthread_cond_init(&s->rx_room, NULL);
	s->out = out;
	return io_bus_register(bus, base, 8, serial_io, s, "com1");
}

void serial_connect_irq(struct serial_16550 *s, void (*irq)(void *ctx, bool level), void *ctx)
{
	s->irq = irq;
	s->irq_ctx = ctx;
}
