// SPDX-License-Identifier: MIT
/*
 * The emulated SEV-ES GHCB service with the VMM's real ops (vmm/ghcb_ops.c: CPUID from the
 * vCPU's table and registers, port I/O to the real devices, MMIO, MSRs through a KVM that
 * refuses), driven by a script from the input:
 *   the C-bit, GHCB version and vCPU count; per vCPU the CR4, APIC_BASE and XCR0 the ops see;
 *   then steps: write guest RAM (the GHCB page, scratch areas), write the GHCB MSR (any value,
 *   or a page of RAM with or without the C-bit), VMGEXIT, release an AP reset hold, read the
 *   MSR as RDMSR exits do.
 * Every op call also lets the input rewrite bytes of guest RAM: the guest changing its GHCB
 * page or scratch area while the VMM serves the request.
 */
#include <stdlib.h>

#include "ghcb/ghcb.h"
#include "tests/fuzz/fuzz_input.h"
#include "tests/fuzz/fuzz_vm.h"
#include "vmm/ghcb_ops.h"
#include "vmm/sev_emul.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define MAX_STEPS 24

static struct fuzz_in in;
static struct fuzz_vm *w;
static gpa_t ghcb_page; /* the page the last NAE MSR value named (host view: cbit stripped) */

/* The guest, on another vCPU, rewrites up to 4 bytes of its GHCB page or anywhere in RAM. */
static void guest_scribbles(void)
{
	uint8_t how = fuzz_u8(&in);
	if (!(how & 1))
		return;
	uint64_t off = (how & 2) ? ghcb_page + fuzz_u16(&in) % 4096 : fuzz_u32(&in) % FUZZ_VM_RAM;
	uint32_t v = fuzz_u32(&in);
	for (unsigned i = 0; i < 4 && off + i < FUZZ_VM_RAM; i++)
		w->vm.mem.host[off + i] = (uint8_t)(v >> (8 * i));
}

static int f_cpuid(void *ctx, uint32_t fn, uint32_t idx, uint64_t xcr0, uint32_t out[4])
{
	int r = vmm_ghcb_ops.cpuid(ctx, fn, idx, xcr0, out);
	guest_scribbles();
	return r;
}

static int f_io(void *ctx, uint16_t port, unsigned size, bool is_write, void *data)
{
	int r = vmm_ghcb_ops.io(ctx, port, size, is_write, data);
	guest_scribbles();
	return r;
}

static int f_mmio(void *ctx, gpa_t gpa, unsigned len, bool is_write, void *data)
{
	int r = vmm_ghcb_ops.mmio(ctx, gpa, len, is_write, data);
	guest_scribbles();
	return r;
}

static int f_msr(void *ctx, uint32_t idx, bool is_write, uint64_t *val)
{
	int r = vmm_ghcb_ops.msr(ctx, idx, is_write, val);
	guest_scribbles();
	return r;
}

static const struct ghcb_ops scribbling_ops = {f_cpuid, f_io, f_mmio, f_msr};

static void write_ram(void)
{
	uint32_t off = fuzz_u32(&in) % FUZZ_VM_RAM;
	size_t len = fuzz_u16(&in) % 4097;
	if (len > FUZZ_VM_RAM - off)
		len = FUZZ_VM_RAM - off;
	fuzz_bytes(&in, w->vm.mem.host + off, len);
}

static void set_msr(struct vcpu *v, uint8_t how)
{
	struct ghcb_env *env = &w->vm.emul.env;
	uint64_t val;
	if (how & 0x10) { /* a page of RAM, maybe with the C-bit, maybe at the edges */
		ghcb_page = (uint64_t)(fuzz_u16(&in) % (FUZZ_VM_RAM / 4096 + 2)) << 12;
		val = ghcb_page | ((how & 0x20) ? 1ull << env->cbit : 0);
	} else {
		val = fuzz_u64(&in);
		ghcb_page = ghcb_strip_cbit(env, val & ~0xfffull);
	}
	ghcb_msr_write(&v->ghcb, val);
}

static void step(uint8_t op)
{
	struct vcpu *v = &w->vcpus[(op >> 5) % w->vm.nvcpus];
	struct ghcb_result res;
	switch (op & 7) {
	case 0: write_ram(); break;
	case 1: set_msr(v, op); break;
	case 2:
	case 3:
		ghcb_service_vmgexit(&w->vm.emul.env, &v->ghcb, &res);
		if (res.outcome > GHCB_OUT_VMM_ERROR)
			abort();
		break;
	case 4: ghcb_reset_hold_release(&w->vm.emul.env, &v->ghcb, op & 8); break;
	case 5:
		v->run->msr.index = (op & 8) ? GHCB_MSR : SEV_STATUS_MSR;
		sev_emul_handle_rdmsr(v);
		break;
	case 6: set_msr(v, op | 0x10); ghcb_service_vmgexit(&w->vm.emul.env, &v->ghcb, &res); break;
	default: v->ghcb.xcr0 = fuzz_u64(&in); break;
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	in = (struct fuzz_in){data, size};
	if (!w)
		w = fuzz_vm_get();
	uint8_t cfg = fuzz_u8(&in);
	unsigned cbit = 1 + fuzz_u8(&in) % 63, nvcpus = 1 + (cfg & 3);
	fuzz_vm_reset(w, nvcpus, true, cbit, (cfg & 4) ? 1 : GHCB_VERSION_MAX);
	w->vm.emul.env.ops = &scribbling_ops;
	for (unsigned i = 0; i < nvcpus; i++) {
		struct kvm_sregs *s = &w->runs[i].s.regs.sregs;
		s->cr4 = fuzz_u64(&in);
		s->apic_base = fuzz_u64(&in);
	}
	ghcb_page = 0;
	for (unsigned n = 0; n < MAX_STEPS && in.left; n++)
		step(fuzz_u8(&in));
	return 0;
}
