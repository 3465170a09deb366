# SMP: the smp example guest under pvh-sev (docs/smp.md). --smp 255 takes about 1 s on the
# 2-core PVM dev host; each run is bounded by pvh-sev --timeout 60 and expect_run --timeout 90.
set(SMP_EXAMPLES ${PROJECT_SOURCE_DIR}/examples)
pvh_unit_test(test_smp_guest SOURCES unit/test_smp_guest.c ${SMP_EXAMPLES}/smp_mp.c
  ${SMP_EXAMPLES}/smp_slot.c LIBS pvh_ap)

add_test(NAME examples_smp_guest_insns COMMAND ${SMP_EXAMPLES}/check-guest-insns.sh
  $<TARGET_FILE:example_smp> $<TARGET_FILE:example_smp32>)
set_tests_properties(examples_smp_guest_insns PROPERTIES LABELS unit TIMEOUT 60)

set(SMP_RUN ${CMAKE_CURRENT_SOURCE_DIR}/integration/expect_run.sh --needs-kvm --timeout 90)
set(SMP64 ${PROJECT_BINARY_DIR}/examples/smp.elf)
set(SMP32 ${PROJECT_BINARY_DIR}/examples/smp32.elf)

# smp_test(name ELF N MODE STATUS REGEX [SEV]): pvh-sev run ELF --smp N --sev SEV (default off),
# mode=MODE cpus=N. A plain INIT-SIPI to a real-mode vector is a non-SEV start: under (emulated)
# SEV-ES the first SIPI runs the measured AP state and INIT-SIPI goes through the AP jump table
# (tests/jumptable.cmake), so the initsipi cases run in off mode only.
function(smp_test name elf n mode status regex)
  set(sev off)
  if(ARGC GREATER 6)
    set(sev ${ARGV6})
  endif()
  pvh_kvm_test(${name} ${SMP_RUN} --status ${status} --expect "${regex}"
    -- $<TARGET_FILE:pvh-sev> run ${elf} --smp ${n} --timeout 60 --sev ${sev}
    --cmdline "mode=${mode} cpus=${n}")
endfunction()

foreach(n 1 2 4 64 255)
  math(EXPR aps "${n} - 1")
  smp_test(smp_bringup_${n} ${SMP64} ${n} bringup 0 "bringup: ${aps} of ${aps} APs up")
  smp_test(smp_bringup_emulated_${n} ${SMP64} ${n} bringup 0 "bringup: ${aps} of ${aps} APs up"
    emulated)
  smp_test(smp_mptable_${n} ${SMP64} ${n} mptable 0 "mptable: ${n} CPUs, BSP APIC ID 0")
endforeach()
smp_test(smp_errors_emulated ${SMP64} 6 errors 0 "all doorbell and slot error cases answered"
  emulated)
# --sev-init legacy in emulated mode answers as KVM before 6.10 (GHCB v1: no AP reset hold
# through the MSR protocol): bring-up and the error cases must work there too.
function(smp_legacy_test name n mode regex)
  pvh_kvm_test(${name} ${SMP_RUN} --status 0 --expect "${regex}"
    -- $<TARGET_FILE:pvh-sev> run ${SMP64} --smp ${n} --timeout 60 --sev emulated
    --sev-init legacy --cmdline "mode=${mode} cpus=${n}")
endfunction()
smp_legacy_test(smp_bringup_emulated_legacy_4 4 bringup "bringup: 3 of 3 APs up")
smp_legacy_test(smp_bringup_emulated_legacy_64 64 bringup "bringup: 63 of 63 APs up")
smp_legacy_test(smp_errors_emulated_legacy 6 errors "all doorbell and slot error cases answered")
# Idle APs park and are woken (docs/smp.md "How an idle AP waits"): under GHCB version 1
# (--sev-init legacy) through the AP_HLT_LOOP event, never the MSR-protocol request KVM before
# 6.10 does not know; under version 2 through the MSR protocol. -v logs each hold's kind.
function(smp_park_test name n init kind mode regex)
  math(EXPR last "${n} - 1")
  pvh_kvm_test(${name} ${SMP_RUN} --status 0
    --expect "${mode}: ${last} of ${last} APs ${regex}"
    --stderr "vCPU 1: AP reset hold released by INIT-SIPI \\(${kind}\\)"
    --stderr "vCPU ${last}: AP reset hold released by INIT-SIPI \\(${kind}\\)"
    -- $<TARGET_FILE:pvh-sev> run ${SMP64} --smp ${n} --timeout 60 --sev emulated -v
    --sev-init ${init} --cmdline "mode=${mode} cpus=${n}")
endfunction()
# mode=park: woken by the doorbell, up through the bring-up slot.
set(PARK "parked, woken and up")
smp_park_test(smp_park_emulated_legacy_4 4 legacy "AP_HLT_LOOP event" park "${PARK}")
smp_park_test(smp_park_emulated_legacy_32 32 legacy "AP_HLT_LOOP event" park "${PARK}")
smp_park_test(smp_park_emulated_4 4 init2 "GHCB MSR protocol" park "${PARK}")
# mode=parkjt: released by a last doorbell (the VMM's INIT-SIPI), out through the AP jump table.
set(PARKJT "parked, then up through the AP jump table")
smp_park_test(smp_parkjt_emulated_legacy_4 4 legacy "AP_HLT_LOOP event" parkjt "${PARKJT}")
smp_park_test(smp_parkjt_emulated_legacy_32 32 legacy "AP_HLT_LOOP event" parkjt "${PARKJT}")
smp_park_test(smp_parkjt_emulated_4 4 init2 "GHCB MSR protocol" parkjt "${PARKJT}")
smp_test(smp32_bringup_4 ${SMP32} 4 bringup 0 "bringup: 3 of 3 APs up \\(0 in 64-bit")
smp_test(smp_initsipi_4 ${SMP64} 4 initsipi 0 "initsipi: 3 of 3 APs up .*64-bit")
smp_test(smp32_initsipi_4 ${SMP32} 4 initsipi 0 "initsipi: 3 of 3 APs up .*32-bit")
smp_test(smp_initsipi_255 ${SMP64} 255 initsipi 0 "initsipi: 254 of 254 APs up")
smp_test(smp_errors ${SMP64} 6 errors 0 "slot 3 \\(64-bit CR3 at 4 GiB\\) failed with reason 3")
smp_test(smp32_errors ${SMP32} 6 errors 0 "all doorbell and slot error cases answered")
# The guest's own failure paths end with their documented status, not a hang.
smp_test(smp_errors_too_few_cpus ${SMP64} 2 errors 21 "needs 5 vCPUs")
pvh_kvm_test(smp_cpu_count_mismatch ${SMP_RUN} --status 12 --expect "the VM has 4 vCPUs, cpus=5"
  -- $<TARGET_FILE:pvh-sev> run ${SMP64} --smp 4 --timeout 60 --cmdline "cpus=5")
