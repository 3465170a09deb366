// SPDX-License-Identifier: MIT
#include "vmm/vm.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#include "vmm/ap_start.h"
#include "vmm/cpuid.h"
#include "sev/kvm_compat.h"


#define FAIL(e, ...) (snprintf(err, errlen, __VA_ARGS__), -(e))

double monotonic_seconds(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec * 1e-9;
}

static int vm_enable_cap(struct vm *vm, uint32_t cap, uint64_t arg0)
{
	struct kvm_enable_cap c = {.cap = cap, .args = {arg0}};
	return ioctl(vm->vm_fd, KVM_ENABLE_CAP, &c) ? -errno : 0;
}

static int vm_setup_platform(struct vm *vm, char *err, size_t errlen)
{
	/* A split irqchip keeps the LAPIC in the kernel (SMP, INIT/SIPI) without the ~12 ms
	 * teardown cost of the full in-kernel PIC/IOAPIC on this host (host.md). */
	if (vm_enable_cap(vm, KVM_CAP_SPLIT_IRQCHIP, 24))
		return FAIL(errno, "KVM_CAP_SPLIT_IRQCHIP: %s", strerror(errno));
	/* With the quirk on, KVM rewrites VMMCALL/VMGEXIT in guest memory and can spin forever
	 * in KVM_RUN on this host; off, the guest gets #UD instead (host.md). */
	int quirks = ioctl(vm->vm_fd, KVM_CHECK_EXTENSION, KVM_CAP_DISABLE_QUIRKS2);
	if (quirks <= 0 || !(quirks & KVM_X86_QUIRK_FIX_HYPERCALL_INSN))
		return FAIL(ENOTSUP, "KVM cannot disable the FIX_HYPERCALL_INSN quirk "
			    "(KVM_CAP_DISABLE_QUIRKS2): pvh-sev needs Linux 5.19 or later");
	if (vm_enable_cap(vm, KVM_CAP_DISABLE_QUIRKS2, KVM_X86_QUIRK_FIX_HYPERCALL_INSN))
		return FAIL(errno, "KVM_CAP_DISABLE_QUIRKS2: %s", strerror(errno));
	/* VMX needs a TSS for real mode (INIT-SIPI APs start there); SVM ignores it. */
	ioctl(vm->vm_fd, KVM_SET_TSS_ADDR, 0xfffbd000ul);
	return 0;
}

/* What a user can do about a failed open of /dev/kvm, in the same line as the error. */
static const char *kvm_open_hint(int e)
{
	if (e == EACCES || e == EPERM)
		return "this user may not use KVM; add it to the kvm group (usermod -aG kvm USER, "
		       "then log in again) or run as root";
	if (e == ENOENT || e == ENODEV || e == ENXIO) {
		if (access("/sys/module/kvm_amd", F_OK) != 0 &&
		    access("/sys/module/kvm_intel", F_OK) != 0)
			return "no KVM on this host (neither kvm_amd nor kvm_intel is loaded: no "
			       "hardware virtualisation, or a VM without nested virtualisation); "
			       "scripts/lane.sh runs pvh-sev under QEMU's emulated AMD-V instead (slow)";
		return "KVM is loaded but this system has no /dev/kvm node (a container without the "
		       "device?); pass /dev/kvm through, or use scripts/lane.sh";
	}
	return "see docs/usage.md, \"Hosts\"";
}

int vm_create(struct vm *vm, const struct config *cfg, unsigned long vm_type, char *err,
	      size_t errlen)
{
	memset(vm, 0, sizeof(*vm));
	vm->cfg = cfg;
	vm->vm_fd = -1;
	pthread_mutex_init(&vm->lock, NULL);
	/* --timeout waits on this condition: measure it on the monotonic clock, not wall time. */
	pthread_condattr_t ca;
	pthread_condattr_init(&ca);
	pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
	pthread_cond_init(&vm->ended_cond, &ca);
	pthread_cond_init(&vm->probe_cond, &ca);
	pthread_condattr_destroy(&ca);

	vm->kvm_fd = open("/dev/kvm", O_RDWR | O_CLOEXEC);
	if (vm->kvm_fd < 0)
		return FAIL(errno, "/dev/kvm: %s: %s", strerror(errno), kvm_open_hint(errno));
	if (ioctl(vm->kvm_fd, KVM_GET_API_VERSION, 0) != KVM_API_VERSION)
		return FAIL(ENOTSUP, "/dev/kvm: unsupported KVM API version");
	vm->vm_fd = ioctl(vm->kvm_fd, KVM_CREATE_VM, vm_type);
	if (vm->vm_fd < 0)
		return FAIL(errno, "KVM_CREATE_VM(type %lu): %s", vm_type, strerror(errno));
	return vm_setup_platform(vm, err, errlen);
}

int vm_map_ram(struct vm *vm, unsigned first_slot, uint64_t gpa_bits)
{
	for (size_t i = 0; i < vm->mem.nram; i++) {
		struct kvm_userspace_memory_region slot = {
			.slot = first_slot + i,
			.guest_phys_addr = vm->mem.ram[i].start | gpa_bits,
			.memory_size = vm->mem.ram[i].size,
			.userspace_addr = (uintptr_t)(vm->mem.host + guest_mem_range_offset(&vm->mem, i)),
		};
		if (ioctl(vm->vm_fd, KVM_SET_USER_MEMORY_REGION, &slot))
			return -errno;
	}
	return 0;
}

int vm_map_memory(struct vm *vm, char *err, size_t errlen)
{
	int r = vm_map_ram(vm, 0, 0);
	return r ? FAIL(-r, "KVM_SET_USER_MEMORY_REGION: %s", strerror(-r)) : 0;
}

static int vcpu_create(struct vm *vm, struct vcpu *v, unsigned index, char *err, size_t errlen)
{
	v->vm = vm;
	v->index = index;
	v->state = index == 0 ? VCPU_RUNNING : VCPU_WAITING;
	v->fd = ioctl(vm->vm_fd, KVM_CREATE_VCPU, index);
	if (v->fd < 0)
		return FAIL(errno, "KVM_CREATE_VCPU %u: %s", index, strerror(errno));
	int sz = ioctl(vm->kvm_fd, KVM_GET_VCPU_MMAP_SIZE, 0);
	if (sz <= 0)
		return FAIL(errno, "KVM_GET_VCPU_MMAP_SIZE: %s", strerror(errno));
	v->run_size = sz;
	v->run = mmap(NULL, sz, PROT_READ | PROT_WRITE, MAP_SHARED, v->fd, 0);
	if (v->run == MAP_FAILED) {
		v->run = NULL;
		return FAIL(errno, "mmap kvm_run of vCPU %u: %s", index, strerror(errno));
	}
	return cpuid_set_vcpu(vm, v, err, errlen);
}

int vm_create_vcpus(struct vm *vm, unsigned n, char *err, size_t errlen)
{
	vm->vcpus = calloc(n, sizeof(*vm->vcpus));
	if (!vm->vcpus)
		return FAIL(ENOMEM, "out of memory for %u vCPUs", n);
	for (unsigned i = 0; i < n; i++)
		vm->vcpus[i].fd = -1;
	vm->nvcpus = n;
	vm->has_xcrs = ioctl(vm->kvm_fd, KVM_CHECK_EXTENSION, KVM_CAP_XCRS) > 0;
	int r = cpuid_load_supported(vm, err, errlen);
	for (unsigned i = 0; !r && i < n; i++)
		r = vcpu_create(vm, &vm->vcpus[i], i, err, errlen);
	if (r)
		return r;
	if (n > 1 && (r = ap_prime_apic_map(vm)))
		return FAIL(-r, "priming KVM's APIC map: %s", strerror(-r));
	return 0;
}

int vcpu_msr(const struct vcpu *v, uint32_t index, bool is_write, uint64_t *value)
{
	struct {
		struct kvm_msrs hdr;
		struct kvm_msr_entry e;
	} m = {.hdr.nmsrs = 1, .e = {.index = index, .data = is_write ? *value : 0}};
	int r = ioctl(v->fd, is_write ? KVM_SET_MSRS : KVM_GET_MSRS, &m);
	if (r != 1)
		return -(r < 0 ? errno : EINVAL); /* KVM returns how many it did: 0 = refused */
	if (!is_write)
		*value = m.e.data;
	return 0;
}

int vcpu_load_regs(struct vcpu *v, const struct kvm_regs *regs, const struct kvm_sregs *sregs)
{
	if (ioctl(v->fd, KVM_SET_SREGS, sregs) || ioctl(v->fd, KVM_SET_REGS, regs))
		return -errno;
	return 0;
}

int vcpu_set_state(struct vcpu *v, const struct cpu_state *s, char *err, size_t errlen)
{
	struct kvm_xcrs xcrs = {.nr_xcrs = 1, .xcrs = {{.xcr = 0, .value = s->xcr0}}};
	struct kvm_debugregs dbg = {.dr6 = 0xffff0ff0, .dr7 = s->dr7};

	/* sregs carries the APIC base MSR too (cpu_state sets it enabled: 0 disables the LAPIC). */
	int r = vcpu_load_regs(v, &s->regs, &s->sregs);
	if (r)
		return FAIL(-r, "vCPU %u: KVM_SET_SREGS/KVM_SET_REGS: %s", v->index, strerror(-r));
	if (v->vm->has_xcrs && ioctl(v->fd, KVM_SET_XCRS, &xcrs))
		return FAIL(errno, "vCPU %u: KVM_SET_XCRS: %s", v->index, strerror(errno));
	if (ioctl(v->fd, KVM_SET_DEBUGREGS, &dbg))
		return FAIL(errno, "vCPU %u: KVM_SET_DEBUGREGS: %s", v->index, strerror(errno));
	uint64_t mtrr = s->mtrr_def_type;
	r = vcpu_msr(v, 0x2ff /* MTRRdefType */, true, &mtrr);
	if (r)
		return FAIL(-r, "vCPU %u: KVM_SET_MSRS(MTRRdefType): %s", v->index, strerror(-r));
	v->init = *s;
	return 0;
}

void vcpu_kick(struct vcpu *v)
{
	if (v->run)
		v->run->immediate_exit = 1;
	if (v->thread_started)
		pthread_kill(v->thread, SIGUSR1);
}

void vm_end(struct vm *vm, enum vm_ending_kind kind, int status, const char *fmt, ...)
{
	va_list ap;
	pthread_mutex_lock(&vm->lock);
	if (atomic_load(&vm->ending) != ENDING_NONE) {
		pthread_mutex_unlock(&vm->lock);
		return;
	}
	vm->exit_status = status;
	va_start(ap, fmt);
	vsnprintf(vm->ending_detail, sizeof(vm->ending_detail), fmt, ap);
	va_end(ap);
	atomic_store(&vm->ending, kind);
	pthread_cond_broadcast(&vm->ended_cond);
	pthread_mutex_unlock(&vm->lock);
	for (unsigned i = 0; i < vm->nvcpus; i++)
		vcpu_kick(&vm->vcpus[i]);
}

const char *vm_ending_name(enum vm_ending_kind k)
{
	static const char *const names[] = {
		[ENDING_NONE] = "none",
		[ENDING_GUEST_EXIT] = "guest-exit",
		[ENDING_WOULD_VC] = "would-raise-vc",
		[ENDING_EMULATION] = "emulation-failure",
		[ENDING_GUEST_TERM] = "guest-termination",
		[ENDING_REBOOT] = "reboot",
		[ENDING_SHUTDOWN] = "shutdown",
		[ENDING_TIMEOUT] = "timeout",
		[ENDING_VMM_ERROR] = "vmm-error",
		[ENDING_POWEROFF] = "poweroff",
		[ENDING_CONSOLE_QUIT] = "console-quit",
	};
	return names[k];
}

void vm_destroy(struct vm *vm)
{
	for (unsigned i = 0; vm->vcpus && i < vm->nvcpus; i++) {
		struct vcpu *v = &vm->vcpus[i];
		if (v->run)
			munmap(v->run, v->run_size);
		if (v->fd >= 0)
			close(v->fd);
		free(v->cpuid);
	}
	free(vm->vcpus);
	free(vm->cpuid);
	if (vm->ap.v)
		ap_sm_destroy(&vm->ap);
	if (vm->vm_fd >= 0)
		close(vm->vm_fd);
	if (vm->kvm_fd >= 0)
		close(vm->kvm_fd);
	guest_mem_unmap(&vm->mem);
	vm->vcpus = NULL;
	vm->cpuid = NULL;
	vm->vm_fd = vm->kvm_fd = -1;
}
