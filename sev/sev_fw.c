// SPDX-License-Identifier: MIT
#include "sev/sev_fw.h"

#include <stddef.h>

static const char *const fw_status_names[] = {
    "SUCCESS",
    "INVALID_PLATFORM_STATE",
    "INVALID_GUEST_STATE",
    "INVALID_CONFIG",
    "INVALID_LEN",
    "ALREADY_OWNED",
    "INVALID_CERTIFICATE",
    "POLICY_FAILURE",
    "INACTIVE",
    "INVALID_ADDRESS",
    "BAD_SIGNATURE",
    "BAD_MEASUREMENT",
    "ASID_OWNED",
    "INVALID_ASID",
    "WBINVD_REQUIRED",
    "DFFLUSH_REQUIRED",
    "INVALID_GUEST",
    "INVALID_COMMAND",
    "ACTIVE",
    "HWERROR_PLATFORM",
    "HWERROR_UNSAFE",
    "UNSUPPORTED",
    "INVALID_PARAM",
    "RESOURCE_LIMIT",
    "SECURE_DATA_INVALID",
};

const char *sev_fw_status_name(uint32_t code)
{
	if (code == 0xffffffffu)
		return "NO_FW_CALL"; /* the kernel's SEV_RET_NO_FW_CALL (-1) */
	if (code < sizeof(fw_status_names) / sizeof(fw_status_names[0]))
		return fw_status_names[code];
	return "UNKNOWN";
}

const char *sev_guest_state_name(enum sev_guest_state s)
{
	switch (s) {
	case SEV_GSTATE_UNINIT:
		return "UNINIT";
	case SEV_GSTATE_LUPDATE:
		return "LUPDATE";
	case SEV_GSTATE_LSECRET:
		return "LSECRET";
	case SEV_GSTATE_RUNNING:
		return "RUNNING";
	}
	return "UNKNOWN";
}
