/* SPDX-License-Identifier: MIT */
/* The C side of the entry, the exit path and the checked access to boot data. */
#include "pvh_guest.h"

/* Called from the flavour's entry stub; public only for the assembler. */
__attribute__((noreturn)) void pvh_c_start(uintptr_t si_paddr);

uintptr_t pvh_start_info_paddr;
static pvh_exit_fn exit_handler;

/* Both flavours reach exactly the first 4 GiB (32-bit linear space, or the identity map). */
#define PVH_REACHABLE_END 0x100000000ull

void pvh_c_start(uintptr_t si_paddr)
{
	const struct hvm_start_info *si = pvh_phys_ptr(si_paddr, sizeof(*si));

	pvh_exit((uint32_t)guest_main(si));
}

void pvh_set_exit_handler(pvh_exit_fn handler)
{
	exit_handler = handler;
}

void pvh_exit(uint32_t status)
{
	if (exit_handler)
		exit_handler(status);
	pvh_outl(PVH_SEV_DEBUG_EXIT_PORT, status);
	/* Still running: no debug-exit device. A reset at least ends the run. */
	pvh_outb(PVH_SEV_I8042_CMD_PORT, PVH_SEV_I8042_CMD_RESET);
	for (;;)
		__asm__ volatile("cli; hlt");
}

const void *pvh_phys_ptr(uint64_t paddr, uint64_t len)
{
	if (paddr >= PVH_REACHABLE_END || len > PVH_REACHABLE_END - paddr)
		return NULL;
	return (const void *)(uintptr_t)paddr;
}

const char *pvh_phys_str(uint64_t paddr, size_t max)
{
	const char *s = pvh_phys_ptr(paddr, 1);
	uint64_t room;

	if (!s)
		return NULL;
	room = PVH_REACHABLE_END - paddr;
	if (max > room)
		max = (size_t)room;
	return pvh_strnlen(s, max) < max ? s : NULL;
}
