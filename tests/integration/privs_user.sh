#!/usr/bin/env bash
# --user NAME: started as root, pvh-sev runs the guest as NAME (uid, gid, no supplementary
# group), with no capability, no_new_privs and the seccomp sandbox (Seccomp 2), in every mode
# that runs here; checked from outside through /proc/PID/status while the guest runs, and by a
# guest that exits 0.
set -uo pipefail
pvh=$1; hang=$2; hello=$3
[ -r /dev/kvm ] || { echo "SKIP: no /dev/kvm"; exit 77; }
[ "$(id -u)" = 0 ] || { echo "SKIP: --user needs root"; exit 77; }
user=nobody
uid=$(id -u $user) gid=$(id -g $user)
fail=0
for mode in emulated off; do
  "$pvh" run "$hang" --sev $mode --cmdline end=hang --timeout 20 --user $user >/dev/null 2>&1 &
  pid=$!
  ok=0
  for _ in $(seq 200); do
    st=/proc/$pid/status
    [ -r "$st" ] || break
    if grep -qE "^Uid:[[:space:]]+$uid[[:space:]]+$uid[[:space:]]+$uid[[:space:]]+$uid\$" "$st" &&
       grep -qE "^Gid:[[:space:]]+$gid[[:space:]]+$gid[[:space:]]+$gid[[:space:]]+$gid\$" "$st" &&
       grep -qE '^Groups:[[:space:]]*$' "$st" &&
       grep -q '^CapEff:[[:space:]]*0000000000000000' "$st" &&
       grep -q '^CapPrm:[[:space:]]*0000000000000000' "$st" &&
       grep -q '^CapBnd:[[:space:]]*0000000000000000' "$st" &&
       grep -q '^NoNewPrivs:[[:space:]]*1' "$st" &&
       grep -q '^Seccomp:[[:space:]]*2$' "$st"; then
      ok=1; break
    fi
    sleep 0.05
  done
  if ((!ok)); then
    echo "FAIL: --sev $mode: pvh-sev did not run as $user without privileges:"
    grep -E 'Uid|Gid|Groups|Cap|NoNewPrivs|Seccomp' "/proc/$pid/status" 2>/dev/null
    fail=1
  fi
  kill "$pid" 2>/dev/null; wait "$pid" 2>/dev/null
  out=$("$pvh" run "$hello" --sev $mode --user $user 2>&1); rc=$?
  if [ $rc != 0 ] || ! grep -q '^exit: 0' <<<"$out"; then
    echo "FAIL: --sev $mode: hello as $user ended with $rc:"; echo "$out" | tail -5; fail=1
  fi
done
out=$("$pvh" run "$hello" --user no-such-user-pvh 2>&1); rc=$?
if [ $rc != 125 ] || [ "$out" != "pvh-sev: --user 'no-such-user-pvh': no such user in /etc/passwd" ]; then
  echo "FAIL: an unknown user: status $rc, '$out'"; fail=1
fi
((fail)) || echo ok
exit $fail
