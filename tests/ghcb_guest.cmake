# The ghcb example guest end to end (docs/examples.md, docs/ghcb.md "End-to-end test"): every
# GHCB request from a real SEV-ES-style guest, served by emulated mode, under --strict (where
# any bare port I/O or MMIO would end the run with 119), on 1..64 vCPUs, both C-bits, both
# GHCB versions, each way of ending, and a clean failure without SEV.
set(PVH $<TARGET_FILE:pvh-sev>)
set(EXPECT ${CMAKE_CURRENT_SOURCE_DIR}/integration/expect_run.sh --needs-kvm)
set(GHCB_ELF ${PROJECT_BINARY_DIR}/examples/ghcb.elf)
set(GHCB_ALL_PASS --expect "ghcb: [0-9]+ checks, 0 failed" --reject "^FAIL"
  --expect "PASS msr_sev_info_at_entry" --expect "PASS ioio_out_string_scratch_page"
  --expect "^ghcb-out-single$" --expect "^ghcb-out-string$"
  --expect "PASS err_scratch_over_16_pages" --expect "PASS page_works_after_errors"
  --expect "PASS mmio_read_12_bytes" --expect "PASS mmio_length_0_ignored")
# The rules by GHCB version (docs/ghcb.md "KVM profiles"): v2 refuses a scratch area outside the
# GHCB (nothing reaches the port) and MMIO over 8 bytes; v1 (KVM before 6.10) serves both.
set(GHCB_V2_RULES --reject "^ghcb-out-scratch-page$")
set(GHCB_V1_RULES --expect "^ghcb-out-scratch-page$" --expect "PASS hv_features"
  --expect "PASS msr_hv_features")

pvh_kvm_test(ghcb_guest_emulated ${EXPECT} --status 0 ${GHCB_ALL_PASS} ${GHCB_V2_RULES}
  --expect "SEV_INFO max=2 min=1 cbit=38 "
  -- ${PVH} run ${GHCB_ELF} --sev emulated)
foreach(smp 1 4 64)
  pvh_kvm_test(ghcb_guest_strict_smp${smp} ${EXPECT} --status 0 ${GHCB_ALL_PASS}
    --expect "SEV_INFO max=2 min=1 cbit=38 " --expect "ghcb: AP jump table at start: 0x92000$"
    -- ${PVH} run ${GHCB_ELF} --sev emulated --strict --smp ${smp})
endforeach()
pvh_kvm_test(ghcb_guest_strict_cbit36 ${EXPECT} --status 0 ${GHCB_ALL_PASS}
  --expect "SEV_INFO max=2 min=1 cbit=36 "
  -- ${PVH} run ${GHCB_ELF} --sev emulated --strict --cbit 36 --smp 4)
pvh_kvm_test(ghcb_guest_strict_legacy_init ${EXPECT} --status 0 ${GHCB_ALL_PASS} ${GHCB_V1_RULES}
  --expect "SEV_INFO max=1 min=1 cbit=38 "
  -- ${PVH} run ${GHCB_ELF} --sev emulated --strict --sev-init legacy)
# hw=1: only what runs unchanged on SEV-ES hardware (no CPUID instruction, no request that
# KVM answers by failing KVM_RUN).
pvh_kvm_test(ghcb_guest_strict_hw_subset ${EXPECT} --status 0 ${GHCB_ALL_PASS}
  --expect "\\(hw=1\\)" --reject "^NOTE" --reject "err_scratch_not_ram"
  -- ${PVH} run ${GHCB_ELF} --sev emulated --strict --cmdline "hw=1")

# The ways to end: MSR-protocol termination, the TERM_REQUEST and UNSUPPORTED events.
pvh_kvm_test(ghcb_guest_term_msr_protocol ${EXPECT} --status 121
  --expect "ghcb: [0-9]+ checks, 0 failed"
  --stderr "guest termination request \\(reason set 1, code 7\\)"
  -- ${PVH} run ${GHCB_ELF} --sev emulated --strict --cmdline "term=1")
pvh_kvm_test(ghcb_guest_term_request_event ${EXPECT} --status 121
  --stderr "guest termination request \\(reason set 1, code 8\\)"
  -- ${PVH} run ${GHCB_ELF} --sev emulated --strict --cmdline "term=2")
pvh_kvm_test(ghcb_guest_unsupported_event ${EXPECT} --status 121
  --stderr "unsupported GHCB event 0x8000ffff \\(info 0x1234 0x5678\\)"
  -- ${PVH} run ${GHCB_ELF} --sev emulated --strict --cmdline "term=3")
# A failed check shows in the status (1) and a FAIL line.
pvh_kvm_test(ghcb_guest_failure_is_reported ${EXPECT} --status 1
  --expect "^FAIL cmdline: malformed" --expect "ghcb: [0-9]+ checks, 1 failed"
  -- ${PVH} run ${GHCB_ELF} --sev emulated --strict --cmdline "term=x")
# Without SEV the GHCB MSR holds no SEV_INFO. kvm_amd passes that MSR through to every guest
# (svm_direct_access_msrs, always = true), so on AMD-V the RDMSR reads the CPU's value and the
# guest ends with its own "no SEV_INFO" status 2; where the CPU has no such MSR (machine B's
# emulator) the RDMSR raises #GP with no IDT: a triple fault. Both are clean, defined endings.
pvh_kvm_test(ghcb_guest_sev_off_fails_cleanly ${EXPECT} --status "2|123" --timeout 30
  -- ${PVH} run ${GHCB_ELF} --sev off)

# The CPUID answers of the emulated service follow CR4, APIC_BASE and the guest's XCR0.
pvh_unit_test(test_ghcb_ops_cpuid SOURCES unit/test_ghcb_ops_cpuid.c LIBS pvh_vmm_core)

# The ghcb guest is free of instructions this host's KVM emulator cannot run.
add_test(NAME examples_guest_insns_ghcb COMMAND ${PROJECT_SOURCE_DIR}/examples/check-guest-insns.sh
  $<TARGET_FILE:example_ghcb>)
set_tests_properties(examples_guest_insns_ghcb PROPERTIES LABELS unit TIMEOUT 60)
