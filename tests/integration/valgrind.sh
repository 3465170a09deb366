#!/usr/bin/env bash
# valgrind's memcheck on one pvh-sev command: no memory error, no leaked block (definite,
# indirect or possible; a thread never joined shows as its TLS block, possibly lost), and no
# file descriptor open at exit beyond stdin, stdout and stderr.
#   valgrind.sh PVH_DYNAMIC run|measure KERNEL [OPTIONS...]
set -uo pipefail
pvh=$1; cmd=$2; shift 2
# valgrind cannot run a process under a seccomp filter (it does not implement seccomp(), and its
# own calls would have to pass the filter): `run` goes with the sandbox off (docs/reliability.md).
run_opts=(--sandbox off)
command -v valgrind >/dev/null || { echo "SKIP: valgrind is not installed (scripts/install-deps.sh)"; exit 77; }
if [ "$cmd" = run ]; then
  [ -r /dev/kvm ] && [ -w /dev/kvm ] || { echo "SKIP: /dev/kvm is absent or not accessible"; exit 77; }
  set -- "$@" "${run_opts[@]}" --timeout 120
fi
log=$(mktemp); out=$(mktemp)
trap 'rm -f "$log" "$out"' EXIT
start=$(date +%s%N)
timeout -k 5 280 valgrind --tool=memcheck --leak-check=full --show-leak-kinds=all \
  --errors-for-leak-kinds=definite,indirect,possible --error-exitcode=99 --track-fds=yes \
  --log-file="$log" "$pvh" "$cmd" "$@" >"$out" 2>&1
st=$?
echo "valgrind $cmd: status $st in $((($(date +%s%N) - start) / 1000000)) ms"
fail=0
[ "$st" = 0 ] || { echo "FAIL: status $st (99: memcheck found errors or leaks)"; fail=1; }
grep -q "ERROR SUMMARY: 0 errors" "$log" || { echo "FAIL: memcheck reports errors"; fail=1; }
# Descriptors inherited from whoever started the test are not pvh-sev's: only the others count.
grep -q "FILE DESCRIPTORS: [0-9]* open" "$log" || { echo "FAIL: no file descriptor report"; fail=1; }
own=$(awk '/Open (file descriptor|AF_)/ { fd = $0; getline; if ($0 !~ /inherited from parent/) print fd }' "$log")
[ -z "$own" ] || { echo "FAIL: pvh-sev left descriptors open at exit:"; echo "$own"; fail=1; }
grep -E "in use at exit|ERROR SUMMARY|FILE DESCRIPTORS|definitely|indirectly|possibly|still reachable" "$log" |
  sed 's/^==[0-9]*== *//'
if ((fail)); then
  echo "--- pvh-sev output:"; tail -20 "$out"; echo "--- valgrind log:"; head -c 20000 "$log"
  exit 1
fi
echo ok
