// SPDX-License-Identifier: MIT
/*
 * The command line and measure's own options: the input is split at NUL bytes into argv.
 * Each input is parsed twice, so a parse that leaves getopt in a bad state shows up in the
 * second one (and the two results must agree). Nothing is run: no file is opened or written.
 */
#include <stdlib.h>
#include <string.h>

#include "vmm/config.h"
#include "vmm/measure_cmd.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define MAX_ARGS 32

static int split(char *buf, size_t size, char **argv)
{
	int argc = 0;
	argv[argc++] = "pvh-sev";
	for (size_t i = 0; i < size && argc < MAX_ARGS; argc++) {
		argv[argc] = buf + i;
		i += strlen(buf + i) + 1;
	}
	argv[argc] = NULL;
	return argc;
}

static int parse_once(char *buf, size_t size, struct config *cfg, char *err)
{
	char *argv[MAX_ARGS + 1];
	int argc = split(buf, size, argv);
	int r = config_parse(cfg, argc, argv, err, 256);
	if (!r && cfg->cmd == CMD_MEASURE) {
		struct sev_measure_options o;
		char merr[MEASURE_ERRLEN] = "";
		if (measure_options_parse(&o, cfg, merr) && !merr[0])
			abort(); /* a refusal must say why */
	}
	if (r && !err[0])
		abort(); /* a refusal must say why */
	return r;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	/* getopt may permute argv: each parse gets its own copy (and a terminating NUL). */
	char *a = malloc(size + 1), *b = malloc(size + 1);
	if (!a || !b)
		abort();
	memcpy(a, data, size);
	memcpy(b, data, size);
	a[size] = b[size] = '\0';
	struct config c1, c2;
	char e1[256] = "", e2[256] = "";
	int r1 = parse_once(a, size, &c1, e1), r2 = parse_once(b, size, &c2, e2);
	if (r1 != r2 || strcmp(e1, e2))
		abort(); /* the second parse must not see the first one's state */
	if (!r1 && (c1.cmd != c2.cmd || c1.mem_size != c2.mem_size || c1.smp != c2.smp))
		abort();
	free(a);
	free(b);
	return 0;
}
