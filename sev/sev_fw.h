/* SPDX-License-Identifier: MIT */
/*
 * SEV firmware (PSP) facts shared by the software model and the KVM backend: the guest states,
 * the status codes the firmware writes into kvm_sev_cmd.error, and the policy bits.
 * Values: AMD SEV API 55766 as transcribed in AMD's sev-tool (sevapi.h) and Linux psp-sev.h.
 */
#ifndef PVH_SEV_FW_H
#define PVH_SEV_FW_H

#include <stdint.h>

enum sev_guest_state {
	SEV_GSTATE_UNINIT = 0,
	SEV_GSTATE_LUPDATE = 1,
	SEV_GSTATE_LSECRET = 2,
	SEV_GSTATE_RUNNING = 3,
};

enum sev_fw_status {
	SEV_FW_SUCCESS = 0x00,
	SEV_FW_INVALID_PLATFORM_STATE = 0x01,
	SEV_FW_INVALID_GUEST_STATE = 0x02,
	SEV_FW_INVALID_CONFIG = 0x03,
	SEV_FW_INVALID_LEN = 0x04,
	SEV_FW_ALREADY_OWNED = 0x05,
	SEV_FW_INVALID_CERTIFICATE = 0x06,
	SEV_FW_POLICY_FAILURE = 0x07,
	SEV_FW_INACTIVE = 0x08,
	SEV_FW_INVALID_ADDRESS = 0x09,
	SEV_FW_BAD_SIGNATURE = 0x0a,
	SEV_FW_BAD_MEASUREMENT = 0x0b,
	SEV_FW_ASID_OWNED = 0x0c,
	SEV_FW_INVALID_ASID = 0x0d,
	SEV_FW_WBINVD_REQUIRED = 0x0e,
	SEV_FW_DFFLUSH_REQUIRED = 0x0f,
	SEV_FW_INVALID_GUEST = 0x10,
	SEV_FW_INVALID_COMMAND = 0x11,
	SEV_FW_ACTIVE = 0x12,
	SEV_FW_HWERROR_PLATFORM = 0x13,
	SEV_FW_HWERROR_UNSAFE = 0x14,
	SEV_FW_UNSUPPORTED = 0x15,
	SEV_FW_INVALID_PARAM = 0x16,
	SEV_FW_RESOURCE_LIMIT = 0x17,
	SEV_FW_SECURE_DATA_INVALID = 0x18,
};

/* Guest policy bits (SEV API 55766 section 3; psp-sev.h SEV_POLICY_MASK_*). */
#define SEV_POLICY_NODBG 0x01u
#define SEV_POLICY_NOKS 0x02u
#define SEV_POLICY_ES 0x04u
#define SEV_POLICY_NOSEND 0x08u
#define SEV_POLICY_DOMAIN 0x10u
#define SEV_POLICY_SEV 0x20u
#define SEV_POLICY_RESERVED 0xffc0u /* bits 15:6 */
#define SEV_POLICY_DEFAULT (SEV_POLICY_NODBG | SEV_POLICY_ES)

/* "INVALID_ADDRESS" etc., or "UNKNOWN" for a code outside the table. */
const char *sev_fw_status_name(uint32_t code);
const char *sev_guest_state_name(enum sev_guest_state s);

#endif
