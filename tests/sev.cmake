# sev: VMSA builder, firmware model, launch sequence, KVM backend (against a fake KVM), measure.
pvh_unit_test(test_sev_vmsa SOURCES unit/test_sev_vmsa.c LIBS pvh_sev)
pvh_unit_test(test_sev_model SOURCES unit/test_sev_model.c LIBS pvh_sev)
pvh_unit_test(test_sev_launch SOURCES unit/test_sev_launch.c LIBS pvh_sev)
pvh_unit_test(test_sev_kvm SOURCES unit/test_sev_kvm.c unit/model_ld.c LIBS pvh_sev)
pvh_unit_test(test_sev_measure SOURCES unit/test_sev_measure.c LIBS pvh_sev)
# sev/kvm_compat.h against 6.1, 6.8 and 6.10 shaped uAPI headers (each name guarded alone).
add_test(NAME header_shapes COMMAND ${CMAKE_CURRENT_SOURCE_DIR}/header_shapes/header_shapes.sh
  ${CMAKE_C_COMPILER} ${PROJECT_SOURCE_DIR} ${PROJECT_BINARY_DIR})
set_tests_properties(header_shapes PROPERTIES LABELS unit TIMEOUT 300)
# The hardware path on each kernel shape from 5.15 (refused) to 6.18 (fake_kvm_sev.c).
pvh_unit_test(test_sev_kernels SOURCES unit/test_sev_kernels.c unit/fake_kvm_sev.c unit/model_ld.c
  LIBS pvh_sev)
pvh_unit_test(test_check_lines SOURCES unit/test_check_lines.c unit/fake_kvm_sev.c
  LIBS pvh_vmm_core)
