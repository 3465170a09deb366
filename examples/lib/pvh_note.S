/* SPDX-License-Identifier: MIT */
/*
 * The PVH ELF note: name "Xen", type XEN_ELFNOTE_PHYS32_ENTRY (18), a 4-byte descriptor holding
 * the 32-bit physical entry address. The linker script puts .note.pvh into a PT_NOTE segment,
 * where PVH loaders (pvh-sev, QEMU, Xen) look for it.
 */
#define XEN_ELFNOTE_PHYS32_ENTRY 18

	.section .note.pvh, "a", @note
	.balign 4
	.long 2f - 1f		/* n_namesz */
	.long 4f - 3f		/* n_descsz */
	.long XEN_ELFNOTE_PHYS32_ENTRY
1:	.asciz "Xen"
2:	.balign 4
3:	.long pvh_entry32	/* descriptor: the 32-bit entry, same in both flavours */
4:	.balign 4

	.section .note.GNU-stack, "", @progbits
