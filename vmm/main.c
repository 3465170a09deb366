// SPDX-License-Identifier: MIT
#include <stdio.h>

int main(void)
{
	puts("pvh-sev " PVH_SEV_VERSION);
	return 0;
}
