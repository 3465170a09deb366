// SPDX-License-Identifier: MIT
#include "vmm/strict_entry.h"

#include <errno.h>
#include <inttypes.h>
#include <string.h>
#include <sys/ioctl.h>

#include "vmm/gva.h"
#include "vmm/log.h"
#include "vmm/vm.h"

#define DR7_L0 0x1u /* breakpoint 0 enabled, execute, length 1 */

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

static int set_guest_debug(struct vcpu *v, uint32_t control, uint64_t dr0)
{
	struct kvm_guest_debug dbg;
	memset(&dbg, 0, sizeof(dbg));
	dbg.control = control;
	dbg.arch.debugreg[0] = dr0;
	dbg.arch.debugreg[7] = (control & KVM_GUESTDBG_USE_HW_BP) ? DR7_L0 : 0;
	return ioctl(v->fd, KVM_SET_GUEST_DEBUG, &dbg) ? -errno : 0;
}

int strict_entry_arm(struct vcpu *bsp, uint32_t entry)
{
	bsp->strict_steps = 0;
	bsp->strict_watch = STRICT_WATCH_ENTRY;
	return set_guest_debug(bsp, KVM_GUESTDBG_ENABLE | KVM_GUESTDBG_USE_HW_BP, entry);
}

static enum exit_action strict_entry_stop_watching(struct vcpu *v)
{
	v->strict_watch = STRICT_WATCH_OFF;
	int r = set_guest_debug(v, 0, 0);
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
	if (sregs.idt.limit != 0 || ++v->strict_steps > STRICT_ENTRY_STEPS)
		return strict_entry_stop_watching(v); /* the guest has an IDT now: #VC is its own */
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
	if (v->strict_watch == STRICT_WATCH_ENTRY) {
		/* At the entry: from here on one instruction at a time. */
		v->strict_watch = STRICT_WATCH_STEP;
		vlog(v->vm, 1, "vCPU %u: --strict: single-stepping from the kernel entry 0x%" PRIx64
		     " until the guest loads an IDT", v->index, (uint64_t)regs.rip);
		int r = set_guest_debug(v, KVM_GUESTDBG_ENABLE | KVM_GUESTDBG_SINGLESTEP, 0);
		if (r) {
			vm_end(v->vm, ENDING_VMM_ERROR, PVH_EXIT_VMM_ERROR,
			       "vCPU %u: KVM_SET_GUEST_DEBUG: %s", v->index, strerror(-r));
			return EXIT_STOP;
		}
	}
	return EXIT_CONTINUE;
}
