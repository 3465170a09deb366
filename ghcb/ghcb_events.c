// SPDX-License-Identifier: MIT
/*
 * The GHCB page events, each served as KVM's sev_handle_vmgexit serves it
 * (reference/sev-es.md 5.4; docs/ghcb.md has the table). Input was validated before.
 */
#include <errno.h>
#include <string.h>

#include "ghcb/ghcb_internal.h"

/* A device callback failed: the VMM decides (hardware: its own exit handler failed). */
static void callback_failed(struct ghcb_req *r, int rc, const char *note)
{
	r->res->outcome = GHCB_OUT_VMM_ERROR;
	r->res->err = rc < 0 ? rc : -EIO;
	r->res->note = note;
}

static void ev_cpuid(struct ghcb_req *r)
{
	const struct ghcb_ops *ops = r->env->ops;
	uint32_t out[4] = {0, 0, 0, 0};
	int rc = ops && ops->cpuid ? ops->cpuid(r->v->ctx, (uint32_t)r->regs[GHCB_RAX],
	                                        (uint32_t)r->regs[GHCB_RCX], r->v->xcr0, out)
	                           : -ENOSYS;
	if (rc < 0) {
		callback_failed(r, rc, "CPUID callback failed");
		return;
	}
	for (int i = 0; i < GHCB_NREGS; i++)
		r->regs[i] = out[i];
}

static void ev_msr(struct ghcb_req *r)
{
	const struct ghcb_ops *ops = r->env->ops;
	uint32_t idx = (uint32_t)r->regs[GHCB_RCX];
	bool is_write = r->info1 != 0;
	uint64_t val = is_write ? (r->regs[GHCB_RDX] << 32 | (uint32_t)r->regs[GHCB_RAX]) : 0;
	int rc = ops && ops->msr ? ops->msr(r->v->ctx, idx, is_write, &val) : -ENOSYS;

	if (rc < 0) {
		/* A refused MSR access is a #GP for the guest, as KVM returns it. */
		r->out1 = GHCB_RESULT_EXCEPTION;
		r->out2 = GHCB_EVENT_GP;
		r->res->note = "MSR access refused: #GP";
		return;
	}
	if (!is_write) {
		r->regs[GHCB_RAX] = (uint32_t)val;
		r->regs[GHCB_RDX] = val >> 32;
	}
}

static int io_call(struct ghcb_req *r, uint16_t port, unsigned size, bool is_write, void *data)
{
	const struct ghcb_ops *ops = r->env->ops;
	return ops && ops->io ? ops->io(r->v->ctx, port, size, is_write, data) : -ENOSYS;
}

/* INS/OUTS: sw_exit_info_2 elements of `size` bytes, through the scratch area. */
static void ev_string_io(struct ghcb_req *r, uint16_t port, unsigned size, bool in)
{
	int rc = 0;

	if (r->info2 > INT32_MAX) {
		req_error(r, GHCB_ERR_INVALID_INPUT, "string I/O repeat count too large");
		return;
	}
	if (!ghcb_scratch_setup(r, r->info2 * size, in))
		return;
	for (uint64_t i = 0; i < r->info2 && rc == 0; i++)
		rc = io_call(r, port, size, !in, r->sa.buf + i * size);
	if (rc < 0)
		callback_failed(r, rc, "I/O port callback failed");
}

static void ev_ioio(struct ghcb_req *r)
{
	uint16_t port = ghcb_ioio_port(r->info1);
	unsigned size = ghcb_ioio_size(r->info1);
	bool in = r->info1 & GHCB_IOIO_IN;
	uint8_t data[4] = {0, 0, 0, 0};
	uint64_t rax = r->regs[GHCB_RAX];
	int rc;

	if (size != 1 && size != 2 && size != 4) {
		req_error(r, GHCB_ERR_INVALID_INPUT, "I/O size is not 1, 2 or 4 bytes");
		return;
	}
	if (r->info1 & GHCB_IOIO_STR) {
		ev_string_io(r, port, size, in);
		return;
	}
	if (!in)
		memcpy(data, &rax, size); /* little-endian: the low bytes of RAX */
	rc = io_call(r, port, size, !in, data);
	if (rc < 0) {
		callback_failed(r, rc, "I/O port callback failed");
		return;
	}
	if (in) {
		/* As KVM: a 4-byte IN zero-extends into RAX; 1 and 2 bytes keep the rest. */
		if (size == 4)
			rax = 0;
		memcpy(&rax, data, size);
		r->regs[GHCB_RAX] = rax;
	}
}

/*
 * MMIO: sw_exit_info_1 = GPA, sw_exit_info_2 = length; data in the scratch area. Length 0
 * succeeds doing nothing; with GHCB v2 a length above 8 is INVALID_INPUT (dcf1b2d4b056).
 */
static void ev_mmio(struct ghcb_req *r, bool is_write)
{
	const struct ghcb_ops *ops = r->env->ops;
	gpa_t gpa = ghcb_strip_cbit(r->env, r->info1);
	uint64_t len = r->info2;
	int rc = 0;

	if (len == 0) {
		r->res->note = "MMIO of length 0: nothing done"; /* 1aa8a6dc7dac */
		return;
	}
	if (r->env->max_version >= 2 && len > 8) {
		req_error(r, GHCB_ERR_INVALID_INPUT, "GHCB v2: MMIO longer than 8 bytes");
		return;
	}
	if (gpa + len < gpa) {
		req_error(r, GHCB_ERR_INVALID_INPUT, "MMIO range wraps around");
		return;
	}
	if (!ghcb_scratch_setup(r, len, !is_write))
		return;
	/* In pieces of at most 8 bytes, as KVM hands a long access to userspace. */
	for (uint64_t done = 0; done < len && rc == 0; done += 8) {
		unsigned n = len - done < 8 ? (unsigned)(len - done) : 8;
		rc = ops && ops->mmio
		         ? ops->mmio(r->v->ctx, gpa + done, n, is_write, r->sa.buf + done)
		         : -ENOSYS;
	}
	if (rc < 0)
		callback_failed(r, rc, "MMIO callback failed");
}

static void ev_ap_jump_table(struct ghcb_req *r)
{
	switch (r->info1) {
	case GHCB_AP_JUMP_TABLE_SET:
		__atomic_store_n(&r->env->ap_jump_table_gpa, r->info2, __ATOMIC_SEQ_CST);
		break;
	case GHCB_AP_JUMP_TABLE_GET:
		r->out2 = __atomic_load_n(&r->env->ap_jump_table_gpa, __ATOMIC_SEQ_CST);
		break;
	default:
		req_error(r, GHCB_ERR_INVALID_INPUT,
		          "AP jump table request is neither SET nor GET");
		break;
	}
}

static void ev_end_run(struct ghcb_req *r, enum ghcb_outcome o)
{
	struct ghcb_result *res = r->res;

	res->outcome = o;
	res->info1 = r->info1;
	res->info2 = r->info2;
	if (o == GHCB_OUT_TERMINATE) {
		res->guest_requested = true;
		res->reason_set = ghcb_term_info_set(r->info1);
		res->reason_code = ghcb_term_info_code(r->info1);
		res->term_data = r->v->msr;
	}
}

void ghcb_dispatch(struct ghcb_req *r)
{
	r->out1 = GHCB_RESULT_OK;
	r->out2 = 0;
	switch (r->exit_code) {
	case GHCB_EXIT_CPUID:
		ev_cpuid(r);
		break;
	case GHCB_EXIT_IOIO:
		ev_ioio(r);
		break;
	case GHCB_EXIT_MSR:
		ev_msr(r);
		break;
	case GHCB_EXIT_MMIO_READ:
	case GHCB_EXIT_MMIO_WRITE:
		ev_mmio(r, r->exit_code == GHCB_EXIT_MMIO_WRITE);
		break;
	case GHCB_EXIT_AP_JUMP_TABLE:
		ev_ap_jump_table(r);
		break;
	case GHCB_EXIT_AP_HLT_LOOP:
		r->v->hold = GHCB_HOLD_NAE;
		r->v->hold_ghcb_gpa = r->gpa;
		r->res->outcome = GHCB_OUT_PARK_RESET_HOLD;
		break;
	case GHCB_EXIT_HV_FEATURES:
		r->out2 = GHCB_HV_FT_KVM;
		break;
	case GHCB_EXIT_TERM_REQUEST:
		ev_end_run(r, GHCB_OUT_TERMINATE);
		break;
	case GHCB_EXIT_UNSUPPORTED:
		ev_end_run(r, GHCB_OUT_UNSUPPORTED);
		break;
	case GHCB_EXIT_READ_DR7:
	case GHCB_EXIT_WRITE_DR7: /* KVM ignores both: DR7 lives in the encrypted VMSA */
	case GHCB_EXIT_INVD:
	case GHCB_EXIT_WBINVD:       /* guest memory is plain host memory: nothing to flush */
	case GHCB_EXIT_NMI_COMPLETE: /* no NMI masking to undo without SEV-ES hardware */
		break;
	default:
		/* RDTSC, RDTSCP, RDPMC, VMMCALL, MONITOR, MWAIT: not emulated (docs/ghcb.md). */
		req_error(r, GHCB_ERR_INVALID_EVENT, "GHCB event not serviced in emulated mode");
		break;
	}
}
