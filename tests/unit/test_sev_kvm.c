// SPDX-License-Identifier: MIT
/*
 * The hardware backend against a fake KVM and /dev/sev: the command sequence, every argument
 * struct, the fd KVM needs in each command, error messages, and the host probe.
 */
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>
#include <linux/psp-sev.h>

#include "loader/guest_mem.h"
#include "model_ld.h"
#include "sev/backend_kvm.h"
#include "sev/launch.h"
#include "sev/kvm_compat.h"

#define FD_KVM 40
#define FD_SEV 50
#define FD_VM 60
#define MEM (16ull << 20)

struct call {
	int fd;
	unsigned long req;
	uint32_t id, sev_fd;
	uint64_t data;
	union {
		struct pvh_kvm_sev_init init;
		struct kvm_sev_launch_start ls;
		struct kvm_sev_launch_update_data ud;
		struct kvm_sev_launch_measure m;
		struct kvm_sev_launch_secret sec;
		struct kvm_enc_region reg;
	} arg;
};

static struct fake {
	struct call calls[64];
	size_t n;
	int opened, closed;
	uint32_t fail_id; /* fail this command id (0: none) */
	uint32_t status_flags;
	int sev_open_err; /* -errno for open("/dev/sev"), 0 = works */
	int vm_types;
	const char *param; /* sev_es parameter text, NULL: kvm_amd not loaded */
} F;

static void fake_reset(void)
{
	memset(&F, 0, sizeof(F));
	F.status_flags = SEV_STATUS_FLAGS_CONFIG_ES;
	F.fail_id = 0xffff;
	F.vm_types = 0xd;
	F.param = "Y\n";
}

static int fake_open(const char *path, int flags)
{
	assert_int_equal(flags & O_ACCMODE, O_RDWR);
	if (!strcmp(path, "/dev/kvm"))
		return F.opened++, FD_KVM;
	if (!strcmp(path, "/dev/sev"))
		return F.sev_open_err ? F.sev_open_err : (F.opened++, FD_SEV);
	return -ENOENT;
}

static int fake_close(int fd)
{
	F.closed++;
	return 0;
}

static ssize_t fake_read_file(const char *path, char *buf, size_t len)
{
	if (strcmp(path, "/sys/module/kvm_amd/parameters/sev_es"))
		return -ENOENT; /* the other parameters: a kernel without them */
	if (!F.param)
		return -ENOENT;
	snprintf(buf, len, "%s", F.param);
	return (ssize_t)strlen(buf);
}

static int fake_platform_status(struct sev_issue_cmd *c)
{
	assert_int_equal(c->cmd, SEV_PLATFORM_STATUS);
	struct sev_user_data_status *st = (void *)(uintptr_t)c->data;
	st->api_major = 1;
	st->api_minor = 55;
	st->build = 21;
	st->flags = F.status_flags;
	return 0;
}

static int fake_encrypt_op(struct call *rec, struct kvm_sev_cmd *c)
{
	rec->id = c->id;
	rec->sev_fd = c->sev_fd;
	rec->data = c->data;
	if (c->data)
		memcpy(&rec->arg, (void *)(uintptr_t)c->data,
		       c->id == PVH_KVM_SEV_INIT2           ? 48
		       : c->id == KVM_SEV_LAUNCH_START  ? 40
		       : c->id == KVM_SEV_LAUNCH_SECRET ? 48
		                                        : 16);
	if (c->id == F.fail_id) {
		c->error = SEV_FW_INVALID_ADDRESS;
		return -EIO;
	}
	if (c->id == KVM_SEV_LAUNCH_START)
		((struct kvm_sev_launch_start *)(uintptr_t)c->data)->handle = 7;
	if (c->id == KVM_SEV_LAUNCH_MEASURE) {
		struct kvm_sev_launch_measure *m = (void *)(uintptr_t)c->data;
		if (m->len == 0) { /* the length query: fails with len filled in */
			m->len = 48;
			c->error = SEV_FW_INVALID_LEN;
			return -EIO;
		}
		for (int i = 0; i < 48; i++)
			((uint8_t *)(uintptr_t)m->uaddr)[i] = (uint8_t)(0xa0 + i);
		m->len = 48;
	}
	return 0;
}

static int fake_ioctl(int fd, unsigned long req, void *arg)
{
	assert_true(F.n < 64);
	struct call *rec = &F.calls[F.n++];
	memset(rec, 0, sizeof(*rec));
	rec->fd = fd;
	rec->req = req;
	if (req == SEV_ISSUE_CMD)
		return fake_platform_status(arg);
	if (req == KVM_CHECK_EXTENSION && (uintptr_t)arg == KVM_CAP_DISABLE_QUIRKS2)
		return KVM_X86_QUIRK_FIX_HYPERCALL_INSN;
	if (req == KVM_CHECK_EXTENSION)
		return (uintptr_t)arg == KVM_CAP_VM_TYPES ? F.vm_types : 0;
	if (req == KVM_GET_DEVICE_ATTR)
		return -ENXIO;
	if (req == KVM_MEMORY_ENCRYPT_REG_REGION) {
		memcpy(&rec->arg.reg, arg, sizeof(rec->arg.reg));
		return 0;
	}
	assert_int_equal(req, KVM_MEMORY_ENCRYPT_OP);
	return fake_encrypt_op(rec, arg);
}

static int fake_release(char *buf, size_t len)
{
	snprintf(buf, len, "6.10.0");
	return 0;
}

static const struct sev_sys_ops fake_sys = {fake_open, fake_close, fake_ioctl, fake_read_file,
                                            fake_release};

struct setup {
	struct region_list regions;
	struct guest_mem mem;
	struct cpu_state vcpus[2];
	uint8_t kernel[0x1800];
};

static void setup_init(struct setup *s)
{
	static const uint8_t gdt[32] = {1}, si[56] = {2}, ml[32] = {3};
	memset(s, 0, sizeof(*s));
	memset(s->kernel, 0x5a, sizeof(s->kernel));
	region_list_init(&s->regions);
	assert_int_equal(region_add(&s->regions, "kernel", REGION_KERNEL, 0, 0x100000, 0x2345,
	                            s->kernel, sizeof(s->kernel)),
	                 0);
	assert_int_equal(region_add(&s->regions, "boot-gdt", REGION_BOOT, 0, 0x500, 32, gdt, 32),
	                 0);
	assert_int_equal(region_add(&s->regions, "modlist", REGION_BOOT, 0, 0x6040, 32, ml, 32), 0);
	assert_int_equal(region_add(&s->regions, "start_info", REGION_BOOT, 0, 0x6000, 56, si, 56),
	                 0);
	assert_int_equal(guest_mem_map(&s->mem, MEM), 0);
	assert_int_equal(guest_mem_load_regions(&s->mem, &s->regions), 0);
	cpu_state_pvh_bsp(&s->vcpus[0], 0x100000, 0x6000, 0x500);
	cpu_state_pvh_bsp(&s->vcpus[1], 0x90040, 0x90000, 0x90800);
	s->vcpus[1].regs.rsi = 1;
}

static void setup_free(struct setup *s)
{
	guest_mem_unmap(&s->mem);
	region_list_free(&s->regions);
}

static struct sev_kvm *open_kvm(enum sev_init_path init)
{
	struct sev_kvm_config c;
	struct sev_kvm *k = NULL;
	char err[256] = "";
	sev_kvm_config_default(&c);
	c.init = init;
	c.sys = &fake_sys;
	int r = sev_kvm_open(&k, &c, err, sizeof(err));
	if (r)
		print_error("%s\n", err);
	assert_int_equal(r, 0);
	return k;
}

static const struct call *cmd_at(size_t i, uint32_t id)
{
	assert_true(i < F.n);
	const struct call *c = &F.calls[i];
	assert_int_equal(c->fd, FD_VM);
	assert_int_equal(c->req, KVM_MEMORY_ENCRYPT_OP);
	assert_int_equal(c->id, id);
	assert_int_equal(c->sev_fd, FD_SEV); /* KVM resolves this fd on every command */
	return c;
}

/* LD as the model computes it for the same inputs (the hardware prediction must match). */
static void model_ld(struct setup *s, enum sev_init_path init, uint8_t ld[32])
{
	struct vmsa_options o;
	vmsa_options_default(&o);
	o.init = init;
	model_ld_of(&s->mem, &s->regions, s->vcpus, 2, &o, ld);
}

static void check_launch_sequence(struct setup *s, size_t i, struct sev_launch_result *res)
{
	const struct call *c = cmd_at(i++, KVM_SEV_LAUNCH_START);
	assert_int_equal(c->arg.ls.handle, 0);
	assert_int_equal(c->arg.ls.policy, 0x5);
	assert_int_equal(c->arg.ls.dh_len, 3);
	assert_int_equal(c->arg.ls.session_len, 0);
	const gpa_t runs[][2] = {{0, 0x1000}, {0x6000, 0x1000}, {0x100000, 0x3000}};
	for (size_t r = 0; r < 3; r++) {
		c = cmd_at(i++, KVM_SEV_LAUNCH_UPDATE_DATA);
		assert_ptr_equal((void *)(uintptr_t)c->arg.ud.uaddr,
		                 guest_mem_ptr(&s->mem, runs[r][0], runs[r][1]));
		assert_int_equal(c->arg.ud.len, runs[r][1]);
	}
	assert_int_equal(cmd_at(i++, KVM_SEV_LAUNCH_UPDATE_VMSA)->data, 0);
	c = cmd_at(i++, KVM_SEV_LAUNCH_MEASURE);
	assert_int_equal(c->arg.m.uaddr, 0);
	assert_int_equal(c->arg.m.len, 0);
	c = cmd_at(i++, KVM_SEV_LAUNCH_MEASURE);
	assert_int_not_equal(c->arg.m.uaddr, 0);
	assert_int_equal(c->arg.m.len, 48);
	assert_int_equal(cmd_at(i++, KVM_SEV_LAUNCH_FINISH)->data, 0);
	assert_int_equal(F.n, i);
	for (int b = 0; b < 32; b++)
		assert_int_equal(res->measure[b], 0xa0 + b);
	for (int b = 0; b < 16; b++)
		assert_int_equal(res->mnonce[b], 0xa0 + 32 + b);
}

static void run_sequence(enum sev_init_path init)
{
	struct setup s;
	struct sev_backend b;
	struct sev_launch_config lc;
	struct sev_launch_result res;
	struct sev_platform p;
	uint8_t ld[32];
	char err[256] = "";
	static const uint8_t dh[3] = {1, 2, 3};
	fake_reset();
	setup_init(&s);
	struct sev_kvm *k = open_kvm(init);
	assert_int_equal(F.calls[0].fd, FD_SEV);
	assert_int_equal(F.calls[0].req, SEV_ISSUE_CMD);
	sev_kvm_platform(k, &p);
	assert_int_equal(p.api_major, 1);
	assert_int_equal(p.api_minor, 55);
	assert_int_equal(p.build, 21);
	assert_int_equal(sev_kvm_vm_type(k), init == SEV_INIT_INIT2 ? 3 : 0);
	assert_int_equal(sev_kvm_ghcb_version(k), init == SEV_INIT_INIT2 ? 2 : 1);

	assert_int_equal(sev_kvm_init_vm(k, FD_VM, err, sizeof(err)), 0);
	const struct call *c = cmd_at(1, init == SEV_INIT_INIT2 ? PVH_KVM_SEV_INIT2 : KVM_SEV_ES_INIT);
	if (init == SEV_INIT_INIT2) {
		static const uint8_t zero[48];
		assert_memory_equal(&c->arg.init, zero, 48); /* zeroed: vmsa_features 0 */
	} else {
		assert_int_equal(c->data, 0);
	}
	assert_int_equal(sev_kvm_register_ram(k, s.mem.host, s.mem.size, err, sizeof(err)), 0);
	assert_int_equal(F.calls[2].req, KVM_MEMORY_ENCRYPT_REG_REGION);
	assert_ptr_equal((void *)(uintptr_t)F.calls[2].arg.reg.addr, s.mem.host);
	assert_int_equal(F.calls[2].arg.reg.size, MEM);

	sev_backend_kvm(&b, k);
	assert_int_equal(b.vmsa.init, init);
	sev_launch_config_default(&lc);
	lc.dh_cert = (struct sev_blob){dh, sizeof(dh)};
	assert_int_equal(sev_backend_vcpu_state_writable(&b), 0);
	assert_int_equal(
	    sev_launch_run(&b, &lc, &s.mem, &s.regions, s.vcpus, 2, &res, err, sizeof(err)), 0);
	assert_int_equal(sev_backend_vcpu_state_writable(&b), -EINVAL);
	assert_string_equal(res.backend, "kvm");
	assert_true(res.have_platform);
	assert_int_equal(res.api_minor, 55);
	assert_int_equal(res.init, init);
	check_launch_sequence(&s, 3, &res);
	model_ld(&s, init, ld); /* the predicted LD is the model's LD */
	assert_memory_equal(res.ld, ld, 32);
	sev_launch_result_free(&res);
	sev_kvm_close(k);
	assert_int_equal(F.closed, F.opened);
	setup_free(&s);
}

static void test_sequence_init2(void **st) { run_sequence(SEV_INIT_INIT2); }

static void test_sequence_legacy(void **st) { run_sequence(SEV_INIT_LEGACY); }

static void test_failure_names_step(void **st)
{
	struct setup s;
	struct sev_backend b;
	struct sev_launch_config lc;
	struct sev_launch_result res;
	char err[256] = "";
	fake_reset();
	F.fail_id = KVM_SEV_LAUNCH_UPDATE_DATA;
	setup_init(&s);
	struct sev_kvm *k = open_kvm(SEV_INIT_INIT2);
	assert_int_equal(sev_kvm_init_vm(k, FD_VM, err, sizeof(err)), 0);
	sev_backend_kvm(&b, k);
	sev_launch_config_default(&lc);
	assert_int_equal(
	    sev_launch_run(&b, &lc, &s.mem, &s.regions, s.vcpus, 2, &res, err, sizeof(err)), -EIO);
	assert_non_null(strstr(err, "LAUNCH_UPDATE_DATA"));
	assert_non_null(strstr(err, "errno 5"));
	assert_non_null(strstr(err, "0x9 INVALID_ADDRESS"));
	/* Nothing after the failing command. */
	assert_int_equal(F.calls[F.n - 1].id, KVM_SEV_LAUNCH_UPDATE_DATA);
	assert_false(res.step_ran[SEV_STEP_FINISH]);
	sev_launch_result_free(&res);
	sev_kvm_close(k);
	setup_free(&s);
}

/* KVM keeps LAUNCH_UPDATE_DATA lengths in an int: 2.5 GiB goes as 1 GiB, 1 GiB, 0.5 GiB. */
static void test_update_data_chunks(void **st)
{
	struct sev_backend b;
	char err[256] = "";
	fake_reset();
	struct sev_kvm *k = open_kvm(SEV_INIT_INIT2);
	assert_int_equal(sev_kvm_init_vm(k, FD_VM, err, sizeof(err)), 0);
	sev_backend_kvm(&b, k);
	uint8_t *base = (uint8_t *)(uintptr_t)0x10000000; /* the fake never touches it */
	size_t first = F.n;
	assert_int_equal(b.ops->update_data(&b, 0x100000, base, 5ull << 29, err, sizeof(err)), 0);
	assert_int_equal(F.n - first, 3);
	const uint64_t want[3] = {1ull << 30, 1ull << 30, 1ull << 29};
	uint64_t off = 0;
	for (int i = 0; i < 3; i++) {
		const struct call *c = cmd_at(first + i, KVM_SEV_LAUNCH_UPDATE_DATA);
		assert_int_equal(c->arg.ud.len, want[i]);
		assert_int_equal(c->arg.ud.uaddr, (uintptr_t)base + off);
		off += want[i];
	}
	assert_true(SEV_KVM_UPDATE_DATA_MAX <= (1ull << 30));
	sev_kvm_close(k);
}

static void test_open_failures(void **st)
{
	struct sev_kvm_config c;
	struct sev_kvm *k = NULL;
	char err[256] = "";
	sev_kvm_config_default(&c);
	c.sys = &fake_sys;
	fake_reset();
	F.sev_open_err = -ENOENT;
	assert_int_equal(sev_kvm_open(&k, &c, err, sizeof(err)), -ENOENT);
	assert_non_null(strstr(err, "/dev/sev"));
	fake_reset();
	F.status_flags = 0;
	assert_int_equal(sev_kvm_open(&k, &c, err, sizeof(err)), -ENODEV);
	assert_non_null(strstr(err, "SEV-ES"));
	assert_int_equal(F.closed, F.opened); /* the fd is not leaked */
}

static void test_probe(void **st)
{
	struct sev_host_caps caps;
	/* This project's build host: Intel, no SEV. */
	fake_reset();
	F.vm_types = 0x1;
	F.sev_open_err = -ENOENT;
	F.param = NULL;
	assert_int_equal(sev_host_probe(&fake_sys, &caps), 0);
	assert_false(caps.usable);
	assert_true(caps.kvm);
	assert_non_null(strstr(caps.missing, "/dev/sev"));
	assert_non_null(strstr(caps.missing, "kvm_amd"));
	assert_int_equal(caps.init, SEV_INIT_LEGACY); /* types without SEV-ES: legacy init */
	assert_int_equal(F.closed, F.opened);

	fake_reset(); /* EPYC, 6.10+: default, SEV, SEV-ES types */
	assert_int_equal(sev_host_probe(&fake_sys, &caps), 0);
	assert_true(caps.usable);
	assert_int_equal(caps.init, SEV_INIT_INIT2);
	assert_string_equal(caps.missing, "");

	fake_reset(); /* EPYC, older kernel: no VM types, legacy init */
	F.vm_types = 0;
	assert_int_equal(sev_host_probe(&fake_sys, &caps), 0);
	assert_true(caps.usable);
	assert_int_equal(caps.init, SEV_INIT_LEGACY);

	fake_reset();
	F.param = "N\n";
	assert_int_equal(sev_host_probe(&fake_sys, &caps), 0);
	assert_false(caps.usable);
	assert_string_equal(caps.missing, "kvm_amd parameter sev_es is N, not Y");

	fake_reset(); /* 6.8/6.9: VM types DEFAULT and SW_PROTECTED only; legacy init works */
	F.vm_types = 0x3;
	assert_int_equal(sev_host_probe(&fake_sys, &caps), 0);
	assert_true(caps.usable);
	assert_int_equal(caps.init, SEV_INIT_LEGACY);
	assert_int_equal(caps.ghcb_version, 1);
}

/* The real probe runs anywhere; where it says no, it says why. */
static void test_probe_this_host(void **st)
{
	struct sev_host_caps caps;
	assert_int_equal(sev_host_probe(NULL, &caps), 0);
	if (!caps.usable)
		assert_true(strlen(caps.missing) > 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_sequence_init2),
	    cmocka_unit_test(test_sequence_legacy),
	    cmocka_unit_test(test_failure_names_step),
	    cmocka_unit_test(test_update_data_chunks),
	    cmocka_unit_test(test_open_failures),
	    cmocka_unit_test(test_probe),
	    cmocka_unit_test(test_probe_this_host),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
