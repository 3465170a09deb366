// SPDX-License-Identifier: MIT
/*
 * --user: started as root, the VMM takes the user's uid and gid, keeps no capability and no
 * supplementary group, cannot become root again, and has no_new_privs. Each case runs in a
 * child (a switch cannot be undone). Needs root: skipped otherwise.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <errno.h>
#include <grp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "vmm/privs.h"
#include "proc_status.h"

/* Runs fn in a child; the child's exit status 0 means the case passed. */
static void in_child(int (*fn)(void))
{
	pid_t pid = fork();
	assert_true(pid >= 0);
	if (pid == 0)
		_exit(fn());
	int st;
	assert_int_equal(waitpid(pid, &st, 0), pid);
	assert_true(WIFEXITED(st));
	assert_int_equal(WEXITSTATUS(st), 0);
}

static int switch_to_nobody(void)
{
	struct privs_user u;
	char err[256], buf[64];
	if (privs_lookup_user("nobody", &u, err, sizeof(err)))
		return 10;
	setgroups(1, &(gid_t){0}); /* a supplementary group that must go */
	if (privs_drop(&u, err, sizeof(err))) {
		fprintf(stderr, "%s\n", err);
		return 11;
	}
	if (getuid() != u.uid || geteuid() != u.uid || getgid() != u.gid || getegid() != u.gid)
		return 12;
	if (getgroups(0, NULL) != 0)
		return 13;
	if (setuid(0) == 0 || errno != EPERM)
		return 14;
	if (strcmp(status_field("CapEff", buf, sizeof(buf)), "0000000000000000") ||
	    strcmp(status_field("CapPrm", buf, sizeof(buf)), "0000000000000000") ||
	    strcmp(status_field("CapBnd", buf, sizeof(buf)), "0000000000000000"))
		return 15;
	if (strcmp(status_field("NoNewPrivs", buf, sizeof(buf)), "1"))
		return 16;
	/* A second switch is refused with one line: the process is not root any more. */
	if (privs_drop(&u, err, sizeof(err)) != -EPERM || !strstr(err, "started as root"))
		return 17;
	return 0;
}

static void root_switches_to_the_user(void **state)
{
	if (geteuid() != 0)
		skip();
	in_child(switch_to_nobody);
}

static void unknown_and_bad_names_are_refused(void **state)
{
	struct privs_user u;
	char err[256], longname[100];
	assert_int_equal(privs_lookup_user("no-such-user-pvh", &u, err, sizeof(err)), -ENOENT);
	assert_string_equal(err, "--user 'no-such-user-pvh': no such user in /etc/passwd");
	assert_int_equal(privs_lookup_user("", &u, err, sizeof(err)), -EINVAL);
	memset(longname, 'a', sizeof(longname) - 1);
	longname[sizeof(longname) - 1] = '\0';
	assert_int_equal(privs_lookup_user(longname, &u, err, sizeof(err)), -EINVAL);
	assert_false(u.set);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(root_switches_to_the_user),
	    cmocka_unit_test(unknown_and_bad_names_are_refused),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
