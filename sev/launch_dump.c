// SPDX-License-Identifier: MIT
#include "sev/launch_dump.h"

#include <errno.h>
#include <inttypes.h>
#include <string.h>
#include <sys/stat.h>

#include "sev/encode.h"

int sev_dump_open(struct sev_dump *d, const char *dir, char *err, size_t errlen)
{
	memset(d, 0, sizeof(*d));
	if (strlen(dir) >= sizeof(d->dir) - 64) {
		snprintf(err, errlen, "dump directory name too long");
		return -ENAMETOOLONG;
	}
	if (mkdir(dir, 0755) && errno != EEXIST) {
		int e = errno;
		snprintf(err, errlen, "cannot create dump directory %s: %s", dir, strerror(e));
		return -e;
	}
	snprintf(d->dir, sizeof(d->dir), "%s", dir);
	char path[4200];
	snprintf(path, sizeof(path), "%s/index", dir);
	d->index = fopen(path, "w");
	if (!d->index) {
		int e = errno;
		snprintf(err, errlen, "cannot write %s: %s", path, strerror(e));
		return -e;
	}
	fprintf(d->index,
	        "# index gpa size sha256 file name (LD = sha256 of the files in order)\n");
	return 0;
}

/* File names keep [A-Za-z0-9._+-]; anything else becomes '_'. */
static void safe_name(const char *in, char *out, size_t outlen)
{
	size_t i = 0;
	for (; in[i] && i + 1 < outlen; i++) {
		char c = in[i];
		int ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		         (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '+' || c == '-';
		out[i] = ok ? c : '_';
	}
	out[i] = '\0';
}

int sev_dump_blob(struct sev_dump *d, size_t i, const struct sev_measured_blob *b, const void *data,
                  char *err, size_t errlen)
{
	char name[96], file[128], path[4300], hex[2 * SEV_DIGEST_LEN + 1];
	safe_name(b->name, name, sizeof(name));
	snprintf(file, sizeof(file), "%03zu-%s.bin", i, name);
	snprintf(path, sizeof(path), "%s/%s", d->dir, file);
	FILE *f = fopen(path, "wb");
	if (!f) {
		int e = errno;
		snprintf(err, errlen, "cannot write %s: %s", path, strerror(e));
		return -e;
	}
	errno = 0;
	size_t w = fwrite(data, 1, b->size, f);
	int e = errno;
	if (fclose(f) && !e)
		e = errno;
	if (w != b->size || e) {
		e = e ? e : EIO;
		snprintf(err, errlen, "cannot write %s: %s", path, strerror(e));
		return -e;
	}
	sev_hex(b->sha256, SEV_DIGEST_LEN, hex);
	fprintf(d->index, "%03zu 0x%016" PRIx64 " 0x%" PRIx64 " %s %s %s\n", i, b->gpa, b->size,
	        hex, file, b->name);
	return 0;
}

int sev_dump_close(struct sev_dump *d, const uint8_t *ld, char *err, size_t errlen)
{
	if (!d->index)
		return 0;
	if (ld) {
		char hex[2 * SEV_DIGEST_LEN + 1];
		sev_hex(ld, SEV_DIGEST_LEN, hex);
		fprintf(d->index, "# ld %s\n", hex);
	}
	int bad = ferror(d->index);
	int r = fclose(d->index);
	int e = errno;
	d->index = NULL;
	if (r || bad) {
		e = r ? e : EIO;
		snprintf(err, errlen, "cannot write %s/index: %s", d->dir, strerror(e));
		return -e;
	}
	return 0;
}
