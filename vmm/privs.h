/* SPDX-License-Identifier: MIT */
/* Dropping privileges once every device file is open and the launch is finished. */
#ifndef PVH_PRIVS_H
#define PVH_PRIVS_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

/* The user of --user, looked up before anything is opened. */
struct privs_user {
	bool set;
	uid_t uid;
	gid_t gid;
	char name[64];
};

/*
 * Looks up --user NAME in /etc/passwd (not NSS: see privs.c) into u. Returns 0, -ENOENT (no
 * such user), -EINVAL (NAME empty or too long) or the -errno of reading the file, with a
 * reason in err.
 */
int privs_lookup_user(const char *name, struct privs_user *u, char *err, size_t errlen);

/*
 * With u NULL or unset: clears every capability (effective, permitted, inheritable,
 * bounding) and sets no_new_privs. With u set (--user): the process must have been started as
 * root; it then also takes u's uid and gid, drops every supplementary group, and checks that
 * it cannot become root again. Returns 0 or -errno with a reason in err.
 */
int privs_drop(const struct privs_user *u, char *err, size_t errlen);

#endif
