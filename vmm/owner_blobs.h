/* SPDX-License-Identifier: MIT */
/*
 * The guest owner's launch inputs, read from files: the DH certificate and session blob for
 * LAUNCH_START (--dh-cert, --session) and the LAUNCH_SECRET packet (--secret, --secret-gpa).
 */
#ifndef PVH_OWNER_BLOBS_H
#define PVH_OWNER_BLOBS_H

#include <stddef.h>

#include "sev/backend.h"
#include "vmm/config.h"

#define OWNER_BLOB_MAX (64u * 1024u)
/* A LAUNCH_SECRET packet header: flags (4), IV (16), MAC (32). */
#define SECRET_HEADER_LEN 52u

struct owner_blobs {
	void *dh_cert, *session, *secret_file;
	size_t dh_cert_len, session_len, secret_file_len;
	struct sev_secret secret;
	int have_secret;
};

/* Reads whatever cfg names. Returns 0 or -errno with a one-line reason naming the file. */
int owner_blobs_read(struct owner_blobs *o, const struct config *cfg, char *err, size_t errlen);

/* Points the secret at guest RAM (after it is mapped): -EINVAL when --secret-gpa is not RAM. */
struct guest_mem;
int owner_blobs_bind_secret(struct owner_blobs *o, const struct config *cfg,
			    const struct guest_mem *mem, char *err, size_t errlen);

void owner_blobs_free(struct owner_blobs *o);

#endif
