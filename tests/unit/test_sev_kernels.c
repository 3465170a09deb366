// SPDX-License-Identifier: MIT
/*
 * The hardware path on every kernel an EPYC host runs (tests/unit/fake_kvm_sev.c): for each, the
 * probe's decision, the ioctl sequence, the sev_features and FPU bytes of the predicted VMSA and
 * the predicted LD, against expectations written from the kernel history.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "fake_kvm_sev.h"
#include "loader/guest_mem.h"
#include "model_ld.h"
#include "sev/backend_kvm.h"
#include "sev/host_profile.h"
#include "sev/launch.h"

#define MEM (16ull << 20)

struct setup {
	struct region_list regions;
	struct guest_mem mem;
	struct cpu_state vcpus[2];
	uint8_t kernel[0x1800];
};

static void setup_init(struct setup *s)
{
	static const uint8_t si[56] = {2};
	memset(s, 0, sizeof(*s));
	memset(s->kernel, 0x5a, sizeof(s->kernel));
	region_list_init(&s->regions);
	assert_int_equal(region_add(&s->regions, "kernel", REGION_KERNEL, 0, 0x100000, 0x2345,
	                            s->kernel, sizeof(s->kernel)),
	                 0);
	assert_int_equal(region_add(&s->regions, "start_info", REGION_BOOT, 0, 0x6000, 56, si, 56),
	                 0);
	assert_int_equal(guest_mem_map(&s->mem, MEM), 0);
	assert_int_equal(guest_mem_load_regions(&s->mem, &s->regions), 0);
	cpu_state_pvh_bsp(&s->vcpus[0], 0x100000, 0x6000, 0x500);
	cpu_state_pvh_bsp(&s->vcpus[1], 0x90040, 0x90000, 0x90800);
}

static void setup_free(struct setup *s)
{
	guest_mem_unmap(&s->mem);
	region_list_free(&s->regions);
}

static void model_ld(struct setup *s, enum sev_init_path init, uint64_t features, uint8_t ld[32])
{
	struct vmsa_options o;
	vmsa_options_default(&o);
	o.init = init;
	o.sev_features = features;
	model_ld_of(&s->mem, &s->regions, s->vcpus, 2, &o, ld);
}

static void check_probe(const struct fake_kernel *k, struct sev_host_caps *caps)
{
	fake_kvm_use(k);
	assert_int_equal(sev_host_probe(&fake_kvm_sys, caps), 0);
	print_message("  %-16s usable %d init %s ghcb %u: %s\n", k->name, caps->usable,
	              sev_init_path_name(caps->init), caps->ghcb_version,
	              caps->usable ? "-" : caps->missing);
	assert_int_equal(caps->usable, k->usable);
	assert_int_equal(caps->init, k->init2 ? SEV_INIT_INIT2 : SEV_INIT_LEGACY);
	assert_int_equal(caps->ghcb_version, k->init2 ? 2 : 1);
	assert_int_equal(caps->have_vmsa_features, k->init2);
	assert_int_equal(caps->es_asids, 99);
	assert_string_equal(fake_kvm_log(), k->init2 ? "kvm:VM_TYPES kvm:QUIRKS2 kvm:VMSA_FEATURES "
	                                               "sev:PLATFORM_STATUS"
	                                             : "kvm:VM_TYPES kvm:QUIRKS2 sev:PLATFORM_STATUS");
	assert_int_equal(fake_kvm_open_fds(), 0);
	if (!k->usable)
		assert_non_null(strstr(caps->missing, "needs Linux 5.19 or later"));
}

/* The launch on kernel k with init and features; the LD must be the model's for them. */
static void check_launch(const struct fake_kernel *k, enum sev_init_path init, uint64_t features)
{
	struct setup s;
	struct sev_kvm_config kc;
	struct sev_kvm *kvm;
	struct sev_backend b;
	struct sev_launch_config lc;
	struct sev_launch_result res;
	uint8_t page[VMSA_PAGE_SIZE], ld[32];
	char err[256] = "";
	setup_init(&s);
	fake_kvm_use(k);
	sev_kvm_config_default(&kc);
	kc.init = init;
	kc.vmsa_features = features;
	kc.sys = &fake_kvm_sys;
	assert_int_equal(sev_kvm_open(&kvm, &kc, err, sizeof(err)), 0);
	assert_int_equal(sev_kvm_vm_type(kvm), init == SEV_INIT_INIT2 ? 3 : 0);
	assert_int_equal(sev_kvm_init_vm(kvm, FAKE_FD_VM, err, sizeof(err)), 0);
	assert_int_equal(sev_kvm_register_ram(kvm, s.mem.host, s.mem.size, err, sizeof(err)), 0);
	sev_backend_kvm(&b, kvm);
	sev_launch_config_default(&lc);
	assert_int_equal(
	    sev_launch_run(&b, &lc, &s.mem, &s.regions, s.vcpus, 2, &res, err, sizeof(err)), 0);
	assert_string_equal(fake_kvm_log(),
	                    init == SEV_INIT_INIT2
	                        ? "sev:PLATFORM_STATUS vm:INIT2 vm:REG_REGION vm:LAUNCH_START "
	                          "vm:UPDATE_DATA vm:UPDATE_DATA vm:UPDATE_VMSA vm:MEASURE "
	                          "vm:MEASURE vm:FINISH"
	                        : "sev:PLATFORM_STATUS vm:ES_INIT vm:REG_REGION vm:LAUNCH_START "
	                          "vm:UPDATE_DATA vm:UPDATE_DATA vm:UPDATE_VMSA vm:MEASURE "
	                          "vm:MEASURE vm:FINISH");
	/* The predicted VMSA: sev_features at 0x3b0, the FPU control word INIT2 syncs at 0x410. */
	assert_int_equal(vmsa_build(&s.vcpus[0], &b.vmsa, page, err, sizeof(err)), 0);
	uint64_t f;
	uint16_t fcw;
	memcpy(&f, page + 0x3b0, 8);
	memcpy(&fcw, page + 0x410, 2);
	assert_int_equal(f, features);
	assert_int_equal(fcw, init == SEV_INIT_INIT2 ? 0x37f : 0);
	model_ld(&s, init, features, ld);
	assert_memory_equal(res.ld, ld, 32);
	sev_launch_result_free(&res);
	sev_kvm_close(kvm);
	assert_int_equal(fake_kvm_open_fds(), 0);
	setup_free(&s);
}

static uint64_t predicted(const struct sev_host_caps *caps, enum sev_init_path init,
                          uint64_t requested, int *check)
{
	struct sev_host_profile p;
	char err[256] = "";
	sev_host_profile_of(&p, caps, init, requested);
	*check = sev_host_check_features(&p, caps, err, sizeof(err));
	return sev_host_sev_features(&p);
}

static void test_each_kernel(void **st)
{
	for (unsigned i = 0; i < fake_kernel_count; i++) {
		const struct fake_kernel *k = &fake_kernels[i];
		struct sev_host_caps caps;
		int check;
		check_probe(k, &caps);
		if (!k->usable)
			continue;
		/* What --sev es does by default: the probed init path, no features requested. */
		uint64_t f = predicted(&caps, caps.init, 0, &check);
		assert_int_equal(check, 0);
		assert_int_equal(f, k->init2 ? 0 : k->legacy_features);
		check_launch(k, caps.init, f);
		/* The legacy init on every kernel (forced with --sev-init legacy on 6.10+). */
		f = predicted(&caps, SEV_INIT_LEGACY, 0, &check);
		assert_int_equal(f, k->legacy_features);
		if (k->init2)
			check_launch(k, SEV_INIT_LEGACY, f);
		/* Asking the legacy init for what it does not set is refused before any launch;
		 * naming what it does set is fine. */
		predicted(&caps, SEV_INIT_LEGACY, 0x20, &check);
		assert_int_equal(check, k->legacy_features == 0x20 ? 0 : -EINVAL);
		predicted(&caps, SEV_INIT_LEGACY, 0x40, &check);
		assert_int_equal(check, -EINVAL);
	}
}

/* INIT2: exactly the requested features; bits KVM does not list are refused up front. */
static void test_init2_features(void **st)
{
	for (unsigned i = 0; i < fake_kernel_count; i++) {
		const struct fake_kernel *k = &fake_kernels[i];
		struct sev_host_caps caps;
		int check;
		if (!k->init2)
			continue;
		check_probe(k, &caps);
		assert_int_equal(caps.vmsa_features, (uint64_t)k->vmsa_attr);
		if (k->vmsa_attr & SEV_FEAT_DEBUG_SWAP) {
			assert_int_equal(predicted(&caps, SEV_INIT_INIT2, 0x20, &check), 0x20);
			assert_int_equal(check, 0);
			check_launch(k, SEV_INIT_INIT2, 0x20);
		} else {
			predicted(&caps, SEV_INIT_INIT2, 0x20, &check);
			assert_int_equal(check, -EINVAL);
		}
		predicted(&caps, SEV_INIT_INIT2, 0x40, &check);
		assert_int_equal(check, -EINVAL);
	}
}

/* measure --host-kernel/--host-debug-swap: the same answers without a probe. */
static void test_profile_from_options(void **st)
{
	struct sev_host_profile p = {SEV_INIT_LEGACY, 6, 6, SEV_PARAM_Y, 0, "options"};
	assert_int_equal(sev_host_sev_features(&p), 0x20);
	p.kernel_minor = 10;
	assert_int_equal(sev_host_sev_features(&p), 0);
	p = (struct sev_host_profile){SEV_INIT_LEGACY, 6, 8, SEV_PARAM_N, 0x20, "options"};
	assert_int_equal(sev_host_sev_features(&p), 0);
	p = (struct sev_host_profile){SEV_INIT_LEGACY, 0, 0, SEV_PARAM_ABSENT, 0x20, "options"};
	assert_int_equal(sev_host_sev_features(&p), 0x20); /* unknown host: as requested */
	p = (struct sev_host_profile){SEV_INIT_INIT2, 6, 1, SEV_PARAM_Y, 0x0, "options"};
	assert_int_equal(sev_host_sev_features(&p), 0);
	json_t *j = sev_host_profile_json(&p, &(struct vmsa_options){.host_cr4_mce = true});
	assert_non_null(j);
	assert_string_equal(json_string_value(json_object_get(j, "kernel")), "6.1");
	assert_string_equal(json_string_value(json_object_get(j, "debug_swap")), "Y");
	json_decref(j);
}

static void test_kernel_version_parse(void **st)
{
	unsigned a, b;
	assert_int_equal(sev_kernel_version_parse("6.8.0-45-generic", &a, &b), 0);
	assert_int_equal(a, 6);
	assert_int_equal(b, 8);
	assert_int_equal(sev_kernel_version_parse("5.19", &a, &b), 0);
	assert_int_equal(b, 19);
	assert_int_equal(sev_kernel_version_parse("linux", &a, &b), -EINVAL);
	assert_int_equal(a, 0);
	assert_int_equal(sev_kernel_version_parse("", &a, &b), -EINVAL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_each_kernel),
	    cmocka_unit_test(test_init2_features),
	    cmocka_unit_test(test_profile_from_options),
	    cmocka_unit_test(test_kernel_version_parse),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
