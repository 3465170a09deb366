/* SPDX-License-Identifier: MIT */
/* Dropping privileges once every device file is open and the launch is finished. */
#ifndef PVH_PRIVS_H
#define PVH_PRIVS_H

#include <stddef.h>

/* Clears every capability (effective, permitted, inheritable, bounding) and sets
 * no_new_privs. Returns 0 or -errno with a reason in err. */
int privs_drop(char *err, size_t errlen);

#endif
