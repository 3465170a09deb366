/* SPDX-License-Identifier: MIT */
/* The benchmark guest's parts (freestanding, 32-bit). */
#ifndef PVH_BENCH_GUEST_H
#define PVH_BENCH_GUEST_H

#include <stdint.h>

enum smp_error {
	SMP_UNSUPPORTED = 1, /* built without ap/ap_abi.h */
	SMP_NO_PAGE,         /* no valid bring-up header at the AP area */
	SMP_DOORBELL,        /* the VMM refused to start an AP */
	SMP_TIMEOUT,         /* an AP never counted itself in */
};

/* Starts `want` APs (0: every one there is) through the bring-up page and waits for them;
 * returns 0 with *started set, or an smp_error. On SMP_TIMEOUT *started describes the first AP
 * that did not arrive: index | slot state << 16 | failure reason << 24 (0: all RUNNING). */
int smp_bring_up(uint32_t want, uint32_t *started);

#endif
