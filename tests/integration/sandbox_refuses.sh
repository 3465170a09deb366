#!/usr/bin/env bash
# The real binary refuses a forbidden system call in each thread kind. strace's syscall
# tampering (--inject ...:syscall=getuid) turns one call of a running pvh-sev into getuid(),
# which no thread kind may make; the kernel checks the filters after the tracer's change, so
# the thread gets SIGSYS: the run ends with status 126 and the one line naming the thread kind
# and the call (102, getuid), and the launch report is not written. With --sandbox off the same
# tampering is just a failed call (strace's error=) and the run ends as usual.
set -uo pipefail
pvh=$1; hello=$2; hang=$3
[ -r /dev/kvm ] || { echo "SKIP: no /dev/kvm"; exit 77; }
command -v strace >/dev/null || { echo "SKIP: no strace"; exit 77; }
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
fail=0
line() { echo "pvh-sev: sandbox: forbidden system call 102 in the $1 thread (docs/reliability.md); exit status 126"; }

# expect NAME STATUS KIND-OR-EMPTY -- COMMAND...: status, and the line last on stderr
expect() {
  local name=$1 want=$2 kind=$3; shift 4
  "$@" >"$tmp/out" 2>"$tmp/err"; local rc=$?
  if [ $rc != "$want" ] || { [ -n "$kind" ] && [ "$(tail -n1 "$tmp/err")" != "$(line "$kind")" ]; }; then
    echo "FAIL: $name: status $rc (wanted $want), stderr:"; tail -n3 "$tmp/err"; fail=1
  fi
}

# LeakSanitizer (scripts/test-sanitize.sh) cannot stop the world under a tracer: it would wait
# for ever at exit. The runs that end in the SIGSYS handler never get there; the --sandbox off
# one would.
export ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0"
tamper() { # SYSCALL -- COMMAND...: the first call of SYSCALL becomes getuid()
  local call=$1; shift 2
  strace -f -o /dev/null -e inject="$call":syscall=getuid:error=EIO:when=1 "$@"
}

# vCPU thread: its first write (the guest's first console line; nothing writes before it with
# --sev off) becomes getuid.
expect vcpu 126 vcpu -- tamper write -- "$pvh" run "$hello" --sev off --report "$tmp/vcpu.json" </dev/null
[ ! -e "$tmp/vcpu.json" ] || { echo "FAIL: vcpu: a report was written"; fail=1; }
# Main thread: the rename that puts the report in place, at the very end.
expect main 126 main -- tamper rename -- "$pvh" run "$hello" --sev off --report "$tmp/main.json" </dev/null
[ ! -e "$tmp/main.json" ] || { echo "FAIL: main: the report was put in place"; fail=1; }
# Console thread: its first poll on stdin (a pipe that stays open).
expect console 126 console -- tamper poll -- "$pvh" run "$hang" --cmdline end=hang --timeout 20 \
  < <(sleep 30)
# The same tampering without the filters: a failed write, a normal ending.
expect off 0 "" -- tamper write -- "$pvh" run "$hello" --sev off --sandbox off </dev/null
((fail)) || echo ok
exit $fail
