// SPDX-License-Identifier: MIT
/*
 * The smp example guest's pure parts, on the host: its MP table walk against the tables
 * ap/mptable.c builds (and broken copies), and its slot fillers against the stub's rules.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "ap/ap_abi.h"
#include "ap/mptable.h"
#include "examples/smp.h"

#define CONFIG_GPA 0x9c000u

static uint8_t floating[16];
static uint8_t config[0x3c00];
static size_t config_len;

static const void *fake_phys(uint64_t paddr, uint64_t len)
{
	if (paddr < CONFIG_GPA || paddr - CONFIG_GPA > sizeof(config) ||
	    len > sizeof(config) - (paddr - CONFIG_GPA))
		return NULL;
	return config + (paddr - CONFIG_GPA);
}

static void build(unsigned ncpus)
{
	char err[128];

	memset(config, 0, sizeof(config));
	config_len = mptable_config_size(ncpus);
	assert_true(config_len <= sizeof(config));
	assert_int_equal(mptable_build(floating, config, ncpus, 0x600, 0x201, err, sizeof(err)), 0);
	assert_int_equal(floating[4] | floating[5] << 8 | floating[6] << 16 | floating[7] << 24,
			 CONFIG_GPA);
}

static void fix_checksum(uint8_t *p, size_t len, size_t at)
{
	p[at] = 0;
	p[at] = (uint8_t)-mptable_sum(p, len);
}

static void walk_counts_every_cpu(void **state)
{
	static const unsigned counts[] = {1, 2, 4, 64, 254, 255};
	struct smp_mp_summary s;

	(void)state;
	for (size_t i = 0; i < sizeof(counts) / sizeof(counts[0]); i++) {
		build(counts[i]);
		assert_int_equal(smp_mp_walk(floating, fake_phys, &s), 0);
		assert_int_equal(s.cpus, counts[i]);
		assert_int_equal(s.bsp_count, 1);
		assert_int_equal(s.bsp_apic_id, 0);
		assert_int_equal(s.ids_dense, 1);
	}
}

static void walk_rejects_broken_tables(void **state)
{
	struct smp_mp_summary s;

	(void)state;
	build(4);
	floating[0] = 'X';
	assert_int_equal(smp_mp_walk(floating, fake_phys, &s), -1);
	build(4);
	floating[12] ^= 1; /* checksum */
	assert_int_equal(smp_mp_walk(floating, fake_phys, &s), -2);
	build(4);
	memset(floating + 4, 0, 4);
	fix_checksum(floating, 16, 10);
	assert_int_equal(smp_mp_walk(floating, fake_phys, &s), -3);
	build(4);
	config[1] = 'X';
	assert_int_equal(smp_mp_walk(floating, fake_phys, &s), -4);
	build(4);
	config[4] = 0xff, config[5] = 0xff; /* longer than the mapped range */
	assert_int_equal(smp_mp_walk(floating, fake_phys, &s), -5);
	build(4);
	config[50] ^= 0x40;
	assert_int_equal(smp_mp_walk(floating, fake_phys, &s), -6);
	build(4);
	config[34] = 200; /* entry_count beyond the table */
	fix_checksum(config, config_len, 7);
	assert_int_equal(smp_mp_walk(floating, fake_phys, &s), -7);
	assert_int_equal(smp_mp_walk(NULL, fake_phys, &s), -1);
}

static void walk_sees_wrong_cpu_lists(void **state)
{
	struct smp_mp_summary s;
	uint8_t *cpu1 = config + 44 + 20; /* second processor entry */

	(void)state;
	build(4);
	cpu1[1] = 0; /* duplicate APIC ID 0 */
	fix_checksum(config, config_len, 7);
	assert_int_equal(smp_mp_walk(floating, fake_phys, &s), 0);
	assert_int_equal(s.ids_dense, 0);
	build(4);
	cpu1[3] = 0; /* disabled */
	fix_checksum(config, config_len, 7);
	assert_int_equal(smp_mp_walk(floating, fake_phys, &s), 0);
	assert_int_equal(s.cpus, 3);
	assert_int_equal(s.ids_dense, 0);
	build(4);
	cpu1[3] |= 2; /* a second BSP */
	fix_checksum(config, config_len, 7);
	assert_int_equal(smp_mp_walk(floating, fake_phys, &s), 0);
	assert_int_equal(s.bsp_count, 2);
}

/* The stub's acceptance rules (ap/stub/ap_stub.S) for what the fillers produce. */
static void slot32_is_what_the_stub_accepts(void **state)
{
	struct ap_slot slot;
	const struct ap_hvm_x86_32 *r = &slot.ctx.cpu_regs.x86_32;

	(void)state;
	memset(&slot, 0xa5, sizeof(slot));
	smp_slot_fill32(&slot, 0x100040, 0x200400, 0x5a000003, 3);
	assert_int_equal(slot.ctx.mode, AP_CTX_MODE_32B);
	assert_int_equal(slot.reason, AP_FAIL_NONE);
	assert_int_equal(r->eip, 0x100040);
	assert_int_equal(r->esp, 0x200400);
	assert_int_equal(r->eax, 0x5a000003);
	assert_int_equal(r->ebx, 3);
	assert_int_equal(r->ecx | r->edx | r->esi | r->edi | r->ebp, 0);
	assert_int_equal(r->cr0 & ~AP_CR0_ALLOWED, 0);
	assert_int_equal(r->cr0 & 0x80000001u, 1); /* PE, no paging */
	assert_int_equal(r->cr4 & ~AP_CR4_ALLOWED, 0);
	assert_int_equal(r->efer, 0);
	assert_int_equal(r->eflags & AP_FLAGS_FORBIDDEN, 0);
	assert_int_equal(r->eflags & 2, 2);
	assert_int_equal(r->cs_base | r->ds_base | r->ss_base | r->es_base, 0);
	assert_int_equal(r->cs_limit & r->ds_limit & r->ss_limit & r->es_limit, 0xffffffffu);
	assert_int_equal(r->cs_ar, 0xc9b);
	assert_int_equal(r->ds_ar, 0xc93);
	assert_int_equal(r->ss_ar, 0xc93);
	assert_int_equal(r->es_ar, 0xc93);
	assert_int_equal(r->tr_ar, 0);
}

static void slot64_is_what_the_stub_accepts(void **state)
{
	struct ap_slot slot;
	const struct ap_hvm_x86_64 *r = &slot.ctx.cpu_regs.x86_64;

	(void)state;
	memset(&slot, 0xa5, sizeof(slot));
	smp_slot_fill64(&slot, 0x100080, 0x200800, 0x103000, 5, 0x5a000005);
	assert_int_equal(slot.ctx.mode, AP_CTX_MODE_64B);
	assert_int_equal(r->rip, 0x100080);
	assert_int_equal(r->rsp, 0x200800);
	assert_int_equal(r->rdi, 5);
	assert_int_equal(r->rsi, 0x5a000005);
	assert_int_equal(r->rax | r->rbx | r->rcx | r->rdx | r->rbp, 0);
	assert_int_equal(r->cr0 & ~(uint64_t)AP_CR0_ALLOWED, 0);
	assert_int_equal(r->cr0 & 0x80000001u, 0x80000001u);
	assert_int_equal(r->cr3, 0x103000);
	assert_int_equal(r->cr4 & ~(uint64_t)AP_CR4_ALLOWED, 0);
	assert_int_equal(r->cr4 & 0x20, 0x20);
	assert_int_equal(r->efer & ~(uint64_t)AP_EFER_ALLOWED, 0);
	assert_int_equal(r->efer & 0x100, 0x100);
	assert_int_equal(r->rflags, 2);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(walk_counts_every_cpu),
		cmocka_unit_test(walk_rejects_broken_tables),
		cmocka_unit_test(walk_sees_wrong_cpu_lists),
		cmocka_unit_test(slot32_is_what_the_stub_accepts),
		cmocka_unit_test(slot64_is_what_the_stub_accepts),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
