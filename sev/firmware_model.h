/* SPDX-License-Identifier: MIT */
/*
 * A software model of the SEV firmware's guest launch: the guest state machine (UNINIT ->
 * LUPDATE -> LSECRET -> RUNNING) with the firmware's status codes for commands out of order,
 * the launch digest LD (one running SHA-256 over every UPDATE_DATA and UPDATE_VMSA byte), and
 * MEASURE = HMAC-SHA256(TIK, 0x04 || API_MAJOR || API_MINOR || BUILD || POLICY || LD || MNONCE).
 * It encrypts nothing. Used by --sev=emulated, `pvh-sev measure` and the tests.
 */
#ifndef PVH_SEV_FIRMWARE_MODEL_H
#define PVH_SEV_FIRMWARE_MODEL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "sev/sev_fw.h"

#define SEV_TIK_LEN 16
#define SEV_MNONCE_LEN 16
#define SEV_DIGEST_LEN 32

/* Defaults for the platform version the model reports (a Milan-era firmware, API 1.55 build 21). */
#define SEV_MODEL_API_MAJOR 1
#define SEV_MODEL_API_MINOR 55
#define SEV_MODEL_BUILD 21

struct sev_model_config {
	uint8_t api_major, api_minor, build;
	bool have_tik; /* else a random TIK (the owner cannot verify MEASURE then) */
	uint8_t tik[SEV_TIK_LEN];
	bool have_mnonce; /* else a random MNONCE at MEASURE, as the firmware does */
	uint8_t mnonce[SEV_MNONCE_LEN];
};

/* One LAUNCH_SECRET as recorded by the model (it has no TEK, so it does not decrypt). */
struct sev_model_secret {
	uint64_t guest_addr;
	uint32_t guest_len;
	uint32_t hdr_len;
	uint32_t trans_len;
};

struct sev_model;

void sev_model_config_default(struct sev_model_config *c);
int sev_model_new(struct sev_model **out, const struct sev_model_config *c);
void sev_model_free(struct sev_model *m);

/*
 * Firmware commands. Each returns 0 with *fw_err = SUCCESS, or -EIO with *fw_err the status
 * the firmware would return (INVALID_GUEST_STATE for a command out of order, POLICY_FAILURE,
 * INVALID_ADDRESS, INVALID_LEN, INVALID_PARAM), or -ENOMEM.
 */
int sev_model_launch_start(struct sev_model *m, uint32_t policy, uint32_t *fw_err);
/* addr: the guest-physical (firmware: system-physical) address, 16-byte aligned, as is len. */
int sev_model_update_data(struct sev_model *m, uint64_t addr, const void *data, uint64_t len,
                          uint32_t *fw_err);
/* One vCPU's VMSA page: addr page-aligned, len 4096. */
int sev_model_update_vmsa(struct sev_model *m, uint64_t addr, const uint8_t *page, uint32_t len,
                          uint32_t *fw_err);
int sev_model_measure(struct sev_model *m, uint8_t measure[SEV_DIGEST_LEN],
                      uint8_t mnonce[SEV_MNONCE_LEN], uint32_t *fw_err);
int sev_model_launch_secret(struct sev_model *m, const struct sev_model_secret *s,
                            uint32_t *fw_err);
int sev_model_finish(struct sev_model *m, uint32_t *fw_err);

enum sev_guest_state sev_model_state(const struct sev_model *m);
uint32_t sev_model_policy(const struct sev_model *m);
void sev_model_platform(const struct sev_model *m, uint8_t *api_major, uint8_t *api_minor,
                        uint8_t *build);
void sev_model_tik(const struct sev_model *m, uint8_t tik[SEV_TIK_LEN]);
/* LD, once MEASURE has run; -EAGAIN before. */
int sev_model_ld(const struct sev_model *m, uint8_t ld[SEV_DIGEST_LEN]);
size_t sev_model_secrets(const struct sev_model *m, const struct sev_model_secret **v);

/*
 * 0 while the VMM may still set a vCPU's registers; -EINVAL (what KVM returns on a VM with
 * protected state) once LAUNCH_UPDATE_VMSA has run. The VMM calls this before every
 * KVM_SET_REGS/SREGS/FPU/XSAVE/XCRS/DEBUGREGS/MSRS in emulated mode.
 */
int sev_model_vcpu_state_writable(const struct sev_model *m);

/* MEASURE from its inputs (the formula, for owners verifying offline). Returns 0 or -EIO. */
int sev_measure_hmac(const uint8_t tik[SEV_TIK_LEN], uint8_t api_major, uint8_t api_minor,
                     uint8_t build, uint32_t policy, const uint8_t ld[SEV_DIGEST_LEN],
                     const uint8_t mnonce[SEV_MNONCE_LEN], uint8_t out[SEV_DIGEST_LEN]);

#endif
