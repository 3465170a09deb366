pvh_unit_test(test_cli SOURCES unit/test_cli.c LIBS pvh_vmm_core)
pvh_unit_test(test_exit_dispatch SOURCES unit/test_exit_dispatch.c LIBS pvh_vmm_core)
pvh_unit_test(test_gva SOURCES unit/test_gva.c LIBS pvh_vmm_core)
pvh_unit_test(test_cpu_state SOURCES unit/test_cpu_state.c LIBS pvh_ap pvh_loader)
