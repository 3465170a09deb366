#!/usr/bin/env bash
# Builds pvh-sev's host code with AddressSanitizer and UBSan into ./build-sanitize and runs the
# whole test suite against it (scripts/run-suite.sh: natively and/or in the nested AMD-V lane):
# every unit test and every real KVM boot, hostile guest included.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh
cmake -S . -B build-sanitize -DPVH_STATIC=OFF -DPVH_SANITIZE=ON -DCMAKE_BUILD_TYPE=Debug >/dev/null
cmake --build build-sanitize -j"$(nproc)"
export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1
# bench_smoke is left out: the floor program leaves its few allocations to process exit on
# purpose (it measures the least a VMM can spend), and timings under ASan mean nothing.
# One KVM test at a time in the lane: its kernel locked up with two ASan runs at once
# (docs/hosts.md, "When the lane itself fails").
PVH_LANE_JOBS=1 PVH_CTEST_EXCLUDE=bench_smoke exec bash scripts/run-suite.sh build-sanitize "$@"
