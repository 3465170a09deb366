#!/usr/bin/env bash
# Reports of real runs (needs /dev/kvm) match the launch report schema, for every mode and a
# failed launch; `--report -` puts the report on stdout after everything the guest wrote.
# usage: schema_runs.sh PVH_SEV SCHEMA_DIR HELLO ENDINGS PYTHON
set -uo pipefail
pvh=$1 schemas=$2 hello=$3 endings=$4 py=$5
[ -r /dev/kvm ] && [ -w /dev/kvm ] || { echo "SKIP: no /dev/kvm"; exit 77; }
validate() { "$py" "$(dirname "$0")/validate_json.py" "$@"; }
dir=$(mktemp -d); trap 'rm -rf "$dir"' EXIT
fail=0
run() { # run NAME STATUS ARGS...
  local name=$1 want=$2; shift 2
  "$pvh" run "$@" --report "$dir/$name.json" >/dev/null 2>"$dir/$name.err"; local st=$?
  [ "$st" = "$want" ] || { echo "FAIL: run $* -> $st, want $want: $(head -c 300 "$dir/$name.err")"; fail=1; }
}
run off 5 "$hello" --sev off --cmdline exit=5
run emulated 0 "$hello" --sev emulated --smp 2
run auto 0 "$hello"
run timeout 124 "$endings" --cmdline "end=hang" --timeout 0.5
run triple 123 "$endings" --cmdline "end=triple"
run layout 0 "$hello" --dump-layout
validate "$schemas" launch-report.schema.json "$dir"/*.json || fail=1

# --report -: the guest's output first, then the report as the last JSON object.
"$pvh" run "$hello" --sev emulated --cmdline "console=com1 exit=3" --report - >"$dir/stdout" \
  2>/dev/null; st=$?
[ "$st" = 3 ] || { echo "FAIL: --report - run status $st"; fail=1; }
grep -q "hello: pvh example guest" "$dir/stdout" || { echo "FAIL: no guest output"; fail=1; }
sed -n '/^{$/,$p' "$dir/stdout" >"$dir/stdout-report.json"
head -n 1 "$dir/stdout" | grep -q '^{' && { echo "FAIL: the report came first"; fail=1; }
validate "$schemas" launch-report.schema.json "$dir/stdout-report.json" || fail=1
[ "$fail" = 0 ] && echo "ok: reports of real runs match the schema"
exit $fail
