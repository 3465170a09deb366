# GHCB service tests: MSR protocol, page events, randomized garbage, freestanding header.
pvh_unit_test(test_ghcb_msr SOURCES unit/test_ghcb_msr.c unit/test_ghcb_fixture.c LIBS pvh_ghcb)
pvh_unit_test(test_ghcb_page SOURCES unit/test_ghcb_page.c unit/test_ghcb_fixture.c LIBS pvh_ghcb)
pvh_unit_test(test_ghcb_io SOURCES unit/test_ghcb_io.c unit/test_ghcb_fixture.c LIBS pvh_ghcb)

# The randomized test compiles the service in with ASan/UBSan: a stray access fails it.
get_target_property(PVH_GHCB_SOURCES pvh_ghcb SOURCES)
list(TRANSFORM PVH_GHCB_SOURCES PREPEND ${PROJECT_SOURCE_DIR}/ghcb/)
pvh_unit_test(test_ghcb_fuzz
  SOURCES unit/test_ghcb_fuzz.c unit/test_ghcb_fixture.c ${PVH_GHCB_SOURCES}
  LIBS pvh_loader)
target_compile_options(test_ghcb_fuzz PRIVATE -fsanitize=address,undefined
  -fno-sanitize-recover=all -fno-omit-frame-pointer)
target_link_options(test_ghcb_fuzz PRIVATE -fsanitize=address,undefined)

# ghcb.h is shared with freestanding guests: compile it as they do, 32- and 64-bit.
foreach(bits 32 64)
  add_library(ghcb_freestanding_${bits} OBJECT unit/test_ghcb_freestanding.c)
  target_include_directories(ghcb_freestanding_${bits} PRIVATE ${PROJECT_SOURCE_DIR})
  set_target_properties(ghcb_freestanding_${bits} PROPERTIES C_EXTENSIONS OFF)
  target_compile_options(ghcb_freestanding_${bits} PRIVATE -m${bits} -ffreestanding
    -fno-builtin -pedantic-errors -Wall -Wextra -Werror -Wstrict-prototypes
    -Wmissing-prototypes)
endforeach()
