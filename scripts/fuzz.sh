#!/usr/bin/env bash
# Builds the libFuzzer targets (tests/fuzz, PVH_FUZZ=ON with clang) into ./build-fuzz and runs
# them, one after the other, each on a working corpus grown from the seeds in the tree.
#
#   scripts/fuzz.sh [--time SECS | --runs N] [TARGET...]   run TARGETs (default: all)
#   scripts/fuzz.sh --ci                                    each target 30 s, fail on a finding
#   scripts/fuzz.sh --list                                  the targets
#
# A finding (crash, sanitizer report, leak, timeout, out-of-memory) stops that target, leaves
# its input in build-fuzz/artifacts/TARGET/ and makes the script exit 1. Logs and the last
# statistics (executions, cov, ft) are in build-fuzz/logs/. FUZZ_JOBS=N runs N workers per
# target (libFuzzer -fork); the default is one. CC picks the compiler (default clang-14).
set -euo pipefail
cd "$(dirname "$0")/.."

TARGETS=(fuzz_loader fuzz_ghcb fuzz_ap fuzz_serial fuzz_ioapic fuzz_cli)
time_s=60 runs=
ci=0
names=()
while (($#)); do
  case "$1" in
    --time) time_s=$2; runs=; shift 2 ;;
    --runs) runs=$2; time_s=; shift 2 ;;
    --ci) ci=1; time_s=30; runs=; shift ;;
    --list) printf '%s\n' "${TARGETS[@]}"; exit 0 ;;
    -h|--help) sed -n '2,13p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    fuzz_*) names+=("$1"); shift ;;
    *) echo "fuzz.sh: unknown argument '$1' (see --help)" >&2; exit 2 ;;
  esac
done
((${#names[@]})) || names=("${TARGETS[@]}")
for n in "${names[@]}"; do
  [[ " ${TARGETS[*]} " == *" $n "* ]] || { echo "fuzz.sh: no target '$n' (see --list)" >&2; exit 2; }
done

B=build-fuzz
CC=${CC:-clang-14}
command -v "$CC" >/dev/null || { echo "fuzz.sh: $CC not found: run scripts/install-deps.sh" >&2; exit 2; }
CC=$CC cmake -S . -B $B -DPVH_FUZZ=ON -DPVH_STATIC=OFF -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build $B -j"$(nproc)" --target "${names[@]}" >/dev/null

# The biggest input each target is given: a kernel file needs room for headers and notes.
max_len() {
  case "$1" in
    fuzz_loader) echo 16384 ;;
    fuzz_ghcb) echo 8192 ;;
    *) echo 4096 ;;
  esac
}

fail=0
for t in "${names[@]}"; do
  work=$B/corpus/$t art=$B/artifacts/$t/ log=$B/logs/$t.log
  mkdir -p "$work" "$art" "$(dirname "$log")"
  limit=(-max_total_time="$time_s")
  [[ -n $runs ]] && limit=(-runs="$runs")
  jobs=()
  [[ -n ${FUZZ_JOBS:-} && ${FUZZ_JOBS} -gt 1 ]] && jobs=(-fork="$FUZZ_JOBS" -ignore_crashes=0)
  start=$(date +%s)
  set +e
  ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:allocator_may_return_null=0} \
  UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1} \
    "$B/tests/fuzz/$t" "${limit[@]}" "${jobs[@]}" -max_len="$(max_len "$t")" -timeout=10 \
      -rss_limit_mb=2048 -malloc_limit_mb=1024 -print_final_stats=1 -artifact_prefix="$art" \
      "$work" "tests/fuzz/corpus/$t" >"$log" 2>&1
  rc=$?
  set -e
  execs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$log" | grep -o '[0-9]*$' | tail -1)
  last=$(grep -E '^#[0-9]+' "$log" | grep -o 'cov: [0-9]* ft: [0-9]*' | tail -1)
  printf '%-12s %s executions, %s, %ss, exit %d\n' "$t" "${execs:-?}" "${last:-cov: ? ft: ?}" \
    "$(($(date +%s) - start))" "$rc"
  if ((rc)); then
    fail=1
    echo "fuzz.sh: $t found something (exit $rc): see $log and $art" >&2
    grep -m5 -E 'ERROR|runtime error|==[0-9]+==' "$log" >&2 || true
  fi
done
((ci)) && ((fail)) && echo "fuzz.sh --ci: FAILED" >&2
exit $fail
