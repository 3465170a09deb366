// SPDX-License-Identifier: MIT
/*
 * The emulated GHCB service's CPUID answers (vmm/ghcb_ops.c) include what KVM recomputes at
 * run time: OSXSAVE/OSPKE from CR4, APIC from APIC_BASE, leaf 0xD sizes from the guest's XCR0.
 * Driven with a fabricated vCPU and CPUID table: no KVM needed.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "vmm/ghcb_ops.h"
#include "vmm/vm.h"

enum { NENT = 6 };

struct fixture {
	struct vcpu v;
	struct kvm_run run;
	struct kvm_cpuid2 *c;
};

static void add(struct kvm_cpuid2 *c, uint32_t fn, uint32_t idx, uint32_t a, uint32_t b,
		uint32_t cx, uint32_t d)
{
	c->entries[c->nent++] = (struct kvm_cpuid_entry2){
		.function = fn, .index = idx, .flags = KVM_CPUID_FLAG_SIGNIFCANT_INDEX,
		.eax = a, .ebx = b, .ecx = cx, .edx = d};
}

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));
	f->c = calloc(1, sizeof(*f->c) + NENT * sizeof(f->c->entries[0]));
	add(f->c, 1, 0, 0x806f2, 0, 1u << 26 /* XSAVE */, 1u << 9 /* APIC */);
	add(f->c, 7, 0, 0, 0, 1u << 3 /* PKU */, 0);
	add(f->c, 0xd, 0, 0x7, 2688 /* the maximum, as KVM_GET_SUPPORTED_CPUID says */, 2688, 0);
	add(f->c, 0xd, 1, 1u << 1 /* XSAVEC */, 0, 0, 0);
	add(f->c, 0xd, 2, 256, 576, 0, 0);        /* AVX: 256 bytes at 576 */
	add(f->c, 0xd, 9, 8, 2688 - 8, 2, 0);     /* PKRU-like: 8 bytes, 64-byte aligned */
	f->v.cpuid = f->c;
	f->v.run = &f->run;
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;
	free(f->c);
	free(f);
	return 0;
}

static void ask(struct fixture *f, uint32_t fn, uint32_t idx, uint64_t xcr0, uint32_t out[4])
{
	assert_int_equal(vmm_ghcb_ops.cpuid(&f->v, fn, idx, xcr0, out), 0);
}

static void test_osxsave_and_apic_follow_cr4_and_apic_base(void **state)
{
	struct fixture *f = *state;
	uint32_t out[4];

	ask(f, 1, 0, 1, out);
	assert_false(out[2] & (1u << 27));
	assert_false(out[3] & (1u << 9)); /* APIC_BASE not enabled */
	f->run.s.regs.sregs.cr4 = 1ull << 18;
	f->run.s.regs.sregs.apic_base = 0xfee00900;
	ask(f, 1, 0, 1, out);
	assert_true(out[2] & (1u << 27));
	assert_true(out[3] & (1u << 9));
	assert_int_equal(out[0], 0x806f2);
}

static void test_ospke_follows_cr4(void **state)
{
	struct fixture *f = *state;
	uint32_t out[4];

	ask(f, 7, 0, 1, out);
	assert_false(out[2] & (1u << 4));
	f->run.s.regs.sregs.cr4 = 1ull << 22;
	ask(f, 7, 0, 1, out);
	assert_true(out[2] & (1u << 4));
}

static void test_xsave_sizes_follow_xcr0(void **state)
{
	struct fixture *f = *state;
	uint32_t out[4];

	ask(f, 0xd, 0, 0x1, out);
	assert_int_equal(out[1], 576);
	assert_int_equal(out[2], 2688); /* ECX (the maximum) is not XCR0-dependent */
	ask(f, 0xd, 0, 0x7, out);
	assert_int_equal(out[1], 832);
	ask(f, 0xd, 0, 0x207, out);
	assert_int_equal(out[1], 2688);
	ask(f, 0xd, 1, 0x207, out); /* compacted: 576 + 256, then 8 at the next 64-byte line */
	assert_int_equal(out[1], 840);
	ask(f, 0xd, 2, 0x207, out); /* subleaves are the table's */
	assert_int_equal(out[0], 256);
	assert_int_equal(out[1], 576);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_osxsave_and_apic_follow_cr4_and_apic_base,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_ospke_follows_cr4, setup, teardown),
		cmocka_unit_test_setup_teardown(test_xsave_sizes_follow_xcr0, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
