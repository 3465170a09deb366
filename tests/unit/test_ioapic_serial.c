// SPDX-License-Identifier: MIT
/* The userspace IOAPIC and the 16550 together: COM1's IRQ 4 becomes the MSI its entry describes. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "loader/guest_abi.h"
#include "vmm/dev_ioapic.h"
#include "vmm/devices.h"
#include "vmm/io_bus.h"

struct rec {
	struct ioapic_msi msi[64];
	unsigned n;
	uint32_t level_mask;
};

static int rec_msi(void *ctx, const struct ioapic_msi *m)
{
	struct rec *r = ctx;
	if (r->n < 64)
		r->msi[r->n] = *m;
	r->n++;
	return 0;
}

static int rec_routes(void *ctx, const struct ioapic_msi *m, uint32_t mask)
{
	(void)m;
	((struct rec *)ctx)->level_mask = mask;
	return 0;
}

static const struct ioapic_ops rec_ops = {.send_msi = rec_msi, .set_level_routes = rec_routes};

struct fix {
	struct rec rec;
	struct ioapic io;
	struct serial_16550 com1;
	struct io_bus bus;
	char out[256];
	FILE *outf;
};

static void com1_irq(void *ctx, bool level)
{
	ioapic_set_irq(&((struct fix *)ctx)->io, PVH_SEV_COM1_IRQ, level);
}

static void reg_write(struct ioapic *io, uint32_t reg, uint32_t v)
{
	ioapic_mmio(io, 0x00, (uint8_t *)&reg, 4, true);
	ioapic_mmio(io, 0x10, (uint8_t *)&v, 4, true);
}

static uint32_t reg_read(struct ioapic *io, uint32_t reg)
{
	uint32_t v;
	ioapic_mmio(io, 0x00, (uint8_t *)&reg, 4, true);
	ioapic_mmio(io, 0x10, (uint8_t *)&v, 4, false);
	return v;
}

static void outb(struct fix *f, unsigned reg, uint8_t v)
{
	io_bus_access(&f->bus, NULL, (uint16_t)(PVH_SEV_COM1_PORT + reg), &v, 1, true);
}

static uint8_t inb(struct fix *f, unsigned reg)
{
	uint8_t v;
	io_bus_access(&f->bus, NULL, (uint16_t)(PVH_SEV_COM1_PORT + reg), &v, 1, false);
	return v;
}

static int setup(void **state)
{
	struct fix *f = calloc(1, sizeof(*f));
	ioapic_init(&f->io, 4, &rec_ops, &f->rec);
	f->outf = fmemopen(f->out, sizeof(f->out), "w");
	setvbuf(f->outf, NULL, _IONBF, 0);
	assert_int_equal(serial_register(&f->com1, &f->bus, PVH_SEV_COM1_PORT, f->outf), 0);
	serial_connect_irq(&f->com1, com1_irq, f);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fix *f = *state;
	fclose(f->outf);
	free(f);
	return 0;
}

static void registers_read_back_and_pins_start_masked(void **state)
{
	struct fix *f = *state;
	assert_int_equal(reg_read(&f->io, 0) >> 24, 4);                  /* ID */
	assert_int_equal(reg_read(&f->io, 1), (23u << 16) | 0x11);        /* 24 pins, 0x11 */
	assert_int_equal(reg_read(&f->io, 0x10 + 2 * 4), 1u << 16);      /* masked */
	reg_write(&f->io, 0x10 + 2 * 4 + 1, 0x03000000u);
	assert_int_equal(reg_read(&f->io, 0x10 + 2 * 4 + 1), 0x03000000u);
	ioapic_set_irq(&f->io, 4, true);
	assert_int_equal(f->rec.n, 0); /* masked: nothing sent */
}

static void received_byte_raises_irq4_as_the_entry_says(void **state)
{
	struct fix *f = *state;
	reg_write(&f->io, 0x10 + 2 * 4 + 1, 0x01000000u); /* destination APIC 1 */
	reg_write(&f->io, 0x10 + 2 * 4, 0x24);            /* vector 0x24, edge, fixed */
	outb(f, 2, 0x07);                                 /* FIFO on, cleared */
	outb(f, 4, 0x08);                                 /* OUT2: the IRQ line is connected */
	outb(f, 1, 0x01);                                 /* received-data interrupt */
	assert_int_equal(f->rec.n, 0);
	assert_int_equal(inb(f, 2), 0xc1);                /* FIFO, no interrupt */
	const uint8_t in[] = "ab";
	assert_int_equal(serial_receive(&f->com1, in, 2, NULL), 2);
	assert_int_equal(f->rec.n, 1); /* one edge for both bytes */
	assert_int_equal(f->rec.msi[0].address, 0xfee01000u);
	assert_int_equal(f->rec.msi[0].data, 0x24);
	assert_int_equal(inb(f, 2), 0xc4);
	assert_int_equal(inb(f, 5) & 1, 1);
	assert_int_equal(inb(f, 0), 'a');
	assert_int_equal(inb(f, 0), 'b');
	assert_int_equal(inb(f, 5) & 1, 0);
	assert_int_equal(inb(f, 2), 0xc1);
	assert_int_equal(serial_receive(&f->com1, in, 1, NULL), 1);
	assert_int_equal(f->rec.n, 2); /* the line fell, so the next byte is a new edge */
}

static void thre_interrupt_follows_the_8250_rules(void **state)
{
	struct fix *f = *state;
	reg_write(&f->io, 0x10 + 2 * 4, 0x30);
	outb(f, 4, 0x08);
	outb(f, 1, 0x02); /* enabling THRE while THR is empty raises it */
	assert_int_equal(f->rec.n, 1);
	assert_int_equal(inb(f, 2), 0x02);
	assert_int_equal(inb(f, 2), 0x01); /* reading the IIR that showed it cleared it */
	outb(f, 0, 'x');                   /* sent at once: THR empty again */
	assert_int_equal(f->rec.n, 2);
	assert_int_equal(inb(f, 2), 0x02);
	assert_int_equal(inb(f, 5) & 0x60, 0x60);
	outb(f, 1, 0x00);
	outb(f, 0, 'y');
	assert_int_equal(f->rec.n, 2);
	assert_string_equal(f->out, "xy");
}

static void loopback_feeds_the_receiver_and_keeps_the_line_quiet(void **state)
{
	struct fix *f = *state;
	reg_write(&f->io, 0x10 + 2 * 4, 0x30);
	outb(f, 4, 0x1a); /* loop, OUT2, RTS: the 8250 probe */
	assert_int_equal(inb(f, 6) & 0xf0, 0x90);
	outb(f, 1, 0x01);
	outb(f, 0, 'z');
	assert_int_equal(inb(f, 5) & 1, 1);
	assert_int_equal(inb(f, 0), 'z');
	assert_int_equal(f->rec.n, 0);
	assert_string_equal(f->out, "");
}

static void level_pin_waits_for_eoi(void **state)
{
	struct fix *f = *state;
	reg_write(&f->io, 0x10 + 2 * 9, 0x8041); /* vector 0x41, level */
	assert_int_equal(f->rec.level_mask, 1u << 9);
	ioapic_set_irq(&f->io, 9, true);
	assert_int_equal(f->rec.n, 1);
	assert_int_equal(f->rec.msi[0].data & 0x80ff, 0x8041);
	assert_true(reg_read(&f->io, 0x10 + 2 * 9) & (1u << 14)); /* Remote IRR */
	ioapic_set_irq(&f->io, 9, true);
	assert_int_equal(f->rec.n, 1);
	ioapic_eoi(&f->io, 0x41); /* still high: again */
	assert_int_equal(f->rec.n, 2);
	ioapic_set_irq(&f->io, 9, false);
	ioapic_eoi(&f->io, 0x41);
	assert_int_equal(f->rec.n, 2);
	assert_false(reg_read(&f->io, 0x10 + 2 * 9) & (1u << 14));
	reg_write(&f->io, 0x10 + 2 * 9, 0x18041); /* masked: no route */
	assert_int_equal(f->rec.level_mask, 0);
}

/* Found by fuzz_ioapic: an 8-byte read returned the previous exit's bytes 4..7. */
static void wide_read_floats_above_the_register(void **state)
{
	struct fix *f = *state;
	uint8_t buf[8];
	uint32_t reg = 1;
	memset(buf, 0x5a, sizeof(buf));
	ioapic_mmio(&f->io, 0x00, (uint8_t *)&reg, 4, true);
	ioapic_mmio(&f->io, 0x10, buf, 8, false);
	uint32_t lo;
	memcpy(&lo, buf, 4);
	assert_int_equal(lo, (23u << 16) | 0x11);
	for (unsigned i = 4; i < 8; i++)
		assert_int_equal(buf[i], 0xff);
}

static void serial_input_waits_for_fifo_room(void **state)
{
	struct fix *f = *state;
	outb(f, 2, 0x01);
	uint8_t buf[20];
	memset(buf, 'q', sizeof(buf));
	atomic_bool stop = true; /* a full FIFO with stop set returns what fitted */
	assert_int_equal(serial_receive(&f->com1, buf, 16, NULL), 16);
	assert_int_equal(serial_receive(&f->com1, buf, 4, &stop), 0);
	assert_int_equal(inb(f, 5) & 2, 0); /* no overrun */
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(registers_read_back_and_pins_start_masked, setup, teardown),
		cmocka_unit_test_setup_teardown(received_byte_raises_irq4_as_the_entry_says, setup, teardown),
		cmocka_unit_test_setup_teardown(thre_interrupt_follows_the_8250_rules, setup, teardown),
		cmocka_unit_test_setup_teardown(loopback_feeds_the_receiver_and_keeps_the_line_quiet, setup, teardown),
		cmocka_unit_test_setup_teardown(level_pin_waits_for_eoi, setup, teardown),
		cmocka_unit_test_setup_teardown(wide_read_floats_above_the_register, setup, teardown),
		cmocka_unit_test_setup_teardown(serial_input_waits_for_fifo_room, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
