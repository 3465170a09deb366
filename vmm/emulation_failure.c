// SPDX-License-Identifier: MIT
#include "vmm/emulation_failure.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>

#include "vmm/gva.h"
#include "vmm/vm.h"

/* The bytes at a linear address through the guest's page tables (the emulated C-bit stripped):
 * all of them, or those up to the end of RIP's page when the next page is not mapped. */
static size_t read_linear(struct vcpu *v, const struct kvm_sregs *s, uint64_t linear,
			  uint8_t *buf, size_t len)
{
	struct gva_regs gr = {.cr0 = s->cr0, .cr3 = s->cr3, .cr4 = s->cr4, .efer = s->efer};
	uint64_t strip = v->vm->emul.on ? 1ull << v->vm->emul.cbit : 0;
	size_t to_page_end = PAGE_SIZE - (linear & (PAGE_SIZE - 1));
	if (!gva_read(&v->vm->mem, &gr, strip, linear, buf, len))
		return len;
	if (to_page_end < len && !gva_read(&v->vm->mem, &gr, strip, linear, buf, to_page_end))
		return to_page_end;
	return 0;
}

size_t vcpu_read_insn_bytes(struct vcpu *v, uint8_t *buf, size_t len, uint64_t *rip,
			    uint64_t *linear)
{
	struct kvm_regs regs;
	struct kvm_sregs sregs;
	*rip = *linear = 0;
	if (ioctl(v->fd, KVM_GET_REGS, &regs) || ioctl(v->fd, KVM_GET_SREGS, &sregs))
		return 0;
	*rip = regs.rip;
	*linear = sregs.cs.base + regs.rip;
	if (!(sregs.efer & (1u << 10))) /* outside long mode the linear address wraps at 4 GiB */
		*linear &= 0xffffffffu;
	return read_linear(v, &sregs, *linear, buf, len);
}

void report_emulation_failure(struct vcpu *v)
{
	struct kvm_run *run = v->run;
	uint8_t insn[15];
	uint64_t rip, linear;
	char hex[3 * sizeof(insn) + 1] = "";
	size_t n = vcpu_read_insn_bytes(v, insn, sizeof(insn), &rip, &linear);
	for (size_t i = 0; i < n; i++)
		snprintf(hex + 3 * i, sizeof(hex) - 3 * i, "%02x ", insn[i]);
	if (n)
		hex[3 * n - 1] = 0;
	vm_end(v->vm, ENDING_EMULATION, PVH_EXIT_EMULATION,
	       "vCPU %u: KVM could not emulate an instruction (internal error %u) at RIP 0x%" PRIx64
	       " (linear 0x%" PRIx64 "), bytes: %s; this host's KVM emulates every guest "
	       "instruction and lacks SSE arithmetic, AVX, popcnt, rdtscp, rdrand, xgetbv, "
	       "int3/int n and 32-bit iret (docs/usage.md)",
	       v->index, run->internal.suberror, rip, linear, n ? hex : "(unreadable)");
}
