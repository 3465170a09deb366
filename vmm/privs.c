// SPDX-License-Identifier: MIT
#include "vmm/privs.h"

#include <cap-ng.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>

int privs_drop(char *err, size_t errlen)
{
	/* The guest can only reach the VMM through exits; once the launch has pinned memory
	 * and every fd is open, nothing the VMM does needs a capability any more. */
	capng_get_caps_process();
	int can_bound = capng_have_capability(CAPNG_EFFECTIVE, CAP_SETPCAP);
	capng_clear(CAPNG_SELECT_BOTH);
	int r = capng_apply(can_bound ? CAPNG_SELECT_BOTH : CAPNG_SELECT_CAPS);
	if (r < 0) {
		snprintf(err, errlen, "libcap-ng: cannot drop capabilities (%d)", r);
		return -EPERM;
	}
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0)) {
		snprintf(err, errlen, "PR_SET_NO_NEW_PRIVS: %s", strerror(errno));
		return -errno;
	}
	return 0;
}
