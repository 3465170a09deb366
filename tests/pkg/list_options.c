// SPDX-License-Identifier: MIT
/*
 * Prints pvh-sev's long options, one "--name value|flag" line each, straight from the table
 * config_parse uses: the reference docs_match_options.py and ci_templates.py check against.
 */
#include <stdbool.h>
#include <stdio.h>

#include "vmm/config.h"

int main(void)
{
	bool value;
	const char *name;
	for (size_t i = 0; (name = config_option_name(i, &value)); i++)
		printf("--%s %s\n", name, value ? "value" : "flag");
	return ferror(stdout) ? 1 : 0;
}
