/* SPDX-License-Identifier: MIT */
/*
 * efer_order: enters long mode from 32-bit protected mode in the order its command line names,
 * with a VM exit (a console write) between the steps. The minimal case behind the AP stub's
 * long-mode order (docs/decisions.md, "AP stub long-mode order"):
 *
 *   order=pae-first  CR4.PAE, CR3, EFER.LME, CR0.PG: the architectural order (AMD APM vol. 2,
 *                    14.6.1). Every host runs it.
 *   order=lme-first  EFER.LME while CR4.PAE is still clear, then CR4.PAE, CR3, CR0.PG. Legal on
 *                    hardware (LME may be set at any time while paging is off), but at the exit
 *                    in between QEMU's AMD-V model restores the L1 host's CR0 before its CR4 and
 *                    EFER, refuses long mode there, and the L1 kernel loses paging.
 *
 * Exit status 0 when long mode is active at the end (EFER.LMA), 1 when it is not.
 */
#include "lib/pvh_guest.h"

#define MSR_EFER 0xc0000080u
#define EFER_LME (1u << 8)
#define EFER_LMA (1u << 10)
#define CR4_PAE (1u << 5)
#define CR0_PG (1u << 31)
#define PTE_P_RW 0x3u
#define PDE_2M 0x80u

/* Identity map of the first GiB in 2 MiB pages: all this guest touches. */
static uint64_t pml4[512] __attribute__((aligned(4096)));
static uint64_t pdpt[512] __attribute__((aligned(4096)));
static uint64_t pd[512] __attribute__((aligned(4096)));

static uint64_t rdmsr(uint32_t msr)
{
	uint32_t lo, hi;
	__asm__ volatile("rdmsr" : "=a"(lo), "=d"(hi) : "c"(msr));
	return ((uint64_t)hi << 32) | lo;
}

static void wrmsr(uint32_t msr, uint64_t v)
{
	__asm__ volatile("wrmsr" : : "c"(msr), "a"((uint32_t)v), "d"((uint32_t)(v >> 32)));
}

static void set_lme(void)
{
	wrmsr(MSR_EFER, rdmsr(MSR_EFER) | EFER_LME);
	pvh_printf("efer_order: EFER.LME set\n");
}

static void set_pae_and_cr3(void)
{
	uint32_t cr4;
	__asm__ volatile("mov %%cr4, %0" : "=r"(cr4));
	__asm__ volatile("mov %0, %%cr4" : : "r"(cr4 | CR4_PAE));
	__asm__ volatile("mov %0, %%cr3" : : "r"((uint32_t)(uintptr_t)pml4) : "memory");
	pvh_printf("efer_order: CR4.PAE and CR3 set\n");
}

static void set_pg(void)
{
	uint32_t cr0;
	__asm__ volatile("mov %%cr0, %0" : "=r"(cr0));
	__asm__ volatile("mov %0, %%cr0" : : "r"(cr0 | CR0_PG) : "memory");
}

int guest_main(const struct hvm_start_info *si)
{
	const char *cmdline = NULL;
	size_t len = 0;
	const char *order;
	int lme_first;

	if (si && si->magic == XEN_HVM_START_MAGIC_VALUE && si->cmdline_paddr)
		cmdline = pvh_phys_str(si->cmdline_paddr, PVH_SEV_CMDLINE_MAX);
	order = pvh_cmdline_find(cmdline, "order", &len);
	lme_first = order && len == 9 && memcmp(order, "lme-first", 9) == 0;
	pvh_printf("efer_order: %s\n", lme_first ? "lme-first" : "pae-first");

	for (uint32_t i = 0; i < 512; i++)
		pd[i] = ((uint64_t)i << 21) | PDE_2M | PTE_P_RW;
	pdpt[0] = (uint32_t)(uintptr_t)pd | PTE_P_RW;
	pml4[0] = (uint32_t)(uintptr_t)pdpt | PTE_P_RW;

	if (lme_first) {
		set_lme();
		set_pae_and_cr3();
	} else {
		set_pae_and_cr3();
		set_lme();
	}
	set_pg();
	uint64_t efer = rdmsr(MSR_EFER);
	pvh_printf("efer_order: EFER 0x%llx, long mode %s\n", (unsigned long long)efer,
		   efer & EFER_LMA ? "active" : "INACTIVE");
	return efer & EFER_LMA ? 0 : 1;
}
