// SPDX-License-Identifier: MIT
/*
 * The floor's exit loop: debugcon and COM1 output to stdout, the exit port, and the GHCB MSR
 * protocol's CPUID call, each handled with the fewest vCPU ioctls this host allows.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>

#include "bench/floor/floor.h"
#include "loader/guest_abi.h"

#define GHCB_MSR 0xc0010130u
#define GHCB_MSR_CPUID_REQ 0x004u
#define GHCB_MSR_CPUID_RESP 0x005u
#define COM1_LSR (PVH_SEV_COM1_PORT + 5)
#define LSR_THR_EMPTY 0x60u

enum { RUN_CONTINUE, RUN_DONE };

static int handle_io(struct floor_vm *f, uint32_t *status)
{
	struct kvm_run *run = f->run;
	uint8_t *data = (uint8_t *)run + run->io.data_offset;
	size_t bytes = (size_t)run->io.size * run->io.count;

	if (run->io.direction == KVM_EXIT_IO_OUT) {
		if (run->io.port == PVH_SEV_DEBUG_EXIT_PORT && run->io.size == 4) {
			memcpy(status, data, 4);
			return RUN_DONE;
		}
		if (run->io.port == PVH_SEV_DEBUGCON_PORT || run->io.port == PVH_SEV_COM1_PORT)
			fwrite(data, 1, bytes, stdout);
		return RUN_CONTINUE;
	}
	/* Reads: a transmitter that is always ready, zero elsewhere on COM1, 0xff off-device. */
	uint8_t v = 0xff;
	if (run->io.port == COM1_LSR)
		v = LSR_THR_EMPTY;
	else if (run->io.port >= PVH_SEV_COM1_PORT && run->io.port < PVH_SEV_COM1_PORT + 8)
		v = 0;
	memset(data, v, bytes);
	return RUN_CONTINUE;
}

static uint32_t cpuid_reg(const struct floor_vm *f, uint32_t fn, unsigned reg)
{
	for (uint32_t i = 0; i < f->cpuid->nent; i++) {
		const struct kvm_cpuid_entry2 *e = &f->cpuid->entries[i];
		if (e->function == fn && e->index == 0) {
			const uint32_t r[4] = {e->eax, e->ebx, e->ecx, e->edx};
			return r[reg & 3];
		}
	}
	return 0;
}

/*
 * A GHCB MSR write. At the exit RIP still points at the WRMSR and KVM completes it on the next
 * KVM_RUN, overwriting any RIP set now; so complete it first (immediate_exit), then look for
 * the VMGEXIT (F3 0F 01 D9) and step over it. Portable, and 2 ioctls per call (docs/host.md).
 */
static int handle_wrmsr(struct floor_vm *f, char *err, size_t errlen)
{
	struct kvm_run *run = f->run;
	uint64_t req = run->msr.data;

	if (run->msr.index != GHCB_MSR) {
		run->msr.error = 1;
		return 0;
	}
	run->msr.error = 0;
	f->ghcb_msr = req;
	run->immediate_exit = 1;
	run->kvm_valid_regs = KVM_SYNC_X86_REGS;
	int r = ioctl(f->vcpu, KVM_RUN, 0);
	run->immediate_exit = 0;
	run->kvm_valid_regs = 0;
	if (r == 0 || errno != EINTR) {
		snprintf(err, errlen, "completing the GHCB MSR write: %s",
		         r == 0 ? "KVM_RUN did not stop" : strerror(errno));
		return -EIO;
	}
	uint64_t rip = run->s.regs.regs.rip; /* flat, paging off: the guest's linear = physical */
	const uint8_t *insn = floor_gpa(f, rip, 4);
	static const uint8_t vmgexit[4] = {0xf3, 0x0f, 0x01, 0xd9};
	if (!insn || memcmp(insn, vmgexit, 4))
		return 0; /* a plain MSR write: the value just stays */
	if ((req & 0xfff) != GHCB_MSR_CPUID_REQ) {
		snprintf(err, errlen, "GHCB MSR request 0x%llx is not a CPUID request",
		         (unsigned long long)req);
		return -EPROTO;
	}
	uint32_t v = cpuid_reg(f, (uint32_t)(req >> 32), (unsigned)(req >> 30) & 3);
	f->ghcb_msr = ((uint64_t)v << 32) | GHCB_MSR_CPUID_RESP;
	run->s.regs.regs.rip = rip + 4;
	run->kvm_dirty_regs = KVM_SYNC_X86_REGS;
	return 0;
}

static void handle_rdmsr(struct floor_vm *f)
{
	struct kvm_run *run = f->run;

	run->msr.error = run->msr.index == GHCB_MSR ? 0 : 1;
	run->msr.data = f->ghcb_msr;
}

static int report_stop(struct floor_vm *f, char *err, size_t errlen)
{
	struct kvm_regs regs = {0};
	uint32_t reason = f->run->exit_reason;

	ioctl(f->vcpu, KVM_GET_REGS, &regs);
	if (reason == KVM_EXIT_INTERNAL_ERROR)
		snprintf(err, errlen, "emulation failure (suberror %u) at RIP 0x%llx",
		         f->run->internal.suberror, (unsigned long long)regs.rip);
	else if (reason == KVM_EXIT_HLT)
		snprintf(err, errlen, "guest halted at RIP 0x%llx without using the exit port",
		         (unsigned long long)regs.rip);
	else if (reason == KVM_EXIT_SHUTDOWN)
		snprintf(err, errlen, "guest shut down (triple fault) at RIP 0x%llx",
		         (unsigned long long)regs.rip);
	else
		snprintf(err, errlen, "unexpected KVM exit %u at RIP 0x%llx", reason,
		         (unsigned long long)regs.rip);
	return -EIO;
}

int floor_run(struct floor_vm *f, uint32_t *status, char *err, size_t errlen)
{
	for (;;) {
		if (ioctl(f->vcpu, KVM_RUN, 0) < 0) {
			int e = errno;
			if (e == EINTR || e == EAGAIN)
				continue;
			snprintf(err, errlen, "KVM_RUN: %s", strerror(e));
			return -e;
		}
		int r = 0;
		switch (f->run->exit_reason) {
		case KVM_EXIT_IO:
			if (handle_io(f, status) == RUN_DONE)
				return 0;
			break;
		case KVM_EXIT_X86_WRMSR:
			r = handle_wrmsr(f, err, errlen);
			break;
		case KVM_EXIT_X86_RDMSR:
			handle_rdmsr(f);
			break;
		default:
			return report_stop(f, err, errlen);
		}
		if (r)
			return r;
	}
}
