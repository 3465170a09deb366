#!/usr/bin/env bash
# run --report writes valid JSON naming the ending and the exit status, also when the run fails.
set -uo pipefail
pvh=$1; hello=$2
[ -r /dev/kvm ] || { echo "SKIP: no /dev/kvm"; exit 77; }
dir=$(mktemp -d); trap 'rm -rf "$dir"' EXIT
"$pvh" run "$hello" --cmdline exit=5 --report "$dir/r.json" >/dev/null; st=$?
[ "$st" = 5 ] || { echo "FAIL: status $st"; exit 1; }
grep -q '"ending": "guest-exit"' "$dir/r.json" || { echo "FAIL: ending"; cat "$dir/r.json"; exit 1; }
grep -q '"exit_status": 5' "$dir/r.json" || { echo "FAIL: exit_status"; exit 1; }
grep -q '"name": "start_info' "$dir/r.json" || { echo "FAIL: regions"; exit 1; }
"$pvh" run /nonexistent.elf --report "$dir/f.json" 2>/dev/null; st=$?
[ "$st" = 125 ] || { echo "FAIL: missing kernel status $st"; exit 1; }
grep -q '"ending": "vmm-error"' "$dir/f.json" || { echo "FAIL: failed run report"; exit 1; }
if command -v python3 >/dev/null; then
  python3 -m json.tool "$dir/r.json" >/dev/null && python3 -m json.tool "$dir/f.json" >/dev/null \
    || { echo "FAIL: invalid JSON"; exit 1; }
fi
echo ok
