# Packaging tests (label "package"): the install tree, --help/man page/completions against the
# option table, the JSON schemas against real outputs, the CI templates. They use Debian's
# python3 (python3-jsonschema, python3-yaml from scripts/install-deps.sh).
find_program(PVH_DEBIAN_PYTHON python3 PATHS /usr/bin NO_DEFAULT_PATH)
if(NOT PVH_DEBIAN_PYTHON)
  set(PVH_DEBIAN_PYTHON python3)
endif()
set(PKG ${CMAKE_CURRENT_SOURCE_DIR}/pkg)
set(PVH $<TARGET_FILE:pvh-sev>)

function(pvh_package_test name)
  add_test(NAME ${name} COMMAND ${ARGN})
  set_tests_properties(${name} PROPERTIES LABELS package TIMEOUT 300)
endfunction()

pvh_package_test(pkg_schema_measure_and_failed_reports ${PKG}/schema_outputs.sh ${PVH}
  ${PROJECT_SOURCE_DIR}/docs/schemas ${PROJECT_BINARY_DIR}/examples/hello.elf
  ${PROJECT_BINARY_DIR}/examples/hello64.elf ${PVH_DEBIAN_PYTHON})
# Reports of real runs: needs /dev/kvm, so it is an integration test (skips with 77 without).
pvh_kvm_test(pkg_schema_reports_of_runs ${PKG}/schema_runs.sh ${PVH}
  ${PROJECT_SOURCE_DIR}/docs/schemas ${PROJECT_BINARY_DIR}/examples/hello.elf
  ${PROJECT_BINARY_DIR}/examples/endings.elf ${PVH_DEBIAN_PYTHON})
