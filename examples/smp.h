/* SPDX-License-Identifier: MIT */
/*
 * The smp example guest (examples/smp.c): shared between its C files, its assembler (smp_ap.S)
 * and the host unit tests of its pure parts (the MP table walk, the slot fillers).
 */
#ifndef PVH_EXAMPLE_SMP_H
#define PVH_EXAMPLE_SMP_H

/* Exit statuses: one per failure kind (docs/smp.md lists them). */
#define SMP_EXIT_OK 0
#define SMP_EXIT_BAD_CMDLINE 10   /* unknown mode= or malformed cpus=/spin= */
#define SMP_EXIT_BAD_HEADER 11    /* the AP area's bring-up header is not what docs/abi.md says */
#define SMP_EXIT_CPU_COUNT 12     /* header nr_vcpus differs from cpus= on the command line */
#define SMP_EXIT_DOORBELL 13      /* a doorbell IN returned something other than expected */
#define SMP_EXIT_AP_TIMEOUT 14    /* the bounded spin ended before every AP reported */
#define SMP_EXIT_AP_RUNS 15       /* an AP reported twice, or one that was not asked reported */
#define SMP_EXIT_AP_MODE 16       /* an AP runs in another mode than its slot asked for */
#define SMP_EXIT_AP_REGS 17       /* an AP's registers (token, index, stack, CR3) differ */
#define SMP_EXIT_AP_APIC_ID 18    /* CPUID's APIC ID is not the vCPU index */
#define SMP_EXIT_SLOT_STATE 19    /* a slot's state or failure reason is not the expected one */
#define SMP_EXIT_MPTABLE 20       /* the MP table is malformed or lists the wrong CPUs */
#define SMP_EXIT_NEED_CPUS 21     /* this mode needs more vCPUs than the VM has */

#define SMP_MAX_CPUS 255
#define SMP_STACK_SIZE 1024       /* per AP, carved from RAM after the image */
#define SMP_TRAMPOLINE_GPA 0x8000 /* INIT-SIPI real-mode entry: vector 0x08 */
#define SMP_SIPI_VECTOR (SMP_TRAMPOLINE_GPA >> 12)

/* What each AP writes about itself (struct smp_record, 32 bytes). */
#define SMP_REC_RUNS 0
#define SMP_REC_MODE 4
#define SMP_REC_TOKEN 8
#define SMP_REC_INDEX 12
#define SMP_REC_APIC_ID 16
#define SMP_REC_SP 20
#define SMP_REC_CR3 24
#define SMP_REC_SIZE 32
#define SMP_REC_SHIFT 5

#define SMP_MODE_32 32
#define SMP_MODE_64 64

/* Tokens the BSP hands each AP (in EAX or RSI) and checks in its record. */
#define SMP_TOKEN_BRINGUP 0x5a000000u
#define SMP_TOKEN_INITSIPI 0x51000000u

#ifndef __ASSEMBLER__
#include <stddef.h>
#include <stdint.h>

struct smp_record {
	uint32_t runs;
	uint32_t mode;
	uint32_t token;
	uint32_t index;
	uint32_t apic_id;
	uint32_t sp;
	uint32_t cr3;
	uint32_t pad;
};
_Static_assert(sizeof(struct smp_record) == SMP_REC_SIZE, "record size");
_Static_assert(SMP_REC_SIZE == 1 << SMP_REC_SHIFT, "record shift");
_Static_assert(__builtin_offsetof(struct smp_record, cr3) == SMP_REC_CR3, "record cr3");

/* The result of walking an MP table: what the BSP compares with the VM's vCPU count. */
struct smp_mp_summary {
	unsigned cpus;        /* enabled processor entries */
	unsigned bsp_count;   /* entries with the BSP flag */
	unsigned bsp_apic_id; /* APIC ID of the (last) BSP entry */
	unsigned ids_dense;   /* 1 when the APIC IDs are exactly 0..cpus-1, each once */
};

/*
 * Walks an MP floating pointer (16 bytes at fp) and the configuration table it points at;
 * phys() maps a physical range to a pointer or NULL. Returns 0, or a negative step number
 * naming the first check that failed (docs/smp.md). Pure: the host unit tests run it.
 */
typedef const void *(*smp_phys_fn)(uint64_t paddr, uint64_t len);
int smp_mp_walk(const uint8_t *fp, smp_phys_fn phys, struct smp_mp_summary *out);

struct ap_slot;
/* Fills a slot with a flat 32-bit context (paging off) entering eip with eax/ebx/esp. */
void smp_slot_fill32(struct ap_slot *s, uint32_t eip, uint32_t esp, uint32_t eax, uint32_t ebx);
/* Fills a slot with a long-mode context on page tables at cr3 (< 4 GiB), rdi/rsi/rsp. */
void smp_slot_fill64(struct ap_slot *s, uint64_t rip, uint64_t rsp, uint64_t cr3, uint64_t rdi,
		     uint64_t rsi);
#endif

#endif
