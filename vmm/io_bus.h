/* SPDX-License-Identifier: MIT */
/* The port-I/O registry: devices claim port ranges; overlapping claims are refused. */
#ifndef PVH_IO_BUS_H
#define PVH_IO_BUS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct vcpu;

/* Handles one access of len (1, 2 or 4) bytes at port; data is read or filled. */
typedef void (*io_handler_fn)(void *dev, struct vcpu *vcpu, uint16_t port, uint8_t *data,
			      unsigned len, bool is_write);

struct io_range {
	uint16_t base;
	uint16_t len;
	io_handler_fn fn;
	void *dev;
	const char *name;
};

#define IO_BUS_MAX 16

struct io_bus {
	struct io_range r[IO_BUS_MAX];
	size_t n;
};

/* Returns 0, -EEXIST when [base, base+len) overlaps a claimed range, -ENOSPC, or -EINVAL. */
int io_bus_register(struct io_bus *bus, uint16_t base, uint16_t len, io_handler_fn fn, void *dev,
		    const char *name);

/* The range that claims port, or NULL. */
const struct io_range *io_bus_find(const struct io_bus *bus, uint16_t port);

/*
 * Dispatches one access. Unclaimed reads return all ones, unclaimed writes are dropped, as on
 * a PC bus; returns false for an unclaimed port so the caller can log or (--strict) end the run.
 */
bool io_bus_access(const struct io_bus *bus, struct vcpu *vcpu, uint16_t port, uint8_t *data,
		   unsigned len, bool is_write);

#endif
