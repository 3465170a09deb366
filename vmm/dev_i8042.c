// SPDX-License-Identifier: MIT
/* The i8042 keyboard controller, only as far as a reboot: 0xfe to the command port resets. */
#include <string.h>

#include "vmm/devices.h"
#include "vmm/io_bus.h"
#include "loader/guest_abi.h"
#include "vmm/vm.h"

static void i8042_io(void *dev, struct vcpu *vcpu, uint16_t port, uint8_t *data, unsigned len,
		     bool is_write)
{
	struct vm *vm = dev;
	if (!is_write) {
		memset(data, 0, len); /* status: no data, input buffer empty */
		return;
	}
	if (port == PVH_SEV_I8042_CMD_PORT && data[0] == PVH_SEV_I8042_CMD_RESET)
		vm_end(vm, ENDING_REBOOT, PVH_EXIT_REBOOT, "guest reset through the i8042");
}

int i8042_register(struct io_bus *bus, struct vm *vm)
{
	int r = io_bus_register(bus, PVH_SEV_I8042_DATA_PORT, 1, i8042_io, vm, "i8042-data");
	return r ? r : io_bus_register(bus, PVH_SEV_I8042_CMD_PORT, 1, i8042_io, vm, "i8042-cmd");
}
