// SPDX-License-Identifier: MIT
#include "vmm/sev_setup.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "vmm/boot_image.h"
#include "sev/kvm_compat.h"
#include "vmm/sev_emul.h"
#include "vmm/vm.h"

#define FAIL(e, ...) (snprintf(err, errlen, __VA_ARGS__), -(e))

/* es on this host: the init path, the host profile and the features the VMSAs will hold. */
static int use_host(struct sev_setup *s, const struct sev_host_caps *caps,
		    const struct config *cfg, char *err, size_t errlen)
{
	if (cfg->sev_init == CFG_SEV_INIT_AUTO)
		s->init = caps->init;
	if (s->init == SEV_INIT_INIT2 && caps->init != SEV_INIT_INIT2)
		return FAIL(ENODEV, "--sev-init init2: KVM on this host (Linux %s) has no SEV-ES VM "
			    "type (KVM_CAP_VM_TYPES 0x%llx, needs Linux 6.10+); use --sev-init legacy",
			    caps->kernel, (unsigned long long)caps->vm_types);
	sev_host_profile_of(&s->profile, caps, s->init, cfg->sev_features);
	int r = sev_host_check_features(&s->profile, caps, err, errlen);
	s->vmsa.init = s->init;
	s->vmsa.sev_features = sev_host_sev_features(&s->profile);
	return r;
}

static int choose_mode(struct sev_setup *s, const struct config *cfg, char *err, size_t errlen)
{
	struct sev_host_caps caps;
	s->mode = cfg->sev;
	if (s->mode != SEV_MODE_ES && s->mode != SEV_MODE_AUTO)
		return 0;
	sev_host_probe(NULL, &caps);
	if (s->mode == SEV_MODE_ES && !caps.usable)
		return FAIL(ENODEV, "--sev=es: this host cannot run SEV-ES guests: %s (see "
			    "pvh-sev check)", caps.missing);
	if (s->mode == SEV_MODE_AUTO) {
		s->mode = caps.usable ? SEV_MODE_ES : SEV_MODE_EMULATED;
		snprintf(s->note, sizeof(s->note), "--sev=auto chose %s%s%s",
			 sev_mode_name(s->mode), caps.usable ? "" : " (no SEV-ES hardware: ",
			 caps.usable ? "" : caps.missing);
		if (!caps.usable)
			strncat(s->note, ")", sizeof(s->note) - strlen(s->note) - 1);
	}
	return s->mode == SEV_MODE_ES ? use_host(s, &caps, cfg, err, errlen) : 0;
}

static int open_hardware(struct sev_setup *s, const struct config *cfg, char *err, size_t errlen)
{
	struct sev_kvm_config kc;
	sev_kvm_config_default(&kc);
	kc.init = s->init;
	kc.vmsa_features = s->vmsa.sev_features;
	int r = sev_kvm_open(&s->kvm, &kc, err, errlen);
	if (r)
		return r;
	s->vm_type = sev_kvm_vm_type(s->kvm);
	s->ghcb_version = sev_kvm_ghcb_version(s->kvm);
	sev_backend_kvm(&s->backend, s->kvm);
	return 0;
}

void sev_setup_host_profile(struct sev_host_profile *p, const struct config *cfg)
{
	p->init = cfg->sev_init == CFG_SEV_INIT_LEGACY ? SEV_INIT_LEGACY : SEV_INIT_INIT2;
	p->kernel_major = cfg->host_kernel_major;
	p->kernel_minor = cfg->host_kernel_minor;
	p->debug_swap = (enum sev_param)cfg->host_debug_swap;
	p->requested = cfg->sev_features;
	p->source = "options";
}

void sev_setup_vmsa_options(struct vmsa_options *o, const struct config *cfg)
{
	struct sev_host_profile p;
	sev_setup_host_profile(&p, cfg);
	vmsa_options_default(o);
	o->init = p.init;
	o->sev_features = sev_host_sev_features(&p);
}

int sev_setup_choose(struct sev_setup *s, const struct config *cfg, char *err, size_t errlen)
{
	struct sev_model_config mc;
	memset(s, 0, sizeof(*s));
	sev_setup_vmsa_options(&s->vmsa, cfg);
	sev_setup_host_profile(&s->profile, cfg);
	s->init = s->vmsa.init;
	int r = choose_mode(s, cfg, err, errlen);
	if (r)
		return r;
	s->sev_es = s->mode != SEV_MODE_OFF;
	if (!s->sev_es && cfg->strict)
		return FAIL(EINVAL, "--strict checks emulated SEV-ES: it needs --sev emulated or auto");
	if (!s->sev_es && (cfg->dh_cert || cfg->session || cfg->secret))
		return FAIL(EINVAL, "--dh-cert, --session and --secret need an SEV-ES mode, not off");
	if ((r = owner_blobs_read(&s->blobs, cfg, err, errlen)))
		return r;
	sev_launch_config_default(&s->launch);
	s->launch.policy = cfg->policy;
	s->launch.dump_dir = cfg->dump_launch;
	s->launch.no_blob_digests = !cfg->report; /* only the report lists each blob's digest */
	s->launch.ld_from_firmware = true;
	s->launch.dh_cert = (struct sev_blob){s->blobs.dh_cert, s->blobs.dh_cert_len};
	s->launch.session = (struct sev_blob){s->blobs.session, s->blobs.session_len};
	s->vm_type = KVM_X86_DEFAULT_VM;
	s->ghcb_version = sev_init_ghcb_version(s->init);
	switch (s->mode) {
	case SEV_MODE_ES:
		return open_hardware(s, cfg, err, errlen);
	case SEV_MODE_EMULATED:
		sev_model_config_default(&mc);
		mc.api_major = cfg->api_major;
		mc.api_minor = cfg->api_minor;
		mc.build = cfg->build;
		if (sev_model_new(&s->model, &mc))
			return FAIL(ENOMEM, "cannot create the SEV firmware model");
		sev_backend_model(&s->backend, s->model, &s->vmsa);
		return 0;
	default:
		sev_backend_none(&s->backend);
		return 0;
	}
}

int sev_setup_platform(struct sev_setup *s, struct vm *vm, char *err, size_t errlen)
{
	return s->mode == SEV_MODE_EMULATED ? sev_emul_setup_msrs(vm, err, errlen) : 0;
}

int sev_setup_vm(struct sev_setup *s, struct vm *vm, const struct config *cfg, char *err,
		 size_t errlen)
{
	int r;
	if ((r = owner_blobs_bind_secret(&s->blobs, cfg, &vm->mem, err, errlen)))
		return r;
	if (s->blobs.have_secret)
		s->launch.secret = &s->blobs.secret;
	if (s->mode == SEV_MODE_EMULATED)
		return sev_emul_setup_vm(vm, cfg->cbit, s->ghcb_version, cfg->strict, err, errlen);
	if (s->mode != SEV_MODE_ES)
		return 0;
	vm->sev_hw = true;
	if ((r = sev_kvm_init_vm(s->kvm, vm->vm_fd, err, errlen)))
		return r;
	return sev_kvm_register_ram(s->kvm, vm->mem.host, vm->mem.size, err, errlen);
}

void sev_setup_strict_fill(struct vm *vm, const struct boot_image *img)
{
	/* 0xcc everywhere, then the measured pages zeroed: launch.md 3 measures a region's whole
	 * pages with zeros around the content, and guest_mem_load_regions writes the content. */
	for (size_t i = 0; i < vm->mem.nram; i++)
		memset(vm->mem.host + guest_mem_range_offset(&vm->mem, i), 0xcc, vm->mem.ram[i].size);
	for (size_t i = 0; i < img->regions.n; i++) {
		const struct region *g = &img->regions.v[i];
		gpa_t lo = PAGE_DOWN(g->gpa), hi = PAGE_UP(g->gpa + g->size);
		uint8_t *p = guest_mem_ptr(&vm->mem, lo, hi - lo);
		if (p)
			memset(p, 0, hi - lo);
	}
}

int sev_setup_launch(struct sev_setup *s, struct vm *vm, const struct boot_image *img,
		     char *err, size_t errlen)
{
	return sev_launch_run(&s->backend, &s->launch, &vm->mem, &img->regions, img->states,
			      img->nvcpus, &s->result, err, errlen);
}

void sev_setup_free(struct sev_setup *s)
{
	owner_blobs_free(&s->blobs);
	sev_launch_result_free(&s->result);
	if (s->model)
		sev_model_free(s->model);
	if (s->kvm)
		sev_kvm_close(s->kvm);
	s->model = NULL;
	s->kvm = NULL;
}
