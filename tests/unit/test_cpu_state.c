// SPDX-License-Identifier: MIT
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "ap/ap_area.h"
#include "loader/cpu_state.h"

/* KVM_SET_SREGS also sets the APIC base MSR: 0 would switch the in-kernel LAPIC off. */
static void bsp_and_ap_start_with_their_lapic_enabled(void **state)
{
	struct cpu_state bsp, ap;
	cpu_state_pvh_bsp(&bsp, 0x100000, 0x6000, 0x500);
	ap_initial_state(&ap, 3);
	assert_int_equal(bsp.sregs.apic_base, 0xfee00900ull);
	assert_int_equal(ap.sregs.apic_base, 0xfee00800ull);
}

static void bsp_entry_state_is_the_pvh_abi(void **state)
{
	struct cpu_state s;
	cpu_state_pvh_bsp(&s, 0x1000850, 0x6000, 0x500);
	assert_int_equal(s.regs.rip, 0x1000850);
	assert_int_equal(s.regs.rbx, 0x6000);
	assert_int_equal(s.regs.rdx, 0);
	assert_int_equal(s.regs.rflags, 2);
	assert_int_equal(s.sregs.cr0, 0x11);
	assert_int_equal(s.sregs.cr4, 0);
	assert_int_equal(s.sregs.efer, 0);
	assert_int_equal(s.sregs.cs.limit, 0xffffffff);
	assert_int_equal(s.sregs.cs.type, 0xb);
	assert_int_equal(s.sregs.ss.type, 0x3);
	assert_int_equal(s.sregs.tr.type, 0xb);
	assert_int_equal(s.sregs.tr.limit, 0x67);
	assert_int_equal(s.sregs.ldt.type, 2);
	assert_int_equal(s.sregs.ldt.unusable, 0);
	assert_int_equal(s.sregs.gdt.base, 0x500);
	assert_int_equal(s.sregs.idt.limit, 0);
	assert_int_equal(s.dr7, 0x400);
	assert_int_equal(s.mtrr_def_type, 0x806);
	assert_int_equal(s.xcr0, 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(bsp_and_ap_start_with_their_lapic_enabled),
		cmocka_unit_test(bsp_entry_state_is_the_pvh_abi),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
