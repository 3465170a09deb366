# AP area, AP state machine, MP table, CPUID topology (ap/).
pvh_unit_test(test_ap_sm SOURCES unit/test_ap_sm.c LIBS pvh_ap)
pvh_unit_test(test_ap_area SOURCES unit/test_ap_area.c LIBS pvh_ap)
pvh_unit_test(test_ap_mptable SOURCES unit/test_ap_mptable.c LIBS pvh_ap)
pvh_unit_test(test_ap_cpuid SOURCES unit/test_ap_cpuid.c LIBS pvh_ap)

# The stub's instruction audit: nothing that raises #VC, MSRs only GHCB and EFER.
add_test(NAME test_ap_stub_audit
  COMMAND sh ${PROJECT_SOURCE_DIR}/ap/stub/ap_stub_audit.sh ${PVH_AP_STUB_OBJ})
set_tests_properties(test_ap_stub_audit PROPERTIES LABELS unit TIMEOUT 60)

# The stub itself, run under KVM on each protocol path (exits 77 without /dev/kvm).
add_executable(test_ap_stub_run unit/test_ap_stub_run.c)
pvh_host_target(test_ap_stub_run)
target_link_libraries(test_ap_stub_run PRIVATE PkgConfig::CMOCKA pvh_ap)
pvh_kvm_test(test_ap_stub_run $<TARGET_FILE:test_ap_stub_run>)

# The BSP pre-stub's instruction audit (SEV-ES modes: SETs the AP jump table GPA).
add_test(NAME test_bsp_prestub_audit
  COMMAND sh ${PROJECT_SOURCE_DIR}/ap/stub/prestub_audit.sh ${PVH_PRESTUB_OBJ})
set_tests_properties(test_bsp_prestub_audit PROPERTIES LABELS unit TIMEOUT 60)
