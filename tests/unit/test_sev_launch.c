// SPDX-License-Identifier: MIT
/* The launch sequence over the model backend: order, page merging, LD sensitivity, dumps. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>
#include <openssl/evp.h>

#include "loader/guest_mem.h"
#include "sev/launch.h"

#define MEM (16ull << 20)

struct fixture {
	struct region_list regions;
	struct cpu_state vcpus[4];
	size_t nvcpus;
	uint32_t policy;
	struct vmsa_options vmsa;
	uint8_t kernel[0x1800];
};

static void add(struct region_list *l, const char *name, gpa_t gpa, uint64_t size, const void *data,
                uint64_t len)
{
	assert_int_equal(region_add(l, name, REGION_BOOT, 0, gpa, size, data, len), 0);
}

/* Regions in a scrambled insertion order; start_info and modlist share a page. */
static void fixture_init(struct fixture *f, int reverse)
{
	static const uint8_t gdt[32] = {1, 2, 3}, si[56] = {0x78, 0xc5, 0x6e, 0x33}, ml[32] = {9};
	static const uint8_t mm[48] = {5, 5}, cl[] = "console=ttyS0";
	memset(f, 0, sizeof(*f));
	for (size_t i = 0; i < sizeof(f->kernel); i++)
		f->kernel[i] = (uint8_t)(i * 7 + 1);
	region_list_init(&f->regions);
	struct region_list *l = &f->regions;
	if (reverse) {
		add(l, "kernel-seg0", 0x100000, 0x2345, f->kernel, sizeof(f->kernel));
		add(l, "cmdline", 0x20000, sizeof(cl), cl, sizeof(cl));
		add(l, "modlist", 0x6040, 32, ml, 32);
		add(l, "initrd", 0x300000, 0, NULL, 0);
		add(l, "memmap", 0x7000, 48, mm, 48);
		add(l, "start_info", 0x6000, 56, si, 56);
		add(l, "boot-gdt", 0x500, 32, gdt, 32);
	} else {
		add(l, "boot-gdt", 0x500, 32, gdt, 32);
		add(l, "start_info", 0x6000, 56, si, 56);
		add(l, "modlist", 0x6040, 32, ml, 32);
		add(l, "memmap", 0x7000, 48, mm, 48);
		add(l, "cmdline", 0x20000, sizeof(cl), cl, sizeof(cl));
		add(l, "initrd", 0x300000, 0, NULL, 0);
		add(l, "kernel-seg0", 0x100000, 0x2345, f->kernel, sizeof(f->kernel));
	}
	f->nvcpus = 2;
	cpu_state_pvh_bsp(&f->vcpus[0], 0x100000, 0x6000, 0x500);
	for (size_t i = 1; i < 4; i++) {
		cpu_state_pvh_bsp(&f->vcpus[i], 0x90040, 0x90000, 0x90800);
		f->vcpus[i].regs.rsi = i;
	}
	f->policy = SEV_POLICY_DEFAULT;
	vmsa_options_default(&f->vmsa);
}

static struct sev_model *fixed_model(void)
{
	struct sev_model_config c;
	struct sev_model *m = NULL;
	sev_model_config_default(&c);
	c.have_tik = c.have_mnonce = true;
	memset(c.tik, 0x11, sizeof(c.tik));
	memset(c.mnonce, 0x22, sizeof(c.mnonce));
	assert_int_equal(sev_model_new(&m, &c), 0);
	return m;
}

/* Runs a whole model launch; pokes (gpa, byte) into RAM after loading when poke_gpa != 0. */
static int run(struct fixture *f, struct sev_launch_result *res, const char *dump, gpa_t poke,
               char *err)
{
	struct guest_mem mem;
	struct sev_backend b;
	struct sev_launch_config c;
	struct sev_model *m = fixed_model();
	assert_int_equal(guest_mem_map(&mem, MEM), 0);
	assert_int_equal(guest_mem_load_regions(&mem, &f->regions), 0);
	if (poke)
		*(uint8_t *)guest_mem_ptr(&mem, poke, 1) ^= 0x80;
	sev_backend_model(&b, m, &f->vmsa);
	sev_launch_config_default(&c);
	c.policy = f->policy;
	c.dump_dir = dump;
	assert_int_equal(sev_backend_vcpu_state_writable(&b), 0);
	int r = sev_launch_run(&b, &c, &mem, &f->regions, f->vcpus, f->nvcpus, res, err, 256);
	if (!r) {
		assert_int_equal(sev_backend_vcpu_state_writable(&b), -EINVAL);
		assert_int_equal(sev_model_state(m), SEV_GSTATE_RUNNING);
	}
	sev_model_free(m);
	guest_mem_unmap(&mem);
	return r;
}

static void run_ok(struct fixture *f, struct sev_launch_result *res, uint8_t ld[32],
                   uint8_t meas[32])
{
	char err[256] = "";
	int r = run(f, res, NULL, 0, err);
	if (r)
		print_error("launch failed: %s\n", err);
	assert_int_equal(r, 0);
	memcpy(ld, res->ld, 32);
	memcpy(meas, res->measure, 32);
	sev_launch_result_free(res);
}

static void test_order_and_merging(void **st)
{
	struct fixture f;
	struct sev_launch_result res;
	char err[256];
	fixture_init(&f, 1);
	assert_int_equal(run(&f, &res, NULL, 0, err), 0);
	static const struct {
		gpa_t gpa;
		uint64_t size;
		const char *name;
	} want[] = {
	    {0x0, 0x1000, "boot-gdt"},         {0x6000, 0x1000, "start_info+modlist"},
	    {0x7000, 0x1000, "memmap"},        {0x20000, 0x1000, "cmdline"},
	    {0x100000, 0x3000, "kernel-seg0"}, {0, 4096, "vmsa-vcpu0"},
	    {0, 4096, "vmsa-vcpu1"},
	};
	assert_int_equal(res.nblobs, 7);
	for (size_t i = 0; i < 7; i++) {
		assert_int_equal(res.blobs[i].gpa, want[i].gpa);
		assert_int_equal(res.blobs[i].size, want[i].size);
		assert_string_equal(res.blobs[i].name, want[i].name);
		assert_int_equal(res.blobs[i].vcpu, i < 5 ? -1 : (int)i - 5);
	}
	assert_int_equal(res.measured_bytes, 0x7000 + 2 * 4096);
	assert_true(res.have_ld && res.have_measure);
	for (int s = 0; s < SEV_STEP_COUNT; s++)
		assert_int_equal(res.step_ran[s], s != SEV_STEP_SECRET);
	sev_launch_result_free(&res);
	region_list_free(&f.regions);
}

/* LD is SHA-256 over the page runs read back from RAM, then the VMSA pages. */
static void test_ld_is_one_stream(void **st)
{
	struct fixture f;
	struct sev_launch_result res;
	uint8_t ld[32], meas[32], want[32], page[VMSA_PAGE_SIZE];
	struct guest_mem mem;
	fixture_init(&f, 0);
	run_ok(&f, &res, ld, meas);
	assert_int_equal(guest_mem_map(&mem, MEM), 0);
	assert_int_equal(guest_mem_load_regions(&mem, &f.regions), 0);
	EVP_MD_CTX *h = EVP_MD_CTX_new();
	EVP_DigestInit_ex(h, EVP_sha256(), NULL);
	const gpa_t pages[][2] = {{0, 1}, {0x6000, 1}, {0x7000, 1}, {0x20000, 1}, {0x100000, 3}};
	for (size_t i = 0; i < 5; i++)
		EVP_DigestUpdate(h, guest_mem_ptr(&mem, pages[i][0], pages[i][1] * 4096),
		                 pages[i][1] * 4096);
	for (size_t i = 0; i < 2; i++) {
		assert_int_equal(vmsa_build(&f.vcpus[i], &f.vmsa, page, NULL, 0), 0);
		EVP_DigestUpdate(h, page, sizeof(page));
	}
	EVP_DigestFinal_ex(h, want, NULL);
	EVP_MD_CTX_free(h);
	assert_memory_equal(ld, want, 32);
	guest_mem_unmap(&mem);
	region_list_free(&f.regions);
}

/* LD changes iff a measured input changes; the policy only reaches MEASURE. */
static void test_ld_sensitivity(void **st)
{
	struct fixture f;
	struct sev_launch_result res;
	uint8_t ld0[32], m0[32], ld[32], m[32];
	char err[256];
	fixture_init(&f, 0);
	run_ok(&f, &res, ld0, m0);

	region_list_free(&f.regions);
	fixture_init(&f, 1); /* insertion order does not matter */
	run_ok(&f, &res, ld, m);
	assert_memory_equal(ld, ld0, 32);
	assert_memory_equal(m, m0, 32);

	assert_int_equal(run(&f, &res, NULL, 0x100123, err), 0); /* a kernel byte */
	assert_memory_not_equal(res.ld, ld0, 32);
	sev_launch_result_free(&res);
	assert_int_equal(run(&f, &res, NULL, 0x6ff0, err), 0); /* zero tail of a measured page */
	assert_memory_not_equal(res.ld, ld0, 32);
	sev_launch_result_free(&res);
	assert_int_equal(run(&f, &res, NULL, 0x400000, err), 0); /* unmeasured RAM */
	assert_memory_equal(res.ld, ld0, 32);
	sev_launch_result_free(&res);

	f.policy = 0x7;
	run_ok(&f, &res, ld, m);
	assert_memory_equal(ld, ld0, 32);
	assert_memory_not_equal(m, m0, 32);
	f.policy = SEV_POLICY_DEFAULT;

	f.nvcpus = 3;
	run_ok(&f, &res, ld, m);
	assert_memory_not_equal(ld, ld0, 32);
	f.nvcpus = 2;

	f.vcpus[1].regs.rsi = 7;
	run_ok(&f, &res, ld, m);
	assert_memory_not_equal(ld, ld0, 32);
	f.vcpus[1].regs.rsi = 1;

	f.vmsa.init = SEV_INIT_LEGACY;
	run_ok(&f, &res, ld, m);
	assert_memory_not_equal(ld, ld0, 32);
	f.vmsa.init = SEV_INIT_INIT2;

	run_ok(&f, &res, ld, m); /* back to the start: same again */
	assert_memory_equal(ld, ld0, 32);
	region_list_free(&f.regions);
}

static void test_dump_matches_ld(void **st)
{
	struct fixture f;
	struct sev_launch_result res;
	char dir[] = "/tmp/test_sev_launch.XXXXXX", err[256], line[512], path[600];
	assert_non_null(mkdtemp(dir));
	fixture_init(&f, 0);
	assert_int_equal(run(&f, &res, dir, 0, err), 0);

	snprintf(path, sizeof(path), "%s/index", dir);
	FILE *idx = fopen(path, "r");
	assert_non_null(idx);
	EVP_MD_CTX *h = EVP_MD_CTX_new();
	EVP_DigestInit_ex(h, EVP_sha256(), NULL);
	size_t files = 0;
	int saw_ld = 0;
	while (fgets(line, sizeof(line), idx)) {
		char file[200], name[100], sha[80];
		unsigned long long gpa, size;
		unsigned n;
		if (line[0] == '#') {
			saw_ld |= !strncmp(line, "# ld ", 5);
			continue;
		}
		assert_int_equal(
		    sscanf(line, "%u %llx %llx %79s %199s %99s", &n, &gpa, &size, sha, file, name),
		    6);
		assert_int_equal(n, files);
		assert_string_equal(name, res.blobs[files].name);
		snprintf(path, sizeof(path), "%s/%s", dir, file);
		FILE *b = fopen(path, "rb");
		assert_non_null(b);
		uint8_t buf[4096];
		size_t got, total = 0;
		while ((got = fread(buf, 1, sizeof(buf), b)) > 0) {
			EVP_DigestUpdate(h, buf, got);
			total += got;
		}
		fclose(b);
		assert_int_equal(total, size);
		unlink(path);
		files++;
	}
	fclose(idx);
	uint8_t ld[32];
	EVP_DigestFinal_ex(h, ld, NULL);
	EVP_MD_CTX_free(h);
	assert_int_equal(files, res.nblobs);
	assert_true(saw_ld);
	assert_memory_equal(ld, res.ld, 32);
	snprintf(path, sizeof(path), "%s/index", dir);
	unlink(path);
	rmdir(dir);
	sev_launch_result_free(&res);
	region_list_free(&f.regions);
}

static void test_none_backend_does_nothing(void **st)
{
	struct fixture f;
	struct sev_backend b;
	struct sev_launch_config c;
	struct sev_launch_result res;
	struct guest_mem mem = {0}; /* never touched */
	fixture_init(&f, 0);
	sev_backend_none(&b);
	sev_launch_config_default(&c);
	assert_int_equal(sev_launch_run(&b, &c, &mem, &f.regions, f.vcpus, 2, &res, NULL, 0), 0);
	assert_string_equal(res.backend, "none");
	assert_int_equal(res.nblobs, 0);
	assert_false(res.have_ld || res.have_measure);
	assert_int_equal(sev_backend_vcpu_state_writable(&b), 0);
	sev_launch_result_free(&res);
	region_list_free(&f.regions);
}

static void test_errors_name_the_step(void **st)
{
	struct fixture f;
	struct sev_launch_result res;
	char err[256] = "";
	fixture_init(&f, 0);
	f.vcpus[1].dr7 = 0x401;
	assert_int_equal(run(&f, &res, NULL, 0, err), -EINVAL);
	assert_non_null(strstr(err, "vCPU 1"));
	sev_launch_result_free(&res);
	f.vcpus[1].dr7 = 0x400;

	f.policy = 0x1; /* no ES bit */
	assert_int_equal(run(&f, &res, NULL, 0, err), -EIO);
	assert_non_null(strstr(err, "LAUNCH_START"));
	assert_non_null(strstr(err, "POLICY_FAILURE"));
	assert_int_equal(res.nblobs, 0);
	sev_launch_result_free(&res);
	f.policy = SEV_POLICY_DEFAULT;

	/* A region beyond RAM: found while walking, before anything is issued for it. */
	assert_int_equal(region_add(&f.regions, "far", REGION_BOOT, 0, 0x2000000, 16, NULL, 0), 0);
	struct guest_mem mem;
	struct sev_backend b;
	struct sev_launch_config c;
	struct sev_model *m = fixed_model();
	assert_int_equal(guest_mem_map(&mem, MEM), 0);
	sev_backend_model(&b, m, &f.vmsa);
	sev_launch_config_default(&c);
	assert_int_equal(sev_launch_run(&b, &c, &mem, &f.regions, f.vcpus, 2, &res, err, 256),
	                 -EFAULT);
	assert_non_null(strstr(err, "far"));
	sev_launch_result_free(&res);
	/* The model is now past LAUNCH_START: a second launch over it is out of order. */
	assert_int_equal(sev_launch_run(&b, &c, &mem, &f.regions, f.vcpus, 2, &res, err, 256),
	                 -EIO);
	assert_non_null(strstr(err, "INVALID_GUEST_STATE"));
	sev_launch_result_free(&res);
	sev_model_free(m);
	guest_mem_unmap(&mem);
	region_list_free(&f.regions);
}

static void test_secret_is_issued(void **st)
{
	struct fixture f;
	struct sev_launch_result res;
	struct guest_mem mem;
	struct sev_backend b;
	struct sev_launch_config c;
	uint8_t hdr[52] = {0}, trans[64] = {0};
	char err[256] = "";
	fixture_init(&f, 0);
	struct sev_model *m = fixed_model();
	assert_int_equal(guest_mem_map(&mem, MEM), 0);
	assert_int_equal(guest_mem_load_regions(&mem, &f.regions), 0);
	struct sev_secret s = {.header = {hdr, sizeof(hdr)},
	                       .trans = {trans, sizeof(trans)},
	                       .guest_gpa = 0x8000,
	                       .guest_host = guest_mem_ptr(&mem, 0x8000, 64),
	                       .guest_len = 64};
	sev_backend_model(&b, m, &f.vmsa);
	sev_launch_config_default(&c);
	c.secret = &s;
	assert_int_equal(sev_launch_run(&b, &c, &mem, &f.regions, f.vcpus, 2, &res, err, 256), 0);
	assert_true(res.step_ran[SEV_STEP_SECRET]);
	const struct sev_model_secret *v;
	assert_int_equal(sev_model_secrets(m, &v), 1);
	assert_int_equal(v[0].guest_addr, 0x8000);
	assert_int_equal(v[0].trans_len, 64);
	sev_launch_result_free(&res);
	sev_model_free(m);
	guest_mem_unmap(&mem);
	region_list_free(&f.regions);
}

static void test_plan_edges(void **st)
{
	struct region_list l;
	struct sev_page_run *runs;
	size_t n;
	region_list_init(&l);
	/* Adjacent pages stay separate runs; a region straddling into the next run's page merges.
	 */
	add(&l, "c", 0x3000, 0x1000, NULL, 0);
	add(&l, "a", 0x1000, 0x1000, NULL, 0);
	add(&l, "b", 0x2000, 0x1001, NULL, 0);
	add(&l, "empty", 0x1800, 0, NULL, 0);
	assert_int_equal(sev_plan_page_runs(&l, &runs, &n), 0);
	assert_int_equal(n, 2);
	assert_int_equal(runs[0].gpa, 0x1000);
	assert_int_equal(runs[0].size, 0x1000);
	assert_string_equal(runs[0].name, "a");
	assert_int_equal(runs[1].gpa, 0x2000);
	assert_int_equal(runs[1].size, 0x2000);
	assert_string_equal(runs[1].name, "b+c");
	free(runs);
	add(&l, "wraps", 0xfffffffffffff000ull, 0x2000, NULL, 0);
	assert_int_equal(sev_plan_page_runs(&l, &runs, &n), -EINVAL);
	region_list_free(&l);
	assert_int_equal(sev_plan_page_runs(&l, &runs, &n), 0);
	assert_int_equal(n, 0);
	free(runs);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_order_and_merging),
	    cmocka_unit_test(test_ld_is_one_stream),
	    cmocka_unit_test(test_ld_sensitivity),
	    cmocka_unit_test(test_dump_matches_ld),
	    cmocka_unit_test(test_none_backend_does_nothing),
	    cmocka_unit_test(test_errors_name_the_step),
	    cmocka_unit_test(test_secret_is_issued),
	    cmocka_unit_test(test_plan_edges),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
