// SPDX-License-Identifier: MIT
/*
 * The entry point of the GHCB service: tells the MSR protocol from a GHCB page request, copies
 * the page once, validates, dispatches and writes the results back, in the order of KVM's
 * sev_handle_vmgexit (reference/sev-es.md 5.2-5.4).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "ghcb/ghcb_internal.h"

/* Copies the GHCB page named by the MSR. False (guest resumed, nothing written) if none. */
static bool fetch_page(struct ghcb_req *r)
{
	const uint8_t *p;

	if (r->v->msr == 0) {
		r->res->note = "VMGEXIT without a GHCB: GHCB MSR is 0";
		return false;
	}
	r->gpa = ghcb_strip_cbit(r->env, r->v->msr);
	p = guest_mem_ptr(r->env->mem, r->gpa, GHCB_PAGE_SIZE);
	if (!p) {
		r->res->note = "GHCB GPA is not guest RAM";
		return false;
	}
	memcpy(&r->page, p, sizeof(r->page));
	return true;
}

/* What KVM's sev_es_sync_from_ghcb takes: GPRs only when marked valid, else 0. */
static void read_inputs(struct ghcb_req *r)
{
	const struct ghcb_save_area *s = &r->page.save;
	static const size_t off[GHCB_NREGS] = {GHCB_OFF(rax), GHCB_OFF(rbx), GHCB_OFF(rcx),
	                                       GHCB_OFF(rdx)};
	const uint64_t val[GHCB_NREGS] = {s->rax, s->rbx, s->rcx, s->rdx};

	for (int i = 0; i < GHCB_NREGS; i++)
		r->regs[i] = req_valid(r, off[i]) ? val[i] : 0;
	if (req_valid(r, GHCB_OFF(xcr0)))
		r->v->xcr0 = s->xcr0;
	r->exit_code = s->sw_exit_code;
	r->info1 = s->sw_exit_info_1;
	r->info2 = s->sw_exit_info_2;
	r->scratch = req_valid(r, GHCB_OFF(sw_scratch)) ? s->sw_scratch : 0;
}

static void put_u64(uint8_t *page, size_t off, uint64_t v) { memcpy(page + off, &v, sizeof(v)); }

/*
 * Writes the results into the guest's page field by field (never the whole page): the valid
 * bitmap cleared and then marking exactly what KVM returns (info_1/2, rax/rbx/rcx/rdx).
 */
static void write_back(struct ghcb_req *r)
{
	uint8_t *page = guest_mem_ptr(r->env->mem, r->gpa, GHCB_PAGE_SIZE);
	struct ghcb bits;

	ghcb_scratch_finish(r);
	if (!page)
		return;
	ghcb_clear_valid(&bits);
	ghcb_set_valid(&bits, GHCB_OFF(sw_exit_info_1));
	ghcb_set_valid(&bits, GHCB_OFF(sw_exit_info_2));
	ghcb_set_valid(&bits, GHCB_OFF(rax));
	ghcb_set_valid(&bits, GHCB_OFF(rbx));
	ghcb_set_valid(&bits, GHCB_OFF(rcx));
	ghcb_set_valid(&bits, GHCB_OFF(rdx));
	put_u64(page, GHCB_OFF(rax), r->regs[GHCB_RAX]);
	put_u64(page, GHCB_OFF(rbx), r->regs[GHCB_RBX]);
	put_u64(page, GHCB_OFF(rcx), r->regs[GHCB_RCX]);
	put_u64(page, GHCB_OFF(rdx), r->regs[GHCB_RDX]);
	put_u64(page, GHCB_OFF(sw_exit_info_1), r->out1);
	put_u64(page, GHCB_OFF(sw_exit_info_2), r->out2);
	memcpy(page + GHCB_OFF(valid_bitmap), bits.save.valid_bitmap,
	       sizeof(bits.save.valid_bitmap));
}

void ghcb_service_vmgexit(struct ghcb_env *env, struct ghcb_vcpu *v, struct ghcb_result *res)
{
	struct ghcb_req *r;
	const char *note = NULL;
	unsigned reason;

	memset(res, 0, sizeof(*res));
	res->outcome = GHCB_OUT_RESUME;
	if (ghcb_msr_info(v->msr)) {
		ghcb_msr_protocol(env, v, res);
		return;
	}
	/* Heap, not stack: the page copy is 4 KiB and vCPU threads may have small stacks. */
	r = calloc(1, sizeof(*r));
	if (!r) {
		res->outcome = GHCB_OUT_VMM_ERROR;
		res->err = -ENOMEM;
		res->note = "out of memory serving a VMGEXIT";
		return;
	}
	r->env = env;
	r->v = v;
	r->res = res;
	if (!fetch_page(r))
		goto out;
	read_inputs(r);
	res->exit_code = r->exit_code;
	res->info1 = r->info1;
	res->info2 = r->info2;
	reason = ghcb_validate(r, &note);
	if (reason)
		req_error(r, reason, note);
	else
		ghcb_dispatch(r);
	write_back(r);
out:
	free(r);
}
