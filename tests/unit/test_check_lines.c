// SPDX-License-Identifier: MIT
/* pvh-sev check's lines for the fake kernels: the verdict and the line that explains it. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "fake_kvm_sev.h"
#include "vmm/check_cmd.h"

static const struct check_line *line(const struct check_list *l, const char *name)
{
	for (size_t i = 0; i < l->n; i++)
		if (!strcmp(l->v[i].name, name))
			return &l->v[i];
	fail_msg("no line %s", name);
	return NULL;
}

static void lines_for(const char *kernel, struct check_list *l, struct sev_host_caps *caps)
{
	for (unsigned i = 0; i < fake_kernel_count; i++)
		if (!strcmp(fake_kernels[i].name, kernel))
			fake_kvm_use(&fake_kernels[i]);
	sev_host_probe(&fake_kvm_sys, caps);
	check_build(l, caps);
	for (size_t i = 0; i < l->n; i++)
		if (l->v[i].status == CHECK_FAIL)
			assert_true(l->v[i].todo[0] != '\0'); /* every failure says what to do */
}

static void test_too_old(void **st)
{
	struct check_list l;
	struct sev_host_caps caps;
	lines_for("5.15", &l, &caps);
	assert_int_equal(line(&l, "kernel")->status, CHECK_FAIL);
	assert_int_equal(line(&l, "kvm-quirks")->status, CHECK_FAIL);
	assert_int_equal(line(&l, "sev-auto")->status, CHECK_FAIL);
	assert_non_null(strstr(line(&l, "sev-auto")->reason, "emulated"));
}

static void test_ubuntu_24_04(void **st)
{
	struct check_list l;
	struct sev_host_caps caps;
	lines_for("6.8/6.9", &l, &caps);
	assert_int_equal(line(&l, "vm-types")->status, CHECK_PASS);
	assert_non_null(strstr(line(&l, "vm-types")->reason, "legacy KVM_SEV_ES_INIT"));
	assert_int_equal(line(&l, "vmsa-features")->status, CHECK_SKIP);
	assert_non_null(strstr(line(&l, "ghcb-version")->reason, "version 1"));
	assert_int_equal(line(&l, "sev-auto")->status, CHECK_PASS);
	assert_non_null(strstr(line(&l, "sev-platform")->reason, "SEV API 1.55 build 21"));
	assert_non_null(strstr(line(&l, "sev-es-asids")->reason, "99 SEV-ES ASIDs"));
}

static void test_debug_swap_host(void **st)
{
	struct check_list l;
	struct sev_host_caps caps;
	lines_for("6.5-6.7", &l, &caps);
	const struct check_line *c = line(&l, "param-debug-swap");
	assert_non_null(strstr(c->reason, "sev_features 0x20"));
	assert_non_null(strstr(c->todo, "--host-kernel 6.6 --host-debug-swap y"));
}

static void test_init2_host(void **st)
{
	struct check_list l;
	struct sev_host_caps caps;
	lines_for("6.18", &l, &caps);
	assert_int_equal(line(&l, "param-debug-swap")->status, CHECK_SKIP);
	assert_non_null(strstr(line(&l, "vm-types")->reason, "KVM_SEV_INIT2"));
	assert_non_null(strstr(line(&l, "vmsa-features")->reason, "0x20"));
	assert_non_null(strstr(line(&l, "ghcb-version")->reason, "version 2"));
	json_t *j = check_json(&l, &caps);
	assert_true(json_is_true(json_object_get(j, "usable")));
	assert_string_equal(json_string_value(json_object_get(j, "sev_auto")), "es");
	json_decref(j);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_too_old),
	    cmocka_unit_test(test_ubuntu_24_04),
	    cmocka_unit_test(test_debug_swap_host),
	    cmocka_unit_test(test_init2_host),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
