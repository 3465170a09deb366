// SPDX-License-Identifier: MIT
/* --sev=off: a backend that does nothing, so callers need no special case for plain boots. */
#include "sev/backend.h"

#include <string.h>

static int none_writable(const struct sev_backend *b) { return 0; }

static const struct sev_backend_ops none_ops = {
    .name = "none",
    .inert = true,
    .vcpu_state_writable = none_writable,
};

void sev_backend_none(struct sev_backend *b)
{
	memset(b, 0, sizeof(*b));
	b->ops = &none_ops;
	vmsa_options_default(&b->vmsa);
}

int sev_backend_vcpu_state_writable(const struct sev_backend *b)
{
	return b->ops->vcpu_state_writable ? b->ops->vcpu_state_writable(b) : 0;
}
