#!/usr/bin/env bash
# A hostile guest (examples/hostile.c) throws seeded garbage at the doorbell, the device ports,
# MMIO, the bring-up slots and, in emulated SEV-ES, the GHCB MSR protocol and GHCB pages. Every
# run must end with a documented guest-caused status, never a VMM error, a crash or a hang.
set -uo pipefail
pvh=$1; guest=$2
[ -r /dev/kvm ] && [ -w /dev/kvm ] || { echo "SKIP: /dev/kvm is absent or not accessible"; exit 77; }
fail=0
for mode in off emulated; do
  for seed in 1 2 3 4 5 6; do
    timeout -k 5 90 "$pvh" run "$guest" --sev "$mode" --smp 4 --timeout 60 \
      --cmdline "seed=$seed n=2000" >/tmp/hostile.$$.out 2>/tmp/hostile.$$.err
    st=$?
    case $st in
      0) grep -q "survived 2000" /tmp/hostile.$$.out || { echo "FAIL: $mode seed $seed: 0 without the summary"; fail=1; } ;;
      120|121|123) echo "note: $mode seed $seed ended $st: $(tail -1 /tmp/hostile.$$.err)" ;;
      *) echo "FAIL: $mode seed $seed: status $st: $(tail -2 /tmp/hostile.$$.err)"; fail=1 ;;
    esac
  done
done
rm -f /tmp/hostile.$$.out /tmp/hostile.$$.err
((fail)) || echo ok
exit $fail
