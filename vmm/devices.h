/* SPDX-License-Identifier: MIT */
/* The platform devices of docs/abi.md section 2, each in its own file, each on the I/O bus. */
#ifndef PVH_DEVICES_H
#define PVH_DEVICES_H

#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "vmm/dev_ioapic.h"

struct vm;
struct io_bus;

#define SERIAL_FIFO_SIZE 16u

struct serial_16550 {
	pthread_mutex_t lock; /* vCPU threads and the console input thread */
	pthread_cond_t rx_room;
	FILE *out;
	uint8_t ier, lcr, mcr, scr, dll, dlm, fcr, lsr_err;
	bool thr_ipending, irq_level;
	uint8_t rx[SERIAL_FIFO_SIZE];
	unsigned rx_head, rx_count;
	void (*irq)(void *ctx, bool level);
	void *irq_ctx;
};

struct devices {
	struct serial_16550 com1;
	struct ioapic ioapic;
	FILE *out;
};

/* Registers COM1 (IRQ 4 through the IOAPIC), the IOAPIC, debugcon, the debug exit port, the
 * i8042 and the ACPI power-management registers; vm->ioapic points at d->ioapic. */
int devices_register(struct devices *d, struct vm *vm, FILE *out);

int serial_register(struct serial_16550 *s, struct io_bus *bus, uint16_t base, FILE *out);
/* Connects the UART's interrupt output (called with its lock held, on each level change). */
void serial_connect_irq(struct serial_16550 *s, void (*irq)(void *ctx, bool level), void *ctx);
/*
 * Bytes arriving on the UART's receive line, in order; waits for FIFO room instead of
 * overrunning. Returns how many were taken (fewer when *stop became true).
 */
size_t serial_receive(struct serial_16550 *s, const uint8_t *buf, size_t n, const atomic_bool *stop);

int debugcon_register(struct io_bus *bus, FILE *out);
int debug_exit_register(struct io_bus *bus, struct vm *vm);
int i8042_register(struct io_bus *bus, struct vm *vm);
int acpi_pm_register(struct io_bus *bus, struct vm *vm);

#endif
