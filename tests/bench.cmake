# Benchmarks: unit tests of the harness's statistics and parsers, and a smoke run of the whole
# harness (--quick: one or two runs per contender, small loops, no timing assertions).
pvh_unit_test(test_bench_stats SOURCES unit/test_bench_stats.c LIBS pvh_bench_core)
pvh_unit_test(test_bench_adapters SOURCES unit/test_bench_adapters.c LIBS pvh_bench_core)
pvh_unit_test(test_bench_scenarios SOURCES unit/test_bench_scenarios.c LIBS pvh_bench_core)

pvh_kvm_test(bench_smoke ${CMAKE_COMMAND}
  -DBENCH=$<TARGET_FILE:pvh-bench>
  -DJSON_OUT=${CMAKE_CURRENT_BINARY_DIR}/bench-smoke.json
  -P ${PROJECT_SOURCE_DIR}/bench/smoke.cmake)
# cmake -P cannot exit with 77; the harness's own "no /dev/kvm" line marks the skip instead.
set_tests_properties(bench_smoke PROPERTIES
  SKIP_REGULAR_EXPRESSION "pvh-bench: /dev/kvm is not usable" TIMEOUT 600)
