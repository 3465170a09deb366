// SPDX-License-Identifier: MIT
/*
 * The APIC mode transitions the emulated GHCB MSR event refuses as KVM refuses them for a guest
 * WRMSR of APIC_BASE (vmm/ghcb_ops.c; KVM's KVM_SET_MSRS would accept them).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "vmm/ghcb_ops.h"

#define BASE 0xfee00000ull
#define BSP (1ull << 8)
#define DISABLED (BASE | BSP)
#define XAPIC (BASE | BSP | 1ull << 11)
#define X2APIC (BASE | BSP | 1ull << 11 | 1ull << 10)

static void test_allowed(void **state)
{
	(void)state;
	assert_true(apic_base_guest_transition_ok(XAPIC, X2APIC));
	assert_true(apic_base_guest_transition_ok(X2APIC, X2APIC));
	assert_true(apic_base_guest_transition_ok(XAPIC, XAPIC));
	assert_true(apic_base_guest_transition_ok(X2APIC, DISABLED));
	assert_true(apic_base_guest_transition_ok(XAPIC, DISABLED));
	assert_true(apic_base_guest_transition_ok(DISABLED, XAPIC));
	assert_true(apic_base_guest_transition_ok(DISABLED, DISABLED));
	/* the base address may move; only the mode bits matter here */
	assert_true(apic_base_guest_transition_ok(XAPIC, (XAPIC & ~BASE) | 0xfec00000ull));
}

static void test_refused(void **state)
{
	(void)state;
	assert_false(apic_base_guest_transition_ok(X2APIC, XAPIC));
	assert_false(apic_base_guest_transition_ok(DISABLED, X2APIC));
	assert_false(apic_base_guest_transition_ok(X2APIC & ~BSP, XAPIC & ~BSP));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_allowed),
		cmocka_unit_test(test_refused),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
