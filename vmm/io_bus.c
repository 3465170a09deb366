// SPDX-License-Identifier: MIT
#include "vmm/io_bus.h"

#include <errno.h>
#include <string.h>

int io_bus_register(struct io_bus *bus, uint16_t base, uint16_t len, io_handler_fn fn, void *dev,
		    const char *name)
{
	if (!len || !fn || (uint32_t)base + len > 0x10000)
		return -EINVAL;
	for (size_t i = 0; i < bus->n; i++) {
		const struct io_range *r = &bus->r[i];
		if (base < r->base + r->len && r->base < base + len)
			return -EEXIST;
	}
	if (bus->n == IO_BUS_MAX)
		return -ENOSPC;
	bus->r[bus->n++] = (struct io_range){base, len, fn, dev, name};
	return 0;
}

const struct io_range *io_bus_find(const struct io_bus *bus, uint16_t port)
{
	for (size_t i = 0; i < bus->n; i++)
		if (port >= bus->r[i].base && port - bus->r[i].base < bus->r[i].len)
			return &bus->r[i];
	return NULL;
}

bool io_bus_access(const struct io_bus *bus, struct vcpu *vcpu, uint16_t port, uint8_t *data,
		   unsigned len, bool is_write)
{
	const struct io_range *r = io_bus_find(bus, port);
	if (!r) {
		if (!is_write)
			memset(data, 0xff, len);
		return false;
	}
	r->fn(r->dev, vcpu, port, data, len, is_write);
	return true;
}
