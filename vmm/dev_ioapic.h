/* SPDX-License-Identifier: MIT */
/*
 * A userspace IOAPIC (82093AA register set, 24 pins) for KVM's split irqchip: the LAPICs stay in
 * the kernel, so each redirection entry becomes an MSI the IOAPIC signals itself. Level-triggered
 * pins need the guest's EOI: the IOAPIC publishes its unmasked level entries as MSI routes, KVM
 * then exits with KVM_EXIT_IOAPIC_EOI for their vectors, and ioapic_eoi() clears Remote IRR.
 */
#ifndef PVH_DEV_IOAPIC_H
#define PVH_DEV_IOAPIC_H

#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>

#include "loader/guest_abi.h"

struct ioapic_msi {
	uint64_t address;
	uint32_t data;
};

/* Where the IOAPIC's messages go: KVM in the VMM, a recorder in the unit tests. */
struct ioapic_ops {
	int (*send_msi)(void *ctx, const struct ioapic_msi *msi);
	/* The level-triggered, unmasked pins as routes: pin i -> msi[i] when (mask >> i) & 1. */
	int (*set_level_routes)(void *ctx, const struct ioapic_msi *msi, uint32_t mask);
};

struct ioapic {
	pthread_mutex_t lock;
	const struct ioapic_ops *ops;
	void *ctx;
	uint8_t id;
	uint32_t regsel;
	uint32_t lines; /* the input levels, one bit per pin */
	uint64_t redir[PVH_SEV_IOAPIC_PINS];
};

void ioapic_init(struct ioapic *io, uint8_t id, const struct ioapic_ops *ops, void *ctx);

/* Sets input pin's level (1 asserted). An edge pin fires on 0 -> 1; a level pin while high. */
void ioapic_set_irq(struct ioapic *io, unsigned pin, bool level);

/* The guest's EOI of vector: Remote IRR clears, a level pin still high fires again. */
void ioapic_eoi(struct ioapic *io, uint8_t vector);

/* An access at offset (0..0xfff) of the IOAPIC page; len 1..8 bytes. */
void ioapic_mmio(struct ioapic *io, uint64_t offset, uint8_t *data, unsigned len, bool is_write);

/* The MSI the redirection entry describes (x86 MSI format, Intel SDM vol. 3, 11.11). */
struct ioapic_msi ioapic_entry_msi(uint64_t entry);

#endif
