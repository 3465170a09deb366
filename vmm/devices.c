// SPDX-License-Identifier: MIT
#include "vmm/devices.h"

#include "loader/guest_abi.h"
#include "vmm/vm.h"

int devices_register(struct devices *d, struct vm *vm, FILE *out)
{
	int r;
	d->out = out;
	if ((r = serial_register(&d->com1, &vm->io, PVH_SEV_COM1_PORT, out)))
		return r;
	if ((r = debugcon_register(&vm->io, out)))
		return r;
	if ((r = debug_exit_register(&vm->io, vm)))
		return r;
	return i8042_register(&vm->io, vm);
}
