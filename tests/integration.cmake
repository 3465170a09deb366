# Integration tests: real KVM boots of the example guests under pvh-sev (skip 77 without KVM).
set(PVH $<TARGET_FILE:pvh-sev>)
set(EXPECT ${CMAKE_CURRENT_SOURCE_DIR}/integration/expect_run.sh --needs-kvm)
set(HELLO ${PROJECT_BINARY_DIR}/examples/hello.elf)
set(HELLO64 ${PROJECT_BINARY_DIR}/examples/hello64.elf)

pvh_kvm_test(boot_hello32 ${EXPECT} --status 0
  --expect "hello: pvh example guest, 32-bit protected mode"
  --expect "start_info: version=1 flags=0x0 nr_modules=0"
  --expect "cmdline: console=com1 hi there"
  --expect "memmap\\[0\\]: addr=0x0 size=0x90000 type=1"
  --expect "memmap\\[1\\]: addr=0x90000 size=0x70000 type=2"
  --expect "memmap\\[2\\]: addr=0x100000 size=0xff00000 type=1"
  -- ${PVH} run ${HELLO} --sev off --cmdline "console=com1 hi there")
pvh_kvm_test(boot_hello_emulated_sees_ghcb_flag ${EXPECT} --status 0
  --expect "start_info: version=1 flags=0x20 nr_modules=0" --expect "start_info: ghcb=yes"
  --stderr "emulated SEV-ES: guest memory is NOT encrypted"
  -- ${PVH} run ${HELLO} --sev emulated --cmdline "console=debugcon")
pvh_kvm_test(boot_hello_auto_says_what_it_chose ${EXPECT} --status 0
  --stderr "--sev=auto chose (es|emulated)" -- ${PVH} run ${HELLO64} --cmdline "console=debugcon")
pvh_kvm_test(boot_hello64_exit_status ${EXPECT} --status 7
  --expect "hello: pvh example guest, 64-bit long mode" --expect "exit: 7"
  -- ${PVH} run ${HELLO64} --cmdline "exit=7")
pvh_kvm_test(boot_hello_qemu_exit_encoding ${EXPECT} --status 7
  -- ${PVH} run ${HELLO} --cmdline "exit=3" --debug-exit qemu)
pvh_kvm_test(boot_hello_no_cmdline ${EXPECT} --status 0 --expect "cmdline: \\(none\\)"
  -- ${PVH} run ${HELLO})
pvh_kvm_test(boot_hello_small_mem ${EXPECT} --status 0
  --expect "memmap\\[2\\]: addr=0x100000 size=0x2f00000 type=1"
  -- ${PVH} run ${HELLO} --mem 48M)
pvh_kvm_test(boot_hello_mem_above_4g ${EXPECT} --status 0
  --expect "addr=0x100000 size=0xbff00000 type=1"
  --expect "addr=0x100000000 size=0x40000000 type=1"
  -- ${PVH} run ${HELLO64} --mem 4G --cmdline "console=debugcon")
pvh_kvm_test(boot_hello_modules ${CMAKE_CURRENT_SOURCE_DIR}/integration/hello_modules.sh
  ${PVH} ${HELLO} ${HELLO64})
pvh_kvm_test(run_reports_json ${CMAKE_CURRENT_SOURCE_DIR}/integration/report_json.sh
  ${PVH} ${HELLO})
pvh_kvm_test(run_endings ${CMAKE_CURRENT_SOURCE_DIR}/integration/endings.sh ${PVH}
  ${PROJECT_BINARY_DIR}/examples/endings.elf)
pvh_kvm_test(run_bad_input ${CMAKE_CURRENT_SOURCE_DIR}/integration/bad_input.sh ${PVH} ${HELLO})
pvh_kvm_test(sev_launch_matches_measure ${CMAKE_CURRENT_SOURCE_DIR}/integration/sev_launch.sh ${PVH} ${HELLO})
pvh_kvm_test(run_drops_privileges ${CMAKE_CURRENT_SOURCE_DIR}/integration/privs.sh ${PVH}
  ${PROJECT_BINARY_DIR}/examples/endings.elf)
pvh_kvm_test(run_as_user ${CMAKE_CURRENT_SOURCE_DIR}/integration/privs_user.sh ${PVH}
  ${PROJECT_BINARY_DIR}/examples/endings.elf ${HELLO})
set_tests_properties(run_as_user PROPERTIES TIMEOUT 120)
pvh_kvm_test(run_on_a_terminal_under_the_sandbox ${CMAKE_CURRENT_SOURCE_DIR}/integration/console_pty.py
  ${PVH} ${PROJECT_BINARY_DIR}/examples/endings.elf)
set_tests_properties(run_on_a_terminal_under_the_sandbox PROPERTIES TIMEOUT 120)
pvh_kvm_test(run_sandbox_refuses_a_forbidden_call ${CMAKE_CURRENT_SOURCE_DIR}/integration/sandbox_refuses.sh
  ${PVH} ${HELLO} ${PROJECT_BINARY_DIR}/examples/endings.elf)
set_tests_properties(run_sandbox_refuses_a_forbidden_call PROPERTIES TIMEOUT 120)
pvh_kvm_test(boot_debian_linux_fixture ${CMAKE_CURRENT_SOURCE_DIR}/integration/linux_fixture.sh ${PVH} off)
pvh_kvm_test(boot_debian_linux_fixture_emulated ${CMAKE_CURRENT_SOURCE_DIR}/integration/linux_fixture.sh ${PVH}
  emulated)
pvh_kvm_test(linux_console_shell_answers ${CMAKE_CURRENT_SOURCE_DIR}/integration/linux_console.sh ${PVH})
pvh_kvm_test(linux_sev_emulated_jump_table_and_reset_hold
  ${CMAKE_CURRENT_SOURCE_DIR}/integration/linux_cpu_cycle.sh ${PVH})
pvh_kvm_test(linux_sev_emulated_legacy_jump_table_and_reset_hold
  ${CMAKE_CURRENT_SOURCE_DIR}/integration/linux_cpu_cycle.sh ${PVH} legacy)
# A Linux boot keeps both lane CPUs busy for 20-35 s; beside it, guests that spin a bounded time
# for an AP (smp_jumptable_strict_*) failed once under ctest -j2. So these run alone.
set_tests_properties(boot_debian_linux_fixture boot_debian_linux_fixture_emulated
  linux_console_shell_answers linux_sev_emulated_jump_table_and_reset_hold
  linux_sev_emulated_legacy_jump_table_and_reset_hold PROPERTIES RUN_SERIAL TRUE)
pvh_kvm_test(hostile_guest_gets_defined_answers ${CMAKE_CURRENT_SOURCE_DIR}/integration/hostile.sh ${PVH}
  ${PROJECT_BINARY_DIR}/examples/hostile.elf)
# The hostile guest's named cases, each held to its documented status and messages
# (docs/reliability.md, "Hostile guests"), and bulk console output checked by hash.
set(HOSTILE ${PROJECT_BINARY_DIR}/examples/hostile.elf)
foreach(group ghcb vcpus endings)
  pvh_kvm_test(hostile_cases_${group} ${CMAKE_CURRENT_SOURCE_DIR}/integration/hostile_cases.sh ${PVH}
    ${HOSTILE} ${group})
endforeach()
foreach(port debugcon com1)
  pvh_kvm_test(hostile_console_16m_ghcb_${port} ${CMAKE_CURRENT_SOURCE_DIR}/integration/hostile_console.sh
    ${PVH} ${HOSTILE} ${port} ghcb 16384)
  pvh_kvm_test(hostile_console_256k_port_${port} ${CMAKE_CURRENT_SOURCE_DIR}/integration/hostile_console.sh
    ${PVH} ${HOSTILE} ${port} port 256)
endforeach()
pvh_kvm_test(dump_layout_lists_regions_and_memmap ${EXPECT} --status 0
  --expect "0x0000000000090000 0x000000000009c000 0xc000 +ap +ap-area \\(reserved\\)"
  --expect "kernel\\[0\\]" --expect "module +initrd"
  --expect "^0x0000000000100000-0x00000000c0000000 ram$"
  --expect "^0x0000000100000000-0x0000000180000000 ram$"
  -- ${PVH} run ${HELLO} --dump-layout --mem 5G --smp 4 --initrd ${HELLO})
# Long mode entered in the architectural order, with a VM exit between the steps: every host
# runs it. (The other order is scripts/qemu-efer-order-demo.sh: it takes down QEMU's nested lane.)
pvh_kvm_test(efer_order_architectural ${EXPECT} --status 0 --expect "long mode active"
  -- ${PVH} run ${PROJECT_BINARY_DIR}/examples/efer_order.elf --sev off --cmdline "order=pae-first")
# Without /dev/kvm: one line naming the cause and the way out (runs where KVM is absent, too).
add_test(NAME run_without_kvm_says_why COMMAND ${CMAKE_CURRENT_SOURCE_DIR}/integration/no_kvm_message.sh
  ${PVH} ${HELLO})
set_tests_properties(run_without_kvm_says_why PROPERTIES LABELS integration SKIP_RETURN_CODE 77 TIMEOUT 60)
