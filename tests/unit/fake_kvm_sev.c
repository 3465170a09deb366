// SPDX-License-Identifier: MIT
/* The fake kernels (fake_kvm_sev.h). */
#include "fake_kvm_sev.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>

#include <linux/psp-sev.h>

#include "sev/kvm_compat.h"

#define Q KVM_X86_QUIRK_FIX_HYPERCALL_INSN
#define T_DEFAULT 0x1 /* KVM_X86_DEFAULT_VM */
#define T_SWPROT 0x2  /* KVM_X86_SW_PROTECTED_VM */
#define T_SEV 0x4
#define T_ES 0x8
#define T_SNP 0x10

const struct fake_kernel fake_kernels[] = {
    /* name        release          quirks2 types  debug_swap vmsa  usable init2 legacy */
    {"5.15", "5.15.0-91-generic", 0, 0, NULL, -1, false, false, 0},
    {"5.19", "5.19.17", Q, 0, NULL, -1, true, false, 0},
    {"6.1", "6.1.0-28-amd64", Q, 0, NULL, -1, true, false, 0},
    /* 6.5 .. 6.7: debug_swap defaults to Y where the CPU has DEBUG_SWAP + NO_NESTED_DATA_BP */
    {"6.5-6.7", "6.6.58", Q, 0, "Y", -1, true, false, 0x20},
    {"6.7-stable", "6.7.12", Q, 0, "N", -1, true, false, 0},
    /* 6.8/6.9: VM types without SEV-ES; debug_swap default N, Y where an admin set it */
    {"6.8/6.9", "6.8.0-45-generic", Q, T_DEFAULT | T_SWPROT, "N", -1, true, false, 0},
    {"6.9 debug_swap=Y", "6.9.12", Q, T_DEFAULT | T_SWPROT, "Y", -1, true, false, 0x20},
    /* 6.10+: INIT2; legacy init always 0; the attribute lists DebugSwap when debug_swap=Y */
    {"6.10+", "6.10.14", Q, T_DEFAULT | T_SWPROT | T_SEV | T_ES, "Y", 0x20, true, true, 0},
    {"6.12", "6.12.9", Q, T_DEFAULT | T_SWPROT | T_SEV | T_ES | T_SNP, "N", 0, true, true, 0},
    /* 6.18: the debug_swap parameter is gone (9587dd7a7ebd) */
    {"6.18", "6.18.2", Q, T_DEFAULT | T_SWPROT | T_SEV | T_ES | T_SNP, NULL, 0x20, true, true,
     0},
};
const unsigned fake_kernel_count = sizeof(fake_kernels) / sizeof(fake_kernels[0]);

static struct {
	const struct fake_kernel *k;
	char log[2048];
	int open;
} F;

void fake_kvm_use(const struct fake_kernel *k)
{
	memset(&F, 0, sizeof(F));
	F.k = k;
}

const char *fake_kvm_log(void) { return F.log + (F.log[0] == ' '); }

int fake_kvm_open_fds(void) { return F.open; }

static void note(const char *fd, const char *what)
{
	size_t n = strlen(F.log);
	snprintf(F.log + n, sizeof(F.log) - n, " %s:%s", fd, what);
}

static int fake_open(const char *path, int flags)
{
	if ((flags & O_ACCMODE) != O_RDWR)
		return -EACCES;
	if (!strcmp(path, "/dev/kvm"))
		return F.open++, FAKE_FD_KVM;
	if (!strcmp(path, "/dev/sev"))
		return F.open++, FAKE_FD_SEV;
	return -ENOENT;
}

static int fake_close(int fd)
{
	F.open--;
	return 0;
}

static ssize_t fake_read_file(const char *path, char *buf, size_t len)
{
	const char *v = NULL;
	if (!strcmp(path, "/sys/module/kvm_amd/parameters/sev") ||
	    !strcmp(path, "/sys/module/kvm_amd/parameters/sev_es"))
		v = "Y\n";
	else if (!strcmp(path, "/sys/module/kvm_amd/parameters/debug_swap"))
		v = F.k->debug_swap;
	else if (!strcmp(path, "/sys/fs/cgroup/misc.capacity"))
		v = "sev 410\nsev_es 99\n";
	if (!v)
		return -ENOENT;
	snprintf(buf, len, "%s", v);
	return (ssize_t)strlen(buf);
}

static int fake_release(char *buf, size_t len)
{
	snprintf(buf, len, "%s", F.k->release);
	return 0;
}

static int system_ioctl(unsigned long req, void *arg)
{
	if (req == KVM_CHECK_EXTENSION && (uintptr_t)arg == KVM_CAP_VM_TYPES)
		return note("kvm", "VM_TYPES"), F.k->vm_types;
	if (req == KVM_CHECK_EXTENSION && (uintptr_t)arg == KVM_CAP_DISABLE_QUIRKS2)
		return note("kvm", "QUIRKS2"), F.k->quirks2;
	if (req == KVM_GET_DEVICE_ATTR) {
		struct kvm_device_attr *a = arg;
		note("kvm", "VMSA_FEATURES");
		if (a->group != KVM_X86_GRP_SEV || a->attr != KVM_X86_SEV_VMSA_FEATURES ||
		    F.k->vmsa_attr < 0)
			return -ENXIO;
		*(uint64_t *)(uintptr_t)a->addr = (uint64_t)F.k->vmsa_attr;
		return 0;
	}
	note("kvm", "?");
	return -EINVAL;
}

static int sev_ioctl(unsigned long req, struct sev_issue_cmd *c)
{
	if (req != SEV_ISSUE_CMD || c->cmd != SEV_PLATFORM_STATUS)
		return note("sev", "?"), -EINVAL;
	note("sev", "PLATFORM_STATUS");
	struct sev_user_data_status *st = (void *)(uintptr_t)c->data;
	memset(st, 0, sizeof(*st));
	st->api_major = 1;
	st->api_minor = 55;
	st->build = 21;
	st->state = 1;
	st->flags = SEV_STATUS_FLAGS_CONFIG_ES;
	return 0;
}

/* The SEV command KVM would run, with the checks KVM makes for the init commands. */
static int encrypt_op(struct kvm_sev_cmd *c)
{
	static const char *const names[] = {
	    [KVM_SEV_ES_INIT] = "ES_INIT",
	    [KVM_SEV_LAUNCH_START] = "LAUNCH_START",
	    [KVM_SEV_LAUNCH_UPDATE_DATA] = "UPDATE_DATA",
	    [KVM_SEV_LAUNCH_UPDATE_VMSA] = "UPDATE_VMSA",
	    [KVM_SEV_LAUNCH_SECRET] = "LAUNCH_SECRET",
	    [KVM_SEV_LAUNCH_MEASURE] = "MEASURE",
	    [KVM_SEV_LAUNCH_FINISH] = "FINISH",
	    [PVH_KVM_SEV_INIT2] = "INIT2",
	};
	const char *name = c->id < sizeof(names) / sizeof(names[0]) ? names[c->id] : NULL;
	note("vm", name ? name : "?");
	if (!name || c->sev_fd != FAKE_FD_SEV)
		return -EINVAL;
	if (c->id == PVH_KVM_SEV_INIT2) {
		const struct pvh_kvm_sev_init *in = (void *)(uintptr_t)c->data;
		if (!(F.k->vm_types & T_ES) || (in->vmsa_features & ~(uint64_t)F.k->vmsa_attr))
			return -EINVAL; /* sev_guest_init2: type, then vmsa_features & ~supported */
	}
	if (c->id == KVM_SEV_LAUNCH_MEASURE) {
		struct kvm_sev_launch_measure *m = (void *)(uintptr_t)c->data;
		if (!m->len) {
			m->len = 48;
			c->error = SEV_RET_INVALID_LEN;
			return -EIO;
		}
		memset((void *)(uintptr_t)m->uaddr, 0xab, 48);
	}
	return 0;
}

static int fake_ioctl(int fd, unsigned long req, void *arg)
{
	if (fd == FAKE_FD_KVM)
		return system_ioctl(req, arg);
	if (fd == FAKE_FD_SEV)
		return sev_ioctl(req, arg);
	if (fd == FAKE_FD_VM && req == KVM_MEMORY_ENCRYPT_REG_REGION)
		return note("vm", "REG_REGION"), 0;
	if (fd == FAKE_FD_VM && req == KVM_MEMORY_ENCRYPT_OP)
		return encrypt_op(arg);
	note("?", "?");
	return -EINVAL;
}

const struct sev_sys_ops fake_kvm_sys = {fake_open, fake_close, fake_ioctl, fake_read_file,
                                         fake_release};
