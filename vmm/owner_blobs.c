// SPDX-License-Identifier: MIT
#include "vmm/owner_blobs.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "loader/guest_mem.h"

#define FAIL(e, ...) (snprintf(err, errlen, __VA_ARGS__), -(e))

/* A whole small regular file into a malloc'd buffer; empty and oversized files are refused. */
static int read_blob(const char *what, const char *path, void **data, size_t *len, char *err,
		     size_t errlen)
{
	struct stat st;
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return FAIL(errno, "%s %s: %s", what, path, strerror(errno));
	int r = 0;
	if (fstat(fd, &st) || !S_ISREG(st.st_mode))
		r = FAIL(EINVAL, "%s %s: not a regular file", what, path);
	else if (st.st_size == 0 || st.st_size > OWNER_BLOB_MAX)
		r = FAIL(EINVAL, "%s %s: %lld bytes, expected 1 to %u", what, path,
			 (long long)st.st_size, OWNER_BLOB_MAX);
	else if (!(*data = malloc(st.st_size)))
		r = FAIL(ENOMEM, "%s %s: out of memory", what, path);
	else if (read(fd, *data, st.st_size) != st.st_size)
		r = FAIL(EIO, "%s %s: short read", what, path);
	else
		*len = st.st_size;
	close(fd);
	return r;
}

int owner_blobs_read(struct owner_blobs *o, const struct config *cfg, char *err, size_t errlen)
{
	int r = 0;
	memset(o, 0, sizeof(*o));
	if (cfg->dh_cert)
		r = read_blob("--dh-cert", cfg->dh_cert, &o->dh_cert, &o->dh_cert_len, err, errlen);
	if (!r && cfg->session)
		r = read_blob("--session", cfg->session, &o->session, &o->session_len, err, errlen);
	if (!r && cfg->secret)
		r = read_blob("--secret", cfg->secret, &o->secret_file, &o->secret_file_len, err,
			      errlen);
	if (r || !cfg->secret)
		return r;
	if (o->secret_file_len <= SECRET_HEADER_LEN || (o->secret_file_len - SECRET_HEADER_LEN) % 16)
		return FAIL(EINVAL, "--secret %s: expected a %u-byte packet header followed by a "
			    "secret of a multiple of 16 bytes", cfg->secret, SECRET_HEADER_LEN);
	if (!cfg->have_secret_gpa || cfg->secret_gpa % 16)
		return FAIL(EINVAL, "--secret needs --secret-gpa, 16-byte aligned");
	/* sev_launch_secret needs the target's host pages physically contiguous: across a 4 KiB
	 * page of anonymous memory that almost never holds, and KVM fails with EINVAL. Every
	 * mode refuses it, so emulated runs say what hardware would. */
	uint64_t secret_len = o->secret_file_len - SECRET_HEADER_LEN;
	if ((cfg->secret_gpa & 0xfff) + secret_len > 0x1000)
		return FAIL(EINVAL, "--secret-gpa 0x%llx: the %llu-byte secret would cross a 4 KiB "
			    "page; KVM's LAUNCH_SECRET needs it within one page",
			    (unsigned long long)cfg->secret_gpa, (unsigned long long)secret_len);
	o->have_secret = 1;
	return 0;
}

int owner_blobs_bind_secret(struct owner_blobs *o, const struct config *cfg,
			    const struct guest_mem *mem, char *err, size_t errlen)
{
	if (!o->have_secret)
		return 0;
	size_t len = o->secret_file_len - SECRET_HEADER_LEN;
	void *host = guest_mem_ptr(mem, cfg->secret_gpa, len);
	if (!host)
		return FAIL(EINVAL, "--secret-gpa 0x%llx: %zu bytes there are not guest RAM",
			    (unsigned long long)cfg->secret_gpa, len);
	o->secret = (struct sev_secret){
		.header = {o->secret_file, SECRET_HEADER_LEN},
		.trans = {(uint8_t *)o->secret_file + SECRET_HEADER_LEN, len},
		.guest_gpa = cfg->secret_gpa,
		.guest_host = host,
		.guest_len = (uint32_t)len,
	};
	return 0;
}

void owner_blobs_free(struct owner_blobs *o)
{
	free(o->dh_cert);
	free(o->session);
	free(o->secret_file);
	memset(o, 0, sizeof(*o));
}
