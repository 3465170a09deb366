// SPDX-License-Identifier: MIT
#include "vmm/privs.h"

#include <cap-ng.h>
#include <errno.h>
#include <pwd.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <unistd.h>

#define PRIVS_PASSWD_FILE "/etc/passwd"

int privs_lookup_user(const char *name, struct privs_user *u, char *err, size_t errlen)
{
	memset(u, 0, sizeof(*u));
	if (!name || !*name || strlen(name) >= sizeof(u->name)) {
		snprintf(err, errlen, "--user: expected a user name of 1 to %zu characters",
		         sizeof(u->name) - 1);
		return -EINVAL;
	}
	/*
	 * /etc/passwd itself, not getpwnam(): in the static binary glibc's NSS would dlopen
	 * modules (libnss_systemd) built for the dynamic libc, which crash it. Looked up while
	 * nothing else is open yet.
	 */
	FILE *f = fopen(PRIVS_PASSWD_FILE, "re");
	if (!f) {
		int e = errno;
		snprintf(err, errlen, "--user '%s': cannot read %s: %s", name, PRIVS_PASSWD_FILE,
		         strerror(e));
		return -e;
	}
	struct passwd *pw;
	while ((pw = fgetpwent(f)) && strcmp(pw->pw_name, name))
		;
	if (pw) {
		u->uid = pw->pw_uid;
		u->gid = pw->pw_gid;
	}
	fclose(f);
	if (!pw) {
		snprintf(err, errlen, "--user '%s': no such user in %s", name, PRIVS_PASSWD_FILE);
		return -ENOENT;
	}
	u->set = true;
	snprintf(u->name, sizeof(u->name), "%s", name);
	return 0;
}

/* setresuid() may not be undone: a process that could get root back has not dropped it. */
static int check_switched(const struct privs_user *u, char *err, size_t errlen)
{
	uid_t r, e, s;
	gid_t gr, ge, gs;
	if (getresuid(&r, &e, &s) || getresgid(&gr, &ge, &gs) || r != u->uid || e != u->uid ||
	    s != u->uid || gr != u->gid || ge != u->gid || gs != u->gid) {
		snprintf(err, errlen, "--user %s: the uid/gid switch did not take", u->name);
		return -EPERM;
	}
	if (u->uid != 0 && (setuid(0) == 0 || seteuid(0) == 0)) {
		snprintf(err, errlen, "--user %s: the process could become root again", u->name);
		return -EPERM;
	}
	return 0;
}

static int switch_user(const struct privs_user *u, char *err, size_t errlen)
{
	if (geteuid() != 0) {
		snprintf(err, errlen, "--user %s: pvh-sev must be started as root to switch user",
		         u->name);
		return -EPERM;
	}
	/* No capability kept across the switch; the bounding set and supplementary groups go. */
	capng_clear(CAPNG_SELECT_BOTH);
	int r = capng_change_id((int)u->uid, (int)u->gid, CAPNG_DROP_SUPP_GRP | CAPNG_CLEAR_BOUNDING);
	if (r < 0) {
		snprintf(err, errlen, "--user %s: cannot switch to uid %u gid %u (libcap-ng %d)",
		         u->name, (unsigned)u->uid, (unsigned)u->gid, r);
		return -EPERM;
	}
	return check_switched(u, err, errlen);
}

static int clear_caps(char *err, size_t errlen)
{
	capng_get_caps_process();
	int can_bound = capng_have_capability(CAPNG_EFFECTIVE, CAP_SETPCAP);
	capng_clear(CAPNG_SELECT_BOTH);
	int r = capng_apply(can_bound ? CAPNG_SELECT_BOTH : CAPNG_SELECT_CAPS);
	if (r < 0) {
		snprintf(err, errlen, "libcap-ng: cannot drop capabilities (%d)", r);
		return -EPERM;
	}
	return 0;
}

int privs_drop(const struct privs_user *u, char *err, size_t errlen)
{
	/* The guest can only reach the VMM through exits; once the launch has pinned memory
	 * and every fd is open, nothing the VMM does needs a capability any more. */
	int r = (u && u->set) ? switch_user(u, err, errlen) : clear_caps(err, errlen);
	if (r)
		return r;
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0)) {
		snprintf(err, errlen, "PR_SET_NO_NEW_PRIVS: %s", strerror(errno));
		return -errno;
	}
	return 0;
}
