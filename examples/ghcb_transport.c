/* SPDX-License-Identifier: MIT */
/*
 * The ghcb guest's GHCB transport: a shared GHCB page, the VMGEXIT, the MSR protocol, and
 * console output and pvh_exit through the GHCB IOIO event (so nothing does bare port I/O).
 */
#include "ghcb_guest.h"

#define PTE_P 0x1ull
#define PTE_RW 0x2ull
#define PTE_PS 0x80ull
#define PTE_ADDR 0x000ffffffffff000ull
#define PAGE_4K 4096ull
#define PAGE_2M (2ull << 20)

/* The GHCB and a second shared page for scratch areas outside it: 8 KiB aligned, so both lie
 * in the same 2 MiB identity page. */
static struct {
	struct ghcb ghcb;
	uint8_t scratch[4096];
} shared_pages __attribute__((aligned(8192)));
/* The 4 KiB page table that replaces the 2 MiB identity page holding the GHCB. */
static uint64_t ghcb_pt[512] __attribute__((aligned(4096)));

struct ghcb *ghcb_page = &shared_pages.ghcb;
uint8_t *ghcb_scratch_page = shared_pages.scratch;
uint64_t ghcb_page_gpa, ghcb_scratch_gpa;
uint64_t ghcb_cbit_mask;

void ghcb_vmgexit_msr(uint64_t msr)
{
	/* VMGEXIT is "rep vmmcall"; emulated mode needs it right after the WRMSR (abi.md 5). */
	__asm__ volatile("wrmsr\n\t.byte 0xf3, 0x0f, 0x01, 0xd9"
			 :
			 : "c"(GHCB_MSR), "a"((uint32_t)msr), "d"((uint32_t)(msr >> 32))
			 : "memory");
}

uint64_t ghcb_rdmsr(uint32_t idx)
{
	uint32_t lo, hi;

	__asm__ volatile("rdmsr" : "=a"(lo), "=d"(hi) : "c"(idx) : "memory");
	return (uint64_t)hi << 32 | lo;
}

uint64_t ghcb_msr_proto(uint64_t request)
{
	uint64_t resp;

	ghcb_vmgexit_msr(request);
	resp = ghcb_rdmsr(GHCB_MSR);
	/* Give the MSR back to the page protocol (a plain WRMSR: no VMGEXIT follows). */
	if (ghcb_page_gpa)
		__asm__ volatile("wrmsr"
				 :
				 : "c"(GHCB_MSR), "a"((uint32_t)ghcb_page_gpa),
				   "d"((uint32_t)(ghcb_page_gpa >> 32))
				 : "memory");
	return resp;
}

void ghcb_req_begin(uint64_t code, uint64_t info1, uint64_t info2)
{
	struct ghcb *g = ghcb_page;

	ghcb_clear_valid(g);
	g->ghcb_usage = 0;
	g->protocol_version = (uint16_t)ghcb_msr_sev_info_max(ghcb_guest_entry_msr);
	ghcb_req_set(GHCB_OFF(sw_exit_code), code);
	ghcb_req_set(GHCB_OFF(sw_exit_info_1), info1);
	ghcb_req_set(GHCB_OFF(sw_exit_info_2), info2);
}

void ghcb_req_set(size_t off, uint64_t val)
{
	memcpy((uint8_t *)ghcb_page + off, &val, sizeof(val));
	ghcb_set_valid(ghcb_page, off);
}

uint32_t ghcb_req_issue(void)
{
	ghcb_vmgexit_msr(ghcb_page_gpa);
	return (uint32_t)ghcb_page->save.sw_exit_info_1;
}

uint32_t ghcb_call(uint64_t code, uint64_t info1, uint64_t info2)
{
	ghcb_req_begin(code, info1, info2);
	return ghcb_req_issue();
}

uint32_t ghcb_out(uint16_t port, unsigned size, uint32_t val)
{
	ghcb_req_begin(GHCB_EXIT_IOIO, ghcb_ioio_info(port, size, GHCB_IOIO_A64), 0);
	ghcb_req_set(GHCB_OFF(rax), val);
	return ghcb_req_issue();
}

uint32_t ghcb_in(uint16_t port, unsigned size, uint64_t rax_before, uint64_t *rax_after)
{
	uint32_t r;

	ghcb_req_begin(GHCB_EXIT_IOIO, ghcb_ioio_info(port, size, GHCB_IOIO_IN | GHCB_IOIO_A64),
		       0);
	ghcb_req_set(GHCB_OFF(rax), rax_before);
	r = ghcb_req_issue();
	*rax_after = ghcb_page->save.rax;
	return r;
}

uint32_t ghcb_outs(uint16_t port, const void *buf, size_t len)
{
	uint32_t flags = GHCB_IOIO_STR | GHCB_IOIO_REP | GHCB_IOIO_A64;

	if (len > GHCB_SHARED_BUF_SIZE)
		len = GHCB_SHARED_BUF_SIZE;
	memcpy(ghcb_page->shared_buffer, buf, len);
	ghcb_req_begin(GHCB_EXIT_IOIO, ghcb_ioio_info(port, 1, flags), len);
	ghcb_req_set(GHCB_OFF(sw_scratch), ghcb_page_gpa + GHCB_SHARED_BUF_OFFSET);
	return ghcb_req_issue();
}

void ghcb_terminate(unsigned set, unsigned code)
{
	for (;;) {
		ghcb_vmgexit_msr(ghcb_msr_term_req(set, code));
		__asm__ volatile("cli; hlt");
	}
}

static void ghcb_console_write(const char *buf, size_t len)
{
	while (len) {
		size_t n = len > GHCB_SHARED_BUF_SIZE ? GHCB_SHARED_BUF_SIZE : len;

		ghcb_outs(PVH_SEV_DEBUGCON_PORT, buf, n);
		buf += n;
		len -= n;
	}
}

/* pvh_exit's handler: the status through the debug-exit port, never a bare OUT. */
static void ghcb_exit(uint32_t status)
{
	ghcb_out(PVH_SEV_DEBUG_EXIT_PORT, 4, status);
	/* No debug-exit device: end with a termination request rather than bare port I/O. */
	ghcb_terminate(GHCB_TERM_SET_LINUX, 0xff);
}

/* The page-directory entry mapping virt, through the identity tables the library built. */
static uint64_t *pde_of(uint64_t virt)
{
	uint64_t m = ghcb_cbit_mask;
	uint64_t *pdpt = (uint64_t *)(uintptr_t)(pvh_pml4[0] & PTE_ADDR & ~m);
	uint64_t pdpte = pdpt[(virt >> 30) & 511];

	if (!(pvh_pml4[0] & PTE_P) || !(pdpte & PTE_P) || (pdpte & PTE_PS))
		return NULL;
	return (uint64_t *)(uintptr_t)(pdpte & PTE_ADDR & ~m) + ((virt >> 21) & 511);
}

static void flush_page_cache(const void *p)
{
	/* Lines cached with the C-bit must not be written back over shared data later. */
	for (size_t off = 0; off < PAGE_4K; off += 64)
		__asm__ volatile("clflush (%0)" : : "r"((const uint8_t *)p + off) : "memory");
}

int ghcb_transport_init(void)
{
	uint64_t gpa = (uintptr_t)ghcb_page, m, *pde, base, cr3;

	ghcb_cbit_mask = pvh_pte_extra_mask;
	m = ghcb_cbit_mask;
	pde = pde_of(gpa);
	if (!pde || (*pde & (PTE_P | PTE_PS)) != (PTE_P | PTE_PS))
		return -1;
	base = *pde & PTE_ADDR & ~m & ~(PAGE_2M - 1);
	for (unsigned i = 0; i < 512; i++)
		ghcb_pt[i] = (base + i * PAGE_4K) | PTE_P | PTE_RW | m;
	ghcb_pt[(gpa >> 12) & 511] &= ~m;
	ghcb_pt[((gpa >> 12) + 1) & 511] &= ~m;
	flush_page_cache(ghcb_page);
	flush_page_cache(ghcb_scratch_page);
	/* Page tables themselves are always private: the PT is reached with the C-bit. */
	*pde = (uintptr_t)ghcb_pt | PTE_P | PTE_RW | m;
	__asm__ volatile("mov %%cr3, %0\n\tmov %0, %%cr3" : "=r"(cr3) : : "memory");
	/* The shared page's old contents are ciphertext on hardware: start from zeros. */
	memset(&shared_pages, 0, sizeof(shared_pages));
	ghcb_page_gpa = gpa;
	ghcb_scratch_gpa = gpa + PAGE_4K;
	pvh_console_set_writer(ghcb_console_write);
	pvh_set_exit_handler(ghcb_exit);
	return 0;
}
