// SPDX-License-Identifier: MIT
/* The IOAPIC's registers (IOREGSEL at 0x00, IOWIN at 0x10) and its interrupt delivery. */
#include "vmm/dev_ioapic.h"

#include <string.h>

#define IOREGSEL 0x00u
#define IOWIN 0x10u
#define REG_ID 0x00u
#define REG_VERSION 0x01u
#define REG_ARB 0x02u
#define REG_REDIR0 0x10u
#define IOAPIC_VERSION 0x11u

#define RTE_VECTOR 0xffull
#define RTE_DELIVERY_MODE (7ull << 8)
#define RTE_DEST_LOGICAL (1ull << 11)
#define RTE_DELIVERY_STATUS (1ull << 12)
#define RTE_REMOTE_IRR (1ull << 14)
#define RTE_LEVEL (1ull << 15)
#define RTE_MASKED (1ull << 16)
#define RTE_RO_BITS (RTE_DELIVERY_STATUS | RTE_REMOTE_IRR)
#define MSI_BASE 0xfee00000ull

struct ioapic_msi ioapic_entry_msi(uint64_t e)
{
	uint64_t dest = e >> 56;
	struct ioapic_msi m = {
		.address = MSI_BASE | dest << 12 | ((e & RTE_DEST_LOGICAL) ? 1u << 2 : 0),
		.data = (uint32_t)((e & RTE_VECTOR) | (e & RTE_DELIVERY_MODE) |
				   ((e & RTE_LEVEL) ? (1u << 15 | 1u << 14) : 0)),
	};
	return m;
}

void ioapic_init(struct ioapic *io, uint8_t id, const struct ioapic_ops *ops, void *ctx)
{
	memset(io, 0, sizeof(*io));
	pthread_mutex_init(&io->lock, NULL);
	io->ops = ops;
	io->ctx = ctx;
	io->id = id;
	for (unsigned i = 0; i < PVH_SEV_IOAPIC_PINS; i++)
		io->redir[i] = RTE_MASKED; /* reset state: every pin masked */
}

/* Sends pin's message when it may: unmasked, and for a level pin not awaiting an EOI. */
static void ioapic_fire(struct ioapic *io, unsigned pin)
{
	uint64_t *e = &io->redir[pin];
	if (*e & RTE_MASKED)
		return;
	if (*e & RTE_LEVEL) {
		if (*e & RTE_REMOTE_IRR)
			return;
		*e |= RTE_REMOTE_IRR;
	}
	struct ioapic_msi m = ioapic_entry_msi(*e);
	io->ops->send_msi(io->ctx, &m);
}

static void ioapic_publish_routes(struct ioapic *io)
{
	struct ioapic_msi msi[PVH_SEV_IOAPIC_PINS];
	uint32_t mask = 0;
	for (unsigned i = 0; i < PVH_SEV_IOAPIC_PINS; i++) {
		uint64_t e = io->redir[i];
		msi[i] = ioapic_entry_msi(e);
		if ((e & RTE_LEVEL) && !(e & RTE_MASKED))
			mask |= 1u << i;
	}
	if (io->ops->set_level_routes)
		io->ops->set_level_routes(io->ctx, msi, mask);
}

void ioapic_set_irq(struct ioapic *io, unsigned pin, bool level)
{
	if (pin >= PVH_SEV_IOAPIC_PINS)
		return;
	pthread_mutex_lock(&io->lock);
	uint32_t bit = 1u << pin;
	bool was = io->lines & bit;
	io->lines = level ? io->lines | bit : io->lines & ~bit;
	if (level && (!was || (io->redir[pin] & RTE_LEVEL)))
		ioapic_fire(io, pin);
	pthread_mutex_unlock(&io->lock);
}

void ioapic_eoi(struct ioapic *io, uint8_t vector)
{
	pthread_mutex_lock(&io->lock);
	for (unsigned i = 0; i < PVH_SEV_IOAPIC_PINS; i++) {
		uint64_t *e = &io->redir[i];
		if ((*e & RTE_VECTOR) != vector || !(*e & RTE_LEVEL))
			continue;
		*e &= ~RTE_REMOTE_IRR;
		if (io->lines & (1u << i))
			ioapic_fire(io, i);
	}
	pthread_mutex_unlock(&io->lock);
}

static uint32_t ioapic_read_reg(const struct ioapic *io)
{
	uint32_t r = io->regsel;
	if (r == REG_ID || r == REG_ARB)
		return (uint32_t)io->id << 24;
	if (r == REG_VERSION)
		return (PVH_SEV_IOAPIC_PINS - 1u) << 16 | IOAPIC_VERSION;
	if (r >= REG_REDIR0 && r < REG_REDIR0 + 2 * PVH_SEV_IOAPIC_PINS) {
		uint64_t e = io->redir[(r - REG_REDIR0) / 2];
		return (r & 1) ? (uint32_t)(e >> 32) : (uint32_t)e;
	}
	return 0xffffffffu; /* unimplemented registers float */
}

static void ioapic_write_reg(struct ioapic *io, uint32_t v)
{
	uint32_t r = io->regsel;
	if (r == REG_ID) {
		io->id = (uint8_t)((v >> 24) & 0x0f);
		return;
	}
	if (r < REG_REDIR0 || r >= REG_REDIR0 + 2 * PVH_SEV_IOAPIC_PINS)
		return;
	unsigned pin = (r - REG_REDIR0) / 2;
	uint64_t *e = &io->redir[pin];
	uint64_t old = *e;
	if (r & 1)
		*e = (*e & 0xffffffffull) | (uint64_t)v << 32;
	else
		*e = (*e & 0xffffffff00000000ull) | (v & ~(uint32_t)RTE_RO_BITS) |
		     (old & RTE_RO_BITS);
	if (!(*e & RTE_LEVEL))
		*e &= ~RTE_REMOTE_IRR;
	if ((old ^ *e) & ~RTE_RO_BITS)
		ioapic_publish_routes(io);
	/* Unmasking a level pin that is high delivers it now, as the hardware does. */
	if ((io->lines & (1u << pin)) && (*e & RTE_LEVEL))
		ioapic_fire(io, pin);
}

void ioapic_mmio(struct ioapic *io, uint64_t offset, uint8_t *data, unsigned len, bool is_write)
{
	uint32_t v = 0;
	if (len > 4) {
		/* The registers are 32 bits wide: the rest of a wider read floats, of a write is
		 * dropped. The buffer holds the previous exit's bytes, which must not show through. */
		if (!is_write)
			memset(data + 4, 0xff, len - 4);
		len = 4;
	}
	pthread_mutex_lock(&io->lock);
	if (offset == IOREGSEL) {
		if (is_write) {
			memcpy(&v, data, len);
			io->regsel = v & 0xff;
		} else {
			v = io->regsel;
			memcpy(data, &v, len);
		}
	} else if (offset == IOWIN) {
		if (is_write) {
			v = ioapic_read_reg(io);
			memcpy(&v, data, len);
			ioapic_write_reg(io, v);
		} else {
			v = ioapic_read_reg(io);
			memcpy(data, &v, len);
		}
	} else if (!is_write) {
		memset(data, 0xff, len);
	}
	pthread_mutex_unlock(&io->lock);
}
