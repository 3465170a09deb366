// SPDX-License-Identifier: MIT
/* SEV-ES on real hardware: thin wrappers for each KVM_MEMORY_ENCRYPT_OP command. */
#include "sev/backend_kvm.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <linux/psp-sev.h>

#include "sev/kvm_compat.h"

/* The uAPI layouts this file relies on (uapi/linux/kvm.h, uapi/linux/psp-sev.h). */
_Static_assert(KVM_MEMORY_ENCRYPT_OP == 0xc008aebaul, "KVM_MEMORY_ENCRYPT_OP");
_Static_assert(KVM_MEMORY_ENCRYPT_REG_REGION == 0x8010aebbul, "REG_REGION");
_Static_assert(SEV_ISSUE_CMD == 0xc0105300ul, "SEV_ISSUE_CMD");
_Static_assert(sizeof(struct kvm_sev_cmd) == 24, "kvm_sev_cmd");
_Static_assert(offsetof(struct kvm_sev_cmd, data) == 8, "kvm_sev_cmd.data");
_Static_assert(offsetof(struct kvm_sev_cmd, error) == 16, "kvm_sev_cmd.error");
_Static_assert(offsetof(struct kvm_sev_cmd, sev_fd) == 20, "kvm_sev_cmd.sev_fd");
_Static_assert(sizeof(struct pvh_kvm_sev_init) == 48, "kvm_sev_init");
_Static_assert(offsetof(struct pvh_kvm_sev_init, flags) == 8, "kvm_sev_init.flags");
_Static_assert(offsetof(struct pvh_kvm_sev_init, ghcb_version) == 12, "kvm_sev_init.ghcb_version");
_Static_assert(PVH_KVM_SEV_INIT2 == 22 && KVM_SEV_ES_INIT == 1, "sev_cmd_id");
_Static_assert(KVM_SEV_LAUNCH_UPDATE_VMSA == 4 && KVM_SEV_LAUNCH_FINISH == 7, "sev_cmd_id");
_Static_assert(sizeof(struct kvm_sev_launch_start) == 40, "kvm_sev_launch_start");
_Static_assert(offsetof(struct kvm_sev_launch_start, session_uaddr) == 24, "session_uaddr");
_Static_assert(sizeof(struct kvm_sev_launch_update_data) == 16, "launch_update_data");
_Static_assert(sizeof(struct kvm_sev_launch_measure) == 16, "launch_measure");
_Static_assert(sizeof(struct kvm_sev_launch_secret) == 48, "launch_secret");
_Static_assert(offsetof(struct kvm_sev_launch_secret, trans_uaddr) == 32, "trans_uaddr");
_Static_assert(sizeof(struct kvm_enc_region) == 16, "kvm_enc_region");
_Static_assert(sizeof(struct sev_issue_cmd) == 16, "sev_issue_cmd");
_Static_assert(sizeof(struct sev_user_data_status) == 12, "sev_user_data_status");

#define MEASURE_BLOB_LEN (SEV_DIGEST_LEN + SEV_MNONCE_LEN) /* MEASURE || MNONCE */
/* sev_launch_update_data keeps lengths in an int: stay well below 2 GiB per command. */
#define UPDATE_DATA_CHUNK SEV_KVM_UPDATE_DATA_MAX

struct sev_kvm {
	struct sev_kvm_config cfg;
	const struct sev_sys_ops *sys;
	int sev_fd;
	int vm_fd;
	struct sev_platform platform;
	bool vmsa_done;
};

void sev_kvm_config_default(struct sev_kvm_config *c)
{
	memset(c, 0, sizeof(*c));
	c->init = SEV_INIT_INIT2;
}

static int platform_status(struct sev_kvm *k, char *err, size_t errlen)
{
	uint32_t fw_error = 0;
	int r = sev_platform_query(k->sys, k->sev_fd, &k->platform, &fw_error);
	if (r < 0) {
		snprintf(err, errlen,
		         "SEV PLATFORM_STATUS failed: %s (errno %d), firmware error "
		         "0x%x %s",
		         strerror(-r), -r, fw_error, sev_fw_status_name(fw_error));
		return r;
	}
	const struct sev_platform st = k->platform;
	if (!(st.flags & SEV_STATUS_FLAGS_CONFIG_ES)) {
		snprintf(err, errlen,
		         "the SEV firmware is not configured for SEV-ES "
		         "(PLATFORM_STATUS flags 0x%x lack 0x100)",
		         st.flags);
		return -ENODEV;
	}
	return 0;
}

int sev_kvm_open(struct sev_kvm **out, const struct sev_kvm_config *c, char *err, size_t errlen)
{
	struct sev_kvm *k = calloc(1, sizeof(*k));
	if (!k)
		return -ENOMEM;
	k->cfg = *c;
	k->sys = c->sys ? c->sys : &sev_sys_linux;
	k->vm_fd = -1;
	const char *dev = c->sev_dev ? c->sev_dev : SEV_DEV_PATH;
	k->sev_fd = k->sys->open(dev, O_RDWR);
	int r = k->sev_fd;
	if (r < 0) {
		snprintf(err, errlen, "cannot open %s: %s", dev, strerror(-r));
		goto fail;
	}
	r = platform_status(k, err, errlen);
	if (r)
		goto fail;
	*out = k;
	return 0;
fail:
	sev_kvm_close(k);
	return r;
}

void sev_kvm_close(struct sev_kvm *k)
{
	if (!k)
		return;
	if (k->sev_fd >= 0)
		k->sys->close(k->sev_fd);
	free(k);
}

unsigned long sev_kvm_vm_type(const struct sev_kvm *k)
{
	return k->cfg.init == SEV_INIT_INIT2 ? KVM_X86_SEV_ES_VM : KVM_X86_DEFAULT_VM;
}

unsigned sev_kvm_ghcb_version(const struct sev_kvm *k)
{
	return sev_init_ghcb_version(k->cfg.init);
}

void sev_kvm_platform(const struct sev_kvm *k, struct sev_platform *p) { *p = k->platform; }

/* One KVM_MEMORY_ENCRYPT_OP; a failure names the step, errno and the firmware status. */
static int sev_cmd(struct sev_kvm *k, uint32_t id, void *data, const char *step, char *err,
                   size_t errlen)
{
	struct kvm_sev_cmd cmd = {.id = id, .data = (uintptr_t)data, .sev_fd = (uint32_t)k->sev_fd};
	int r = k->sys->ioctl(k->vm_fd, KVM_MEMORY_ENCRYPT_OP, &cmd);
	if (r < 0 && err)
		snprintf(err, errlen, "%s failed: %s (errno %d), firmware error 0x%x %s", step,
		         strerror(-r), -r, cmd.error, sev_fw_status_name(cmd.error));
	return r < 0 ? r : 0;
}

int sev_kvm_init_vm(struct sev_kvm *k, int vm_fd, char *err, size_t errlen)
{
	k->vm_fd = vm_fd;
	if (k->cfg.init == SEV_INIT_LEGACY) /* no argument; the fd is unused by init */
		return sev_cmd(k, KVM_SEV_ES_INIT, NULL, "KVM_SEV_ES_INIT", err, errlen);
	/* Zeroed but for vmsa_features: flags 0, ghcb_version 0 means KVM's default (2). */
	struct pvh_kvm_sev_init init;
	memset(&init, 0, sizeof(init));
	init.vmsa_features = k->cfg.vmsa_features;
	return sev_cmd(k, PVH_KVM_SEV_INIT2, &init, "KVM_SEV_INIT2", err, errlen);
}

int sev_kvm_register_ram(struct sev_kvm *k, void *host, uint64_t size, char *err, size_t errlen)
{
	struct kvm_enc_region reg = {.addr = (uintptr_t)host, .size = size};
	int r = k->sys->ioctl(k->vm_fd, KVM_MEMORY_ENCRYPT_REG_REGION, &reg);
	if (r < 0)
		snprintf(err, errlen, "KVM_MEMORY_ENCRYPT_REG_REGION of %llu bytes failed: %s%s",
		         (unsigned long long)size, strerror(-r),
		         r == -ENOMEM ? " (raise RLIMIT_MEMLOCK or grant CAP_IPC_LOCK)" : "");
	return r < 0 ? r : 0;
}

static struct sev_kvm *kvm_of(const struct sev_backend *b) { return b->ctx; }

static int kvm_launch_start(struct sev_backend *b, uint32_t policy, const struct sev_blob *dh_cert,
                            const struct sev_blob *session, char *err, size_t errlen)
{
	struct kvm_sev_launch_start ls;
	memset(&ls, 0, sizeof(ls));
	ls.handle = 0; /* a new guest */
	ls.policy = policy;
	if (dh_cert->len > UINT32_MAX || session->len > UINT32_MAX) {
		snprintf(err, errlen, "LAUNCH_START: DH certificate or session blob too large");
		return -EINVAL;
	}
	ls.dh_uaddr = (uintptr_t)dh_cert->data;
	ls.dh_len = (uint32_t)dh_cert->len;
	ls.session_uaddr = (uintptr_t)session->data;
	ls.session_len = (uint32_t)session->len;
	return sev_cmd(kvm_of(b), KVM_SEV_LAUNCH_START, &ls, "LAUNCH_START", err, errlen);
}

static int kvm_update_data(struct sev_backend *b, gpa_t gpa, void *host, uint64_t len, char *err,
                           size_t errlen)
{
	uint8_t *p = host;
	while (len) {
		uint64_t n = len < UPDATE_DATA_CHUNK ? len : UPDATE_DATA_CHUNK;
		struct kvm_sev_launch_update_data ud = {.uaddr = (uintptr_t)p, .len = (uint32_t)n};
		char step[64];
		snprintf(step, sizeof(step), "LAUNCH_UPDATE_DATA at GPA 0x%llx",
		         (unsigned long long)gpa);
		int r = sev_cmd(kvm_of(b), KVM_SEV_LAUNCH_UPDATE_DATA, &ud, step, err, errlen);
		if (r)
			return r;
		p += n;
		gpa += n;
		len -= n;
	}
	return 0;
}

static int kvm_update_vmsa(struct sev_backend *b, const struct cpu_state *states, size_t n,
                           char *err, size_t errlen)
{
	/* One command for all vCPUs: KVM syncs and encrypts each VMSA in vCPU index order. */
	struct sev_kvm *k = kvm_of(b);
	int r = sev_cmd(k, KVM_SEV_LAUNCH_UPDATE_VMSA, NULL, "LAUNCH_UPDATE_VMSA", err, errlen);
	if (!r)
		k->vmsa_done = true;
	return r;
}

static int kvm_measure(struct sev_backend *b, uint8_t measure[SEV_DIGEST_LEN],
                       uint8_t mnonce[SEV_MNONCE_LEN], char *err, size_t errlen)
{
	struct sev_kvm *k = kvm_of(b);
	struct kvm_sev_launch_measure m = {.uaddr = 0, .len = 0};
	/* The length query fails by design (INVALID_LEN) with len filled in: use len. */
	sev_cmd(k, KVM_SEV_LAUNCH_MEASURE, &m, NULL, NULL, 0);
	if (m.len < MEASURE_BLOB_LEN || m.len > 4096) {
		snprintf(err, errlen, "LAUNCH_MEASURE length query returned %u bytes, need %u",
		         m.len, MEASURE_BLOB_LEN);
		return -EPROTO;
	}
	uint8_t *buf = calloc(1, m.len);
	if (!buf)
		return -ENOMEM;
	m.uaddr = (uintptr_t)buf;
	int r = sev_cmd(k, KVM_SEV_LAUNCH_MEASURE, &m, "LAUNCH_MEASURE", err, errlen);
	if (!r && m.len < MEASURE_BLOB_LEN) {
		snprintf(err, errlen, "LAUNCH_MEASURE returned %u bytes, need %u", m.len,
		         MEASURE_BLOB_LEN);
		r = -EPROTO;
	}
	if (!r) {
		memcpy(measure, buf, SEV_DIGEST_LEN);
		memcpy(mnonce, buf + SEV_DIGEST_LEN, SEV_MNONCE_LEN);
	}
	free(buf);
	return r;
}

static int kvm_secret(struct sev_backend *b, const struct sev_secret *s, char *err, size_t errlen)
{
	if (s->header.len > UINT32_MAX || s->trans.len > UINT32_MAX || !s->guest_host) {
		snprintf(err, errlen, "LAUNCH_SECRET: bad packet (sizes or guest address)");
		return -EINVAL;
	}
	struct kvm_sev_launch_secret ls = {
	    .hdr_uaddr = (uintptr_t)s->header.data,
	    .hdr_len = (uint32_t)s->header.len,
	    .guest_uaddr = (uintptr_t)s->guest_host,
	    .guest_len = s->guest_len,
	    .trans_uaddr = (uintptr_t)s->trans.data,
	    .trans_len = (uint32_t)s->trans.len,
	};
	return sev_cmd(kvm_of(b), KVM_SEV_LAUNCH_SECRET, &ls, "LAUNCH_SECRET", err, errlen);
}

static int kvm_finish(struct sev_backend *b, char *err, size_t errlen)
{
	return sev_cmd(kvm_of(b), KVM_SEV_LAUNCH_FINISH, NULL, "LAUNCH_FINISH", err, errlen);
}

static int kvm_writable(const struct sev_backend *b) { return kvm_of(b)->vmsa_done ? -EINVAL : 0; }

static void kvm_platform(const struct sev_backend *b, uint8_t *api_major, uint8_t *api_minor,
                         uint8_t *build)
{
	*api_major = kvm_of(b)->platform.api_major;
	*api_minor = kvm_of(b)->platform.api_minor;
	*build = kvm_of(b)->platform.build;
}

static const struct sev_backend_ops kvm_ops = {
    .name = "kvm",
    .launch_start = kvm_launch_start,
    .update_data = kvm_update_data,
    .update_vmsa = kvm_update_vmsa,
    .measure = kvm_measure,
    .secret = kvm_secret,
    .finish = kvm_finish,
    .vcpu_state_writable = kvm_writable,
    .platform = kvm_platform,
};

void sev_backend_kvm(struct sev_backend *b, struct sev_kvm *k)
{
	memset(b, 0, sizeof(*b));
	b->ops = &kvm_ops;
	b->ctx = k;
	vmsa_options_default(&b->vmsa);
	b->vmsa.init = k->cfg.init;
	b->vmsa.sev_features = k->cfg.vmsa_features;
}
