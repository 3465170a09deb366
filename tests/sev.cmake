# sev: VMSA builder, firmware model, launch sequence, KVM backend (against a fake KVM), measure.
pvh_unit_test(test_sev_vmsa SOURCES unit/test_sev_vmsa.c LIBS pvh_sev)
pvh_unit_test(test_sev_model SOURCES unit/test_sev_model.c LIBS pvh_sev)
pvh_unit_test(test_sev_launch SOURCES unit/test_sev_launch.c LIBS pvh_sev)
pvh_unit_test(test_sev_kvm SOURCES unit/test_sev_kvm.c LIBS pvh_sev)
pvh_unit_test(test_sev_measure SOURCES unit/test_sev_measure.c LIBS pvh_sev)
