/* SPDX-License-Identifier: MIT */
/*
 * The guest-visible ABI of pvh-sev: every fixed guest-physical address and port, in one
 * freestanding header shared by the VMM and the example guests (docs/abi.md explains each).
 *
 * A guest must find its boot data through hvm_start_info (EBX at entry), never through the
 * layout addresses below; only the AP area and the ports are fixed for guests.
 */
#ifndef PVH_GUEST_ABI_H
#define PVH_GUEST_ABI_H

/* Ports (section 2 of docs/abi.md). */
#define PVH_SEV_COM1_PORT 0x3f8u       /* 16550A, 8 registers, IRQ 4 */
#define PVH_SEV_COM1_IRQ 4u
#define PVH_SEV_DEBUGCON_PORT 0xe9u    /* each byte written goes to stdout */
#define PVH_SEV_DEBUG_EXIT_PORT 0xf4u  /* 4-byte write ends the VM */
#define PVH_SEV_I8042_DATA_PORT 0x60u
#define PVH_SEV_I8042_CMD_PORT 0x64u
#define PVH_SEV_I8042_CMD_RESET 0xfeu
#define PVH_SEV_AP_DOORBELL_PORT 0x5f0u /* OUT: vCPU index to start; IN: result of the last OUT */
/* ACPI hardware-reduced registers (the FADT's sleep control/status and reset registers). */
#define PVH_SEV_ACPI_SLEEP_CTL_PORT 0x600u /* write SLP_TYP << 2 | SLP_EN */
#define PVH_SEV_ACPI_SLEEP_STS_PORT 0x601u /* reads WAK_STS clear */
#define PVH_SEV_ACPI_RESET_PORT 0x602u     /* write PVH_SEV_ACPI_RESET_VALUE: reboot */
#define PVH_SEV_ACPI_RESET_VALUE 0x06u
#define PVH_SEV_ACPI_SLP_TYP_S5 5u         /* the \_S5 package's value */
#define PVH_SEV_ACPI_SLP_EN 0x20u

/* The IOAPIC (MMIO, one page): pins 0..23 are GSIs 0..23, ISA IRQs on the same pins. */
#define PVH_SEV_IOAPIC_GPA 0xfec00000u
#define PVH_SEV_IOAPIC_SIZE 0x1000u
#define PVH_SEV_IOAPIC_PINS 24u

/* Boot-data layout chosen by the VMM (reported through start_info, not an ABI for guests). */
#define PVH_SEV_BOOT_GDT_GPA 0x500u      /* page 0: boot GDT; the rest of the page reads as zero */
#define PVH_SEV_START_INFO_GPA 0x6000u   /* struct hvm_start_info, 56 bytes */
#define PVH_SEV_MODLIST_GPA 0x6040u      /* struct hvm_modlist_entry[], up to the memmap page */
#define PVH_SEV_MODLIST_MAX ((0x7000u - 0x6040u) / 32u)
#define PVH_SEV_MEMMAP_GPA 0x7000u       /* struct hvm_memmap_table_entry[], one page */
#define PVH_SEV_MEMMAP_MAX (0x1000u / 24u)
#define PVH_SEV_CMDLINE_GPA 0x20000u     /* NUL-terminated command line */
#define PVH_SEV_CMDLINE_MAX 0x1000u      /* bytes including the NUL */

/* Fixed reserved ranges below 1 MiB. */
#define PVH_SEV_LOW_RAM_END 0x90000u     /* RAM [0, here) is listed as RAM in the memmap */
#define PVH_SEV_AP_AREA_GPA 0x90000u     /* the one fixed address of the ABI (docs/abi.md 4.3) */
#define PVH_SEV_AP_AREA_SIZE 0xc000u
#define PVH_SEV_MPTABLE_GPA 0x9c000u     /* MP configuration table */
#define PVH_SEV_MPTABLE_SIZE 0x3c00u
#define PVH_SEV_MPFLOAT_GPA 0x9fc00u     /* MP floating pointer (last KiB of base memory) */
#define PVH_SEV_LEGACY_HOLE_GPA 0xa0000u /* reserved up to 1 MiB */
/* AP idle pages (docs/abi.md 4.4): GHCB version 1 AP_HLT_LOOP page tables and per-AP GHCB
 * pages, in the legacy hole below the ACPI tables; RAM, reserved, not measured. */
#define PVH_SEV_AP_IDLE_GPA 0xa0000u
#define PVH_SEV_AP_IDLE_SIZE 0x40000u
#define PVH_SEV_ACPI_GPA 0xe0000u        /* ACPI tables (RSDP first), inside the legacy hole */
#define PVH_SEV_ACPI_SIZE 0x10000u
#define PVH_SEV_HIGH_RAM_GPA 0x100000u

/* Below 4 GiB, RAM stops here and resumes at 4 GiB when the guest has more. */
#define PVH_SEV_MMIO_HOLE_GPA 0xc0000000ull
#define PVH_SEV_4G 0x100000000ull

#endif
