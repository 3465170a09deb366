// SPDX-License-Identifier: MIT
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "ap/ap_abi.h"
#include "ap/ap_area.h"
#include "ap/ap_stub_blob.h"
#include "ap/bsp_prestub_blob.h"

static uint32_t get32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static uint64_t get64(const uint8_t *p)
{
	return (uint64_t)get32(p) | (uint64_t)get32(p + 4) << 32;
}

/* The byte offsets of Xen's vcpu_hvm_context (reference/pvh-smp.md 1.6), as literals. */
static void context_layout_matches_xen(void **state)
{
	assert_int_equal(sizeof(struct ap_hvm_context), 128);
	assert_int_equal(offsetof(struct ap_hvm_context, cpu_regs), 8);
	assert_int_equal(sizeof(struct ap_hvm_x86_32), 120);
	assert_int_equal(offsetof(struct ap_hvm_x86_32, eip), 32);
	assert_int_equal(offsetof(struct ap_hvm_x86_32, cr3), 44);
	assert_int_equal(offsetof(struct ap_hvm_x86_32, efer), 56);
	assert_int_equal(offsetof(struct ap_hvm_x86_32, es_base), 76);
	assert_int_equal(offsetof(struct ap_hvm_x86_32, tr_limit), 100);
	assert_int_equal(offsetof(struct ap_hvm_x86_32, ss_ar), 108);
	assert_int_equal(offsetof(struct ap_hvm_x86_32, pad2), 114);
	assert_int_equal(sizeof(struct ap_hvm_x86_64), 112);
	assert_int_equal(offsetof(struct ap_hvm_x86_64, rdi), 56);
	assert_int_equal(offsetof(struct ap_hvm_x86_64, rip), 64);
	assert_int_equal(offsetof(struct ap_hvm_x86_64, cr4), 96);
	assert_int_equal(offsetof(struct ap_hvm_x86_64, efer), 104);
	assert_int_equal(sizeof(struct ap_slot), 144);
	assert_int_equal(offsetof(struct ap_slot, ctx), 16);
}

static void area_layout_fits(void **state)
{
	assert_int_equal(AP_AREA_GPA, 0x90000);
	assert_true(AP_AREA_GPA + AP_AREA_SIZE <= 0x9c000);
	assert_int_equal(AP_JUMP_TABLE_OFFSET % 4096, 0);
	assert_true(ap_slot_gpa(AP_MAX_VCPUS - 1) + AP_SLOT_SIZE <= AP_AREA_GPA + AP_AREA_SIZE);
	assert_true(AP_MAX_VCPUS >= 255);
	assert_int_equal(ap_slot_gpa(1) - ap_slot_gpa(0), AP_SLOT_SIZE);
	/* Real-mode reachable with CS = AP area >> 4. */
	assert_true(AP_AREA_SIZE <= 0x10000);
}

static void stub_is_built_and_small(void **state)
{
	assert_true(ap_stub_size > 64);
	assert_true(ap_stub_size <= AP_STUB_MAX);
	/* The stub starts with "xor %edi,%edi" (31 ff): the entry is the first byte. */
	assert_int_equal(ap_stub_bytes[0], 0x31);
	assert_int_equal(ap_stub_bytes[1], 0xff);
}

static void image_contents(void **state)
{
	uint8_t *a = malloc(AP_AREA_SIZE);
	char err[128];
	assert_non_null(a);
	memset(a, 0xaa, AP_AREA_SIZE);
	assert_int_equal(ap_area_image(a, 4, AP_HDR_F_GHCB_HOLD, err, sizeof(err)), 0);

	assert_memory_equal(a + AP_STUB_OFFSET, ap_stub_bytes, ap_stub_size);
	for (size_t i = ap_stub_size; i < AP_PRESTUB_OFFSET; i++)
		assert_int_equal(a[i], 0);
	/* The BSP pre-stub, then its data: all zero (no kernel entry given). */
	assert_memory_equal(a + AP_PRESTUB_OFFSET, bsp_prestub_bytes, bsp_prestub_size);
	for (size_t i = AP_PRESTUB_OFFSET + bsp_prestub_size; i < AP_GDT_OFFSET; i++)
		assert_int_equal(a[i], 0);

	const uint8_t *gdt = a + AP_GDT_OFFSET;
	assert_int_equal(get64(gdt), 0);
	assert_true(get64(gdt + AP_GDT_CODE32) == 0x00cf9b000000ffffull);
	assert_true(get64(gdt + AP_GDT_DATA32) == 0x00cf93000000ffffull);
	assert_true(get64(gdt + AP_GDT_CODE16) == 0x00009b090000ffffull);
	assert_true(get64(gdt + AP_GDT_DATA16) == 0x000093090000ffffull);
	assert_true(get64(gdt + AP_GDT_CODE64) == 0x00af9b000000ffffull);
	assert_true(get64(gdt + AP_GDT_TSS) == 0x00008b0000000067ull);
	assert_true(get64(gdt + 0x38) == 0);
	/* Slot 3's descriptor: base = slot 3, limit 143, 32-bit data. */
	assert_true(get64(gdt + AP_GDT_SLOT_SEL(3)) ==
	            ap_gdt_descriptor((uint32_t)ap_slot_gpa(3), AP_SLOT_SIZE - 1, 0x493));
	assert_true(get64(gdt + AP_GDT_SLOT_SEL(3)) == 0x0040930931f0008full);

	for (size_t i = AP_JUMP_TABLE_OFFSET; i < AP_JUMP_TABLE_OFFSET + 4096; i++)
		assert_int_equal(a[i], 0);

	const uint8_t *h = a + AP_BRINGUP_OFFSET;
	assert_int_equal(get32(h + 0), 0x41485650);
	assert_memory_equal(h, "PVHA", 4);
	assert_int_equal(get32(h + 4), 1);
	assert_int_equal(get32(h + 8), 4);
	assert_int_equal(get32(h + 12), 0x5f0);
	assert_int_equal(get32(h + 16), AP_HDR_F_GHCB_HOLD);
	assert_int_equal(get32(h + 20), 144);
	assert_int_equal(get32(h + 24), 0x3040);
	assert_int_equal(get32(h + 28), 0x2000);
	for (size_t i = AP_BRINGUP_OFFSET + 32; i < AP_AREA_SIZE; i++)
		assert_int_equal(a[i], 0); /* every slot STOPPED, reason 0, context 0 */
	free(a);
}

/* The kernel entry lands in the pre-stub's data and nowhere else. */
static void kernel_entry_for_prestub(void **state)
{
	uint8_t *a = malloc(AP_AREA_SIZE), *b = malloc(AP_AREA_SIZE);
	char err[128];
	assert_non_null(a);
	assert_non_null(b);
	assert_int_equal(ap_area_image(a, 2, AP_HDR_F_GHCB_HOLD, err, sizeof(err)), 0);
	memcpy(b, a, AP_AREA_SIZE);
	ap_area_set_kernel_entry(b, 0x1234567);
	assert_int_equal(get32(b + AP_PRESTUB_DATA_OFFSET + AP_PRE_ENTRY), 0x1234567);
	memset(b + AP_PRESTUB_DATA_OFFSET + AP_PRE_ENTRY, 0, 4);
	assert_memory_equal(a, b, AP_AREA_SIZE);
	free(a);
	free(b);

	struct cpu_state bsp;
	cpu_state_pvh_bsp(&bsp, 0x100000, 0x6000, 0x500);
	ap_bsp_prestub_state(&bsp);
	assert_true(bsp.regs.rip == AP_AREA_GPA + AP_PRESTUB_OFFSET);
	assert_true(bsp.regs.rbx == 0x6000);
}

static void image_rejects_bad_input(void **state)
{
	uint8_t *a = malloc(AP_AREA_SIZE);
	char err[128];
	assert_int_equal(ap_area_image(a, 0, 0, err, sizeof(err)), -EINVAL);
	assert_non_null(strstr(err, "vCPUs"));
	assert_int_equal(ap_area_image(a, 256, 0, err, sizeof(err)), -EINVAL);
	assert_int_equal(ap_area_image(a, 2, 0x2, err, sizeof(err)), -EINVAL);
	assert_non_null(strstr(err, "flags"));
	assert_int_equal(ap_area_image(a, 255, 0, err, sizeof(err)), 0);
	assert_int_equal(get32(a + AP_BRINGUP_OFFSET + 8), 255);
	free(a);
}

static void region_is_reserved_ap_area(void **state)
{
	struct region_list l;
	char err[128];
	region_list_init(&l);
	assert_int_equal(ap_area_add_region(&l, 0, 0, err, sizeof(err)), -EINVAL);
	assert_int_equal(l.n, 0);
	assert_int_equal(ap_area_add_region(&l, 2, 0, err, sizeof(err)), 0);
	assert_int_equal(l.n, 1);
	assert_string_equal(l.v[0].name, "ap-area");
	assert_int_equal(l.v[0].kind, REGION_AP);
	assert_int_equal(l.v[0].flags, REGION_F_RESERVED);
	assert_int_equal(l.v[0].gpa, 0x90000);
	assert_int_equal(l.v[0].size, 0xc000);
	assert_int_equal(l.v[0].data_len, 0xc000);
	assert_memory_equal(l.v[0].data, ap_stub_bytes, ap_stub_size);
	region_list_free(&l);
}

static void initial_state(void **state)
{
	struct cpu_state s;
	ap_initial_state(&s, 7);
	assert_int_equal(s.regs.rip, 0x90000);
	assert_int_equal(s.regs.rbx, 0x90000);
	assert_int_equal(s.regs.rsi, 7);
	assert_int_equal(s.regs.rax | s.regs.rcx | s.regs.rdx | s.regs.rdi | s.regs.rsp |
	                     s.regs.rbp | s.regs.r8 | s.regs.r15,
	                 0);
	assert_int_equal(s.regs.rflags, 0x2);
	const struct kvm_sregs *sr = &s.sregs;
	assert_int_equal(sr->cs.selector, AP_GDT_CODE32);
	assert_int_equal(sr->cs.type, 0xb);
	assert_int_equal(sr->cs.limit, 0xffffffffu);
	assert_int_equal(sr->cs.g, 1);
	assert_int_equal(sr->cs.db, 1);
	assert_int_equal(sr->cs.base, 0);
	const struct kvm_segment *data[] = {&sr->ds, &sr->es, &sr->fs, &sr->gs, &sr->ss};
	for (int i = 0; i < 5; i++) {
		assert_int_equal(data[i]->selector, AP_GDT_DATA32);
		assert_int_equal(data[i]->type, 0x3);
		assert_int_equal(data[i]->limit, 0xffffffffu);
	}
	assert_int_equal(sr->tr.selector, AP_GDT_TSS);
	assert_int_equal(sr->tr.type, 0xb);
	assert_int_equal(sr->tr.limit, 0x67);
	assert_int_equal(sr->ldt.type, 0x2);
	assert_int_equal(sr->ldt.limit, 0xffff);
	assert_int_equal(sr->ldt.present, 1);
	assert_int_equal(sr->gdt.base, 0x91000);
	assert_int_equal(sr->gdt.limit, AP_GDT_SIZE - 1);
	assert_int_equal(sr->idt.limit, 0);
	assert_int_equal(sr->cr0, 0x11);
	assert_int_equal(sr->cr4, 0);
	assert_int_equal(sr->efer, 0);
	assert_int_equal(s.dr7, 0x400);
	assert_int_equal(s.xcr0, 1);
	assert_int_equal(s.mtrr_def_type, 0x806);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(context_layout_matches_xen),
	    cmocka_unit_test(area_layout_fits),
	    cmocka_unit_test(stub_is_built_and_small),
	    cmocka_unit_test(image_contents),
	    cmocka_unit_test(kernel_entry_for_prestub),
	    cmocka_unit_test(image_rejects_bad_input),
	    cmocka_unit_test(region_is_reserved_ap_area),
	    cmocka_unit_test(initial_state),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
