// SPDX-License-Identifier: MIT
#include "vmm/strict_entry.h"

#include <errno.h>
#include <inttypes.h>
#include <string.h>
#include <sys/ioctl.h>

#include "vmm/gva.h"
#include "vmm/log.h"
#include "vmm/vm.h"

const char *strict_entry_vc_insn(const uint8_t insn[2])
{
	if (insn[0] != 0x0f)
		return NULL;
	if (insn[1] == 0xa2)
		return "CPUID";
	if (insn[1] == 0x09)
		return "WBINVD";
	return NULL;
}

static int set_guest_debug(struct vcpu *v, uint32_t control)
{
	struct kvm_guest_debug dbg;
	memset(&dbg, 0, sizeof(dbg));
	dbg.control = control;
	return ioctl(v->fd, KVM_SET_GUEST_DEBUG, &dbg) ? -errno : 0;
}

int strict_entry_arm(struct vcpu *bsp)
{
	bsp->strict_steps = 0;
	bsp->strict_watch = STRICT_WATCH_STEP;
	return set_guest_debug(bsp, KVM_GUESTDBG_ENABLE | KVM_GUESTDBG_SINGLESTEP);
}

static enum exit_action strict_entry_stop_watching(struct vcpu *v, const char *why)
{
	vlog(v->vm, 1, "vCPU %u: --strict: stopped single-stepping after %u instructions (%s)",
	     v->index, v->strict_steps, why);
	v->strict_watch = STRICT_WATCH_OFF;
	int r = set_guest_debug(v, 0);
	if (r) {
		vm_end(v->vm, ENDING_VMM_ERROR, PVH_EXIT_VMM_ERROR,
		       "vCPU %u: KVM_SET_GUEST_DEBUG: %s", v->index, strerror(-r));
		return EXIT_STOP;
	}
	return EXIT_CONTINUE;
}

enum exit_action strict_entry_debug_exit(struct vcpu *v)
{
	struct kvm_regs regs;
	struct kvm_sregs sregs;
	if (v->strict_watch == STRICT_WATCH_OFF)
		return EXIT_CONTINUE; /* a stale exit after the watch ended */
	if (ioctl(v->fd, KVM_GET_REGS, &regs) || ioctl(v->fd, KVM_GET_SREGS, &sregs)) {
		vm_end(v->vm, ENDING_VMM_ERROR, PVH_EXIT_VMM_ERROR, "vCPU %u: reading registers: %s",
		       v->index, strerror(errno));
		return EXIT_STOP;
	}
	/* With an IDT the guest's own #VC handler takes over, as on hardware. */
	if (sregs.idt.limit != 0)
		return strict_entry_stop_watching(v, "the guest loaded an IDT");
	if (++v->strict_steps > STRICT_ENTRY_STEPS)
		return strict_entry_stop_watching(v, "the step budget is spent");
	struct gva_regs gr = {.cr0 = sregs.cr0, .cr3 = sregs.cr3, .cr4 = sregs.cr4,
			      .efer = sregs.efer};
	uint64_t linear = sregs.cs.base + regs.rip;
	if (!(sregs.efer & (1u << 10)))
		linear &= 0xffffffffull;
	uint8_t insn[2];
	const char *what = NULL;
	if (!gva_read(&v->vm->mem, &gr, 1ull << v->vm->emul.cbit, linear, insn, sizeof(insn)))
		what = strict_entry_vc_insn(insn);
	if (what) {
		vm_end(v->vm, ENDING_WOULD_VC, PVH_EXIT_WOULD_VC,
		       "vCPU %u: %s at RIP 0x%" PRIx64 " before the guest loaded an IDT would raise "
		       "#VC on SEV-ES hardware, with no handler: a triple fault (--strict)",
		       v->index, what, (uint64_t)regs.rip);
		return EXIT_STOP;
	}
	return EXIT_CONTINUE;
}
