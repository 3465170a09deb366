# Tests of the example guests (docs/examples.md).
set(PVH_EXAMPLES_DIR ${PROJECT_SOURCE_DIR}/examples)

# The guest library's pure parts, built for the host.
pvh_unit_test(test_guest_lib SOURCES unit/test_guest_lib.c ${PVH_EXAMPLES_DIR}/lib/printf.c
  ${PVH_EXAMPLES_DIR}/lib/crc32.c ${PVH_EXAMPLES_DIR}/lib/cmdline.c)
pvh_unit_test(test_guest_console SOURCES unit/test_guest_console.c
  ${PVH_EXAMPLES_DIR}/lib/console.c)

# Every guest is free of instructions this host's KVM emulator cannot run.
add_test(NAME examples_guest_insns COMMAND ${PVH_EXAMPLES_DIR}/check-guest-insns.sh
  $<TARGET_FILE:example_hello> $<TARGET_FILE:example_hello64> $<TARGET_FILE:example_ptmask64>
  $<TARGET_FILE:example_smp_jumptable>)
set_tests_properties(examples_guest_insns PROPERTIES LABELS unit TIMEOUT 60)

# Real boots under QEMU microvm with KVM (skipped with 77 without /dev/kvm or QEMU).
# test-hello.sh also takes a pvh-sev binary as a third argument, for pvh-sev's own boots.
pvh_kvm_test(examples_qemu_hello32 ${PVH_EXAMPLES_DIR}/test-hello.sh
  $<TARGET_FILE:example_hello> "32-bit protected mode" qemu)
pvh_kvm_test(examples_qemu_hello64 ${PVH_EXAMPLES_DIR}/test-hello.sh
  $<TARGET_FILE:example_hello64> "64-bit long mode" qemu)
pvh_kvm_test(examples_qemu_ptmask64 ${PVH_EXAMPLES_DIR}/test-ptmask64-qemu.sh
  $<TARGET_FILE:example_ptmask64>)
