#!/usr/bin/env bash
# While the guest runs, pvh-sev holds no capability, has no_new_privs set (libcap-ng drop after
# the launch) and runs under its seccomp sandbox: Seccomp 2 (filter mode) in every thread, each
# with two filters (the process layer and its thread kind's, vmm/sandbox.h). Checked from
# outside through /proc/PID/status and /proc/PID/task/*/status while the guest runs: two vCPU
# threads, the console thread (stdin a pipe that stays open) and the main thread.
# --sandbox off: Seccomp 0. The report says which.
set -uo pipefail
pvh=$1; guest=$2
[ -r /dev/kvm ] || { echo "SKIP: no /dev/kvm"; exit 77; }
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
zero='[[:space:]]*0000000000000000$'
fail=0

privileges_dropped() { # status file
  grep -q "^CapEff:$zero" "$1" && grep -q "^CapPrm:$zero" "$1" && grep -q '^NoNewPrivs:[[:space:]]*1$' "$1" &&
    { [ "$(id -u)" != 0 ] || grep -q "^CapBnd:$zero" "$1"; } # only root may clear the bounding set
}

# Every thread in seccomp mode 2 with $2 filters, and at least 4 threads. KVM's own workers in
# the thread group (kvm-nx-lpage-recovery on newer kernels) never run user code: left out.
threads_filtered() { # pid filters
  local n=0 t
  for t in /proc/"$1"/task/*; do
    [[ $(cat "$t/comm" 2>/dev/null) == kvm-* ]] && continue
    grep -q '^Seccomp:[[:space:]]*2$' "$t/status" && grep -q "^Seccomp_filters:[[:space:]]*$2\$" "$t/status" || return 1
    n=$((n + 1))
  done
  ((n >= 4))
}

show() { # pid
  grep -E 'Cap|NoNewPrivs|Seccomp' "/proc/$1/status" 2>/dev/null
  for t in /proc/"$1"/task/*; do echo "task ${t##*/}: $(grep -E '^Seccomp' "$t/status" 2>/dev/null | tr '\n' ' ')"; done
}

# Polls PID's status for up to 10 s until CHECK PID holds (false once the process is gone).
poll_until() { # pid check
  for _ in $(seq 200); do
    [ -r "/proc/$1/status" ] || return 1
    "$2" "$1" && return 0
    sleep 0.05
  done
  return 1
}
sandboxed() { # pid
  privileges_dropped "/proc/$1/status" && grep -q '^Seccomp:[[:space:]]*2$' "/proc/$1/status" &&
    threads_filtered "$1" 2
}
unsandboxed() { # pid
  privileges_dropped "/proc/$1/status" && grep -q '^Seccomp:[[:space:]]*0$' "/proc/$1/status" &&
    [ "$(ls "/proc/$1/task" | wc -l)" -ge 3 ]
}

"$pvh" run "$guest" --smp 2 --cmdline end=hang --timeout 20 --report "$tmp/on.json" \
  >/dev/null 2>"$tmp/err" < <(sleep 30) &
pid=$!
poll_until "$pid" sandboxed || { echo "FAIL: pvh-sev kept capabilities or ran unfiltered:"; show "$pid"; fail=1; }
kill "$pid" 2>/dev/null; wait "$pid" 2>/dev/null

# --sandbox off: the same run without filters, and the report says so.
"$pvh" run "$guest" --cmdline end=hang --timeout 20 --sandbox off --report "$tmp/off.json" \
  >/dev/null 2>&1 < <(sleep 30) &
pid=$!
poll_until "$pid" unsandboxed || { echo "FAIL: --sandbox off:"; show "$pid"; fail=1; }
kill -TERM "$pid" 2>/dev/null; wait "$pid" 2>/dev/null

# Ended by --timeout, the reports are written (by the main thread, under its filter).
for s in on off; do
  "$pvh" run "$guest" --cmdline end=hang --timeout 0.5 --sandbox $s --report "$tmp/$s.json" \
    >/dev/null 2>&1 </dev/null
  rc=$?
  if [ $rc != 124 ] || ! grep -q "\"sandbox\": \"$s\"" "$tmp/$s.json"; then
    echo "FAIL: --sandbox $s: status $rc, report:"; cat "$tmp/$s.json" 2>/dev/null; fail=1
  fi
done
out=$("$pvh" run "$guest" --sandbox maybe 2>&1); rc=$?
if [ $rc != 125 ] || [ "$out" != "pvh-sev: --sandbox 'maybe': expected on or off" ]; then
  echo "FAIL: --sandbox maybe: status $rc, '$out'"; fail=1
fi
((fail)) || echo ok
exit $fail
