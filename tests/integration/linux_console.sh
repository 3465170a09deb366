#!/usr/bin/env bash
# The console's input side with Linux as the reader: a second initramfs (the fixture's busybox,
# with an /init that starts a shell on the console) is fed commands through pvh-sev's stdin, a
# pipe; the shell's answer comes back on stdout and its `poweroff -f` ends the run with status 0.
# Usage: linux_console.sh PVH_SEV
set -uo pipefail
pvh=$1
. "$(dirname "$0")/linux_initramfs.sh"
linux_need_fixture
work=$(mktemp -d)
vm=
cleanup() { [ -n "$vm" ] && kill "$vm" 2>/dev/null; rm -rf "$work"; }
trap cleanup EXIT
fail() {
  # Machine B's KVM emulates every instruction and cannot run Linux (expect_run.sh
  # --needs-full-kvm): skipped outside the lane, where the nested AMD-V lane runs this test.
  if [ -z "${PVH_KVM_LANE:-}" ] && [ -n "${vm:-}" ] && ! kill -0 "$vm" 2>/dev/null &&
    grep -q "this host's KVM emulates every guest instruction" "$work/err"; then
    echo "SKIP: this host's KVM cannot run Linux (it emulates every instruction); it runs in the lane"
    exit 77
  fi
  echo "FAIL: $*"; echo "--- stdout"; tail -n 30 "$work/out"; echo "--- stderr"; cat "$work/err"; exit 1
}

cat >"$work/init" <<'EOF'
#!/bin/sh
export PATH=/bin
mount -t proc proc /proc
echo "SHELL-READY"
exec sh
EOF
linux_initramfs "$work" "$work/init" "$work/initrd.gz" || exit 1

mkfifo "$work/in"
: >"$work/out"
"$pvh" run "$dir/vmlinux" --initrd "$work/initrd.gz" --sev off --smp 1 --mem 256M \
  --cmdline "console=ttyS0 quiet" --timeout 150 <"$work/in" >"$work/out" 2>"$work/err" &
vm=$!
exec 3>"$work/in"

# Waits (bounded) until stdout has a line matching $1.
wait_for() {
  local i
  for ((i = 0; i < 1500; i++)); do
    grep -aq -- "$1" "$work/out" && return 0
    kill -0 "$vm" 2>/dev/null || return 1
    sleep 0.1
  done
  return 1
}
wait_for "SHELL-READY" || fail "no SHELL-READY from /init"
sleep 1 # the shell opens the console; bytes sent before that could be flushed by the driver
printf 'echo ANSWER=$((6*7))\n' >&3
wait_for "ANSWER=42" || fail "the shell did not answer"
printf 'poweroff -f\n' >&3
exec 3>&-
wait "$vm"
st=$?
vm=
[ "$st" = 0 ] || fail "exit status $st, expected 0 (ACPI power-off)"
grep -aq "echo ANSWER=\$((6\*7))" "$work/out" || fail "the console did not echo the typed line"
echo "PASS: the shell answered ANSWER=42 and powered off"
