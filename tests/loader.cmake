pvh_unit_test(test_region SOURCES unit/test_region.c LIBS pvh_loader)
pvh_unit_test(test_loader_elf_bad SOURCES unit/test_loader_elf_bad.c unit/test_loader_elfw.c
  LIBS pvh_loader)
pvh_unit_test(test_loader_elf_good SOURCES unit/test_loader_elf_good.c unit/test_loader_elfw.c
  LIBS pvh_loader)
pvh_unit_test(test_loader_elf_fuzz SOURCES unit/test_loader_elf_fuzz.c unit/test_loader_elfw.c
  LIBS pvh_loader)
pvh_unit_test(test_loader_layout SOURCES unit/test_loader_layout.c unit/test_loader_elfw.c
  LIBS pvh_loader)
pvh_unit_test(test_loader_modules SOURCES unit/test_loader_modules.c unit/test_loader_elfw.c
  LIBS pvh_loader)
pvh_unit_test(test_loader_elf_files SOURCES unit/test_loader_elf_files.c unit/test_loader_elfw.c
  LIBS pvh_loader)
pvh_unit_test(test_acpi SOURCES unit/test_acpi.c LIBS pvh_loader)
pvh_unit_test(test_loader_bounds SOURCES unit/test_loader_bounds.c unit/test_loader_elfw.c
  LIBS pvh_loader)
