// SPDX-License-Identifier: MIT
/* The Bochs/QEMU debug console: each byte written goes to stdout; reads return 0xe9. */
#include "vmm/devices.h"
#include "vmm/io_bus.h"
#include "loader/guest_abi.h"

static void debugcon_io(void *dev, struct vcpu *vcpu, uint16_t port, uint8_t *data, unsigned len,
			bool is_write)
{
	FILE *out = dev;
	for (unsigned i = 0; i < len; i++) {
		if (is_write)
			putc(data[i], out);
		else
			data[i] = 0xe9; /* QEMU's "debugcon present" answer */
	}
}

int debugcon_register(struct io_bus *bus, FILE *out)
{
	return io_bus_register(bus, PVH_SEV_DEBUGCON_PORT, 1, debugcon_io, out, "debugcon");
}
