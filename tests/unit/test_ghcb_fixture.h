/* SPDX-License-Identifier: MIT */
/* Shared fixture of the GHCB service tests: guest RAM, a fake device model, GHCB builders. */
#ifndef PVH_TEST_GHCB_FIXTURE_H
#define PVH_TEST_GHCB_FIXTURE_H

#include <stdbool.h>
#include <stdint.h>

#include "ghcb/ghcb_service.h"

#define FX_RAM (4ull << 20)
#define FX_GHCB_GPA 0x10000ull
#define FX_SCRATCH_GPA 0x20000ull /* a guest buffer outside the GHCB page */
#define FX_CBIT 51u
#define FX_MMIO_BASE 0xfed00000ull
#define FX_MMIO_SIZE 0x1000u
#define FX_PORT_FAIL 0xdeadu /* the fake io callback fails on this port */
#define FX_MSR_VALUE 0x1122334455667788ull
#define FX_MSR_READABLE 0x10u /* the only MSR the fake model reads */
#define FX_MSR_REFUSED 0xbadu /* the fake model refuses this MSR */

/* What the fake devices saw. */
struct fx_dev {
	int cpuid_calls, io_calls, mmio_calls, msr_calls;
	uint32_t cpuid_fn, cpuid_idx;
	uint64_t cpuid_xcr0;
	bool cpuid_fail;
	uint16_t io_port;
	unsigned io_size;
	bool io_write;
	uint8_t io_out[256]; /* bytes written to ports, in order */
	unsigned io_out_len;
	uint8_t io_in_next; /* IN returns consecutive bytes from here */
	uint8_t mmio[FX_MMIO_SIZE];
	unsigned mmio_max_len;
	uint32_t msr_idx;
	bool msr_write;
	uint64_t msr_written;
	uint8_t *scribble; /* if set, every callback overwrites these guest bytes first */
	size_t scribble_len;
};

struct fx {
	struct guest_mem mem;
	struct ghcb_env env;
	struct ghcb_vcpu v;
	struct fx_dev dev;
	struct ghcb_result res;
};

int fx_setup(void **state);
int fx_teardown(void **state);

/* The GHCB page in guest RAM. */
struct ghcb *fx_ghcb(struct fx *f);
uint8_t *fx_ram(struct fx *f, gpa_t gpa, uint64_t len);

/* Clears the page and starts a well-formed request (usage 0, version 2, code/infos valid). */
struct ghcb *fx_request(struct fx *f, uint64_t code, uint64_t info1, uint64_t info2);

/* Writes the GHCB GPA to the MSR and issues the VMGEXIT; returns the outcome. */
enum ghcb_outcome fx_vmgexit(struct fx *f);
enum ghcb_outcome fx_vmgexit_at(struct fx *f, uint64_t msr);

/* Sets a save-area field and marks it valid. */
#define FX_SET(g, field, val)                                                                      \
	do {                                                                                       \
		(g)->save.field = (val);                                                           \
		ghcb_set_valid((g), GHCB_OFF(field));                                              \
	} while (0)

#endif
