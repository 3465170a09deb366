pvh_unit_test(test_region SOURCES unit/test_region.c LIBS pvh_loader)
