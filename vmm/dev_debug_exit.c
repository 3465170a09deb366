// SPDX-License-Identifier: MIT
/* The debug exit port: a write ends the VM with the value as the process exit status. */
#include <string.h>

#include "vmm/devices.h"
#include "vmm/io_bus.h"
#include "loader/guest_abi.h"
#include "vmm/vm.h"

static void debug_exit_io(void *dev, struct vcpu *vcpu, uint16_t port, uint8_t *data,
			  unsigned len, bool is_write)
{
	struct vm *vm = dev;
	uint32_t value = 0;
	if (!is_write) {
		memset(data, 0, len);
		return;
	}
	memcpy(&value, data, len > 4 ? 4 : len);
	/* QEMU's isa-debug-exit reports (value << 1) | 1, so test kernels written for it and
	 * their harnesses see the same status under pvh-sev. */
	int status = vm->cfg->debug_exit == DEBUG_EXIT_QEMU ? (int)(((value << 1) | 1) & 0xff)
							    : (int)(value & 0xff);
	vm_end(vm, ENDING_GUEST_EXIT, status, "guest wrote 0x%x to the debug exit port", value);
}

int debug_exit_register(struct io_bus *bus, struct vm *vm)
{
	return io_bus_register(bus, PVH_SEV_DEBUG_EXIT_PORT, 4, debug_exit_io, vm, "debug-exit");
}
