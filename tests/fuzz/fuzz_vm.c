// SPDX-License-Identifier: MIT
#include "tests/fuzz/fuzz_vm.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ap/mptable.h"
#include "vmm/ap_start.h"
#include "vmm/ghcb_ops.h"

/* A small table with the leaves the GHCB CPUID answers patch or size (ghcb_ops.c). */
static struct kvm_cpuid2 *cpuid_table(void)
{
	static const struct kvm_cpuid_entry2 e[] = {
	    {.function = 0, .eax = 0xd, .ebx = 0x68747541},
	    {.function = 1, .eax = 0x830f10, .ecx = 1u << 26, .edx = 1u << 9},
	    {.function = 7, .flags = KVM_CPUID_FLAG_SIGNIFCANT_INDEX, .ecx = 1u << 3},
	    {.function = 0xd, .flags = KVM_CPUID_FLAG_SIGNIFCANT_INDEX, .eax = 7, .ebx = 832,
	     .ecx = 2688},
	    {.function = 0xd, .index = 1, .flags = KVM_CPUID_FLAG_SIGNIFCANT_INDEX, .eax = 0xf},
	    {.function = 0xd, .index = 2, .flags = KVM_CPUID_FLAG_SIGNIFCANT_INDEX, .eax = 256,
	     .ebx = 576},
	    {.function = 0xd, .index = 9, .flags = KVM_CPUID_FLAG_SIGNIFCANT_INDEX, .eax = 8,
	     .ebx = 2680, .ecx = 2},
	    {.function = 0x80000000, .eax = 0x80000021},
	    {.function = 0x80000008, .eax = 0x3030},
	};
	size_t n = sizeof(e) / sizeof(e[0]);
	struct kvm_cpuid2 *c = calloc(1, sizeof(*c) + n * sizeof(e[0]));
	if (!c)
		abort();
	c->nent = (uint32_t)n;
	memcpy(c->entries, e, sizeof(e));
	return c;
}

static void setup(struct fuzz_vm *w)
{
	FILE *out = fopen("/dev/null", "w");
	struct vm *vm = &w->vm;
	uint8_t *ram = aligned_alloc(4096, FUZZ_VM_RAM);
	if (!out || !ram)
		abort();
	vm->mem = (struct guest_mem){.host = ram, .size = FUZZ_VM_RAM, .nram = 1};
	vm->mem.ram[0] = (struct ram_range){0, FUZZ_VM_RAM};
	vm->cfg = &w->cfg;
	vm->kvm_fd = vm->vm_fd = -1;
	vm->vcpus = w->vcpus;
	vm->nvcpus = FUZZ_VM_MAX_VCPUS;
	pthread_mutex_init(&vm->lock, NULL);
	pthread_cond_init(&vm->ended_cond, NULL);
	w->cpuid = cpuid_table();
	if (devices_register(&w->dev, vm, out) || ap_doorbell_register(vm))
		abort();
}

struct fuzz_vm *fuzz_vm_get(void)
{
	static struct fuzz_vm *w;
	if (!w) {
		w = calloc(1, sizeof(*w));
		if (!w)
			abort();
		setup(w);
	}
	return w;
}

void fuzz_vm_reset(struct fuzz_vm *w, unsigned nvcpus, bool emul, unsigned cbit,
                   unsigned max_version)
{
	struct vm *vm = &w->vm;
	memset(vm->mem.host, 0, vm->mem.size);
	/* COM1 and the IOAPIC as at power-on, COM1's IRQ 4 still wired to the IOAPIC's pin */
	struct serial_16550 *com1 = &w->dev.com1;
	void (*irq)(void *, bool) = com1->irq;
	void *irq_ctx = com1->irq_ctx;
	memset(com1, 0, sizeof(*com1));
	com1->out = w->dev.out;
	com1->irq = irq;
	com1->irq_ctx = irq_ctx;
	struct ioapic *io = &w->dev.ioapic;
	ioapic_init(io, mptable_ioapic_id(nvcpus), io->ops, io->ctx);
	atomic_store(&vm->ending, ENDING_NONE);
	vm->exit_status = 0;
	vm->nvcpus = nvcpus;
	ap_sm_destroy(&vm->ap);
	if (ap_sm_init(&vm->ap, nvcpus))
		abort();
	vm->emul = (struct sev_emul){
	    .on = emul,
	    .cbit = cbit,
	    .env = {.mem = &vm->mem, .ops = &vmm_ghcb_ops, .cbit = cbit, .max_version = max_version},
	};
	for (unsigned i = 0; i < nvcpus; i++) {
		struct vcpu *v = &w->vcpus[i];
		memset(v, 0, sizeof(*v));
		memset(&w->runs[i], 0, sizeof(w->runs[i]));
		v->vm = vm;
		v->index = i;
		v->fd = -1;
		v->run = &w->runs[i];
		v->cpuid = w->cpuid;
		atomic_store(&v->state, i ? VCPU_WAITING : VCPU_RUNNING);
		ghcb_vcpu_init(&v->ghcb, &vm->emul.env, v);
	}
}
