// SPDX-License-Identifier: MIT
#include "sev/sys_ops.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <sys/ioctl.h>
#include <sys/utsname.h>
#include <unistd.h>

static int sys_open(const char *path, int flags)
{
	int fd = open(path, flags | O_CLOEXEC);
	return fd < 0 ? -errno : fd;
}

static int sys_close(int fd) { return close(fd) ? -errno : 0; }

static int sys_ioctl(int fd, unsigned long req, void *arg)
{
	/* No EINTR retry: a repeated UPDATE_DATA would encrypt ciphertext. */
	int r = ioctl(fd, req, arg);
	return r < 0 ? -errno : r;
}

static ssize_t sys_read_file(const char *path, char *buf, size_t len)
{
	if (len == 0)
		return -EINVAL;
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	ssize_t n = read(fd, buf, len - 1);
	int e = errno;
	close(fd);
	if (n < 0)
		return -e;
	buf[n] = '\0';
	return n;
}

static int sys_kernel_release(char *buf, size_t len)
{
	struct utsname u;
	if (uname(&u))
		return -errno;
	snprintf(buf, len, "%s", u.release);
	return 0;
}

const struct sev_sys_ops sev_sys_linux = {
    .open = sys_open,
    .close = sys_close,
    .ioctl = sys_ioctl,
    .read_file = sys_read_file,
    .kernel_release = sys_kernel_release,
};
