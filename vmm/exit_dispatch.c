// SPDX-License-Identifier: MIT
#include "vmm/exit_dispatch.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "ghcb/ghcb.h"
#include "loader/guest_abi.h"
#include "vmm/dev_ioapic.h"
#include "vmm/emulation_failure.h"
#include "vmm/log.h"
#include "vmm/sev_emul.h"
#include "vmm/vm.h"

/* --strict: on SEV-ES hardware this exit would have been a #VC in the guest (docs/abi.md 6). */
static bool strict_would_vc(struct vcpu *v, const char *what, uint64_t where)
{
	struct vm *vm = v->vm;
	if (!vm->emul.on || !vm->emul.strict)
		return false;
	vm_end(vm, ENDING_WOULD_VC, PVH_EXIT_WOULD_VC,
	       "vCPU %u: %s 0x%" PRIx64 " outside the GHCB would raise #VC on SEV-ES hardware "
	       "(--strict)", v->index, what, where);
	return true;
}

static enum exit_action handle_io(struct vcpu *v)
{
	struct kvm_run *run = v->run;
	if (strict_would_vc(v, run->io.direction == KVM_EXIT_IO_OUT ? "OUT to port" : "IN from port",
			    run->io.port))
		return EXIT_STOP;
	uint8_t *data = (uint8_t *)run + run->io.data_offset;
	unsigned size = run->io.size;
	bool is_write = run->io.direction == KVM_EXIT_IO_OUT;

	/* KVM bounds data_offset/size/count by the run page; check anyway before touching it. */
	if ((size != 1 && size != 2 && size != 4) ||
	    run->io.data_offset + (uint64_t)size * run->io.count > v->run_size) {
		vm_end(v->vm, ENDING_VMM_ERROR, PVH_EXIT_VMM_ERROR,
		       "vCPU %u: malformed I/O exit (port 0x%x size %u count %u)", v->index,
		       run->io.port, size, run->io.count);
		return EXIT_STOP;
	}
	for (uint32_t i = 0; i < run->io.count; i++) {
		if (!io_bus_access(&v->vm->io, v, run->io.port, data + i * size, size, is_write))
			vlog(v->vm, 2, "vCPU %u: %s of unclaimed port 0x%x", v->index,
			     is_write ? "OUT" : "IN", run->io.port);
	}
	return vm_ended(v->vm) ? EXIT_STOP : EXIT_CONTINUE;
}

void vcpu_mmio_access(struct vcpu *v, uint64_t gpa, uint8_t *data, unsigned len, bool is_write)
{
	if (v->vm->ioapic && gpa >= PVH_SEV_IOAPIC_GPA &&
	    gpa - PVH_SEV_IOAPIC_GPA < PVH_SEV_IOAPIC_SIZE) {
		ioapic_mmio(v->vm->ioapic, gpa - PVH_SEV_IOAPIC_GPA, data, len, is_write);
		return;
	}
	/* Elsewhere no MMIO devices: reads float high, writes are dropped, as on an empty bus. */
	if (!is_write)
		memset(data, 0xff, len);
	vlog(v->vm, 2, "vCPU %u: MMIO %s at 0x%" PRIx64 " (%u bytes), no device", v->index,
	     is_write ? "write" : "read", gpa, len);
}

static enum exit_action handle_mmio(struct vcpu *v)
{
	struct kvm_run *run = v->run;
	if (strict_would_vc(v, run->mmio.is_write ? "MMIO write at" : "MMIO read at",
			    run->mmio.phys_addr))
		return EXIT_STOP;
	unsigned len = run->mmio.len <= sizeof(run->mmio.data) ? run->mmio.len : sizeof(run->mmio.data);
	vcpu_mmio_access(v, run->mmio.phys_addr, run->mmio.data, len, run->mmio.is_write);
	return EXIT_CONTINUE;
}

/*
 * KVM's SEV_TERM data[0] is the GHCB MSR value of the request (control->ghcb_gpa). Through the
 * MSR protocol that is the request itself: 0x100, reason set in bits 15:12, code in 23:16.
 * Through the GHCB page (TERM_REQUEST NAE, Linux 6.10+) it is the page's GPA, and the reason is
 * in the page's sw_exit_info_1 (set in bits 3:0, code in 11:4); the GHCB is shared, so the VMM
 * reads it. Kernels that do not fill data[] give no reason.
 */
static void sev_term_ending(struct vcpu *v)
{
	uint64_t d = v->run->system_event.ndata ? v->run->system_event.data[0] : 0;
	unsigned set = 0, code = 0;
	const char *how = "no reason given";
	if ((d & 0xfff) == GHCB_MSR_TERM_REQ) {
		set = (d >> 12) & 0xf;
		code = (d >> 16) & 0xff;
		how = "MSR protocol";
	} else if (d && !(d & 0xfff)) {
		const struct ghcb *g = guest_mem_ptr(&v->vm->mem, d, sizeof(struct ghcb));
		if (g) {
			uint64_t info;
			memcpy(&info, &g->save.sw_exit_info_1, sizeof(info));
			set = info & 0xf;
			code = (info >> 4) & 0xff;
			how = "GHCB page";
		} else {
			how = "GHCB page outside guest RAM";
		}
	}
	vm_end(v->vm, ENDING_GUEST_TERM, PVH_EXIT_GUEST_TERM,
	       "vCPU %u: SEV-ES guest termination request (KVM_SYSTEM_EVENT_SEV_TERM, %s, "
	       "reason set %u, code %u)", v->index, how, set, code);
}

static enum exit_action handle_system_event(struct vcpu *v)
{
	struct vm *vm = v->vm;
	switch (v->run->system_event.type) {
	case KVM_SYSTEM_EVENT_RESET:
		vm_end(vm, ENDING_REBOOT, PVH_EXIT_REBOOT, "vCPU %u: reset", v->index);
		break;
	case KVM_SYSTEM_EVENT_SEV_TERM:
		sev_term_ending(v);
		break;
	default:
		vm_end(vm, ENDING_SHUTDOWN, PVH_EXIT_SHUTDOWN, "vCPU %u: system event %u (shutdown)",
		       v->index, v->run->system_event.type);
		break;
	}
	return EXIT_STOP;
}

enum exit_action vcpu_handle_exit(struct vcpu *v)
{
	struct vm *vm = v->vm;
	struct kvm_run *run = v->run;

	switch (run->exit_reason) {
	case KVM_EXIT_IO:
		return handle_io(v);
	case KVM_EXIT_MMIO:
		return handle_mmio(v);
	case KVM_EXIT_SHUTDOWN:
		vm_end(vm, ENDING_SHUTDOWN, PVH_EXIT_SHUTDOWN,
		       "vCPU %u: shutdown (triple fault)", v->index);
		return EXIT_STOP;
	case KVM_EXIT_SYSTEM_EVENT:
		return handle_system_event(v);
	case KVM_EXIT_INTERNAL_ERROR:
		report_emulation_failure(v);
		return EXIT_STOP;
	case KVM_EXIT_FAIL_ENTRY:
		vm_end(vm, ENDING_VMM_ERROR, PVH_EXIT_VMM_ERROR,
		       "vCPU %u: KVM entry failed (hardware reason 0x%llx)", v->index,
		       (unsigned long long)run->fail_entry.hardware_entry_failure_reason);
		return EXIT_STOP;
	case KVM_EXIT_X86_RDMSR:
		return sev_emul_handle_rdmsr(v);
	case KVM_EXIT_X86_WRMSR:
		return sev_emul_handle_wrmsr(v);
	case KVM_EXIT_IOAPIC_EOI:
		if (vm->ioapic)
			ioapic_eoi(vm->ioapic, run->eoi.vector);
		return EXIT_CONTINUE;
	case KVM_EXIT_HLT:
	case KVM_EXIT_INTR:
		return EXIT_CONTINUE;
	default:
		vm_end(vm, ENDING_VMM_ERROR, PVH_EXIT_VMM_ERROR, "vCPU %u: unexpected KVM exit %s (%u)",
		       v->index, kvm_exit_reason_name(run->exit_reason), run->exit_reason);
		return EXIT_STOP;
	}
}

const char *kvm_exit_reason_name(unsigned reason)
{
	switch (reason) {
	case KVM_EXIT_IO: return "io";
	case KVM_EXIT_MMIO: return "mmio";
	case KVM_EXIT_HLT: return "hlt";
	case KVM_EXIT_SHUTDOWN: return "shutdown";
	case KVM_EXIT_FAIL_ENTRY: return "fail-entry";
	case KVM_EXIT_INTR: return "intr";
	case KVM_EXIT_INTERNAL_ERROR: return "internal-error";
	case KVM_EXIT_SYSTEM_EVENT: return "system-event";
	case KVM_EXIT_X86_RDMSR: return "rdmsr";
	case KVM_EXIT_X86_WRMSR: return "wrmsr";
	case KVM_EXIT_HYPERCALL: return "hypercall";
	case KVM_EXIT_DEBUG: return "debug";
	case KVM_EXIT_IOAPIC_EOI: return "ioapic-eoi";
	default: return "unknown";
	}
}
