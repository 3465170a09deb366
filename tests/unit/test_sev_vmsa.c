// SPDX-License-Identifier: MIT
/*
 * Golden VMSA tests: every field the builder writes is checked at its raw byte offset (not
 * through struct vmsa), and every other byte of the page must be zero.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>
#include <openssl/evp.h>

#include "loader/boot_gdt.h"
#include "loader/cpu_state.h"
#include "tests/unit/epyc_reset_state.h"
#include "sev/vmsa.h"

struct golden {
	uint8_t page[VMSA_PAGE_SIZE];
	uint8_t seen[VMSA_PAGE_SIZE]; /* bytes a test has checked */
};

static uint64_t rd(const uint8_t *p, size_t n)
{
	uint64_t v = 0;
	for (size_t i = 0; i < n; i++)
		v |= (uint64_t)p[i] << (8 * i);
	return v;
}

#define FIELD(g, off, n, want)                                                                     \
	do {                                                                                       \
		assert_int_equal(rd((g)->page + (off), (n)), (uint64_t)(want));                    \
		memset((g)->seen + (off), 1, (n));                                                 \
	} while (0)

static void seg(struct golden *g, size_t off, uint16_t sel, uint16_t attrib, uint32_t limit,
                uint64_t base)
{
	FIELD(g, off, 2, sel);
	FIELD(g, off + 2, 2, attrib);
	FIELD(g, off + 4, 4, limit);
	FIELD(g, off + 8, 8, base);
}

static void rest_is_zero(const struct golden *g)
{
	for (size_t i = 0; i < VMSA_PAGE_SIZE; i++) {
		if (!g->seen[i] && g->page[i]) {
			print_error("unexpected non-zero byte at VMSA offset 0x%zx\n", i);
			fail();
		}
	}
}

static void build(struct golden *g, const struct cpu_state *s, const struct vmsa_options *o)
{
	char err[128];
	memset(g, 0, sizeof(*g));
	assert_int_equal(vmsa_build(s, o, g->page, err, sizeof(err)), 0);
}

static void check_common_fixed(struct golden *g, int init2)
{
	FIELD(g, 0x0d0, 8, 0x1000);                /* efer = SVME */
	FIELD(g, 0x160, 8, 0x400);                 /* dr7 */
	FIELD(g, 0x168, 8, 0xffff0ff0);            /* dr6 */
	FIELD(g, 0x268, 8, 0x0007040600070406ull); /* g_pat */
	FIELD(g, 0x3e8, 8, 1);                     /* xcr0 */
	FIELD(g, 0x408, 4, init2 ? 0x1f80 : 0);    /* mxcsr */
	FIELD(g, 0x410, 2, init2 ? 0x37f : 0);     /* x87 fcw */
}

static void test_pvh_bsp(void **st)
{
	struct golden g;
	struct cpu_state s;
	struct vmsa_options o;
	vmsa_options_default(&o);
	cpu_state_pvh_bsp(&s, 0x1000e0, 0x6000, 0x500);
	build(&g, &s, &o);

	seg(&g, 0x000, BOOT_GDT_DS, 0xc93, 0xffffffff, 0); /* es */
	seg(&g, 0x010, BOOT_GDT_CS, 0xc9b, 0xffffffff, 0); /* cs */
	seg(&g, 0x020, BOOT_GDT_DS, 0xc93, 0xffffffff, 0); /* ss */
	seg(&g, 0x030, BOOT_GDT_DS, 0xc93, 0xffffffff, 0); /* ds */
	seg(&g, 0x040, BOOT_GDT_DS, 0xc93, 0xffffffff, 0); /* fs */
	seg(&g, 0x050, BOOT_GDT_DS, 0xc93, 0xffffffff, 0); /* gs */
	seg(&g, 0x060, 0, 0, BOOT_GDT_SIZE - 1, 0x500);    /* gdtr */
	seg(&g, 0x070, 0, 0x82, 0xffff, 0);                /* ldtr */
	seg(&g, 0x080, 0, 0, 0, 0);                        /* idtr: limit 0 */
	seg(&g, 0x090, BOOT_GDT_TSS, 0x8b, 0x67, 0);       /* tr */
	FIELD(&g, 0x0cb, 1, 0);                            /* cpl */
	FIELD(&g, 0x148, 8, 0x40);                         /* cr4 = host MCE */
	FIELD(&g, 0x150, 8, 0);                            /* cr3 */
	FIELD(&g, 0x158, 8, 0x11);                         /* cr0 = PE|ET */
	FIELD(&g, 0x170, 8, 0x2);                          /* rflags */
	FIELD(&g, 0x178, 8, 0x1000e0);                     /* rip = entry */
	FIELD(&g, 0x318, 8, 0x6000);                       /* rbx = start_info */
	FIELD(&g, 0x310, 8, 0);                            /* rdx: set explicitly, not 0x600 */
	FIELD(&g, 0x3b0, 8, 0);                            /* sev_features */
	check_common_fixed(&g, 1);
	rest_is_zero(&g);
}

/* An AP-like state: 32-bit protected mode at a stub, EBX = AP area, ESI = vCPU index. */
static void ap_state(struct cpu_state *s)
{
	cpu_state_pvh_bsp(s, 0x90000, 0, 0x90800);
	s->regs.rip = 0x90040;
	s->regs.rbx = 0x90000;
	s->regs.rsi = 3;
	s->regs.rsp = 0x91ff0;
	s->sregs.gdt.limit = 0x2f;
}

static void test_ap_state_legacy(void **st)
{
	struct golden g;
	struct cpu_state s;
	struct vmsa_options o;
	vmsa_options_default(&o);
	o.init = SEV_INIT_LEGACY;
	o.sev_features = 0x20; /* DebugSwap, as 6.6-6.9 legacy kernels with debug_swap=1 */
	ap_state(&s);
	build(&g, &s, &o);

	seg(&g, 0x000, BOOT_GDT_DS, 0xc93, 0xffffffff, 0);
	seg(&g, 0x010, BOOT_GDT_CS, 0xc9b, 0xffffffff, 0);
	seg(&g, 0x020, BOOT_GDT_DS, 0xc93, 0xffffffff, 0);
	seg(&g, 0x030, BOOT_GDT_DS, 0xc93, 0xffffffff, 0);
	seg(&g, 0x040, BOOT_GDT_DS, 0xc93, 0xffffffff, 0);
	seg(&g, 0x050, BOOT_GDT_DS, 0xc93, 0xffffffff, 0);
	seg(&g, 0x060, 0, 0, 0x2f, 0x90800);
	seg(&g, 0x070, 0, 0x82, 0xffff, 0);
	seg(&g, 0x080, 0, 0, 0, 0);
	seg(&g, 0x090, BOOT_GDT_TSS, 0x8b, 0x67, 0);
	FIELD(&g, 0x148, 8, 0x40);
	FIELD(&g, 0x158, 8, 0x11);
	FIELD(&g, 0x170, 8, 0x2);
	FIELD(&g, 0x178, 8, 0x90040);
	FIELD(&g, 0x1d8, 8, 0x91ff0); /* rsp sits in the first half */
	FIELD(&g, 0x318, 8, 0x90000); /* rbx */
	FIELD(&g, 0x330, 8, 3);       /* rsi */
	FIELD(&g, 0x3b0, 8, 0x20);    /* sev_features */
	check_common_fixed(&g, 0);    /* legacy: FPU area all zero */
	rest_is_zero(&g);
}

/* CR0 CD/NW cleared, CPL from SS.DPL, long-mode EFER kept, MCE optional, 64-bit code attrib. */
static void test_transformations(void **st)
{
	struct golden g;
	struct cpu_state s;
	struct vmsa_options o;
	vmsa_options_default(&o);
	o.host_cr4_mce = false;
	cpu_state_pvh_bsp(&s, 0x1000, 0x6000, 0x500);
	s.sregs.cr0 = 0x60000011;
	s.sregs.cr4 = 0x20;
	s.sregs.efer = 0x500;
	s.sregs.cs.l = 1;
	s.sregs.cs.db = 0;
	s.sregs.ss.dpl = 3;
	s.regs.rax = 0x1111;
	s.regs.rcx = 0x2222;
	s.regs.rdi = 0x3333;
	s.regs.r15 = 0x4444;
	build(&g, &s, &o);
	assert_int_equal(rd(g.page + 0x158, 8), 0x11);
	assert_int_equal(rd(g.page + 0x148, 8), 0x20);
	assert_int_equal(rd(g.page + 0x0d0, 8), 0x1500);
	assert_int_equal(rd(g.page + 0x012, 2), 0xa9b);
	assert_int_equal(rd(g.page + 0x022, 2), 0xcf3);
	assert_int_equal(g.page[0x0cb], 3);
	assert_int_equal(rd(g.page + 0x1f8, 8), 0x1111);
	assert_int_equal(rd(g.page + 0x308, 8), 0x2222);
	assert_int_equal(rd(g.page + 0x338, 8), 0x3333);
	assert_int_equal(rd(g.page + 0x378, 8), 0x4444);
}

static void test_refusals(void **st)
{
	uint8_t page[VMSA_PAGE_SIZE];
	char err[128] = "";
	struct cpu_state s;
	struct vmsa_options o;
	vmsa_options_default(&o);
	cpu_state_pvh_bsp(&s, 0x1000, 0x6000, 0x500);
	s.dr7 = 0x401;
	assert_int_equal(vmsa_build(&s, &o, page, err, sizeof(err)), -EINVAL);
	assert_non_null(strstr(err, "DR7"));
	s.dr7 = 0x400;
	s.sregs.ldt.unusable = 1;
	assert_int_equal(vmsa_build(&s, &o, page, err, sizeof(err)), -EINVAL);
	assert_non_null(strstr(err, "ldt"));
	s.sregs.ldt.unusable = 0;
	s.sregs.cr2 = 0x1000;
	assert_int_equal(vmsa_build(&s, &o, page, err, sizeof(err)), -EINVAL);
	assert_non_null(strstr(err, "CR2 is 0x1000"));
}

/*
 * Cross-check with an independent tool: virtee/sev-snp-measure's EPYC-v4 BSP reset VMSA
 * (reference/sev-es.md 4.4) has SHA-256 8295cef5...788c. Build the same QEMU reset state.
 */
static void test_matches_ssm_reset_vmsa(void **st)
{
	static const uint8_t want[32] = {0x82, 0x95, 0xce, 0xf5, 0x59, 0xb5, 0x71, 0x30,
	                                 0x39, 0x1d, 0x59, 0x60, 0x58, 0x90, 0xef, 0x93,
	                                 0x29, 0x77, 0x20, 0xb4, 0x8b, 0xef, 0x9a, 0x8c,
	                                 0x3c, 0x98, 0x5b, 0x9c, 0x3f, 0xb0, 0x78, 0x8c};
	struct cpu_state s;
	epyc_reset_state(&s, 0x60000010); /* CD|NW: the builder clears them */
	struct vmsa_options o;
	vmsa_options_default(&o);
	uint8_t page[VMSA_PAGE_SIZE], md[32];
	unsigned int mdlen = 0;
	assert_int_equal(vmsa_build(&s, &o, page, NULL, 0), 0);
	assert_int_equal(EVP_Digest(page, sizeof(page), md, &mdlen, EVP_sha256(), NULL), 1);
	assert_memory_equal(md, want, 32);
}

static void test_init_path_names(void **st)
{
	enum sev_init_path p;
	assert_int_equal(sev_init_path_parse("legacy", &p), 0);
	assert_int_equal(p, SEV_INIT_LEGACY);
	assert_int_equal(sev_init_path_parse("init2", &p), 0);
	assert_int_equal(p, SEV_INIT_INIT2);
	assert_int_equal(sev_init_path_parse("INIT2x", &p), -EINVAL);
	assert_string_equal(sev_init_path_name(SEV_INIT_LEGACY), "legacy");
	assert_int_equal(sev_init_ghcb_version(SEV_INIT_LEGACY), 1);
	assert_int_equal(sev_init_ghcb_version(SEV_INIT_INIT2), 2);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_pvh_bsp),
	    cmocka_unit_test(test_ap_state_legacy),
	    cmocka_unit_test(test_transformations),
	    cmocka_unit_test(test_refusals),
	    cmocka_unit_test(test_matches_ssm_reset_vmsa),
	    cmocka_unit_test(test_init_path_names),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
