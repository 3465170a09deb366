#!/usr/bin/env bash
# While the guest runs, pvh-sev holds no capability and has no_new_privs set (libcap-ng drop
# after the launch). Checked from outside through /proc/PID/status.
set -uo pipefail
pvh=$1; guest=$2
[ -r /dev/kvm ] || { echo "SKIP: no /dev/kvm"; exit 77; }
"$pvh" run "$guest" --cmdline end=hang --timeout 10 >/dev/null 2>&1 &
pid=$!
ok=0
for _ in $(seq 100); do
  st=/proc/$pid/status
  [ -r "$st" ] || break
  if grep -q '^CapEff:[[:space:]]*0000000000000000' "$st" && grep -q '^NoNewPrivs:[[:space:]]*1' "$st" \
     && grep -q '^CapPrm:[[:space:]]*0000000000000000' "$st"; then
    ok=1; break
  fi
  sleep 0.05
done
kill "$pid" 2>/dev/null; wait "$pid" 2>/dev/null
if ((ok)); then echo ok; exit 0; fi
echo "FAIL: pvh-sev kept capabilities while running:"; grep -E 'Cap|NoNewPrivs' "/proc/$pid/status" 2>/dev/null
exit 1
