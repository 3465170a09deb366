// SPDX-License-Identifier: MIT
#include "proc_status.h"

#include <stdio.h>
#include <string.h>

const char *status_field(const char *name, char *buf, size_t len)
{
	FILE *f = fopen("/proc/self/status", "r");
	char line[256];
	size_t n = strlen(name);
	buf[0] = '\0';
	while (f && fgets(line, sizeof(line), f))
		if (!strncmp(line, name, n) && line[n] == ':') {
			snprintf(buf, len, "%s", line + n + 1 + strspn(line + n + 1, " \t"));
			buf[strcspn(buf, "\n")] = '\0';
		}
	if (f)
		fclose(f);
	return buf;
}
