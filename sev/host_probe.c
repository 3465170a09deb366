// SPDX-License-Identifier: MIT
/* Can this host launch SEV-ES guests? Answers --sev=auto and explains a failing --sev=es. */
#include "sev/backend_kvm.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

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

static void probe_kvm(const struct sev_sys_ops *sys, struct sev_host_caps *c)
{
	int fd = sys->open("/dev/kvm", O_RDWR);
	if (fd < 0) {
		add_missing(c, "cannot open /dev/kvm (%s)", strerror(-fd));
		return;
	}
	c->kvm = true;
	int r = sys->ioctl(fd, KVM_CHECK_EXTENSION, (void *)(uintptr_t)KVM_CAP_VM_TYPES);
	c->vm_types = r > 0 ? (uint64_t)r : 0;
	sys->close(fd);
}

static void probe_sev_dev(const struct sev_sys_ops *sys, struct sev_host_caps *c)
{
	int fd = sys->open(SEV_DEV_PATH, O_RDWR);
	if (fd < 0) {
		add_missing(c, "no usable /dev/sev (%s)", strerror(-fd));
		return;
	}
	c->sev_dev = true;
	sys->close(fd);
}

static void probe_param(const struct sev_sys_ops *sys, struct sev_host_caps *c)
{
	char buf[16];
	ssize_t n = sys->read_file(SEV_KVM_PARAM_SEV_ES, buf, sizeof(buf));
	if (n < 0) {
		add_missing(c, "kvm_amd is not loaded (%s)", SEV_KVM_PARAM_SEV_ES " unreadable");
		return;
	}
	c->param_sev_es = buf[0] == 'Y' || buf[0] == 'y' || buf[0] == '1';
	if (!c->param_sev_es)
		add_missing(c, "kvm_amd parameter sev_es is %s, not Y", strtok(buf, "\n"));
}

int sev_host_probe(const struct sev_sys_ops *sys, struct sev_host_caps *c)
{
	if (!sys)
		sys = &sev_sys_linux;
	memset(c, 0, sizeof(*c));
	probe_kvm(sys, c);
	probe_sev_dev(sys, c);
	probe_param(sys, c);
	const uint64_t es_bit = 1ull << KVM_X86_SEV_ES_VM;
	/*
	 * KVM_CAP_VM_TYPES exists from 6.10 on and lists SEV-ES exactly when KVM supports it;
	 * 0 means an older kernel, where only the legacy KVM_SEV_ES_INIT exists.
	 */
	c->init = (c->vm_types & es_bit) ? SEV_INIT_INIT2 : SEV_INIT_LEGACY;
	if (c->vm_types && !(c->vm_types & es_bit)) {
		char types[40];
		snprintf(types, sizeof(types), "0x%llx", (unsigned long long)c->vm_types);
		add_missing(c, "KVM_CAP_VM_TYPES %s lacks SEV-ES (bit 3)", types);
	}
	c->usable =
	    c->kvm && c->sev_dev && c->param_sev_es && (c->vm_types == 0 || (c->vm_types & es_bit));
	return 0;
}
