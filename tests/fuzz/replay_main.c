// SPDX-License-Identifier: MIT
/*
 * Without libFuzzer (the ordinary gcc build): runs a fuzz target once on every file in the
 * directories or files given, so the seed corpora and any saved finding are a regression test
 * of the ordinary suite (tests/fuzz.cmake), sanitizers included when PVH_SANITIZE is on.
 */
#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define REPLAY_MAX_INPUT (1u << 20)

static int run_file(const char *path)
{
	static uint8_t buf[REPLAY_MAX_INPUT];
	FILE *f = fopen(path, "rb");
	if (!f) {
		fprintf(stderr, "replay: cannot open %s\n", path);
		return -1;
	}
	size_t n = fread(buf, 1, sizeof(buf), f);
	fclose(f);
	LLVMFuzzerTestOneInput(buf, n);
	return 0;
}

static int run_dir(const char *dir, unsigned *count)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	char path[4096];
	if (!d)
		return run_file(dir) ? -1 : (++*count, 0);
	while ((e = readdir(d))) {
		struct stat st;
		snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
		if (e->d_name[0] == '.' || stat(path, &st) || !S_ISREG(st.st_mode))
			continue;
		if (run_file(path)) {
			closedir(d);
			return -1;
		}
		++*count;
	}
	closedir(d);
	return 0;
}

int main(int argc, char **argv)
{
	unsigned count = 0;
	for (int i = 1; i < argc; i++)
		if (run_dir(argv[i], &count))
			return 1;
	printf("replay: %u inputs ran\n", count);
	return count ? 0 : 1;
}
