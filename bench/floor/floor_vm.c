// SPDX-License-Identifier: MIT
/* VM, memory and vCPU set-up of the floor: only what booting a PVH guest needs. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

#include "bench/floor/floor.h"
#include "loader/boot_gdt.h"
#include "loader/cpu_state.h"
#include "loader/guest_abi.h"

#define GHCB_MSR 0xc0010130u
#define CPUID_MAX_ENTRIES 256

static int fail(char *err, size_t errlen, const char *what)
{
	int e = errno ? errno : EINVAL;

	snprintf(err, errlen, "%s: %s", what, strerror(e));
	return -e;
}

static int enable_cap(int vm, uint32_t cap, uint64_t arg0)
{
	struct kvm_enable_cap c = {.cap = cap, .args = {arg0}};

	return ioctl(vm, KVM_ENABLE_CAP, &c);
}

/*
 * GHCB MSR accesses go to userspace through an MSR filter, and the FIX_HYPERCALL_INSN quirk is
 * off, so a VMGEXIT is never rewritten by KVM (docs/host.md). Both are VM ioctls (~0.1 µs).
 */
static int setup_msr_exits(int vm, char *err, size_t errlen)
{
	static uint8_t deny; /* bit 0 clear: the one MSR in the range exits */
	struct kvm_msr_filter filter = {.flags = KVM_MSR_FILTER_DEFAULT_ALLOW};

	if (enable_cap(vm, KVM_CAP_X86_USER_SPACE_MSR, KVM_MSR_EXIT_REASON_FILTER))
		return fail(err, errlen, "KVM_CAP_X86_USER_SPACE_MSR");
	filter.ranges[0] = (struct kvm_msr_filter_range){
	    .flags = KVM_MSR_FILTER_READ | KVM_MSR_FILTER_WRITE,
	    .nmsrs = 1,
	    .base = GHCB_MSR,
	    .bitmap = &deny,
	};
	if (ioctl(vm, KVM_X86_SET_MSR_FILTER, &filter))
		return fail(err, errlen, "KVM_X86_SET_MSR_FILTER");
	if (enable_cap(vm, KVM_CAP_DISABLE_QUIRKS2, KVM_X86_QUIRK_FIX_HYPERCALL_INSN))
		return fail(err, errlen, "KVM_CAP_DISABLE_QUIRKS2");
	return 0;
}

static int setup_irqchip(int vm, enum floor_irqchip irqchip, char *err, size_t errlen)
{
	if (irqchip == FLOOR_IRQCHIP_SPLIT && enable_cap(vm, KVM_CAP_SPLIT_IRQCHIP, 24))
		return fail(err, errlen, "KVM_CAP_SPLIT_IRQCHIP");
	if (irqchip == FLOOR_IRQCHIP_FULL && ioctl(vm, KVM_CREATE_IRQCHIP, 0))
		return fail(err, errlen, "KVM_CREATE_IRQCHIP");
	return 0;
}

static int setup_memory(struct floor_vm *f, size_t mem_size, char *err, size_t errlen)
{
	f->mem = mmap(NULL, mem_size, PROT_READ | PROT_WRITE,
	              MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (f->mem == MAP_FAILED) {
		f->mem = NULL;
		return fail(err, errlen, "mmap guest RAM");
	}
	f->mem_size = mem_size;
	struct kvm_userspace_memory_region slot = {
	    .slot = 0,
	    .guest_phys_addr = 0,
	    .memory_size = mem_size,
	    .userspace_addr = (uint64_t)(uintptr_t)f->mem,
	};
	if (ioctl(f->vm, KVM_SET_USER_MEMORY_REGION, &slot))
		return fail(err, errlen, "KVM_SET_USER_MEMORY_REGION");
	return 0;
}

static int setup_vcpu(struct floor_vm *f, char *err, size_t errlen)
{
	f->vcpu = ioctl(f->vm, KVM_CREATE_VCPU, 0);
	if (f->vcpu < 0)
		return fail(err, errlen, "KVM_CREATE_VCPU");
	int sz = ioctl(f->kvm, KVM_GET_VCPU_MMAP_SIZE, 0);
	if (sz <= 0)
		return fail(err, errlen, "KVM_GET_VCPU_MMAP_SIZE");
	f->run_size = (size_t)sz;
	f->run = mmap(NULL, f->run_size, PROT_READ | PROT_WRITE, MAP_SHARED, f->vcpu, 0);
	if (f->run == MAP_FAILED) {
		f->run = NULL;
		return fail(err, errlen, "mmap kvm_run");
	}
	f->cpuid =
	    calloc(1, sizeof(*f->cpuid) + CPUID_MAX_ENTRIES * sizeof(struct kvm_cpuid_entry2));
	if (!f->cpuid)
		return fail(err, errlen, "calloc cpuid");
	f->cpuid->nent = CPUID_MAX_ENTRIES;
	if (ioctl(f->kvm, KVM_GET_SUPPORTED_CPUID, f->cpuid))
		return fail(err, errlen, "KVM_GET_SUPPORTED_CPUID");
	if (ioctl(f->vcpu, KVM_SET_CPUID2, f->cpuid))
		return fail(err, errlen, "KVM_SET_CPUID2");
	return 0;
}

int floor_vm_create(struct floor_vm *f, size_t mem_size, enum floor_irqchip irqchip, char *err,
                    size_t errlen)
{
	int r;

	memset(f, 0, sizeof(*f));
	f->vm = f->vcpu = -1;
	f->kvm = open("/dev/kvm", O_RDWR | O_CLOEXEC);
	if (f->kvm < 0)
		return fail(err, errlen, "open /dev/kvm");
	f->vm = ioctl(f->kvm, KVM_CREATE_VM, 0);
	if (f->vm < 0)
		return fail(err, errlen, "KVM_CREATE_VM");
	r = setup_irqchip(f->vm, irqchip, err, errlen);
	if (!r)
		r = setup_msr_exits(f->vm, err, errlen);
	if (!r)
		r = setup_memory(f, mem_size, err, errlen);
	if (!r)
		r = setup_vcpu(f, err, errlen);
	/* On failure the process exits at once; the kernel releases the fds and mappings. */
	return r;
}

void floor_vcpu_entry_state(struct floor_vm *f, uint32_t entry, uint32_t start_info)
{
	struct cpu_state s;

	cpu_state_pvh_bsp(&s, entry, start_info, PVH_SEV_BOOT_GDT_GPA);
	s.sregs.apic_base = 0xfee00900; /* enabled, BSP: keeps a split-irqchip LAPIC on */
	f->run->s.regs.regs = s.regs;
	f->run->s.regs.sregs = s.sregs;
	f->run->kvm_dirty_regs = KVM_SYNC_X86_REGS | KVM_SYNC_X86_SREGS;
}

void *floor_gpa(const struct floor_vm *f, uint64_t gpa, uint64_t len)
{
	if (gpa > f->mem_size || len > f->mem_size - gpa)
		return NULL;
	return f->mem + gpa;
}
