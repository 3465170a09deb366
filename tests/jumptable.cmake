# The AP jump table protocol (docs/abi.md 4.1): the BSP pre-stub SETs the GPA, a guest GETs it,
# starts its APs through it and parks/releases one in AP reset hold (examples/smp_jumptable.c).
# The guest is an SEV-ES guest written for hardware: all I/O through the GHCB, the IPIs as x2APIC
# ICR writes through the GHCB MSR event, so it must also pass --strict (status 119 on any bare
# port I/O or MMIO exit).
set(PVH_JT $<TARGET_FILE:pvh-sev>)
set(PVH_JT_EXPECT ${CMAKE_CURRENT_SOURCE_DIR}/integration/expect_run.sh --needs-kvm)
set(PVH_JT_GUEST ${PROJECT_BINARY_DIR}/examples/smp_jumptable.elf)

foreach(mode emulated strict)
  if(mode STREQUAL strict)
    set(jt_strict --strict)
  else()
    set(jt_strict)
  endif()
  foreach(n 2 4 64)
    math(EXPR aps "${n} - 1")
    pvh_kvm_test(smp_jumptable_${mode}_smp${n} ${PVH_JT_EXPECT} --status 0 --reject "FAIL"
      --expect "smp_jumptable: jump table gpa=0x92000"
      --expect "smp_jumptable: x2APIC on, APIC_BASE 0x[0-9a-f]*d00$"
      --expect "APIC_BASE x2APIC -> xAPIC refused \\(#GP\\)"
      --expect "smp_jumptable: ${aps} APs reported in"
      --expect "AP reset hold released, GHCB MSR 0x1007"
      --expect "AP in long mode, CR3 0x4000[0-9a-f]{6}$"
      --expect "smp_jumptable: ok$"
      -- ${PVH_JT} run ${PVH_JT_GUEST} --sev emulated ${jt_strict} --smp ${n} --timeout 60)
  endforeach()
endforeach()
# With one vCPU the pre-stub SETs the GPA all the same (a GET sees the page, no AP uses it).
pvh_kvm_test(smp_jumptable_strict_up_gets_gpa ${PVH_JT_EXPECT} --status 0
  --expect "smp_jumptable: jump table gpa=0x92000" --expect "ok \\(1 vCPU, no APs\\)"
  -- ${PVH_JT} run ${PVH_JT_GUEST} --sev emulated --strict --smp 1 --timeout 60)
# Another C-bit: the APs' CR3 carries bit 36.
pvh_kvm_test(smp_jumptable_strict_cbit36 ${PVH_JT_EXPECT} --status 0
  --expect "SEV_INFO cbit=36" --expect "AP in long mode, CR3 0x1000[0-9a-f]{6}$"
  --expect "smp_jumptable: ok$"
  -- ${PVH_JT} run ${PVH_JT_GUEST} --sev emulated --strict --cbit 36 --smp 2 --timeout 60)
# Without SEV the GHCB MSR holds no SEV_INFO: status 2 where kvm_amd passes the MSR through
# (AMD-V), a triple fault where the CPU has no such MSR (see ghcb_guest_sev_off_fails_cleanly).
pvh_kvm_test(smp_jumptable_sev_off_fails_cleanly ${PVH_JT_EXPECT} --status "2|123" --timeout 30
  -- ${PVH_JT} run ${PVH_JT_GUEST} --sev off --smp 2)
# The pre-stub restores the PVH entry state exactly: hello (both flavours) still boots, and sees
# the GHCB MSR as SEV_INFO, with any C-bit.
pvh_kvm_test(jumptable_hello_emulated_smp4 ${PVH_JT_EXPECT} --status 0
  --expect "hello: pvh example guest, 32-bit protected mode" --expect "start_info: ghcb=yes"
  -- ${PVH_JT} run ${PROJECT_BINARY_DIR}/examples/hello.elf --sev emulated --smp 4
     --cmdline "console=debugcon")
pvh_kvm_test(jumptable_hello64_emulated ${PVH_JT_EXPECT} --status 0
  --expect "hello: pvh example guest, 64-bit long mode"
  -- ${PVH_JT} run ${PROJECT_BINARY_DIR}/examples/hello64.elf --sev emulated
     --cmdline "console=debugcon")
pvh_kvm_test(jumptable_hello_emulated_cbit37 ${PVH_JT_EXPECT} --status 0
  --expect "hello: pvh example guest" --expect "start_info: ghcb=yes"
  -- ${PVH_JT} run ${PROJECT_BINARY_DIR}/examples/hello.elf --sev emulated --cbit 37
     --cmdline "console=debugcon")
pvh_kvm_test(jumptable_hello_off_smp4 ${PVH_JT_EXPECT} --status 0
  --expect "hello: pvh example guest, 32-bit protected mode" --expect "start_info: ghcb=no"
  -- ${PVH_JT} run ${PROJECT_BINARY_DIR}/examples/hello.elf --sev off --smp 4
     --cmdline "console=debugcon")
# The emulated GHCB MSR event refuses the APIC mode transitions KVM refuses for a guest WRMSR
# (KVM_SET_MSRS alone would accept them); smp_jumptable checks x2APIC -> xAPIC end to end.
pvh_unit_test(test_ghcb_ops_apic_base SOURCES unit/test_ghcb_ops_apic_base.c LIBS pvh_vmm_core)
