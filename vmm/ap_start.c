// SPDX-License-Identifier: MIT
#include "vmm/ap_start.h"

#include <errno.h>
#include <string.h>
#include <sys/ioctl.h>

#include "ap/ap_sm.h"
#include "vmm/ap_hw_doorbell.h"
#include "vmm/log.h"
#include "loader/guest_abi.h"
#include "vmm/vm.h"

#define MSI_ADDR_BASE 0xfee00000u
#define MSI_INIT 0x500u
#define MSI_STARTUP 0x600u

int ap_prime_apic_map(struct vm *vm)
{
	struct kvm_lapic_state lapic;
	for (unsigned i = 0; i < vm->nvcpus; i++) {
		int fd = vm->vcpus[i].fd;
		if (ioctl(fd, KVM_GET_LAPIC, &lapic) || ioctl(fd, KVM_SET_LAPIC, &lapic))
			return -errno;
	}
	return 0;
}

static int signal_msi(struct vm *vm, unsigned apic_id, uint32_t data)
{
	struct kvm_msi msi = {.address_lo = MSI_ADDR_BASE | (apic_id << 12), .data = data};
	int r = ioctl(vm->vm_fd, KVM_SIGNAL_MSI, &msi);
	if (r < 0)
		return -errno;
	return r == 0 ? -EHOSTUNREACH : 0; /* 0: KVM dropped it (no such APIC yet) */
}

int ap_start(struct vm *vm, unsigned index)
{
	struct vcpu *v = &vm->vcpus[index];
	if (!vm->emul.on && !vm->sev_hw) {
		atomic_store(&v->start_pending, true);
		vcpu_kick(v);
		return 0;
	}
	int r = signal_msi(vm, index, MSI_INIT);
	if (!r)
		r = signal_msi(vm, index, MSI_STARTUP | (PVH_SEV_AP_AREA_GPA >> 12));
	return r;
}

/* Hardware: a SIPI alone releases an AP reset hold (sev_vcpu_deliver_sipi_vector); an INIT
 * would reset the running SEV-ES vCPU. */
static int ap_wake_hw(struct vm *vm, unsigned index)
{
	return signal_msi(vm, index, MSI_STARTUP | (PVH_SEV_AP_AREA_GPA >> 12));
}

/*
 * Off mode: a guest's own INIT-SIPI is KVM's business (real mode at the vector), but the VMM
 * must record it: the doorbell answers AP_DB_ALREADY_STARTED for such an AP, and a doorbell
 * start after the guest's INIT would run the INIT state, not the preset stub state.
 */
static int off_mode_guest_start(struct vcpu *v, uint32_t mp_state)
{
	if (mp_state != KVM_MP_STATE_RUNNABLE && mp_state != KVM_MP_STATE_INIT_RECEIVED)
		return 0; /* a kick while waiting */
	atomic_store(&v->state, VCPU_RUNNING);
	ap_sm_mark_running(&v->vm->ap, v->index);
	vlog(v->vm, 1, "vCPU %u: started by the guest's INIT/SIPI", v->index);
	return 0;
}

int ap_sipi_arrived(struct vcpu *v)
{
	struct kvm_mp_state mp;
	if (ioctl(v->fd, KVM_GET_MP_STATE, &mp))
		return -errno;
	switch (mp.mp_state) {
	case KVM_MP_STATE_RUNNABLE: /* INIT and SIPI were taken together */
		v->init_seen = false;
		return 1;
	case KVM_MP_STATE_INIT_RECEIVED:
		mp.mp_state = KVM_MP_STATE_UNINITIALIZED;
		if (ioctl(v->fd, KVM_SET_MP_STATE, &mp))
			return -errno;
		v->init_seen = true;
		return 0;
	case KVM_MP_STATE_UNINITIALIZED:
		if (!v->init_seen)
			return 0;
		mp.mp_state = KVM_MP_STATE_RUNNABLE; /* the wake after INIT: the SIPI */
		if (ioctl(v->fd, KVM_SET_MP_STATE, &mp))
			return -errno;
		v->init_seen = false;
		return 1;
	default:
		return 0;
	}
}

int ap_wakeup(struct vcpu *v)
{
	struct vm *vm = v->vm;
	struct kvm_mp_state mp = {.mp_state = KVM_MP_STATE_RUNNABLE};

	if (atomic_exchange(&v->start_pending, false)) {
		if (ioctl(v->fd, KVM_SET_MP_STATE, &mp))
			return -errno;
		atomic_store(&v->state, VCPU_RUNNING);
		return 0;
	}
	if (vm->sev_hw)
		return 0; /* KVM runs the VMSA */
	if (!vm->emul.on) {
		if (ioctl(v->fd, KVM_GET_MP_STATE, &mp))
			return -errno;
		return off_mode_guest_start(v, mp.mp_state);
	}
	int arrived = ap_sipi_arrived(v);
	if (arrived <= 0)
		return arrived;
	/* First SIPI under (emulated) SEV-ES: the AP runs its measured initial state, whatever
	 * the vector said, as KVM runs the VMSA on hardware. */
	int r = vcpu_load_regs(v, &v->init.regs, &v->init.sregs);
	if (r)
		return r;
	atomic_store(&v->state, VCPU_RUNNING);
	ap_sm_mark_running(&vm->ap, v->index);
	vlog(vm, 1, "vCPU %u: started at its measured AP state", v->index);
	return 0;
}

static void doorbell_io(void *dev, struct vcpu *vcpu, uint16_t port, uint8_t *data, unsigned len,
			bool is_write)
{
	struct vm *vm = dev;
	struct ap_action act = {AP_ACTION_NONE, 0};
	uint32_t value = 0;
	memcpy(&value, data, len);
	/* Hardware: KVM's view of the target replaces ours (ap_hw_doorbell.h). Not for the
	 * requester itself: it is running, and its own thread is the one asking. */
	if (vm->sev_hw && is_write && len == 4 && value && value < vm->nvcpus &&
	    value != vcpu->index) {
		int pr = ap_hw_observe(vm, value);
		if (pr)
			vlog(vm, 1, "vCPU %u: MP state of vCPU %u unknown (%s): using the last record",
			     vcpu->index, value, strerror(-pr));
	}
	if (ap_doorbell_io(&vm->ap, vcpu->index, is_write, len, &value, &act)) {
		memset(data, 0xff, len);
		return;
	}
	if (!is_write) {
		memcpy(data, &value, len);
		return;
	}
	if (act.kind == AP_ACTION_NONE)
		return;
	int r = vm->sev_hw && act.kind == AP_ACTION_WAKE ? ap_wake_hw(vm, act.vcpu)
							    : ap_start(vm, act.vcpu);
	ap_sm_start_done(&vm->ap, act.vcpu, r);
	vlog(vm, 1, "vCPU %u: doorbell %s vCPU %u: %s", vcpu->index,
	     act.kind == AP_ACTION_START ? "starts" : "wakes", act.vcpu, r ? strerror(-r) : "ok");
}

int ap_doorbell_register(struct vm *vm)
{
	int r = ap_sm_init(&vm->ap, vm->nvcpus);
	if (r)
		return r;
	return io_bus_register(&vm->io, PVH_SEV_AP_DOORBELL_PORT, 4, doorbell_io, vm, "doorbell");
}
