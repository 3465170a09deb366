# Load and leaks (docs/reliability.md, "Load and leaks"): many runs at once, and valgrind's
# memcheck on a run and a measure. valgrind cannot follow a static binary's malloc, so the
# memcheck tests use pvh-sev-dynamic: the same main.c and library as pvh-sev, linked against
# the shared C library (the other libraries stay as pvh-sev has them).
set(HELLO ${PROJECT_BINARY_DIR}/examples/hello.elf)
if(NOT PVH_SANITIZE)
  add_executable(pvh-sev-dynamic ${PROJECT_SOURCE_DIR}/vmm/main.c)
  pvh_host_target(pvh-sev-dynamic)
  target_link_libraries(pvh-sev-dynamic PRIVATE pvh_vmm_core)
  set(VALGRIND_SH ${CMAKE_CURRENT_SOURCE_DIR}/integration/valgrind.sh $<TARGET_FILE:pvh-sev-dynamic>)
  pvh_kvm_test(valgrind_run_hello ${VALGRIND_SH} run ${HELLO} --sev emulated --smp 2)
  pvh_kvm_test(valgrind_run_hello_off ${VALGRIND_SH} run ${HELLO} --sev off)
  # measure needs no KVM: it runs everywhere
  add_test(NAME valgrind_measure COMMAND ${VALGRIND_SH} measure ${HELLO} --smp 4 --json)
  set_tests_properties(valgrind_measure PROPERTIES LABELS unit SKIP_RETURN_CODE 77 TIMEOUT 300)
endif()
set(LOAD_SH ${CMAKE_CURRENT_SOURCE_DIR}/integration/load.sh $<TARGET_FILE:pvh-sev>)
pvh_kvm_test(load_100_hello ${LOAD_SH} 100 1 ${HELLO})
pvh_kvm_test(load_20_smp8 ${LOAD_SH} 20 8 ${PROJECT_BINARY_DIR}/examples/smp.elf)
set_tests_properties(load_100_hello load_20_smp8 PROPERTIES RUN_SERIAL TRUE TIMEOUT 900)
