// SPDX-License-Identifier: MIT
/* Can this host launch SEV-ES guests, and how? (host_probe.h) */
#include "sev/host_probe.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <linux/psp-sev.h>

#include "sev/kvm_compat.h"

__attribute__((format(printf, 2, 3))) static void add_missing(struct sev_host_caps *c,
                                                              const char *fmt, ...)
{
	size_t used = strlen(c->missing);
	if (used && used + 2 < sizeof(c->missing)) {
		snprintf(c->missing + used, sizeof(c->missing) - used, "; ");
		used += 2;
	}
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(c->missing + used, sizeof(c->missing) - used, fmt, ap);
	va_end(ap);
}

int sev_kernel_version_parse(const char *release, unsigned *major, unsigned *minor)
{
	unsigned a, b;
	*major = *minor = 0;
	if (!release || sscanf(release, "%u.%u", &a, &b) != 2)
		return -EINVAL;
	*major = a;
	*minor = b;
	return 0;
}

const char *sev_param_name(enum sev_param p)
{
	return p == SEV_PARAM_Y ? "Y" : p == SEV_PARAM_N ? "N" : "absent";
}

int sev_platform_query(const struct sev_sys_ops *sys, int sev_fd, struct sev_platform *p,
                       uint32_t *fw_error)
{
	struct sev_user_data_status st;
	memset(&st, 0, sizeof(st));
	struct sev_issue_cmd cmd = {.cmd = SEV_PLATFORM_STATUS, .data = (uintptr_t)&st};
	int r = sys->ioctl(sev_fd, SEV_ISSUE_CMD, &cmd);
	*fw_error = cmd.error;
	if (r < 0)
		return r;
	*p = (struct sev_platform){st.api_major, st.api_minor, st.build,
	                           st.state,     st.flags,     st.guest_count};
	return 0;
}

static void probe_kernel(const struct sev_sys_ops *sys, struct sev_host_caps *c)
{
	if (!sys->kernel_release || sys->kernel_release(c->kernel, sizeof(c->kernel)))
		c->kernel[0] = '\0';
	sev_kernel_version_parse(c->kernel, &c->kernel_major, &c->kernel_minor);
}

/* The SEV attribute KVM_SEV_INIT2 checks vmsa_features against (system fd, Linux 6.10+). */
static void probe_vmsa_features(const struct sev_sys_ops *sys, int kvm_fd, struct sev_host_caps *c)
{
	uint64_t features = 0;
	struct kvm_device_attr attr = {
	    .group = KVM_X86_GRP_SEV,
	    .attr = KVM_X86_SEV_VMSA_FEATURES,
	    .addr = (uintptr_t)&features,
	};
	if (sys->ioctl(kvm_fd, KVM_GET_DEVICE_ATTR, &attr) >= 0) {
		c->have_vmsa_features = true;
		c->vmsa_features = features;
	}
}

static void probe_kvm(const struct sev_sys_ops *sys, struct sev_host_caps *c)
{
	int fd = sys->open("/dev/kvm", O_RDWR);
	if (fd < 0) {
		c->kvm_errno = -fd;
		add_missing(c, "cannot open /dev/kvm (%s)", strerror(-fd));
		return;
	}
	c->kvm = true;
	int r = sys->ioctl(fd, KVM_CHECK_EXTENSION, (void *)(uintptr_t)KVM_CAP_VM_TYPES);
	c->vm_types = r > 0 ? (uint64_t)r : 0;
	r = sys->ioctl(fd, KVM_CHECK_EXTENSION, (void *)(uintptr_t)KVM_CAP_DISABLE_QUIRKS2);
	c->quirks2 = r > 0 && (r & KVM_X86_QUIRK_FIX_HYPERCALL_INSN);
	if (!c->quirks2)
		add_missing(c,
		            "Linux %s is older than %d.%d: KVM cannot disable the FIX_HYPERCALL_INSN "
		            "quirk (KVM_CAP_DISABLE_QUIRKS2); pvh-sev needs Linux %d.%d or later",
		            c->kernel[0] ? c->kernel : "(unknown)", SEV_MIN_KERNEL_MAJOR,
		            SEV_MIN_KERNEL_MINOR, SEV_MIN_KERNEL_MAJOR, SEV_MIN_KERNEL_MINOR);
	if (c->vm_types & (1ull << KVM_X86_SEV_ES_VM))
		probe_vmsa_features(sys, fd, c);
	sys->close(fd);
}

static void probe_sev_dev(const struct sev_sys_ops *sys, struct sev_host_caps *c)
{
	int fd = sys->open(SEV_DEV_PATH, O_RDWR);
	if (fd < 0) {
		c->sev_errno = -fd;
		add_missing(c, "no usable " SEV_DEV_PATH " (%s)", strerror(-fd));
		return;
	}
	c->sev_dev = true;
	int r = sev_platform_query(sys, fd, &c->platform, &c->platform_fw_error);
	sys->close(fd);
	if (r < 0) {
		c->platform_errno = -r;
		add_missing(c, "SEV PLATFORM_STATUS failed (%s, firmware error 0x%x)", strerror(-r),
		            c->platform_fw_error);
		return;
	}
	c->have_platform = true;
	if (!(c->platform.flags & SEV_STATUS_FLAGS_CONFIG_ES))
		add_missing(c, "the SEV firmware is not configured for SEV-ES (flags 0x%x lack 0x100)",
		            c->platform.flags);
}

static enum sev_param read_param(const struct sev_sys_ops *sys, const char *name)
{
	char path[96], buf[16];
	snprintf(path, sizeof(path), SEV_KVM_PARAM_DIR "%s", name);
	if (sys->read_file(path, buf, sizeof(buf)) <= 0)
		return SEV_PARAM_ABSENT;
	return buf[0] == 'Y' || buf[0] == 'y' || buf[0] == '1' ? SEV_PARAM_Y : SEV_PARAM_N;
}

static void probe_params(const struct sev_sys_ops *sys, struct sev_host_caps *c)
{
	c->param_sev = read_param(sys, "sev");
	c->param_sev_es = read_param(sys, "sev_es");
	c->param_debug_swap = read_param(sys, "debug_swap");
	if (c->param_sev_es == SEV_PARAM_ABSENT)
		add_missing(c, "kvm_amd is not loaded (" SEV_KVM_PARAM_DIR "sev_es unreadable)");
	else if (c->param_sev_es == SEV_PARAM_N)
		add_missing(c, "kvm_amd parameter sev_es is N, not Y");
}

/* The misc cgroup's capacity line "sev_es N": SEV-ES ASIDs (Linux 5.13+, cgroup v2 root). */
static void probe_asids(const struct sev_sys_ops *sys, struct sev_host_caps *c)
{
	char buf[256];
	c->es_asids = -1;
	if (sys->read_file(SEV_MISC_CAPACITY, buf, sizeof(buf)) <= 0)
		return;
	for (char *line = strtok(buf, "\n"); line; line = strtok(NULL, "\n")) {
		long n;
		if (sscanf(line, "sev_es %ld", &n) == 1 && n >= 0)
			c->es_asids = n;
	}
}

int sev_host_probe(const struct sev_sys_ops *sys, struct sev_host_caps *c)
{
	if (!sys)
		sys = &sev_sys_linux;
	memset(c, 0, sizeof(*c));
	probe_kernel(sys, c);
	probe_kvm(sys, c);
	probe_sev_dev(sys, c);
	probe_params(sys, c);
	probe_asids(sys, c);
	/*
	 * KVM_CAP_VM_TYPES exists from 6.8 on (DEFAULT and SW_PROTECTED); the SEV-ES type joined it
	 * in 6.10 with KVM_SEV_INIT2. Without that bit the legacy KVM_SEV_ES_INIT still works.
	 */
	c->init = (c->vm_types & (1ull << KVM_X86_SEV_ES_VM)) ? SEV_INIT_INIT2 : SEV_INIT_LEGACY;
	c->ghcb_version = sev_init_ghcb_version(c->init);
	c->usable = c->kvm && c->quirks2 && c->sev_dev && c->have_platform &&
	            (c->platform.flags & SEV_STATUS_FLAGS_CONFIG_ES) &&
	            c->param_sev_es == SEV_PARAM_Y;
	return 0;
}
