#!/usr/bin/env bash
# N runs of pvh-sev at once: every one must end 0 with its guest's report on stdout.
#   load.sh PVH N SMP KERNEL
# hello.elf: the hello line; smp.elf: all SMP-1 APs up through the bring-up page. Each run is
# bounded by --timeout; the whole by the wait below. Prints the wall time (docs/reliability.md).
set -uo pipefail
pvh=$1; n=$2; smp=$3; kernel=$4
[ -r /dev/kvm ] && [ -w /dev/kvm ] || { echo "SKIP: /dev/kvm is absent or not accessible"; exit 77; }
case $(basename "$kernel") in
  smp.elf) cmdline="mode=bringup cpus=$smp"; want="bringup: $((smp - 1)) of $((smp - 1)) APs up" ;;
  *) cmdline="load test"; want="hello: pvh example guest" ;;
esac
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
start=$(date +%s%N)
for i in $(seq 1 "$n"); do
  ( timeout -k 5 800 "$pvh" run "$kernel" --smp "$smp" --timeout 700 --cmdline "$cmdline" \
      >"$dir/$i.out" 2>"$dir/$i.err"; echo $? >"$dir/$i.status" ) &
done
wait
ms=$((($(date +%s%N) - start) / 1000000))
fail=0 ok=0
for i in $(seq 1 "$n"); do
  st=$(cat "$dir/$i.status" 2>/dev/null || echo none)
  if [ "$st" = 0 ] && grep -q "$want" "$dir/$i.out"; then
    ok=$((ok + 1))
  else
    fail=$((fail + 1))
    ((fail <= 5)) && echo "FAIL: run $i: status $st: $(tail -1 "$dir/$i.err")"
  fi
done
echo "$n runs of $(basename "$kernel") --smp $smp at once: $ok ended 0 with '$want', $fail did not; ${ms} ms in all"
((fail == 0)) && echo ok
exit $((fail > 0))
