// SPDX-License-Identifier: MIT
/*
 * The hardware-reduced ACPI registers the FADT names: sleep control (SLP_TYP and SLP_EN, the
 * write that enters S5 ends the run with status 0), sleep status, and the reset register.
 */
#include "loader/guest_abi.h"
#include "vmm/devices.h"
#include "vmm/io_bus.h"
#include "vmm/vm.h"

static void acpi_pm_io(void *dev, struct vcpu *vcpu, uint16_t port, uint8_t *data, unsigned len,
		       bool is_write)
{
	struct vm *vm = dev;
	unsigned idx = vcpu ? vcpu->index : 0;
	if (!is_write) {
		for (unsigned i = 0; i < len; i++)
			data[i] = 0; /* no wake status, no sleep type pending */
		return;
	}
	uint8_t v = data[0];
	if (port == PVH_SEV_ACPI_SLEEP_CTL_PORT && (v & PVH_SEV_ACPI_SLP_EN)) {
		unsigned typ = (v >> 2) & 7;
		if (typ == PVH_SEV_ACPI_SLP_TYP_S5)
			vm_end(vm, ENDING_POWEROFF, 0, "vCPU %u: ACPI power-off (S5)", idx);
		/* Other sleep states do not exist here (the DSDT names only \_S5): ignored. */
	} else if (port == PVH_SEV_ACPI_RESET_PORT && v == PVH_SEV_ACPI_RESET_VALUE) {
		vm_end(vm, ENDING_REBOOT, PVH_EXIT_REBOOT, "vCPU %u: ACPI reset register", idx);
	}
}

int acpi_pm_register(struct io_bus *bus, struct vm *vm)
{
	return io_bus_register(bus, PVH_SEV_ACPI_SLEEP_CTL_PORT, 3, acpi_pm_io, vm, "acpi-pm");
}
