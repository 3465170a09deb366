// SPDX-License-Identifier: MIT
#include "vmm/emulation_failure.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>

#include "vmm/vm.h"

static size_t read_linear(struct vcpu *v, uint64_t linear, uint8_t *buf, size_t len)
{
	size_t done = 0;
	while (done < len) {
		struct kvm_translation t = {.linear_address = linear + done};
		if (ioctl(v->fd, KVM_TRANSLATE, &t) || !t.valid)
			break;
		size_t chunk = PAGE_SIZE - ((linear + done) & (PAGE_SIZE - 1));
		if (chunk > len - done)
			chunk = len - done;
		const uint8_t *p = guest_mem_ptr(&v->vm->mem, t.physical_address, chunk);
		if (!p)
			break;
		memcpy(buf + done, p, chunk);
		done += chunk;
	}
	return done;
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
	return read_linear(v, *linear, buf, len);
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
