// SPDX-License-Identifier: MIT
#include "vmm/version.h"

#include <openssl/opensslv.h>

#include "build_info.h"

const char *pvh_build_version(void)
{
	return PVH_BUILD_VERSION;
}

/*
 * One "key: value" line each after the first, so that CI logs and scripts can pick out a line;
 * the features are the build options that change what the binary can do or how it was linked.
 */
void version_print(FILE *out)
{
	fprintf(out, "pvh-sev %s\n", PVH_BUILD_VERSION);
	fprintf(out, "features: %s\n", PVH_BUILD_FEATURES);
	fprintf(out, "crypto: %s\n", OPENSSL_VERSION_TEXT);
}
