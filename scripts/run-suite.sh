#!/usr/bin/env bash
# Runs the ctest suite of one build tree: the tests that need no KVM here, then the tests
# labelled "kvm" natively where /dev/kvm works and in the nested AMD-V lane (scripts/lane.sh)
# where it does not. Ends with one line counting where the KVM tests ran.
#
#   scripts/run-suite.sh BUILD_DIR [CTEST_ARGS...]
#
# PVH_LANE_DEATH_OK=1: a lane that never finished fails the run only where no KVM test ran
# natively. PVH_LANE_BUDGET (seconds, default 1800) bounds all the lane's runs of this suite together.
# PVH_LANE=auto (default): the lane only where /dev/kvm is not usable; always: the lane too
# (CI: it is the AMD-V reference); never: no lane. PVH_REQUIRE_KVM=1 fails the run when no KVM
# test ran anywhere. PVH_CTEST_EXCLUDE is a regex of tests to leave out. Exits non-zero when
# any test failed.
set -uo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
build=$(cd "$1" && pwd); shift
lane_mode=${PVH_LANE:-auto}
jobs=$(nproc)
status=0 native=0 lane=0 skipped=0 failed=0 lane_restarts=0 lane_died=0 second_try=""

# "ran skipped failed" from a ctest JUnit file.
counts() {
  [ -s "$1" ] || { echo "0 0 0"; return; }
  python3 - "$1" <<'EOF'
import sys, xml.etree.ElementTree as ET
s = ET.parse(sys.argv[1]).getroot()
t, k, f = (int(s.get(a, 0)) for a in ("tests", "skipped", "failures"))
print(t - k, k, f)
EOF
}

# The names of the tests a ctest log shows as failed (not skipped).
failed_names() {
  sed -n -E 's/^ *[0-9]+\/[0-9]+ Test +#[0-9]+: ([^ ]+) \.*\*\*\*(Failed|Timeout|Exception).*/\1/p' "$1"
}

kvm_usable() { [ -r /dev/kvm ] && [ -w /dev/kvm ]; }

cd "$build" || exit 2
echo "== tests without KVM (native)"
ctest --output-on-failure -j"$jobs" -LE kvm ${PVH_CTEST_EXCLUDE:+-E "$PVH_CTEST_EXCLUDE"} "$@" ||
  status=1

if kvm_usable; then
  echo "== KVM tests, native /dev/kvm"
  rm -f junit-native.xml
  ctest --output-on-failure -j"$jobs" -L kvm --output-junit junit-native.xml \
    ${PVH_CTEST_EXCLUDE:+-E "$PVH_CTEST_EXCLUDE"} "$@" || status=1
  read -r native s f < <(counts junit-native.xml); skipped=$((skipped + s)); failed=$((failed + f))
fi

# The KVM tests in the lane. When the lane itself dies (its L1 kernel locked up: a fault of
# QEMU's TCG seen rarely, docs/hosts.md), the tests that passed are kept and the others run
# once more in a fresh lane; the summary says so. A test that kills the lane twice fails. Tests
# that failed in a lane that finished also run once more (below).
lane_suite() {
  local log rc attempt exclude=${PVH_CTEST_EXCLUDE:-} passed="" left jobs_in_lane died retry_failed
  local first_failed=""
  local deadline=$((SECONDS + ${PVH_LANE_BUDGET:-1800}))
  for attempt in 1 2; do
    log=$(mktemp)
    rm -f junit-lane.xml
    left=$((deadline - SECONDS))
    # A second lane runs one test at a time: the lockups came with tests side by side.
    jobs_in_lane=${PVH_LANE_JOBS:-2}; ((attempt == 1)) || jobs_in_lane=1
    PVH_LANE_CACHE=${PVH_LANE_CACHE:-$repo/build/lane} "$repo/scripts/lane.sh" --timeout "$left" --idle 420 -- \
      ctest --output-on-failure -j"$jobs_in_lane" -L kvm --output-junit junit-lane.xml ${exclude:+-E "$exclude"} \
      "$@" | tee "$log"
    rc=${PIPESTATUS[0]}
    # A lane that finished with failed tests runs just those once more in a fresh lane: the
    # lane itself corrupts memory now and then (docs/hosts.md), so a guest that triple-faults
    # there once proves little. Each test that passes only then is named on the summary line;
    # one that fails twice fails the run. Natively nothing is run twice.
    died=0 retry_failed=0
    ((rc == 124 || rc == 125)) && died=1
    ((rc != 0 && !died)) && [ "${PVH_LANE_RETRY_FAILED:-1}" = 1 ] && retry_failed=1
    if ((!died && !retry_failed)) || ((attempt == 2)) || ((deadline - SECONDS < 300)); then
      read -r lane s f < <(counts junit-lane.xml)
      ((attempt == 2)) && [ -n "$first_failed" ] &&
        second_try=$(comm -23 <(tr ' ' '\n' <<<"$first_failed" | sed '/^$/d' | sort) \
          <(failed_names "$log" | sort) | tr '\n' ' ')
      lane=$((lane + $(wc -w <<<"$passed"))); skipped=$((skipped + s)); failed=$((failed + f))
      if ((died)); then
        echo "run-suite: the lane ended without a status ($rc) $attempt time(s); not run again" >&2
        lane_died=1
        # Where the KVM tests also ran natively, a lane kernel that locked up (docs/hosts.md)
        # is reported, not failed, with PVH_LANE_DEATH_OK=1; a test that failed in a lane
        # that finished always fails the run.
        if [ "${PVH_LANE_DEATH_OK:-0}" = 1 ] && ((native > 0)); then rm -f "$log"; return; fi
      fi
      rm -f "$log"
      ((rc == 0)) || status=1
      return
    fi
    lane_restarts=$((lane_restarts + 1))
    # Tests that failed before the restart run again too (they did not pass): name them.
    first_failed=$(failed_names "$log" | tr '\n' ' ')
    passed="$passed $(sed -n 's/^ *[0-9]*\/[0-9]* Test *#[0-9]*: \([^ ]*\) \.*  *Passed .*/\1/p' "$log")"
    rm -f "$log"
    exclude="^($(tr -s ' \n' '|' <<<"${PVH_CTEST_EXCLUDE:-} $passed" | sed 's/^|//; s/|$//'))\$"
    if ((retry_failed)); then
      echo "run-suite: in the lane $(wc -w <<<"$first_failed") KVM test(s) failed (${first_failed% });" \
        "they run once more in a fresh lane" >&2
    else
      echo "run-suite: the lane ended without a status ($rc); $(wc -w <<<"$passed") KVM tests had" \
        "passed; the rest run again in a fresh lane" >&2
    fi
  done
}

if [ "$lane_mode" = always ] || { [ "$lane_mode" = auto ] && ! kvm_usable; }; then
  echo "== KVM tests in the nested AMD-V lane (QEMU TCG + kvm_amd; slow: a software CPU)"
  lane_suite "$@"
elif ! kvm_usable; then
  read -r _ s _ < <(ctest -N -L kvm | sed -n 's/^Total Tests: \([0-9]*\)/0 \1 0/p')
  skipped=$((skipped + ${s:-0}))
fi

restarts=""; ((lane_restarts)) && restarts=" (the lane was restarted $lane_restarts time(s))"
[ -n "$second_try" ] && restarts="$restarts; passed only on a second try in a fresh lane: ${second_try% }"
((lane_died)) && restarts="$restarts; THE LANE DID NOT FINISH: the KVM tests not listed as passed above did not run in it"
echo "KVM tests: $native ran natively, $lane ran in the nested AMD-V lane, $skipped skipped," \
  "$failed failed$restarts"
if [ "${PVH_REQUIRE_KVM:-0}" = 1 ] && ((native + lane == 0)); then
  echo "run-suite: no KVM test ran anywhere: that proves nothing about the VMM" >&2
  status=1
fi
exit "$status"
