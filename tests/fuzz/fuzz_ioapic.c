// SPDX-License-Identifier: MIT
/*
 * The IOAPIC's register interface as the guest reaches it: MMIO exits at any offset of its
 * page (and past it) with any length 1..8 through the real dispatch (vcpu_mmio_access), input
 * pins raised and lowered (any pin number), EOIs of any vector, and COM1's IRQ 4 driven by
 * register accesses through the I/O bus. After every step the IOAPIC must be in a state the
 * guest could explain: no byte written past an access, a wide read's upper bytes float, no
 * read-only bit set where it cannot be, and the routes KVM was given are the level pins'.
 */
#include <stdlib.h>

#include "loader/guest_abi.h"
#include "tests/fuzz/fuzz_input.h"
#include "tests/fuzz/fuzz_vm.h"
#include "vmm/exit_dispatch.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define MAX_STEPS 256
#define RTE_DELIVERY_STATUS (1ull << 12)
#define RTE_REMOTE_IRR (1ull << 14)
#define RTE_LEVEL (1ull << 15)
#define RTE_MASKED (1ull << 16)

/* What the IOAPIC told KVM, checked against its registers; then passed on to the real ops. */
struct recorder {
	const struct ioapic_ops *real;
	void *real_ctx;
	struct ioapic_msi routes[PVH_SEV_IOAPIC_PINS];
	uint32_t route_mask;
};

static struct recorder rec;

static int rec_send_msi(void *ctx, const struct ioapic_msi *m)
{
	(void)ctx;
	if ((m->address & ~0xff00cull) != 0xfee00000ull || m->data > 0xffff)
		abort(); /* not an x86 MSI an IOAPIC entry can describe */
	return rec.real->send_msi(rec.real_ctx, m);
}

static int rec_set_routes(void *ctx, const struct ioapic_msi *m, uint32_t mask)
{
	(void)ctx;
	memcpy(rec.routes, m, sizeof(rec.routes));
	rec.route_mask = mask;
	return rec.real->set_level_routes(rec.real_ctx, m, mask);
}

static const struct ioapic_ops rec_ops = {.send_msi = rec_send_msi,
					  .set_level_routes = rec_set_routes};

static void check_state(const struct ioapic *io)
{
	uint32_t mask = 0;
	if (io->regsel > 0xff)
		abort();
	for (unsigned i = 0; i < PVH_SEV_IOAPIC_PINS; i++) {
		uint64_t e = io->redir[i];
		bool level = e & RTE_LEVEL, masked = e & RTE_MASKED, high = io->lines & (1u << i);
		if (e & RTE_DELIVERY_STATUS)
			abort(); /* delivery is immediate: never pending */
		if (!level && (e & RTE_REMOTE_IRR))
			abort(); /* Remote IRR is for level pins only */
		if (level && !masked && high && !(e & RTE_REMOTE_IRR))
			abort(); /* a high, unmasked level pin has fired and awaits its EOI */
		if (level && !masked) {
			mask |= 1u << i;
			struct ioapic_msi want = ioapic_entry_msi(e);
			if (rec.routes[i].address != want.address || rec.routes[i].data != want.data)
				abort(); /* KVM would wait for the EOI of another vector */
		}
	}
	if (mask != rec.route_mask)
		abort();
}

static void mmio_step(struct fuzz_vm *w, struct fuzz_in *in, uint8_t op)
{
	static const uint16_t offsets[] = {0x00, 0x10};
	uint16_t off = (op & 0x80) ? fuzz_u16(in) & 0x1fff : offsets[(op >> 3) & 1];
	unsigned len = 1 + (fuzz_u8(in) & 7);
	bool is_write = op & 0x40;
	uint8_t buf[16];
	uint64_t v = fuzz_u64(in);
	memcpy(buf, &v, 8);
	memset(buf + 8, 0xa5, 8);
	if (!is_write)
		memset(buf, 0x5a, len);
	vcpu_mmio_access(&w->vcpus[0], PVH_SEV_IOAPIC_GPA + off, buf, len, is_write);
	for (unsigned i = 8; i < 16; i++)
		if (buf[i] != 0xa5)
			abort(); /* written past the access */
	if (is_write)
		return;
	for (unsigned i = 4; i < len; i++)
		if (buf[i] != 0xff)
			abort(); /* the registers are 32 bits: the rest of a wider read floats */
	if (off >= PVH_SEV_IOAPIC_SIZE || (off != 0x00 && off != 0x10))
		for (unsigned i = 0; i < len; i++)
			if (buf[i] != 0xff)
				abort(); /* no register there */
}

/* IOREGSEL then IOWIN, four bytes each: the way a driver programs an entry. */
static void reg_step(struct fuzz_vm *w, struct fuzz_in *in, bool is_write)
{
	uint32_t reg = fuzz_u8(in) & 0x3f, v = fuzz_u32(in);
	vcpu_mmio_access(&w->vcpus[0], PVH_SEV_IOAPIC_GPA, (uint8_t *)&reg, 4, true);
	vcpu_mmio_access(&w->vcpus[0], PVH_SEV_IOAPIC_GPA + 0x10, (uint8_t *)&v, 4, is_write);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fuzz_in in = {data, size};
	static struct fuzz_vm *w;
	if (!w) {
		w = fuzz_vm_get();
		rec.real = w->dev.ioapic.ops;
		rec.real_ctx = w->dev.ioapic.ctx;
	}
	fuzz_vm_reset(w, 1, false, 51, 2);
	memset(rec.routes, 0, sizeof(rec.routes));
	rec.route_mask = 0;
	w->dev.ioapic.ops = &rec_ops;
	for (unsigned n = 0; n < MAX_STEPS && in.left; n++) {
		uint8_t op = fuzz_u8(&in);
		switch (op & 7) {
		case 0: case 1: case 2: mmio_step(w, &in, op); break;
		case 3: {
			uint8_t pin = fuzz_u8(&in);
			/* Mostly a real pin; sometimes any number, as a buggy device model would. */
			unsigned p = (op & 0x80) ? pin : pin % PVH_SEV_IOAPIC_PINS;
			ioapic_set_irq(&w->dev.ioapic, p, op & 0x40);
			break;
		}
		case 4: ioapic_eoi(&w->dev.ioapic, fuzz_u8(&in)); break;
		case 5: {
			/* COM1, whose IRQ 4 is a pin of the IOAPIC */
			uint8_t b = (uint8_t)fuzz_u8(&in);
			io_bus_access(&w->vm.io, &w->vcpus[0], (uint16_t)(PVH_SEV_COM1_PORT + (op >> 5)),
				      &b, 1, op & 0x10);
			break;
		}
		default: reg_step(w, &in, op & 0x40); break;
		}
		check_state(&w->dev.ioapic);
	}
	return 0;
}
