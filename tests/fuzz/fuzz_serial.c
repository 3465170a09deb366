// SPDX-License-Identifier: MIT
/*
 * The platform's port devices through the real I/O bus: the 16550 UART (every register, DLAB,
 * loopback, wide accesses spilling into the next registers), debugcon, the debug exit port and
 * the i8042, with accesses of any width at any port (unclaimed ones float high). COM1's IRQ
 * reaches the IOAPIC (masked at reset); the IOAPIC's own interface is fuzz_ioapic's.
 */
#include <stdlib.h>

#include "tests/fuzz/fuzz_input.h"
#include "tests/fuzz/fuzz_vm.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define MAX_STEPS 256

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fuzz_in in = {data, size};
	static struct fuzz_vm *w;
	if (!w)
		w = fuzz_vm_get();
	fuzz_vm_reset(w, 1, false, 51, 2);
	w->cfg.debug_exit = fuzz_u8(&in) & 1 ? DEBUG_EXIT_QEMU : DEBUG_EXIT_NATIVE;
	for (unsigned n = 0; n < MAX_STEPS && in.left; n++) {
		uint8_t op = fuzz_u8(&in);
		/* Mostly COM1 (0x3f8..0x3ff), sometimes any port. */
		uint16_t port = (op & 0x80) ? fuzz_u16(&in) : (uint16_t)(0x3f8 + (op & 7));
		unsigned len = 1u << ((op >> 3) & 3);
		uint8_t buf[8];
		uint32_t val = fuzz_u32(&in);
		if (len > 4)
			len = 4;
		memcpy(buf, &val, 4);
		memset(buf + 4, 0xa5, 4);
		io_bus_access(&w->vm.io, &w->vcpus[0], port, buf, len, op & 0x40);
		if (buf[4] != 0xa5)
			abort(); /* a device wrote past the access */
	}
	return 0;
}
