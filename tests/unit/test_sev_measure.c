// SPDX-License-Identifier: MIT
/* `pvh-sev measure` library: prediction, output formats, dumps, expected values, exit codes. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "sev/encode.h"
#include "sev/measure.h"

struct input {
	struct region_list regions;
	struct cpu_state vcpus[2];
};

static void input_init(struct input *in)
{
	static const uint8_t gdt[32] = {1}, si[56] = {2}, kern[300] = {3, 4, 5};
	region_list_init(&in->regions);
	assert_int_equal(region_add(&in->regions, "boot-gdt", REGION_BOOT, 0, 0x500, 32, gdt, 32),
	                 0);
	assert_int_equal(region_add(&in->regions, "start_info", REGION_BOOT, 0, 0x6000, 56, si, 56),
	                 0);
	assert_int_equal(region_add(&in->regions, "kernel", REGION_KERNEL, 0, 0x100000, 0x1000,
	                            kern, sizeof(kern)),
	                 0);
	cpu_state_pvh_bsp(&in->vcpus[0], 0x100000, 0x6000, 0x500);
	cpu_state_pvh_bsp(&in->vcpus[1], 0x90040, 0x90000, 0x90800);
}

static void opts_with_keys(struct sev_measure_options *o)
{
	sev_measure_options_default(o);
	o->mem_size = 16ull << 20;
	o->have_tik = o->have_mnonce = true;
	assert_int_equal(sev_unhex("000102030405060708090a0b0c0d0e0f", o->tik, 16), 0);
	assert_int_equal(sev_unhex("101112131415161718191a1b1c1d1e1f", o->mnonce, 16), 0);
}

static void test_prediction(void **st)
{
	struct input in;
	struct sev_measure_options o;
	struct sev_measure_result r, r2;
	char err[256] = "";
	uint8_t want[32];
	input_init(&in);
	opts_with_keys(&o);
	assert_int_equal(sev_measure_compute(&o, &in.regions, in.vcpus, 2, &r, err, sizeof(err)),
	                 0);
	assert_true(r.have_measure);
	assert_int_equal(r.launch.nblobs, 5);
	/* MEASURE follows from LD by the published formula. */
	assert_int_equal(sev_measure_hmac(o.tik, 1, 55, 21, 0x5, r.launch.ld, o.mnonce, want), 0);
	assert_memory_equal(r.measure, want, 32);
	assert_memory_equal(r.mnonce, o.mnonce, 16);
	/* RAM size does not enter LD; without a TIK there is no MEASURE to report. */
	o.mem_size = 64ull << 20;
	o.have_tik = false;
	assert_int_equal(sev_measure_compute(&o, &in.regions, in.vcpus, 2, &r2, err, sizeof(err)),
	                 0);
	assert_memory_equal(r2.launch.ld, r.launch.ld, 32);
	assert_false(r2.have_measure);
	sev_measure_result_free(&r);
	sev_measure_result_free(&r2);
	region_list_free(&in.regions);
}

static char *print_to_string(const struct sev_measure_options *o,
                             const struct sev_measure_result *r)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	assert_non_null(f);
	assert_int_equal(sev_measure_print(o, r, f), 0);
	fclose(f);
	return buf;
}

static void test_output_formats(void **st)
{
	struct input in;
	struct sev_measure_options o;
	struct sev_measure_result r;
	char err[256], hex[65], b64[64], line[128];
	input_init(&in);
	opts_with_keys(&o);
	assert_int_equal(sev_measure_compute(&o, &in.regions, in.vcpus, 2, &r, err, sizeof(err)),
	                 0);
	sev_hex(r.launch.ld, 32, hex);
	sev_base64(r.launch.ld, 32, b64);

	char *text = print_to_string(&o, &r);
	snprintf(line, sizeof(line), "ld: %s\n", hex);
	assert_non_null(strstr(text, line));
	assert_non_null(strstr(text, "measure: "));
	assert_null(strstr(text, "vmsa-vcpu1")); /* no --explain */
	free(text);

	o.format = SEV_MEASURE_BASE64;
	o.explain = true;
	text = print_to_string(&o, &r);
	snprintf(line, sizeof(line), "ld: %s\n", b64);
	assert_non_null(strstr(text, line));
	assert_non_null(strstr(text, "start_info"));
	assert_non_null(strstr(text, "vmsa-vcpu1"));
	free(text);

	o.format = SEV_MEASURE_HEX;
	o.json = true;
	text = print_to_string(&o, &r);
	json_error_t je;
	json_t *j = json_loads(text, 0, &je);
	assert_non_null(j);
	assert_string_equal(json_string_value(json_object_get(j, "ld")), hex);
	assert_string_equal(json_string_value(json_object_get(j, "sev_init")), "init2");
	assert_string_equal(json_string_value(json_object_get(j, "api")), "1.55");
	assert_int_equal(json_array_size(json_object_get(j, "blobs")), 5);
	assert_non_null(json_object_get(j, "measure"));
	json_decref(j);
	free(text);

	json_t *lj = sev_launch_result_json(&r.launch, SEV_MEASURE_HEX);
	assert_non_null(lj);
	assert_string_equal(json_string_value(json_object_get(lj, "backend")), "model");
	assert_string_equal(json_string_value(json_object_get(lj, "api")), "1.55");
	assert_int_equal(json_integer_value(json_object_get(lj, "policy")), 5);
	assert_int_equal(json_integer_value(json_object_get(lj, "vcpus")), 2);
	assert_non_null(json_object_get(json_object_get(lj, "step_ms"), "update_vmsa"));
	json_decref(lj);
	sev_measure_result_free(&r);
	region_list_free(&in.regions);
}

static void test_expected_values(void **st)
{
	struct input in;
	struct sev_measure_options o;
	struct sev_measure_result r;
	char err[256], ld[65], meas[65];
	input_init(&in);
	opts_with_keys(&o);
	assert_int_equal(sev_measure_compute(&o, &in.regions, in.vcpus, 2, &r, err, sizeof(err)),
	                 0);
	sev_hex(r.launch.ld, 32, ld);
	sev_hex(r.measure, 32, meas);
	assert_int_equal(sev_measure_check_expected(&r, ld, meas, err, sizeof(err)), 0);
	ld[10] = ld[10] == '0' ? '1' : '0';
	int rc = sev_measure_check_expected(&r, ld, NULL, err, sizeof(err));
	assert_int_equal(rc, -EBADMSG);
	assert_int_equal(sev_measure_exit_code(rc), SEV_MEASURE_EXIT_MISMATCH);
	assert_non_null(strstr(err, "LD mismatch"));
	assert_int_equal(sev_measure_check_expected(&r, "12zz", NULL, err, sizeof(err)), -EINVAL);
	r.have_measure = false;
	assert_int_equal(sev_measure_check_expected(&r, NULL, meas, err, sizeof(err)), -EINVAL);
	sev_measure_result_free(&r);
	region_list_free(&in.regions);
}

static void test_dump_vmsa(void **st)
{
	struct input in;
	struct sev_measure_options o;
	struct sev_measure_result r;
	char dir[] = "/tmp/test_sev_measure.XXXXXX", err[256], path[300];
	uint8_t want[VMSA_PAGE_SIZE], got[VMSA_PAGE_SIZE + 1];
	assert_non_null(mkdtemp(dir));
	input_init(&in);
	opts_with_keys(&o);
	o.dump_vmsa_dir = dir;
	assert_int_equal(sev_measure_compute(&o, &in.regions, in.vcpus, 2, &r, err, sizeof(err)),
	                 0);
	for (size_t i = 0; i < 2; i++) {
		snprintf(path, sizeof(path), "%s/vmsa-vcpu%zu.bin", dir, i);
		FILE *f = fopen(path, "rb");
		assert_non_null(f);
		assert_int_equal(fread(got, 1, sizeof(got), f), VMSA_PAGE_SIZE);
		fclose(f);
		assert_int_equal(vmsa_build(&in.vcpus[i], &o.vmsa, want, NULL, 0), 0);
		assert_memory_equal(got, want, VMSA_PAGE_SIZE);
		/* The dumped page is the blob that was measured. */
		assert_memory_equal(r.launch.blobs[3 + i].name, i ? "vmsa-vcpu1" : "vmsa-vcpu0",
		                    11);
		unlink(path);
	}
	rmdir(dir);
	sev_measure_result_free(&r);
	region_list_free(&in.regions);
}

static void test_exit_codes(void **st)
{
	struct input in;
	struct sev_measure_options o;
	struct sev_measure_result r;
	char err[256];
	input_init(&in);
	opts_with_keys(&o);
	o.policy = 0x1; /* no ES */
	int rc = sev_measure_compute(&o, &in.regions, in.vcpus, 2, &r, err, sizeof(err));
	assert_int_equal(sev_measure_exit_code(rc), SEV_MEASURE_EXIT_INPUT);
	assert_non_null(strstr(err, "POLICY_FAILURE"));
	sev_measure_result_free(&r);
	o.policy = 0x5;
	o.dump_launch_dir = "/nonexistent-dir/launch";
	rc = sev_measure_compute(&o, &in.regions, in.vcpus, 2, &r, err, sizeof(err));
	assert_int_equal(sev_measure_exit_code(rc), SEV_MEASURE_EXIT_IO);
	sev_measure_result_free(&r);
	o.dump_launch_dir = NULL;
	assert_int_equal(region_add(&in.regions, "far", REGION_BOOT, 0, 0x40000000, 16, NULL, 0),
	                 0);
	rc = sev_measure_compute(&o, &in.regions, in.vcpus, 2, &r, err, sizeof(err));
	assert_int_equal(sev_measure_exit_code(rc), SEV_MEASURE_EXIT_INPUT);
	sev_measure_result_free(&r);
	assert_int_equal(sev_measure_exit_code(-ENOMEM), SEV_MEASURE_EXIT_INTERNAL);
	region_list_free(&in.regions);
}

static void test_parse_api(void **st)
{
	uint8_t maj, min;
	assert_int_equal(sev_parse_api_version("1.55", &maj, &min), 0);
	assert_int_equal(maj, 1);
	assert_int_equal(min, 55);
	assert_int_equal(sev_parse_api_version("0.18", &maj, &min), 0);
	assert_int_equal(min, 18);
	assert_int_equal(sev_parse_api_version("1.256", &maj, &min), -EINVAL);
	assert_int_equal(sev_parse_api_version("1", &maj, &min), -EINVAL);
	assert_int_equal(sev_parse_api_version("1.2x", &maj, &min), -EINVAL);
	assert_int_equal(sev_parse_api_version("-1.2", &maj, &min), -EINVAL);
	uint8_t b[2];
	assert_int_equal(sev_unhex("0xA0ff", b, 2), 0);
	assert_int_equal(b[0], 0xa0);
	assert_int_equal(sev_unhex("a0f", b, 2), -EINVAL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_prediction),      cmocka_unit_test(test_output_formats),
	    cmocka_unit_test(test_expected_values), cmocka_unit_test(test_dump_vmsa),
	    cmocka_unit_test(test_exit_codes),      cmocka_unit_test(test_parse_api),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
