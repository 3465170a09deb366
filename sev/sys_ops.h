/* SPDX-License-Identifier: MIT */
/*
 * The system calls the hardware backend and the host probe make, behind function pointers, so
 * unit tests can put a fake KVM and /dev/sev underneath and check every command and struct.
 * Each returns what the system call returns on success, or -errno (never -1 with errno).
 */
#ifndef PVH_SEV_SYS_OPS_H
#define PVH_SEV_SYS_OPS_H

#include <stddef.h>
#include <sys/types.h>

struct sev_sys_ops {
	int (*open)(const char *path, int flags);
	int (*close)(int fd);
	int (*ioctl)(int fd, unsigned long req, void *arg);
	/* Reads up to len-1 bytes of a small file (a module parameter), NUL-terminated. */
	ssize_t (*read_file)(const char *path, char *buf, size_t len);
	/* The running kernel's release (uname -r) into buf. 0 or -errno. */
	int (*kernel_release)(char *buf, size_t len);
};

/* The real system calls. */
extern const struct sev_sys_ops sev_sys_linux;

#endif
