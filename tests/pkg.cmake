# Packaging tests (label "package"): the install tree, --help/man page/completions against the
# option table, the JSON schemas against real outputs, the CI templates. They use Debian's
# python3 (python3-jsonschema, python3-yaml from scripts/install-deps.sh).
find_program(PVH_DEBIAN_PYTHON python3 PATHS /usr/bin NO_DEFAULT_PATH)
if(NOT PVH_DEBIAN_PYTHON)
  set(PVH_DEBIAN_PYTHON python3)
endif()
set(PKG ${CMAKE_CURRENT_SOURCE_DIR}/pkg)
set(PVH $<TARGET_FILE:pvh-sev>)

add_executable(pvh_list_options pkg/list_options.c)
pvh_host_target(pvh_list_options)
target_link_libraries(pvh_list_options PRIVATE pvh_vmm_core)

function(pvh_package_test name)
  add_test(NAME ${name} COMMAND ${ARGN})
  set_tests_properties(${name} PROPERTIES LABELS package TIMEOUT 300)
endfunction()

pvh_package_test(pkg_docs_match_option_table ${PVH_DEBIAN_PYTHON} ${PKG}/docs_match_options.py
  $<TARGET_FILE:pvh_list_options> ${PVH} ${PROJECT_SOURCE_DIR}/docs/pvh-sev.1.scd
  ${PROJECT_SOURCE_DIR}/vmm/dist/pvh-sev.bash ${PROJECT_SOURCE_DIR}/vmm/dist/_pvh-sev)
pvh_package_test(pkg_install_tree ${PKG}/install_tree.sh ${PROJECT_BINARY_DIR}
  ${PROJECT_SOURCE_DIR} ${CMAKE_INSTALL_PREFIX})
pvh_package_test(pkg_schema_measure_and_failed_reports ${PKG}/schema_outputs.sh ${PVH}
  ${PROJECT_SOURCE_DIR}/docs/schemas ${PROJECT_BINARY_DIR}/examples/hello.elf
  ${PROJECT_BINARY_DIR}/examples/hello64.elf ${PVH_DEBIAN_PYTHON})
pvh_package_test(pkg_ci_templates ${PVH_DEBIAN_PYTHON} ${PKG}/ci_templates.py
  $<TARGET_FILE:pvh_list_options> ${PVH} ${PROJECT_SOURCE_DIR}/docs/pvh-sev.1.scd
  ${PROJECT_BINARY_DIR}/examples/hello.elf ${PROJECT_SOURCE_DIR}/contrib/ci/github-actions.yml
  ${PROJECT_SOURCE_DIR}/contrib/ci/gitlab-ci.yml)
# Reports of real runs: needs /dev/kvm, so it is an integration test (skips with 77 without).
pvh_kvm_test(pkg_schema_reports_of_runs ${PKG}/schema_runs.sh ${PVH}
  ${PROJECT_SOURCE_DIR}/docs/schemas ${PROJECT_BINARY_DIR}/examples/hello.elf
  ${PROJECT_BINARY_DIR}/examples/endings.elf ${PVH_DEBIAN_PYTHON})
# pvh-sev check on this host (native): what is missing for hardware SEV-ES, --json against its
# schema.
pvh_package_test(check_reports_this_host ${PROJECT_SOURCE_DIR}/tests/integration/check.sh ${PVH}
  ${PROJECT_SOURCE_DIR}/docs/schemas ${PVH_DEBIAN_PYTHON})
