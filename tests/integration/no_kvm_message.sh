#!/usr/bin/env bash
# Without /dev/kvm, `pvh-sev run` ends with status 125 and one line that names the cause and the
# way out. Where /dev/kvm exists, a private mount namespace hides it (needs root and unshare).
set -uo pipefail
pvh=$1 guest=$2
if [ -e /dev/kvm ]; then
  command -v unshare >/dev/null && [ "$(id -u)" = 0 ] || { echo "SKIP: cannot hide /dev/kvm"; exit 77; }
  run() { unshare -m bash -c 'mount -t tmpfs none /dev && exec "$@"' hide "$@"; }
else
  run() { "$@"; }
fi
err=$(run "$pvh" run "$guest" --sev off 2>&1 >/dev/null); status=$?
fail=0
[ "$status" = 125 ] || { echo "FAIL: status $status, expected 125"; fail=1; }
[ "$(printf '%s\n' "$err" | grep -c .)" = 1 ] || { echo "FAIL: not one line"; fail=1; }
grep -Eq '^pvh-sev: /dev/kvm: No such file or directory: .*(scripts/lane.sh)' <<<"$err" ||
  { echo "FAIL: the line names no cause and way out"; fail=1; }
echo "$err"
exit "$fail"
