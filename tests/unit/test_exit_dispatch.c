// SPDX-License-Identifier: MIT
/* Drives vcpu_handle_exit() with fabricated struct kvm_run exits: no KVM needed. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "vmm/devices.h"
#include "vmm/exit_dispatch.h"
#include "ghcb/ghcb.h"
#include "loader/guest_abi.h"
#include "loader/guest_mem.h"
#include "vmm/vm.h"

struct fixture {
	struct config cfg;
	struct vm vm;
	struct vcpu vcpu;
	struct devices dev;
	char *out;
	size_t outlen;
	FILE *outf;
};

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));
	f->outf = open_memstream(&f->out, &f->outlen);
	pthread_mutex_init(&f->vm.lock, NULL);
	pthread_cond_init(&f->vm.ended_cond, NULL);
	f->vm.cfg = &f->cfg;
	f->vm.kvm_fd = f->vm.vm_fd = -1;
	f->vm.vcpus = &f->vcpu;
	f->vm.nvcpus = 1;
	f->vcpu.vm = &f->vm;
	f->vcpu.fd = -1;
	f->vcpu.run_size = 4096;
	f->vcpu.run = calloc(1, 4096);
	assert_int_equal(devices_register(&f->dev, &f->vm, f->outf), 0);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;
	fclose(f->outf);
	free(f->out);
	free(f->vcpu.run);
	free(f);
	return 0;
}

/* Fabricates a port-I/O exit with `count` items of `size` bytes taken from data. */
static enum exit_action io_exit(struct fixture *f, uint16_t port, int out, unsigned size,
				unsigned count, const void *data)
{
	struct kvm_run *run = f->vcpu.run;
	run->exit_reason = KVM_EXIT_IO;
	run->io.direction = out ? KVM_EXIT_IO_OUT : KVM_EXIT_IO_IN;
	run->io.size = size;
	run->io.port = port;
	run->io.count = count;
	run->io.data_offset = 1024;
	if (data)
		memcpy((uint8_t *)run + 1024, data, (size_t)size * count);
	return vcpu_handle_exit(&f->vcpu);
}

static const char *output(struct fixture *f)
{
	fflush(f->outf);
	return f->out;
}

static void com1_and_debugcon_output_reaches_stdout(void **state)
{
	struct fixture *f = *state;
	assert_int_equal(io_exit(f, PVH_SEV_COM1_PORT, 1, 1, 1, "A"), EXIT_CONTINUE);
	assert_int_equal(io_exit(f, PVH_SEV_DEBUGCON_PORT, 1, 1, 4, "bcde"), EXIT_CONTINUE);
	assert_string_equal(output(f), "Abcde");
	assert_int_equal(f->vm.ending, ENDING_NONE);
}

static void com1_line_status_says_transmitter_empty(void **state)
{
	struct fixture *f = *state;
	assert_int_equal(io_exit(f, PVH_SEV_COM1_PORT + 5, 0, 1, 1, NULL), EXIT_CONTINUE);
	assert_int_equal(((uint8_t *)f->vcpu.run)[1024] & 0x60, 0x60);
}

static void com1_scratch_and_loopback_pass_the_8250_probe(void **state)
{
	struct fixture *f = *state;
	uint8_t *d = (uint8_t *)f->vcpu.run + 1024;
	io_exit(f, PVH_SEV_COM1_PORT + 7, 1, 1, 1, "\x5a");
	io_exit(f, PVH_SEV_COM1_PORT + 7, 0, 1, 1, NULL);
	assert_int_equal(d[0], 0x5a);
	io_exit(f, PVH_SEV_COM1_PORT + 4, 1, 1, 1, "\x1a"); /* LOOP | RTS | OUT2 */
	io_exit(f, PVH_SEV_COM1_PORT + 6, 0, 1, 1, NULL);
	assert_int_equal(d[0] & 0xf0, 0x90); /* CTS | DCD */
	io_exit(f, PVH_SEV_COM1_PORT, 1, 1, 1, "x"); /* looped back, not printed */
	assert_string_equal(output(f) ? output(f) : "", "");
}

static void debug_exit_native_and_qemu_encodings(void **state)
{
	struct fixture *f = *state;
	uint32_t v = 3;
	assert_int_equal(io_exit(f, PVH_SEV_DEBUG_EXIT_PORT, 1, 4, 1, &v), EXIT_STOP);
	assert_int_equal(f->vm.ending, ENDING_GUEST_EXIT);
	assert_int_equal(f->vm.exit_status, 3);
	assert_int_equal(f->vcpu.run->immediate_exit, 1); /* the vCPUs were kicked */
}

static void debug_exit_qemu_encoding(void **state)
{
	struct fixture *f = *state;
	uint32_t v = 3;
	f->cfg.debug_exit = DEBUG_EXIT_QEMU;
	assert_int_equal(io_exit(f, PVH_SEV_DEBUG_EXIT_PORT, 1, 4, 1, &v), EXIT_STOP);
	assert_int_equal(f->vm.exit_status, 7);
}

static void first_ending_wins(void **state)
{
	struct fixture *f = *state;
	uint32_t v = 9;
	io_exit(f, PVH_SEV_DEBUG_EXIT_PORT, 1, 4, 1, &v);
	f->vcpu.run->exit_reason = KVM_EXIT_SHUTDOWN;
	assert_int_equal(vcpu_handle_exit(&f->vcpu), EXIT_STOP);
	assert_int_equal(f->vm.ending, ENDING_GUEST_EXIT);
	assert_int_equal(f->vm.exit_status, 9);
}

static void i8042_reset_is_a_reboot(void **state)
{
	struct fixture *f = *state;
	assert_int_equal(io_exit(f, PVH_SEV_I8042_CMD_PORT, 1, 1, 1, "\xfe"), EXIT_STOP);
	assert_int_equal(f->vm.ending, ENDING_REBOOT);
	assert_int_equal(f->vm.exit_status, PVH_EXIT_REBOOT);
}

static void malformed_io_exit_is_a_vmm_error(void **state)
{
	struct fixture *f = *state;
	assert_int_equal(io_exit(f, PVH_SEV_COM1_PORT, 1, 3, 1, "abc"), EXIT_STOP);
	assert_int_equal(f->vm.exit_status, PVH_EXIT_VMM_ERROR);
	f->vm.ending = ENDING_NONE;
	struct kvm_run *run = f->vcpu.run;
	run->io.size = 4;
	run->io.count = 100000;
	assert_int_equal(vcpu_handle_exit(&f->vcpu), EXIT_STOP);
	assert_int_equal(f->vm.ending, ENDING_VMM_ERROR);
}

static void unclaimed_port_reads_all_ones(void **state)
{
	struct fixture *f = *state;
	assert_int_equal(io_exit(f, 0x1234, 0, 2, 1, NULL), EXIT_CONTINUE);
	assert_int_equal(((uint8_t *)f->vcpu.run)[1024], 0xff);
	assert_int_equal(f->vm.ending, ENDING_NONE);
}

static void triple_fault_and_system_events(void **state)
{
	struct fixture *f = *state;
	f->vcpu.run->exit_reason = KVM_EXIT_SHUTDOWN;
	assert_int_equal(vcpu_handle_exit(&f->vcpu), EXIT_STOP);
	assert_int_equal(f->vm.exit_status, PVH_EXIT_SHUTDOWN);
	f->vm.ending = ENDING_NONE;
	f->vcpu.run->exit_reason = KVM_EXIT_SYSTEM_EVENT;
	f->vcpu.run->system_event.type = KVM_SYSTEM_EVENT_SEV_TERM;
	f->vcpu.run->system_event.ndata = 1;
	f->vcpu.run->system_event.data[0] = 0x100 | (1 << 12) | (7 << 16);
	assert_int_equal(vcpu_handle_exit(&f->vcpu), EXIT_STOP);
	assert_int_equal(f->vm.exit_status, PVH_EXIT_GUEST_TERM);
	assert_non_null(strstr(f->vm.ending_detail, "MSR protocol, reason set 1, code 7"));
	f->vm.ending = ENDING_NONE;
	/* Through the GHCB page: data[0] is the page's GPA, the reason is in sw_exit_info_1. */
	assert_int_equal(guest_mem_map(&f->vm.mem, 4ull << 20), 0);
	struct ghcb *g = guest_mem_ptr(&f->vm.mem, 0x3000, sizeof(*g));
	g->save.sw_exit_code = GHCB_EXIT_TERM_REQUEST;
	g->save.sw_exit_info_1 = 1 | (3 << 4);
	f->vcpu.run->system_event.data[0] = 0x3000;
	assert_int_equal(vcpu_handle_exit(&f->vcpu), EXIT_STOP);
	assert_non_null(strstr(f->vm.ending_detail, "GHCB page, reason set 1, code 3"));
	f->vm.ending = ENDING_NONE;
	f->vcpu.run->system_event.data[0] = 0x7fff000;
	vcpu_handle_exit(&f->vcpu);
	assert_non_null(strstr(f->vm.ending_detail, "outside guest RAM"));
	guest_mem_unmap(&f->vm.mem);
	f->vm.ending = ENDING_NONE;
	f->vcpu.run->system_event.type = KVM_SYSTEM_EVENT_RESET;
	vcpu_handle_exit(&f->vcpu);
	assert_int_equal(f->vm.exit_status, PVH_EXIT_REBOOT);
}

static void emulation_failure_is_reported_without_crashing(void **state)
{
	struct fixture *f = *state;
	f->vcpu.run->exit_reason = KVM_EXIT_INTERNAL_ERROR;
	f->vcpu.run->internal.suberror = KVM_INTERNAL_ERROR_EMULATION;
	assert_int_equal(vcpu_handle_exit(&f->vcpu), EXIT_STOP);
	assert_int_equal(f->vm.ending, ENDING_EMULATION);
	assert_int_equal(f->vm.exit_status, PVH_EXIT_EMULATION);
	assert_non_null(strstr(f->vm.ending_detail, "could not emulate"));
}

static void mmio_without_device_reads_all_ones(void **state)
{
	struct fixture *f = *state;
	f->vcpu.run->exit_reason = KVM_EXIT_MMIO;
	f->vcpu.run->mmio.is_write = 0;
	f->vcpu.run->mmio.len = 4;
	assert_int_equal(vcpu_handle_exit(&f->vcpu), EXIT_CONTINUE);
	assert_int_equal(f->vcpu.run->mmio.data[0], 0xff);
}

static void unknown_exit_is_a_vmm_error(void **state)
{
	struct fixture *f = *state;
	f->vcpu.run->exit_reason = 0x7777;
	assert_int_equal(vcpu_handle_exit(&f->vcpu), EXIT_STOP);
	assert_int_equal(f->vm.exit_status, PVH_EXIT_VMM_ERROR);
}

static void io_bus_rejects_overlaps(void **state)
{
	struct fixture *f = *state;
	assert_int_equal(io_bus_register(&f->vm.io, PVH_SEV_COM1_PORT + 7, 2, NULL, NULL, "x"),
			 -EINVAL);
	assert_int_equal(io_bus_register(&f->vm.io, PVH_SEV_COM1_PORT + 7, 2,
					 (io_handler_fn)abort, NULL, "x"),
			 -EEXIST);
	assert_int_equal(io_bus_register(&f->vm.io, 0xffff, 2, (io_handler_fn)abort, NULL, "x"),
			 -EINVAL);
	assert_int_equal(io_bus_register(&f->vm.io, 0x3f0, 8, (io_handler_fn)abort, NULL, "x"),
			 0);
}

static void strict_emulated_mode_ends_on_direct_port_io(void **state)
{
	struct fixture *f = *state;
	f->vm.emul.on = true;
	f->vm.emul.strict = true;
	assert_int_equal(io_exit(f, PVH_SEV_COM1_PORT, 1, 1, 1, "A"), EXIT_STOP);
	assert_int_equal(f->vm.ending, ENDING_WOULD_VC);
	assert_int_equal(f->vm.exit_status, PVH_EXIT_WOULD_VC);
	assert_non_null(strstr(f->vm.ending_detail, "port 0x3f8"));
	f->vm.ending = ENDING_NONE;
	f->vcpu.run->exit_reason = KVM_EXIT_MMIO;
	assert_int_equal(vcpu_handle_exit(&f->vcpu), EXIT_STOP);
	assert_int_equal(f->vm.ending, ENDING_WOULD_VC);
}

static void emulated_mode_without_strict_serves_port_io(void **state)
{
	struct fixture *f = *state;
	f->vm.emul.on = true;
	assert_int_equal(io_exit(f, PVH_SEV_COM1_PORT, 1, 1, 1, "A"), EXIT_CONTINUE);
	assert_string_equal(output(f), "A");
}

static void acpi_power_off_and_reset_registers(void **state)
{
	struct fixture *f = *state;
	assert_int_equal(io_exit(f, PVH_SEV_ACPI_SLEEP_CTL_PORT, 1, 1, 1, "\x10"), EXIT_CONTINUE);
	assert_int_equal(f->vm.ending, ENDING_NONE); /* SLP_TYP 4 without SLP_EN: nothing */
	assert_int_equal(io_exit(f, PVH_SEV_ACPI_SLEEP_CTL_PORT, 1, 1, 1, "\x34"), EXIT_STOP);
	assert_int_equal(f->vm.ending, ENDING_POWEROFF);
	assert_int_equal(f->vm.exit_status, 0);
	f->vm.ending = ENDING_NONE;
	assert_int_equal(io_exit(f, PVH_SEV_ACPI_RESET_PORT, 1, 1, 1, "\x05"), EXIT_CONTINUE);
	assert_int_equal(io_exit(f, PVH_SEV_ACPI_RESET_PORT, 1, 1, 1, "\x06"), EXIT_STOP);
	assert_int_equal(f->vm.ending, ENDING_REBOOT);
	assert_int_equal(f->vm.exit_status, PVH_EXIT_REBOOT);
}

#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(com1_and_debugcon_output_reaches_stdout),
		T(com1_line_status_says_transmitter_empty),
		T(com1_scratch_and_loopback_pass_the_8250_probe),
		T(debug_exit_native_and_qemu_encodings),
		T(debug_exit_qemu_encoding),
		T(first_ending_wins),
		T(i8042_reset_is_a_reboot),
		T(malformed_io_exit_is_a_vmm_error),
		T(unclaimed_port_reads_all_ones),
		T(triple_fault_and_system_events),
		T(emulation_failure_is_reported_without_crashing),
		T(mmio_without_device_reads_all_ones),
		T(unknown_exit_is_a_vmm_error),
		T(io_bus_rejects_overlaps),
		T(strict_emulated_mode_ends_on_direct_port_io),
		T(emulated_mode_without_strict_serves_port_io),
		T(acpi_power_off_and_reset_registers),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
