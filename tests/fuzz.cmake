# The fuzz targets in the ordinary build: each runs once over its seed corpus (and any saved
# finding in tests/fuzz/regressions/TARGET/), so a harness that stops compiling or an input
# that starts crashing fails the ordinary suite. The fuzzing itself: scripts/fuzz.sh.
set(PVH_FUZZ_DIR ${CMAKE_CURRENT_SOURCE_DIR}/fuzz)
foreach(t fuzz_loader fuzz_ghcb fuzz_ap fuzz_serial fuzz_ioapic fuzz_cli)
  set(extra)
  if(t MATCHES "fuzz_(ghcb|ap|serial|ioapic)")
    set(extra ${PVH_FUZZ_DIR}/fuzz_vm.c)
  endif()
  add_executable(${t}_replay ${PVH_FUZZ_DIR}/${t}.c ${PVH_FUZZ_DIR}/replay_main.c ${extra})
  pvh_host_target(${t}_replay)
  target_link_libraries(${t}_replay PRIVATE pvh_vmm_core)
  set(inputs ${PVH_FUZZ_DIR}/corpus/${t})
  if(EXISTS ${PVH_FUZZ_DIR}/regressions/${t})
    list(APPEND inputs ${PVH_FUZZ_DIR}/regressions/${t})
  endif()
  add_test(NAME ${t}_seeds COMMAND ${t}_replay ${inputs})
  set_tests_properties(${t}_seeds PROPERTIES LABELS unit TIMEOUT 120)
endforeach()
