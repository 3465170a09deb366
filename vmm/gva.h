/* SPDX-License-Identifier: MIT */
/*
 * Guest linear -> guest physical translation in userspace, from the control registers KVM
 * hands over in sync regs: no vCPU ioctl (each costs ~7 us on this host), so the GHCB fast path
 * can find the VMGEXIT bytes cheaply. Page-table entries are read through guest_mem_ptr() and
 * `strip` (the emulated C-bit) is cleared from every address taken from the guest.
 */
#ifndef PVH_GVA_H
#define PVH_GVA_H

#include <stddef.h>
#include <stdint.h>

#include "loader/guest_mem.h"

struct gva_regs {
	uint64_t cr0, cr3, cr4, efer;
};

/* Returns 0 and *gpa, or -EFAULT (not present / outside RAM) or -ENOTSUP (5-level paging). */
int gva_translate(const struct guest_mem *mem, const struct gva_regs *r, uint64_t strip,
		  uint64_t linear, uint64_t *gpa);

/* Copies len bytes at a linear address that may cross pages. Returns 0 or -errno. */
int gva_read(const struct guest_mem *mem, const struct gva_regs *r, uint64_t strip,
	     uint64_t linear, void *buf, size_t len);

#endif
