# The AP jump table protocol (docs/abi.md 4.1): the BSP pre-stub SETs the GPA, a guest GETs it,
# starts its APs through it and parks/releases one in AP reset hold (examples/smp_jumptable.c).
set(PVH_JT $<TARGET_FILE:pvh-sev>)
set(PVH_JT_EXPECT ${CMAKE_CURRENT_SOURCE_DIR}/integration/expect_run.sh --needs-kvm)
set(PVH_JT_GUEST ${PROJECT_BINARY_DIR}/examples/smp_jumptable.elf)

foreach(n 2 4 64)
  pvh_kvm_test(smp_jumptable_emulated_smp${n} ${PVH_JT_EXPECT} --status 0
    --expect "smp_jumptable: jump table gpa=0x92000"
    --expect "smp_jumptable: [0-9]+ APs reported in"
    --expect "AP reset hold released, GHCB MSR 0x1007"
    --expect "smp_jumptable: ok"
    -- ${PVH_JT} run ${PVH_JT_GUEST} --sev emulated --smp ${n} --timeout 60)
endforeach()
pvh_kvm_test(smp_jumptable_emulated_smp64_count ${PVH_JT_EXPECT} --status 0
  --expect "smp_jumptable: 63 APs reported in"
  -- ${PVH_JT} run ${PVH_JT_GUEST} --sev emulated --smp 64 --timeout 60)
# With one vCPU the pre-stub SETs the GPA all the same (a GET sees the page, no AP uses it).
pvh_kvm_test(smp_jumptable_emulated_up_gets_gpa ${PVH_JT_EXPECT} --status 0
  --expect "smp_jumptable: jump table gpa=0x92000" --expect "ok \\(1 vCPU, no APs\\)"
  -- ${PVH_JT} run ${PVH_JT_GUEST} --sev emulated --smp 1 --timeout 60)
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
pvh_kvm_test(jumptable_hello_emulated_cbit47 ${PVH_JT_EXPECT} --status 0
  --expect "hello: pvh example guest" --expect "start_info: ghcb=yes"
  -- ${PVH_JT} run ${PROJECT_BINARY_DIR}/examples/hello.elf --sev emulated --cbit 47
     --cmdline "console=debugcon")
pvh_kvm_test(smp_jumptable_emulated_cbit40 ${PVH_JT_EXPECT} --status 0
  --expect "SEV_INFO cbit=40" --expect "smp_jumptable: ok"
  -- ${PVH_JT} run ${PVH_JT_GUEST} --sev emulated --cbit 40 --smp 2 --timeout 60)
pvh_kvm_test(jumptable_hello_off_smp4 ${PVH_JT_EXPECT} --status 0
  --expect "hello: pvh example guest, 32-bit protected mode" --expect "start_info: ghcb=no"
  -- ${PVH_JT} run ${PROJECT_BINARY_DIR}/examples/hello.elf --sev off --smp 4
     --cmdline "console=debugcon")
