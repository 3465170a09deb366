// SPDX-License-Identifier: MIT
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "ap/cpuid_topology.h"

/* A fabricated KVM_GET_SUPPORTED_CPUID answer, with the leaves the helper touches. */
static struct kvm_cpuid2 *fake_cpuid(const char *vendor)
{
	static const struct kvm_cpuid_entry2 tmpl[] = {
	    {.function = 0, .eax = 0x1f},
	    {.function = 1,
	     .eax = 0x806ec,
	     .ebx = 0x00000800,
	     .ecx = 0x81202000,
	     .edx = 0x0f8bfbff},
	    {.function = 4, .index = 0, .eax = 0x1c004121}, /* L1d */
	    {.function = 4, .index = 1, .eax = 0x1c004122}, /* L1i */
	    {.function = 4, .index = 2, .eax = 0x1c004143}, /* L2 */
	    {.function = 4, .index = 3, .eax = 0x1c03c163}, /* L3 */
	    {.function = 4, .index = 4, .eax = 0},          /* end */
	    {.function = 0xb, .index = 0, .flags = 1},
	    {.function = 0xb, .index = 1, .flags = 1},
	    {.function = 0xb, .index = 2, .flags = 1},
	    {.function = 0x1f, .index = 1, .flags = 1},
	    {.function = 0x80000008, .eax = 0x3027, .ecx = 0xffff},
	    {.function = 0x8000001e, .eax = 0x55, .ebx = 0x1234ff, .ecx = 0xabc},
	};
	size_t n = sizeof(tmpl) / sizeof(tmpl[0]);
	struct kvm_cpuid2 *c = calloc(1, sizeof(*c) + n * sizeof(c->entries[0]));
	c->nent = (uint32_t)n;
	memcpy(c->entries, tmpl, sizeof(tmpl));
	memcpy(&c->entries[0].ebx, vendor, 4);
	memcpy(&c->entries[0].edx, vendor + 4, 4);
	memcpy(&c->entries[0].ecx, vendor + 8, 4);
	return c;
}

static struct kvm_cpuid_entry2 *find(struct kvm_cpuid2 *c, uint32_t fn, uint32_t idx)
{
	for (uint32_t i = 0; i < c->nent; i++)
		if (c->entries[i].function == fn && c->entries[i].index == idx)
			return &c->entries[i];
	fail_msg("leaf 0x%x.%u missing", fn, idx);
	return NULL;
}

static void order(void **state)
{
	assert_int_equal(cpuid_topology_order(1), 0);
	assert_int_equal(cpuid_topology_order(2), 1);
	assert_int_equal(cpuid_topology_order(3), 2);
	assert_int_equal(cpuid_topology_order(4), 2);
	assert_int_equal(cpuid_topology_order(255), 8);
}

static void leaf1_and_ext_topology(void **state)
{
	struct kvm_cpuid2 *c = fake_cpuid("GenuineIntel");
	assert_int_equal(cpuid_topology_apply(c, 5, 6), 0);
	struct kvm_cpuid_entry2 *l1 = find(c, 1, 0);
	assert_int_equal(l1->ebx >> 24, 5);
	assert_int_equal((l1->ebx >> 16) & 0xff, 8);
	assert_int_equal(l1->ebx & 0xffff, 0x0800); /* CLFLUSH size kept */
	assert_true(l1->edx & (1u << 28));
	assert_int_equal(l1->eax, 0x806ec);

	struct kvm_cpuid_entry2 *smt = find(c, 0xb, 0), *core = find(c, 0xb, 1);
	struct kvm_cpuid_entry2 *inval = find(c, 0xb, 2);
	assert_int_equal(smt->eax, 0);
	assert_int_equal(smt->ebx, 1);
	assert_int_equal(smt->ecx, 0x100);
	assert_int_equal(smt->edx, 5);
	assert_int_equal(core->eax, 3);
	assert_int_equal(core->ebx, 6);
	assert_int_equal(core->ecx, 0x201);
	assert_int_equal(core->edx, 5);
	assert_int_equal(inval->eax | inval->ebx, 0);
	assert_int_equal(inval->ecx, 2);
	assert_int_equal(inval->edx, 5);
	assert_int_equal(find(c, 0x1f, 1)->ebx, 6);

	/* Intel: the AMD leaves are left alone. */
	assert_int_equal(find(c, 0x80000008, 0)->ecx, 0xffff);
	assert_int_equal(find(c, 0x8000001e, 0)->eax, 0x55);
	free(c);
}

static void leaf4_sharing(void **state)
{
	struct kvm_cpuid2 *c = fake_cpuid("GenuineIntel");
	assert_int_equal(cpuid_topology_apply(c, 0, 4), 0);
	struct kvm_cpuid_entry2 *l1d = find(c, 4, 0), *l3 = find(c, 4, 3);
	assert_int_equal(l1d->eax >> 26, 3);
	assert_int_equal((l1d->eax >> 14) & 0xfff, 0);
	assert_int_equal(l1d->eax & 0x3fff, 0x0121);
	assert_int_equal(l3->eax >> 26, 3);
	assert_int_equal((l3->eax >> 14) & 0xfff, 3);
	assert_int_equal(find(c, 4, 4)->eax, 0);
	free(c);
}

static void single_vcpu_has_no_htt(void **state)
{
	struct kvm_cpuid2 *c = fake_cpuid("GenuineIntel");
	find(c, 1, 0)->edx |= 1u << 28;
	assert_int_equal(cpuid_topology_apply(c, 0, 1), 0);
	assert_false(find(c, 1, 0)->edx & (1u << 28));
	assert_int_equal((find(c, 1, 0)->ebx >> 16) & 0xff, 1);
	free(c);
}

static void max_vcpus(void **state)
{
	struct kvm_cpuid2 *c = fake_cpuid("GenuineIntel");
	assert_int_equal(cpuid_topology_apply(c, 254, 255), 0);
	assert_int_equal(find(c, 1, 0)->ebx >> 24, 254);
	assert_int_equal((find(c, 1, 0)->ebx >> 16) & 0xff, 255);
	assert_int_equal(find(c, 4, 3)->eax >> 26, 63);
	assert_int_equal(find(c, 0xb, 1)->eax, 8);
	free(c);
}

static void amd_leaves(void **state)
{
	struct kvm_cpuid2 *c = fake_cpuid("AuthenticAMD");
	assert_int_equal(cpuid_topology_apply(c, 2, 3), 0);
	struct kvm_cpuid_entry2 *e8 = find(c, 0x80000008, 0), *e1e = find(c, 0x8000001e, 0);
	assert_int_equal(e8->ecx & 0xff, 2);
	assert_int_equal((e8->ecx >> 12) & 0xf, 2);
	assert_int_equal(e8->ecx & 0xf00, 0xf00); /* other bits kept */
	assert_int_equal(e1e->eax, 2);
	assert_int_equal(e1e->ebx & 0xffff, 2);
	assert_int_equal(e1e->ebx >> 16, 0x12);
	assert_int_equal(e1e->ecx & 0x7ff, 0);
	free(c);
}

static void bad_arguments(void **state)
{
	struct kvm_cpuid2 *c = fake_cpuid("GenuineIntel");
	uint32_t before = find(c, 1, 0)->ebx;
	assert_int_equal(cpuid_topology_apply(c, 4, 4), -EINVAL);
	assert_int_equal(cpuid_topology_apply(c, 0, 0), -EINVAL);
	assert_int_equal(cpuid_topology_apply(c, 0, 256), -EINVAL);
	assert_int_equal(find(c, 1, 0)->ebx, before);
	free(c);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(order),         cmocka_unit_test(leaf1_and_ext_topology),
	    cmocka_unit_test(leaf4_sharing), cmocka_unit_test(single_vcpu_has_no_htt),
	    cmocka_unit_test(max_vcpus),     cmocka_unit_test(amd_leaves),
	    cmocka_unit_test(bad_arguments),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
