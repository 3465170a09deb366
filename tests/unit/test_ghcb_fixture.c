// SPDX-License-Identifier: MIT
#include "tests/unit/test_ghcb_fixture.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

/* Models a guest that rewrites its GHCB while the VMM serves it (TOCTOU). */
static void scribble(struct fx_dev *d)
{
	if (d->scribble)
		memset(d->scribble, 0xee, d->scribble_len);
}

static int fake_cpuid(void *ctx, uint32_t fn, uint32_t idx, uint64_t xcr0, uint32_t out[4])
{
	struct fx_dev *d = ctx;
	d->cpuid_calls++;
	scribble(d);
	d->cpuid_fn = fn;
	d->cpuid_idx = idx;
	d->cpuid_xcr0 = xcr0;
	if (d->cpuid_fail)
		return -EINVAL;
	out[0] = fn ^ 0xa0000000u;
	out[1] = idx ^ 0xb0000000u;
	out[2] = 0xc0c0c0c0u;
	out[3] = (uint32_t)xcr0 ^ 0xd0000000u;
	return 0;
}

static int fake_io(void *ctx, uint16_t port, unsigned size, bool is_write, void *data)
{
	struct fx_dev *d = ctx;
	uint8_t *b = data;
	d->io_calls++;
	scribble(d);
	d->io_port = port;
	d->io_size = size;
	d->io_write = is_write;
	if (port == FX_PORT_FAIL)
		return -ENODEV;
	for (unsigned i = 0; i < size; i++) {
		if (is_write) {
			if (d->io_out_len < sizeof(d->io_out))
				d->io_out[d->io_out_len++] = b[i];
		} else {
			b[i] = d->io_in_next++;
		}
	}
	return 0;
}

static int fake_mmio(void *ctx, gpa_t gpa, unsigned len, bool is_write, void *data)
{
	struct fx_dev *d = ctx;
	d->mmio_calls++;
	scribble(d);
	if (len > d->mmio_max_len)
		d->mmio_max_len = len;
	if (gpa < FX_MMIO_BASE || gpa + len > FX_MMIO_BASE + FX_MMIO_SIZE || len > 8)
		return -EFAULT;
	if (is_write)
		memcpy(d->mmio + (gpa - FX_MMIO_BASE), data, len);
	else
		memcpy(data, d->mmio + (gpa - FX_MMIO_BASE), len);
	return 0;
}

static int fake_msr(void *ctx, uint32_t idx, bool is_write, uint64_t *val)
{
	struct fx_dev *d = ctx;
	d->msr_calls++;
	scribble(d);
	d->msr_idx = idx;
	d->msr_write = is_write;
	if (idx == FX_MSR_REFUSED)
		return -EPERM;
	if (is_write) {
		d->msr_written = *val;
		return 0;
	}
	if (idx != FX_MSR_READABLE)
		return -EPERM;
	*val = FX_MSR_VALUE;
	return 0;
}

static const struct ghcb_ops fake_ops = {
    .cpuid = fake_cpuid,
    .io = fake_io,
    .mmio = fake_mmio,
    .msr = fake_msr,
};

int fx_setup(void **state)
{
	struct fx *f = calloc(1, sizeof(*f));
	if (!f || guest_mem_map(&f->mem, FX_RAM)) {
		free(f);
		return -1;
	}
	f->env.mem = &f->mem;
	f->env.ops = &fake_ops;
	f->env.cbit = FX_CBIT;
	f->env.max_version = GHCB_VERSION_MAX;
	ghcb_vcpu_init(&f->v, &f->env, &f->dev);
	*state = f;
	return 0;
}

int fx_teardown(void **state)
{
	struct fx *f = *state;
	guest_mem_unmap(&f->mem);
	free(f);
	return 0;
}

uint8_t *fx_ram(struct fx *f, gpa_t gpa, uint64_t len) { return guest_mem_ptr(&f->mem, gpa, len); }

struct ghcb *fx_ghcb(struct fx *f) { return (struct ghcb *)fx_ram(f, FX_GHCB_GPA, GHCB_PAGE_SIZE); }

struct ghcb *fx_request(struct fx *f, uint64_t code, uint64_t info1, uint64_t info2)
{
	struct ghcb *g = fx_ghcb(f);
	memset(g, 0, sizeof(*g));
	g->protocol_version = 2;
	FX_SET(g, sw_exit_code, code);
	FX_SET(g, sw_exit_info_1, info1);
	FX_SET(g, sw_exit_info_2, info2);
	return g;
}

enum ghcb_outcome fx_vmgexit_at(struct fx *f, uint64_t msr)
{
	ghcb_msr_write(&f->v, msr);
	ghcb_service_vmgexit(&f->env, &f->v, &f->res);
	return f->res.outcome;
}

enum ghcb_outcome fx_vmgexit(struct fx *f) { return fx_vmgexit_at(f, FX_GHCB_GPA); }
