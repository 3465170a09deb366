// SPDX-License-Identifier: MIT
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "ap/mptable.h"
#include "loader/guest_abi.h"

struct parsed {
	unsigned cpus, bsps, buses, ioapics, ioints, lints, extints;
	uint8_t ioapic_id;
	uint32_t ioapic_gpa;
	int apic_ids_in_order;
	uint8_t irq_pin[16];
};

/* Walks the configuration table the way a guest does, entry by entry, from its type byte. */
static int parse(const uint8_t *cfg, size_t len, struct parsed *p)
{
	struct mp_config_header h;
	memcpy(&h, cfg, sizeof(h));
	memset(p, 0, sizeof(*p));
	p->apic_ids_in_order = 1;
	memset(p->irq_pin, 0xff, sizeof(p->irq_pin));
	if (memcmp(h.signature, "PCMP", 4) || h.length != len || h.spec_rev != 4)
		return -1;
	size_t off = sizeof(h);
	for (unsigned i = 0; i < h.entry_count; i++) {
		if (off >= len)
			return -1;
		switch (cfg[off]) {
		case MP_ENTRY_CPU: {
			struct mp_cpu_entry c;
			memcpy(&c, cfg + off, sizeof(c));
			if (c.apic_id != p->cpus)
				p->apic_ids_in_order = 0;
			p->cpus += (c.flags & 1) != 0;
			p->bsps += (c.flags & 2) != 0;
			off += sizeof(c);
			break;
		}
		case MP_ENTRY_BUS:
			if (memcmp(cfg + off + 2, "ISA   ", 6))
				return -1;
			p->buses++;
			off += 8;
			break;
		case MP_ENTRY_IOAPIC: {
			struct mp_ioapic_entry e;
			memcpy(&e, cfg + off, sizeof(e));
			p->ioapics++;
			p->ioapic_id = e.apic_id;
			p->ioapic_gpa = e.gpa;
			off += 8;
			break;
		}
		case MP_ENTRY_IOINT:
		case MP_ENTRY_LINT: {
			struct mp_int_entry e;
			memcpy(&e, cfg + off, sizeof(e));
			if (e.type == MP_ENTRY_LINT) {
				p->lints++;
			} else if (e.int_type == 3) {
				p->extints++;
			} else {
				p->ioints++;
				if (e.src_irq < 16 && e.dst_apic == p->ioapic_id)
					p->irq_pin[e.src_irq] = e.dst_pin;
			}
			off += 8;
			break;
		}
		default:
			return -1;
		}
	}
	return off == len ? 0 : -1;
}

static void check_tables(unsigned n)
{
	uint8_t fl[16];
	size_t size = mptable_config_size(n);
	uint8_t *cfg = malloc(size);
	char err[128];
	assert_int_equal(mptable_build(fl, cfg, n, 0x663, 0x0781abfd, err, sizeof(err)), 0);

	assert_memory_equal(fl, "_MP_", 4);
	assert_int_equal(mptable_sum(fl, 16), 0);
	assert_int_equal(fl[8], 1);
	assert_int_equal(fl[9], 4);
	uint32_t ptr;
	memcpy(&ptr, fl + 4, 4);
	assert_int_equal(ptr, PVH_SEV_MPTABLE_GPA);

	assert_int_equal(mptable_sum(cfg, size), 0);
	assert_true(size <= PVH_SEV_MPTABLE_SIZE);
	struct parsed p;
	assert_int_equal(parse(cfg, size, &p), 0);
	assert_int_equal(p.cpus, n);
	assert_int_equal(p.bsps, 1);
	assert_true(p.apic_ids_in_order);
	assert_int_equal(p.buses, 1);
	assert_int_equal(p.ioapics, 1);
	assert_int_equal(p.ioapic_id, n);
	assert_int_equal(p.ioapic_gpa, 0xfec00000u);
	assert_int_equal(p.ioints, 15);
	assert_int_equal(p.extints, 1);
	assert_int_equal(p.lints, 2);
	assert_int_equal(p.irq_pin[0], 2);
	assert_int_equal(p.irq_pin[4], 4); /* COM1 */
	assert_int_equal(p.irq_pin[2], 0xff);

	struct mp_cpu_entry c;
	memcpy(&c, cfg + sizeof(struct mp_config_header), sizeof(c));
	assert_int_equal(c.signature, 0x663);
	assert_int_equal(c.features, 0x0781abfd);
	assert_int_equal(c.flags, 3);
	free(cfg);
}

static void one_cpu(void **state) { check_tables(1); }

static void four_cpus(void **state) { check_tables(4); }

static void max_cpus_fit(void **state)
{
	check_tables(MP_MAX_CPUS);
	assert_true(mptable_config_size(MP_MAX_CPUS) <= PVH_SEV_MPTABLE_SIZE);
	/* The config table's page-rounded extent stays clear of the floating pointer's page. */
	assert_true(PVH_SEV_MPTABLE_GPA + mptable_config_size(MP_MAX_CPUS) <=
	            (PVH_SEV_MPFLOAT_GPA & ~0xfffu));
}

static void bad_counts(void **state)
{
	uint8_t fl[16];
	uint8_t cfg[64];
	char err[128];
	assert_int_equal(mptable_build(fl, cfg, 0, 0, 0, err, sizeof(err)), -EINVAL);
	assert_non_null(strstr(err, "CPUs"));
	assert_int_equal(mptable_build(fl, cfg, 256, 0, 0, err, sizeof(err)), -EINVAL);
}

static void regions(void **state)
{
	struct region_list l;
	char err[128];
	region_list_init(&l);
	assert_int_equal(mptable_add_regions(&l, 0, 0, 0, err, sizeof(err)), -EINVAL);
	assert_int_equal(l.n, 0);
	assert_int_equal(mptable_add_regions(&l, 2, 0x663, 0x201, err, sizeof(err)), 0);
	assert_int_equal(l.n, 2);
	assert_string_equal(l.v[0].name, "mp-config");
	assert_int_equal(l.v[0].gpa, PVH_SEV_MPTABLE_GPA);
	assert_int_equal(l.v[0].size, mptable_config_size(2));
	assert_int_equal(l.v[0].kind, REGION_TABLE);
	assert_int_equal(l.v[0].flags, REGION_F_RESERVED);
	assert_string_equal(l.v[1].name, "mp-float");
	assert_int_equal(l.v[1].gpa, PVH_SEV_MPFLOAT_GPA);
	assert_int_equal(l.v[1].size, 16);
	assert_int_equal(mptable_sum(l.v[1].data, 16), 0);
	struct ram_range ram = {0, 64 << 20};
	char why[256];
	assert_int_equal(region_list_check(&l, &ram, 1, why, sizeof(why)), 0);
	region_list_free(&l);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(one_cpu),      cmocka_unit_test(four_cpus),
	    cmocka_unit_test(max_cpus_fit), cmocka_unit_test(bad_counts),
	    cmocka_unit_test(regions),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
