# GHCB service tests: MSR protocol, page events, randomized garbage, freestanding header.
pvh_unit_test(test_ghcb_msr SOURCES unit/test_ghcb_msr.c unit/test_ghcb_fixture.c LIBS pvh_ghcb)
pvh_unit_test(test_ghcb_page SOURCES unit/test_ghcb_page.c unit/test_ghcb_fixture.c LIBS pvh_ghcb)
pvh_unit_test(test_ghcb_io SOURCES unit/test_ghcb_io.c unit/test_ghcb_fixture.c LIBS pvh_ghcb)
