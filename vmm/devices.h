/* SPDX-License-Identifier: MIT */
/* The platform devices of docs/abi.md section 2, each in its own file, each on the I/O bus. */
#ifndef PVH_DEVICES_H
#define PVH_DEVICES_H

#include <stdint.h>
#include <stdio.h>

struct vm;
struct io_bus;

struct serial_16550 {
	FILE *out;
	uint8_t ier, lcr, mcr, scr, dll, dlm, fcr;
};

struct devices {
	struct serial_16550 com1;
	FILE *out;
};

/* Registers COM1, debugcon, the debug exit port and the i8042 on vm->io. */
int devices_register(struct devices *d, struct vm *vm, FILE *out);

int serial_register(struct serial_16550 *s, struct io_bus *bus, uint16_t base, FILE *out);
int debugcon_register(struct io_bus *bus, FILE *out);
int debug_exit_register(struct io_bus *bus, struct vm *vm);
int i8042_register(struct io_bus *bus, struct vm *vm);

#endif
