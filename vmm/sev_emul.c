// SPDX-License-Identifier: MIT
#include "vmm/sev_emul.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>

#include "ghcb/ghcb.h"
#include "vmm/ap_start.h"
#include "vmm/ghcb_ops.h"
#include "vmm/gva.h"
#include "vmm/log.h"
#include "vmm/vm.h"

#define FAIL(e, ...) (snprintf(err, errlen, __VA_ARGS__), -(e))

/* Slots 0..1 are RAM; 2..3 are the same host memory at GPA | 1 << C-bit. */
#define ALIAS_SLOT_BASE 2

int sev_emul_setup_msrs(struct vm *vm, char *err, size_t errlen)
{
	struct kvm_enable_cap cap = {.cap = KVM_CAP_X86_USER_SPACE_MSR,
				     .args = {KVM_MSR_EXIT_REASON_FILTER}};
	/* A clear bit denies the access in KVM, which then exits to userspace instead. */
	static uint8_t deny_both = 0;
	struct kvm_msr_filter filter = {
		.flags = KVM_MSR_FILTER_DEFAULT_ALLOW,
		.ranges = {{.flags = KVM_MSR_FILTER_READ | KVM_MSR_FILTER_WRITE,
			    .nmsrs = 2, .base = GHCB_MSR, .bitmap = &deny_both}},
	};
	if (ioctl(vm->vm_fd, KVM_ENABLE_CAP, &cap))
		return FAIL(errno, "KVM_CAP_X86_USER_SPACE_MSR: %s", strerror(errno));
	if (ioctl(vm->vm_fd, KVM_X86_SET_MSR_FILTER, &filter))
		return FAIL(errno, "KVM_X86_SET_MSR_FILTER: %s", strerror(errno));
	return 0;
}

static int sev_emul_alias_slots(struct vm *vm, unsigned cbit)
{
	return vm_map_ram(vm, ALIAS_SLOT_BASE, 1ull << cbit);
}

/*
 * --cbit N, or SEV_EMUL_DEFAULT_CBIT. The default is a constant, never derived from the host:
 * the guest must see the same SEV_INFO, CPUID and page-table bits wherever it runs.
 */
static int sev_emul_choose_cbit(struct vm *vm, unsigned requested, unsigned *cbit, char *err,
				size_t errlen)
{
	*cbit = requested ? requested : SEV_EMUL_DEFAULT_CBIT;
	int r = sev_emul_alias_slots(vm, *cbit);
	if (r)
		return FAIL(-r, "the C-bit alias of RAM at bit %u was refused (%s): this host's KVM "
			    "maps less; try a lower --cbit", *cbit, strerror(-r));
	return 0;
}

int sev_emul_setup_vm(struct vm *vm, unsigned requested_cbit, unsigned ghcb_version, bool strict,
		      char *err, size_t errlen)
{
	unsigned cbit;
	int r = sev_emul_choose_cbit(vm, requested_cbit, &cbit, err, errlen);
	if (r)
		return r;
	vm->emul.on = true;
	vm->emul.strict = strict;
	vm->emul.cbit = cbit;
	vm->emul.env = (struct ghcb_env){
		.mem = &vm->mem,
		.ops = &vmm_ghcb_ops,
		.cbit = cbit,
		.max_version = ghcb_version,
		/* The legacy init offers version 1: model the KVM that had nothing else. */
		.kvm = ghcb_version < 2 ? GHCB_KVM_BEFORE_6_10 : GHCB_KVM_CURRENT,
	};
	return 0;
}

void sev_emul_setup_vcpu(struct vm *vm, struct vcpu *v)
{
	ghcb_vcpu_init(&v->ghcb, &vm->emul.env, v);
	/* RIP and the control registers come with every exit: no GET_REGS on the hot path. */
	v->run->kvm_valid_regs = KVM_SYNC_X86_REGS | KVM_SYNC_X86_SREGS;
}

enum exit_action sev_emul_handle_rdmsr(struct vcpu *v)
{
	struct kvm_run *run = v->run;
	run->msr.error = 0;
	if (run->msr.index == GHCB_MSR)
		run->msr.data = ghcb_msr_read(&v->ghcb);
	else if (run->msr.index == SEV_STATUS_MSR)
		run->msr.data = SEV_STATUS_SEV | SEV_STATUS_SEV_ES;
	else
		run->msr.error = 1;
	return EXIT_CONTINUE;
}

/*
 * At a WRMSR exit RIP still points at the WRMSR, and a RIP set now would be overwritten when
 * KVM completes the instruction (host.md). So: complete it first with an immediate-exit
 * KVM_RUN, then look at the bytes at the new RIP.
 */
static int complete_wrmsr(struct vcpu *v)
{
	v->run->immediate_exit = 1;
	int r = ioctl(v->fd, KVM_RUN, 0);
	int e = errno;
	v->run->immediate_exit = 0;
	if (r == 0 || e == EINTR)
		return 0;
	return -e;
}

static bool at_vmgexit(struct vcpu *v)
{
	const struct kvm_sregs *s = &v->run->s.regs.sregs;
	struct gva_regs gr = {.cr0 = s->cr0, .cr3 = s->cr3, .cr4 = s->cr4, .efer = s->efer};
	uint64_t linear = s->cs.base + v->run->s.regs.regs.rip;
	uint8_t insn[GHCB_VMGEXIT_LEN];
	if (!(s->efer & (1u << 10)))
		linear &= 0xffffffffull;
	return !gva_read(&v->vm->mem, &gr, 1ull << v->vm->emul.cbit, linear, insn, sizeof(insn)) &&
	       ghcb_is_vmgexit(insn);
}

static enum exit_action ghcb_outcome_act(struct vcpu *v, const struct ghcb_result *res)
{
	struct vm *vm = v->vm;
	switch (res->outcome) {
	case GHCB_OUT_RESUME:
		if (res->exit_code == GHCB_EXIT_AP_JUMP_TABLE && !res->note)
			vlog(vm, 1, "vCPU %u: AP jump table %s: 0x%llx", v->index,
			     res->info1 == GHCB_AP_JUMP_TABLE_SET ? "SET" : "GET",
			     (unsigned long long)__atomic_load_n(&vm->emul.env.ap_jump_table_gpa,
								 __ATOMIC_RELAXED));
		if (res->note) /* what was refused or ignored, as KVM's vcpu_unimpl logs it */
			vlog(vm, 2, "vCPU %u: GHCB event 0x%llx: %s", v->index,
			     (unsigned long long)res->exit_code, res->note);
		return EXIT_CONTINUE;
	case GHCB_OUT_PARK_RESET_HOLD:
		return sev_emul_park_reset_hold(v);
	case GHCB_OUT_TERMINATE:
		vm_end(vm, ENDING_GUEST_TERM, PVH_EXIT_GUEST_TERM,
		       "vCPU %u: guest termination request (reason set %u, code %u%s%s)", v->index,
		       res->reason_set, res->reason_code, res->note ? "; " : "",
		       res->note ? res->note : "");
		return EXIT_STOP;
	case GHCB_OUT_UNSUPPORTED:
		vm_end(vm, ENDING_GUEST_TERM, PVH_EXIT_GUEST_TERM,
		       "vCPU %u: unsupported GHCB event 0x%llx (info 0x%llx 0x%llx)", v->index,
		       (unsigned long long)res->exit_code, (unsigned long long)res->info1,
		       (unsigned long long)res->info2);
		return EXIT_STOP;
	default:
		vm_end(vm, ENDING_VMM_ERROR, PVH_EXIT_VMM_ERROR,
		       "vCPU %u: GHCB event 0x%llx failed in the VMM: %s", v->index,
		       (unsigned long long)res->exit_code, strerror(-res->err));
		return EXIT_STOP;
	}
}

enum exit_action sev_emul_handle_wrmsr(struct vcpu *v)
{
	struct kvm_run *run = v->run;
	struct ghcb_result res;
	if (run->msr.index != GHCB_MSR) {
		run->msr.error = 1; /* SEV_STATUS is read-only: #GP */
		return EXIT_CONTINUE;
	}
	run->msr.error = 0;
	ghcb_msr_write(&v->ghcb, run->msr.data);
	int r = complete_wrmsr(v);
	if (r) {
		vm_end(v->vm, ENDING_VMM_ERROR, PVH_EXIT_VMM_ERROR,
		       "vCPU %u: completing the GHCB MSR write: %s", v->index, strerror(-r));
		return EXIT_STOP;
	}
	if (vm_ended(v->vm) || !at_vmgexit(v))
		return vm_ended(v->vm) ? EXIT_STOP : EXIT_CONTINUE;
	ghcb_service_vmgexit(&v->vm->emul.env, &v->ghcb, &res);
	run->s.regs.regs.rip += GHCB_VMGEXIT_LEN;
	run->kvm_dirty_regs |= KVM_SYNC_X86_REGS;
	return ghcb_outcome_act(v, &res);
}

/*
 * AP reset hold (GHCB MSR 0x006 or the AP_HLT_LOOP event): the vCPU waits, as on hardware,
 * until the guest sends it INIT and SIPI; it then resumes after its VMGEXIT with the hold
 * answered (docs/abi.md 4.1). KVM's in-kernel LAPIC does the waiting: the vCPU is parked as
 * not yet initialised, and KVM_RUN returns EAGAIN on INIT and on SIPI.
 */
/* How the vCPU asked to wait: the -v log names it (tests tell the two protocols apart). */
static const char *hold_kind(const struct vcpu *v)
{
	return v->ghcb.hold == GHCB_HOLD_NAE ? "AP_HLT_LOOP event" : "GHCB MSR protocol";
}

enum exit_action sev_emul_park_reset_hold(struct vcpu *v)
{
	struct kvm_run *run = v->run;
	struct kvm_mp_state parked = {.mp_state = KVM_MP_STATE_UNINITIALIZED};
	int r;
	v->hold_regs = run->s.regs.regs;
	v->hold_sregs = run->s.regs.sregs;
	run->kvm_dirty_regs = 0;
	v->init_seen = false;
	if (ioctl(v->fd, KVM_SET_MP_STATE, &parked))
		goto fail;
	atomic_store(&v->state, VCPU_PARKED);
	ap_sm_parked(&v->vm->ap, v->index);
	vlog(v->vm, 1, "vCPU %u: AP reset hold: parked until INIT-SIPI (%s)", v->index,
	     hold_kind(v));
	while (!vm_ended(v->vm)) {
		if (ioctl(v->fd, KVM_RUN, 0) && errno != EAGAIN && errno != EINTR)
			goto fail;
		run->immediate_exit = 0;
		if ((r = ap_sipi_arrived(v)) < 0) {
			errno = -r;
			goto fail;
		}
		if (!r)
			continue;
		if ((r = vcpu_load_regs(v, &v->hold_regs, &v->hold_sregs))) {
			errno = -r;
			goto fail;
		}
		const char *kind = hold_kind(v);
		ghcb_reset_hold_release(&v->vm->emul.env, &v->ghcb, true);
		vlog(v->vm, 1, "vCPU %u: AP reset hold released by INIT-SIPI (%s)", v->index, kind);
		ap_sm_mark_running(&v->vm->ap, v->index);
		atomic_store(&v->state, VCPU_RUNNING);
		return EXIT_CONTINUE;
	}
	return EXIT_STOP;
fail:
	vm_end(v->vm, ENDING_VMM_ERROR, PVH_EXIT_VMM_ERROR, "vCPU %u: AP reset hold: %s", v->index,
	       strerror(errno));
	return EXIT_STOP;
}
