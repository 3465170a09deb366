// SPDX-License-Identifier: MIT
/*
 * The scratch area of string I/O and MMIO events (KVM's setup_vmgexit_scratch): either
 * entirely inside the GHCB page's shared buffer, or (GHCB version 1 only, db3f2195d293) a guest
 * buffer of at most 16 pages that lies in RAM. Its bytes are copied once; data the event
 * produces is copied back at the end.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "ghcb/ghcb_internal.h"

static bool scratch_in_ghcb(struct ghcb_req *r, gpa_t beg, gpa_t end)
{
	gpa_t buf_beg = r->gpa + GHCB_SHARED_BUF_OFFSET;
	gpa_t buf_end = buf_beg + GHCB_SHARED_BUF_SIZE;

	if (beg < buf_beg || end > buf_end) {
		req_error(r, GHCB_ERR_INVALID_SCRATCH_AREA,
		          "scratch area starts in the GHCB page but not inside its shared buffer");
		return false;
	}
	r->sa.buf = (uint8_t *)&r->page + (beg - r->gpa);
	return true;
}

static bool scratch_in_ram(struct ghcb_req *r, gpa_t beg, uint64_t len)
{
	const uint8_t *p;

	if (r->env->max_version >= 2) {
		req_error(r, GHCB_ERR_INVALID_SCRATCH_AREA,
		          "GHCB v2: the scratch area must lie in the GHCB's shared buffer");
		return false;
	}
	if (len > GHCB_SCRATCH_AREA_LIMIT) {
		req_error(r, GHCB_ERR_INVALID_SCRATCH_AREA, "scratch area longer than 16 pages");
		return false;
	}
	p = guest_mem_ptr(r->env->mem, beg, len);
	if (!p) {
		req_error(r, GHCB_ERR_INVALID_SCRATCH_AREA, "scratch area is not guest RAM");
		return false;
	}
	r->sa.buf = malloc(len ? len : 1);
	if (!r->sa.buf) {
		r->res->outcome = GHCB_OUT_VMM_ERROR;
		r->res->err = -ENOMEM;
		r->res->note = "out of memory for a scratch area";
		return false;
	}
	r->sa.on_heap = true;
	memcpy(r->sa.buf, p, len);
	return true;
}

bool ghcb_scratch_setup(struct ghcb_req *r, uint64_t len, bool sync)
{
	gpa_t beg, end;

	if (!r->scratch) {
		req_error(r, GHCB_ERR_INVALID_SCRATCH_AREA, "scratch GPA is 0");
		return false;
	}
	beg = ghcb_strip_cbit(r->env, r->scratch);
	end = beg + len;
	if (end < beg) {
		req_error(r, GHCB_ERR_INVALID_SCRATCH_AREA, "scratch area wraps around");
		return false;
	}
	r->sa.gpa = beg;
	r->sa.len = len;
	r->sa.sync = sync;
	if (PAGE_DOWN(beg) == r->gpa)
		return scratch_in_ghcb(r, beg, end);
	return scratch_in_ram(r, beg, len);
}

void ghcb_scratch_finish(struct ghcb_req *r)
{
	uint8_t *dst;

	if (r->sa.buf && r->sa.sync && r->res->outcome != GHCB_OUT_VMM_ERROR &&
	    r->out1 == GHCB_RESULT_OK) {
		dst = guest_mem_ptr(r->env->mem, r->sa.gpa, r->sa.len);
		if (dst)
			memcpy(dst, r->sa.buf, r->sa.len);
	}
	if (r->sa.on_heap)
		free(r->sa.buf);
	r->sa.buf = NULL;
	r->sa.on_heap = false;
}
