// SPDX-License-Identifier: MIT
#include "vmm/check_cmd.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "sev/host_profile.h"
#include "sev/kvm_compat.h"

#define ES_CONFIGURED 0x100u /* PLATFORM_STATUS flags: SEV-ES initialised in the firmware */

__attribute__((format(printf, 4, 5))) static struct check_line *
add(struct check_list *l, const char *name, enum check_status st, const char *fmt, ...)
{
	struct check_line *c = &l->v[l->n < CHECK_MAX_LINES ? l->n++ : CHECK_MAX_LINES - 1];
	memset(c, 0, sizeof(*c));
	c->name = name;
	c->status = st;
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(c->reason, sizeof(c->reason), fmt, ap);
	va_end(ap);
	return c;
}

#define TODO(c, ...) snprintf((c)->todo, sizeof((c)->todo), __VA_ARGS__)

static void check_kernel(struct check_list *l, const struct sev_host_caps *h)
{
	if (!h->kernel_major) {
		add(l, "kernel", CHECK_SKIP, "kernel release '%s' not understood", h->kernel);
		return;
	}
	bool ok = h->kernel_major > SEV_MIN_KERNEL_MAJOR ||
	          (h->kernel_major == SEV_MIN_KERNEL_MAJOR && h->kernel_minor >= SEV_MIN_KERNEL_MINOR);
	struct check_line *c = add(l, "kernel", ok ? CHECK_PASS : CHECK_FAIL,
	                           "Linux %s (pvh-sev needs 5.19+; KVM_SEV_INIT2 and GHCB v2 need 6.10+)",
	                           h->kernel);
	if (!ok)
		TODO(c, "upgrade the host kernel to 5.19 or later (6.10 or later for KVM_SEV_INIT2)");
}

static void check_dev(struct check_list *l, const char *name, const char *path, bool ok, int e,
                      const char *enoent_todo)
{
	if (ok) {
		add(l, name, CHECK_PASS, "%s opens read-write", path);
		return;
	}
	struct check_line *c = add(l, name, CHECK_FAIL, "%s does not open: %s", path, strerror(e));
	if (e == EACCES || e == EPERM)
		TODO(c, "give this user read-write access to %s (e.g. group kvm and a udev rule)",
		     path);
	else
		TODO(c, "%s", enoent_todo);
}

static void check_kvm(struct check_list *l, const struct sev_host_caps *h)
{
	check_dev(l, "dev-kvm", "/dev/kvm", h->kvm, h->kvm_errno,
	          "load kvm_amd (modprobe kvm_amd) on an AMD host with SVM enabled in the firmware");
	if (!h->kvm) {
		add(l, "kvm-quirks", CHECK_SKIP, "needs /dev/kvm");
		return;
	}
	struct check_line *c =
	    add(l, "kvm-quirks", h->quirks2 ? CHECK_PASS : CHECK_FAIL,
	        "KVM_CAP_DISABLE_QUIRKS2 %s FIX_HYPERCALL_INSN", h->quirks2 ? "has" : "lacks");
	if (!h->quirks2)
		TODO(c, "upgrade the host kernel to 5.19 or later");
}

static void check_param(struct check_list *l, const char *name, const char *param,
                        enum sev_param v)
{
	struct check_line *c = add(l, name, v == SEV_PARAM_Y ? CHECK_PASS : CHECK_FAIL,
	                           "kvm_amd.%s is %s", param, sev_param_name(v));
	if (v == SEV_PARAM_ABSENT)
		TODO(c, "load kvm_amd (modprobe kvm_amd %s=1)", param);
	else if (v == SEV_PARAM_N)
		TODO(c, "reload kvm_amd with %s=1 (needs SEV%s enabled in the BIOS)", param,
		     strcmp(param, "sev") ? "-ES" : "");
}

static void check_debug_swap(struct check_list *l, const struct sev_host_caps *h)
{
	struct sev_host_profile p = {SEV_INIT_LEGACY, h->kernel_major, h->kernel_minor,
	                             h->param_debug_swap, 0, "host"};
	if (h->param_debug_swap == SEV_PARAM_ABSENT) {
		add(l, "param-debug-swap", CHECK_SKIP,
		    "no kvm_amd.debug_swap (kvm_amd not loaded, Linux before 6.5, or removed)");
		return;
	}
	struct check_line *c = add(l, "param-debug-swap", CHECK_PASS,
	                           "kvm_amd.debug_swap is %s: a legacy-init VMSA gets sev_features "
	                           "0x%llx",
	                           sev_param_name(h->param_debug_swap),
	                           (unsigned long long)sev_host_sev_features(&p));
	if (sev_host_sev_features(&p))
		TODO(c, "predict digests with measure --sev-init legacy --host-kernel %u.%u "
		        "--host-debug-swap y",
		     h->kernel_major, h->kernel_minor);
}

static void check_vm_types(struct check_list *l, const struct sev_host_caps *h)
{
	if (!h->kvm) {
		add(l, "vm-types", CHECK_SKIP, "needs /dev/kvm");
		add(l, "vmsa-features", CHECK_SKIP, "needs /dev/kvm");
		return;
	}
	if (!h->vm_types)
		add(l, "vm-types", CHECK_PASS,
		    "no KVM_CAP_VM_TYPES (before 6.8): the legacy KVM_SEV_ES_INIT");
	else if (h->init == SEV_INIT_INIT2)
		add(l, "vm-types", CHECK_PASS, "KVM_CAP_VM_TYPES 0x%llx has SEV-ES: KVM_SEV_INIT2",
		    (unsigned long long)h->vm_types);
	else
		add(l, "vm-types", CHECK_PASS,
		    "KVM_CAP_VM_TYPES 0x%llx lacks SEV-ES (6.8/6.9, or SEV-ES off): the legacy "
		    "KVM_SEV_ES_INIT",
		    (unsigned long long)h->vm_types);
	if (h->init != SEV_INIT_INIT2)
		add(l, "vmsa-features", CHECK_SKIP, "only KVM_SEV_INIT2 takes VMSA features");
	else if (!h->have_vmsa_features)
		add(l, "vmsa-features", CHECK_SKIP, "KVM_X86_SEV_VMSA_FEATURES not readable");
	else
		add(l, "vmsa-features", CHECK_PASS, "KVM accepts --sev-features within 0x%llx%s",
		    (unsigned long long)h->vmsa_features,
		    h->vmsa_features & SEV_FEAT_DEBUG_SWAP ? " (DebugSwap 0x20)" : "");
}

static const char *platform_state(uint8_t s)
{
	static const char *const names[] = {"UNINIT", "INIT", "WORKING"};
	return s < 3 ? names[s] : "unknown";
}

static void check_firmware(struct check_list *l, const struct sev_host_caps *h)
{
	check_dev(l, "dev-sev", SEV_DEV_PATH, h->sev_dev, h->sev_errno,
	          "load ccp with SEV enabled in the BIOS (SEV, SEV-ES ASID space)");
	struct check_line *c;
	if (!h->sev_dev) {
		add(l, "sev-platform", CHECK_SKIP, "needs " SEV_DEV_PATH);
		add(l, "sev-es-firmware", CHECK_SKIP, "needs " SEV_DEV_PATH);
	} else if (!h->have_platform) {
		c = add(l, "sev-platform", CHECK_FAIL, "PLATFORM_STATUS failed: %s, firmware error 0x%x",
		        strerror(h->platform_errno), h->platform_fw_error);
		TODO(c, "check dmesg for ccp/psp errors; update the SEV firmware");
		add(l, "sev-es-firmware", CHECK_SKIP, "needs PLATFORM_STATUS");
	} else {
		const struct sev_platform *p = &h->platform;
		add(l, "sev-platform", CHECK_PASS, "SEV API %u.%u build %u, state %s, %u guests",
		    p->api_major, p->api_minor, p->build, platform_state(p->state), p->guest_count);
		bool es = p->flags & ES_CONFIGURED;
		c = add(l, "sev-es-firmware", es ? CHECK_PASS : CHECK_FAIL,
		        "PLATFORM_STATUS flags 0x%x: SEV-ES %s", p->flags,
		        es ? "configured" : "not configured");
		if (!es)
			TODO(c, "enable SEV-ES in the BIOS (a non-zero SEV-ES ASID space)");
	}
	if (h->es_asids < 0) {
		add(l, "sev-es-asids", CHECK_SKIP, "%s shows no sev_es line", SEV_MISC_CAPACITY);
		return;
	}
	c = add(l, "sev-es-asids", h->es_asids ? CHECK_PASS : CHECK_FAIL, "%ld SEV-ES ASIDs",
	        h->es_asids);
	if (!h->es_asids)
		TODO(c, "raise the SEV-ES ASID space in the BIOS (SEV-ES ASID Space Limit)");
}

static void check_outcome(struct check_list *l, const struct sev_host_caps *h)
{
	if (h->kvm)
		add(l, "ghcb-version", CHECK_PASS, "KVM will offer GHCB protocol version %u (%s)",
		    h->ghcb_version, sev_init_path_name(h->init));
	else
		add(l, "ghcb-version", CHECK_SKIP, "needs /dev/kvm");
	struct check_line *c = add(l, "sev-auto", h->usable ? CHECK_PASS : CHECK_FAIL,
	                           "--sev auto would choose %s", h->usable ? "es" : "emulated");
	if (!h->usable)
		TODO(c, "fix the failing lines above; until then runs are emulated (nothing encrypted)");
}

void check_build(struct check_list *l, const struct sev_host_caps *caps)
{
	memset(l, 0, sizeof(*l));
	check_kernel(l, caps);
	check_kvm(l, caps);
	check_param(l, "param-sev", "sev", caps->param_sev);
	check_param(l, "param-sev-es", "sev_es", caps->param_sev_es);
	check_debug_swap(l, caps);
	check_vm_types(l, caps);
	check_firmware(l, caps);
	check_outcome(l, caps);
}

const char *check_status_name(enum check_status s)
{
	return s == CHECK_PASS ? "pass" : s == CHECK_FAIL ? "fail" : "skip";
}

json_t *check_json(const struct check_list *l, const struct sev_host_caps *caps)
{
	json_t *lines = json_array();
	for (size_t i = 0; i < l->n; i++) {
		const struct check_line *c = &l->v[i];
		json_t *o = json_pack("{s:s, s:s, s:s}", "name", c->name, "status",
		                      check_status_name(c->status), "reason", c->reason);
		if (c->todo[0])
			json_object_set_new(o, "todo", json_string(c->todo));
		json_array_append_new(lines, o);
	}
	return json_pack("{s:i, s:s, s:b, s:s, s:s, s:i, s:o}", "schema_version", 1, "kernel",
	                 caps->kernel, "usable", caps->usable, "sev_auto",
	                 caps->usable ? "es" : "emulated", "sev_init",
	                 sev_init_path_name(caps->init), "ghcb_version", (int)caps->ghcb_version,
	                 "checks", lines);
}

int check_main(const struct config *cfg)
{
	struct sev_host_caps caps;
	struct check_list l;
	sev_host_probe(NULL, &caps);
	check_build(&l, &caps);
	if (cfg->json) {
		json_t *j = check_json(&l, &caps);
		json_dumpf(j, stdout, JSON_INDENT(2));
		putchar('\n');
		json_decref(j);
	} else {
		for (size_t i = 0; i < l.n; i++) {
			const struct check_line *c = &l.v[i];
			printf("%-4s  %-16s %s\n", check_status_name(c->status), c->name, c->reason);
			if (c->todo[0])
				printf("      %-16s -> %s\n", "", c->todo);
		}
		printf("%s\n", caps.usable ? "SEV-ES hardware guests can run here (--sev es)."
		                           : "SEV-ES hardware guests cannot run here; --sev auto "
		                             "runs them emulated.");
	}
	return fflush(stdout) ? 2 : caps.usable ? 0 : 1;
}
