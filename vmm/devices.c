// SPDX-License-Identifier: MIT
#include "vmm/devices.h"

#include <errno.h>
#include <string.h>
#include <sys/ioctl.h>

#include "ap/mptable.h"
#include "loader/guest_abi.h"
#include "vmm/log.h"
#include "vmm/vm.h"

static int kvm_send_msi(void *ctx, const struct ioapic_msi *m)
{
	struct vm *vm = ctx;
	struct kvm_msi msi = {
		.address_lo = (uint32_t)m->address,
		.address_hi = (uint32_t)(m->address >> 32),
		.data = m->data,
	};
	/* 0 means the interrupt was blocked (e.g. LAPIC disabled): as lost on hardware. */
	int r = ioctl(vm->vm_fd, KVM_SIGNAL_MSI, &msi);
	vlog(vm, 3, "IOAPIC MSI address 0x%llx data 0x%x: %d", (unsigned long long)m->address,
	     m->data, r);
	return r < 0 ? -errno : 0;
}

/*
 * With a split irqchip KVM learns which vectors need an EOI exit from MSI routes on the GSIs the
 * IOAPIC reserved (KVM_CAP_SPLIT_IRQCHIP's argument): only level-triggered ones matter.
 */
static int kvm_set_level_routes(void *ctx, const struct ioapic_msi *m, uint32_t mask)
{
	struct vm *vm = ctx;
	struct {
		struct kvm_irq_routing hdr;
		struct kvm_irq_routing_entry e[PVH_SEV_IOAPIC_PINS];
	} r = {0};
	for (unsigned i = 0; i < PVH_SEV_IOAPIC_PINS; i++) {
		if (!(mask & (1u << i)))
			continue;
		r.e[r.hdr.nr++] = (struct kvm_irq_routing_entry){
		    .gsi = i,
		    .type = KVM_IRQ_ROUTING_MSI,
		    .u.msi = {.address_lo = (uint32_t)m[i].address,
			      .address_hi = (uint32_t)(m[i].address >> 32),
			      .data = m[i].data},
		};
	}
	if (ioctl(vm->vm_fd, KVM_SET_GSI_ROUTING, &r) < 0) {
		vlog(vm, 1, "KVM_SET_GSI_ROUTING: %s", strerror(errno));
		return -errno;
	}
	return 0;
}

static const struct ioapic_ops kvm_ioapic_ops = {
	.send_msi = kvm_send_msi,
	.set_level_routes = kvm_set_level_routes,
};

static void com1_irq(void *ctx, bool level)
{
	struct devices *d = ctx;
	ioapic_set_irq(&d->ioapic, PVH_SEV_COM1_IRQ, level);
}

int devices_register(struct devices *d, struct vm *vm, FILE *out)
{
	int r;
	d->out = out;
	ioapic_init(&d->ioapic, mptable_ioapic_id(vm->cfg->smp), &kvm_ioapic_ops, vm);
	vm->ioapic = &d->ioapic;
	if ((r = serial_register(&d->com1, &vm->io, PVH_SEV_COM1_PORT, out)))
		return r;
	serial_connect_irq(&d->com1, com1_irq, d);
	if ((r = debugcon_register(&vm->io, out)))
		return r;
	if ((r = debug_exit_register(&vm->io, vm)))
		return r;
	if ((r = acpi_pm_register(&vm->io, vm)))
		return r;
	return i8042_register(&vm->io, vm);
}
