/* SPDX-License-Identifier: MIT */
/* Internals of the GHCB service shared by its source files; not a public header. */
#ifndef PVH_GHCB_INTERNAL_H
#define PVH_GHCB_INTERNAL_H

#include <stdbool.h>
#include <stdint.h>

#include "ghcb/ghcb_service.h"

/* The four GPRs the GHCB protocol exchanges, in KVM's arch.regs spirit. */
enum { GHCB_RAX, GHCB_RBX, GHCB_RCX, GHCB_RDX, GHCB_NREGS };

/* A scratch area resolved for one request: where its bytes live while they are used. */
struct ghcb_scratch {
	gpa_t gpa; /* C-bit stripped */
	uint64_t len;
	uint8_t *buf; /* into the request's page copy, or a heap copy of guest memory */
	bool on_heap; /* buf must be freed */
	bool sync;    /* the event produced data: copy buf back to the guest */
};

/* One page-protocol request. The page is copied once; guest memory is never re-read. */
struct ghcb_req {
	struct ghcb_env *env;
	struct ghcb_vcpu *v;
	struct ghcb_result *res;
	gpa_t gpa;        /* GHCB page, C-bit stripped, in RAM */
	struct ghcb page; /* the copy */
	uint64_t exit_code, info1, info2, scratch;
	uint64_t regs[GHCB_NREGS]; /* guest-supplied if valid, else 0; written back */
	uint64_t out1, out2;       /* sw_exit_info_1/2 written back */
	struct ghcb_scratch sa;
};

static inline bool req_valid(const struct ghcb_req *r, size_t off)
{
	return ghcb_is_valid(&r->page, off);
}

/* Sets the "malformed input" result (sw_exit_info_1 = 2, sw_exit_info_2 = reason). */
static inline void req_error(struct ghcb_req *r, unsigned reason, const char *note)
{
	r->out1 = GHCB_RESULT_ERROR;
	r->out2 = reason;
	r->res->note = note;
}

/* ghcb_validate.c: KVM's per-event input rules. Returns 0 or a GHCB_ERR_* reason. */
unsigned ghcb_validate(const struct ghcb_req *r, const char **note);

/* ghcb_scratch.c: resolves [sw_scratch, +len). Returns false after setting an error result. */
bool ghcb_scratch_setup(struct ghcb_req *r, uint64_t len, bool sync);
/* Copies produced data back to the guest (if any) and frees the heap copy. */
void ghcb_scratch_finish(struct ghcb_req *r);

/* ghcb_events.c: serves a validated request. */
void ghcb_dispatch(struct ghcb_req *r);

/* ghcb_msr_proto.c: serves a GHCB MSR protocol request in v->msr. */
void ghcb_msr_protocol(struct ghcb_env *env, struct ghcb_vcpu *v, struct ghcb_result *res);

#endif
