/* SPDX-License-Identifier: MIT */
/*
 * The ghcb guest's checks of malformed GHCB requests: each gets the error result
 * (sw_exit_info_1 = 2, sw_exit_info_2 = reason) and the guest runs on (docs/ghcb.md).
 * hw=1 skips the cases where KVM on hardware behaves differently (it ends the run instead).
 */
#include "ghcb_guest.h"

#define NOT_RAM_GPA 0xc0001000ull /* in the MMIO hole below 4 GiB: never RAM */
#define NO_DEVICE_PORT 0x510u

static void expect_error(const char *name, uint32_t r, unsigned reason)
{
	uint64_t info2 = ghcb_page->save.sw_exit_info_2;

	ghcb_check(r == GHCB_RESULT_ERROR && info2 == reason, name,
		   "result %u info2 %llu, want 2/%u", r, (unsigned long long)info2, reason);
}

/* A string OUT of count bytes to a port with no device, with the given scratch GPA. */
static uint32_t string_out(uint64_t scratch, uint64_t count)
{
	ghcb_req_begin(GHCB_EXIT_IOIO,
		       ghcb_ioio_info(NO_DEVICE_PORT, 1, GHCB_IOIO_STR | GHCB_IOIO_REP), count);
	ghcb_req_set(GHCB_OFF(sw_scratch), scratch);
	return ghcb_req_issue();
}

static void check_validation(void)
{
	uint32_t r;

	ghcb_req_begin(GHCB_EXIT_HV_FEATURES, 0, 0);
	ghcb_page->save.valid_bitmap[ghcb_valid_bit(GHCB_OFF(sw_exit_code)) / 8] &=
		(uint8_t)~(1u << ghcb_valid_bit(GHCB_OFF(sw_exit_code)) % 8);
	expect_error("err_exit_code_not_valid", ghcb_req_issue(), GHCB_ERR_MISSING_INPUT);
	ghcb_req_begin(GHCB_EXIT_CPUID, 0, 0);
	ghcb_req_set(GHCB_OFF(rax), 1);
	expect_error("err_cpuid_rcx_not_valid", ghcb_req_issue(), GHCB_ERR_MISSING_INPUT);
	ghcb_req_begin(GHCB_EXIT_CPUID, 0, 0);
	ghcb_req_set(GHCB_OFF(rax), 0xd);
	ghcb_req_set(GHCB_OFF(rcx), 0);
	expect_error("err_cpuid_0xd_without_xcr0", ghcb_req_issue(), GHCB_ERR_MISSING_INPUT);
	ghcb_req_begin(GHCB_EXIT_IOIO, ghcb_ioio_info(NO_DEVICE_PORT, 1, 0), 0);
	expect_error("err_ioio_out_rax_not_valid", ghcb_req_issue(), GHCB_ERR_MISSING_INPUT);
	ghcb_req_begin(GHCB_EXIT_MSR, 1, 0);
	ghcb_req_set(GHCB_OFF(rcx), 0x174);
	expect_error("err_msr_write_rax_rdx_not_valid", ghcb_req_issue(), GHCB_ERR_MISSING_INPUT);
	ghcb_req_begin(GHCB_EXIT_HV_FEATURES, 0, 0);
	ghcb_page->ghcb_usage = 1;
	r = ghcb_req_issue();
	ghcb_page->ghcb_usage = 0;
	expect_error("err_ghcb_usage", r, GHCB_ERR_INVALID_USAGE);
	expect_error("err_unknown_event", ghcb_call(0x12345678u, 0, 0), GHCB_ERR_INVALID_EVENT);
	expect_error("err_snp_psc", ghcb_call(GHCB_EXIT_SNP_PSC, 0, 0), GHCB_ERR_MISSING_INPUT);
	expect_error("err_snp_guest_request", ghcb_call(GHCB_EXIT_GUEST_REQUEST, 0, 0),
		     GHCB_ERR_MISSING_INPUT);
	expect_error("err_snp_ap_creation", ghcb_call(GHCB_EXIT_AP_CREATION, 0, 0),
		     GHCB_ERR_MISSING_INPUT);
	expect_error("err_ap_jump_table_bad_op", ghcb_call(GHCB_EXIT_AP_JUMP_TABLE, 2, 0),
		     GHCB_ERR_INVALID_INPUT);
}

static void check_scratch(const struct ghcb_opts *o)
{
	uint64_t buf = ghcb_page_gpa + GHCB_SHARED_BUF_OFFSET;

	ghcb_req_begin(GHCB_EXIT_IOIO,
		       ghcb_ioio_info(NO_DEVICE_PORT, 1, GHCB_IOIO_STR | GHCB_IOIO_REP), 1);
	expect_error("err_scratch_not_valid", ghcb_req_issue(), GHCB_ERR_MISSING_INPUT);
	expect_error("err_scratch_zero", string_out(0, 1), GHCB_ERR_INVALID_SCRATCH_AREA);
	expect_error("err_scratch_in_ghcb_save_area", string_out(ghcb_page_gpa + 0x10, 8),
		     GHCB_ERR_INVALID_SCRATCH_AREA);
	expect_error("err_scratch_past_shared_buffer",
		     string_out(buf + GHCB_SHARED_BUF_SIZE - 4, 8), GHCB_ERR_INVALID_SCRATCH_AREA);
	expect_error("err_scratch_over_16_pages",
		     string_out(ghcb_scratch_gpa, GHCB_SCRATCH_AREA_LIMIT + 1),
		     GHCB_ERR_INVALID_SCRATCH_AREA);
	ghcb_req_begin(GHCB_EXIT_MMIO_READ, 0xfed00000u, 8);
	ghcb_req_set(GHCB_OFF(sw_scratch), buf + GHCB_SHARED_BUF_SIZE - 4);
	expect_error("err_mmio_scratch_past_shared_buffer", ghcb_req_issue(),
		     GHCB_ERR_INVALID_SCRATCH_AREA);
	if (o->hw)
		return; /* KVM_RUN fails with EFAULT or EINVAL on hardware for these */
	expect_error("err_scratch_not_ram", string_out(NOT_RAM_GPA, 8),
		     GHCB_ERR_INVALID_SCRATCH_AREA);
	expect_error("err_string_count_too_large", string_out(buf, 0x80000000ull),
		     GHCB_ERR_INVALID_INPUT);
	ghcb_req_begin(GHCB_EXIT_IOIO, ghcb_ioio_info(NO_DEVICE_PORT, 3, 0), 0);
	ghcb_req_set(GHCB_OFF(rax), 0);
	expect_error("err_ioio_size_3", ghcb_req_issue(), GHCB_ERR_INVALID_INPUT);
}

/* MMIO of length 0 succeeds doing nothing (KVM 1aa8a6dc7dac, every version). */
static void check_mmio_length_0(void)
{
	uint8_t *buf = ghcb_page->shared_buffer;
	buf[0] = 0x5a;
	ghcb_req_begin(GHCB_EXIT_MMIO_READ, 0xfed00000u, 0);
	ghcb_req_set(GHCB_OFF(sw_scratch), ghcb_page_gpa + GHCB_SHARED_BUF_OFFSET);
	uint32_t r = ghcb_req_issue();
	ghcb_check(r == 0 && buf[0] == 0x5a, "mmio_length_0_ignored", "result %u, byte 0x%02x", r,
		   buf[0]);
}

/* A VMGEXIT with the GHCB MSR 0 names no page: nothing is written and the guest runs on. */
static void check_no_ghcb(void)
{
	uint64_t sentinel = 0x5e5e5e5e5e5e5e5eull;

	ghcb_req_begin(GHCB_EXIT_HV_FEATURES, 0, 0);
	ghcb_page->save.sw_exit_info_1 = sentinel;
	ghcb_vmgexit_msr(0);
	ghcb_check(ghcb_page->save.sw_exit_info_1 == sentinel, "no_ghcb_registered_resumes",
		   "info1 0x%llx changed", (unsigned long long)ghcb_page->save.sw_exit_info_1);
}

void ghcb_checks_page_errors(const struct ghcb_opts *o)
{
	check_validation();
	check_scratch(o);
	check_mmio_length_0();
	check_no_ghcb();
	/* The page still works after all that (NMI_COMPLETE: every KVM serves it). */
	uint32_t r = ghcb_call(GHCB_EXIT_NMI_COMPLETE, 0, 0);
	ghcb_check(r == 0, "page_works_after_errors", "result %u", r);
}
