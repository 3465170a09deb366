#!/usr/bin/env bash
# The JSON pvh-sev writes matches its schemas (docs/schemas), checked with python3-jsonschema:
# measure --json in every shape, and the reports of runs that fail on bad input (these need no
# KVM). Doctored documents must be rejected, so a schema that accepts anything fails here too.
# usage: schema_outputs.sh PVH_SEV SCHEMA_DIR KERNEL32 KERNEL64 PYTHON
set -uo pipefail
pvh=$1 schemas=$2 k32=$3 k64=$4 py=$5
validate() { "$py" "$(dirname "$0")/validate_json.py" "$@"; }
dir=$(mktemp -d); trap 'rm -rf "$dir"' EXIT
fail=0
tik=00112233445566778899aabbccddeeff mnonce=0123456789abcdef0123456789abcdef

# measure --json: one result, a range, base64 with MEASURE, modules, another policy.
"$pvh" measure "$k32" --json >"$dir/m-one.json" || fail=1
"$pvh" measure "$k64" --json --smp 1-3 --tik $tik --mnonce $mnonce >"$dir/m-range.json" || fail=1
"$pvh" measure "$k32" --json --output-format base64 --tik $tik --mnonce $mnonce \
  >"$dir/m-b64.json" || fail=1
"$pvh" measure "$k64" --json --initrd "$k32" --module "$k64" --policy 0x7 --sev-init legacy \
  --cmdline "console=com1" --mem 1G >"$dir/m-mods.json" || fail=1
validate "$schemas" measure.schema.json "$dir"/m-*.json || fail=1

# Reports of runs that fail before any KVM call: status 125 and a report that says why.
echo "not an elf" >"$dir/text"
head -c 40 "$k32" >"$dir/truncated"
n=0
report_of_failure() { # report_of_failure ARGS...: runs pvh-sev run ARGS --report R
  n=$((n + 1))
  "$pvh" run "$@" --report "$dir/r-fail-$n.json" >/dev/null 2>&1; local st=$?
  if [ "$st" != 125 ] || [ ! -s "$dir/r-fail-$n.json" ]; then
    echo "FAIL: pvh-sev run $* --report: status $st, report $(wc -c <"$dir/r-fail-$n.json" 2>&1)"
    fail=1
  fi
}
report_of_failure "$dir/nonexistent"
report_of_failure "$dir/text"
report_of_failure "$dir/truncated"
report_of_failure "$dir"
report_of_failure "$k32" --initrd "$dir/missing"
report_of_failure "$k32" --sev off --strict
report_of_failure "$k32" --sev es --secret "$dir/missing" --secret-gpa 0x1000
validate "$schemas" launch-report.schema.json "$dir"/r-fail-*.json || fail=1

# --report -: the report of a failed run alone on stdout, valid too.
"$pvh" run "$dir/nonexistent" --report - >"$dir/r-stdout.json" 2>/dev/null
validate "$schemas" launch-report.schema.json "$dir/r-stdout.json" || fail=1

# Doctored documents the schemas must reject.
"$py" - "$dir" <<'PY' || fail=1
import json, sys, pathlib
d = pathlib.Path(sys.argv[1])
r = json.loads((d / "r-fail-1.json").read_text())
m = json.loads((d / "m-one.json").read_text())
bad = {
    "r-bad-noversion": {k: v for k, v in r.items() if k != "schema_version"},
    "r-bad-unknownkey": dict(r, surprise=1),
    "r-bad-ending": dict(r, ending="exploded"),
    "r-bad-vmmerror-status": dict(r, exit_status=0),
    "m-bad-ld": dict(m, ld="xyz"),
    "m-bad-missing-blobs": {k: v for k, v in m.items() if k != "blobs"},
}
for name, doc in bad.items():
    (d / f"{name}.json").write_text(json.dumps(doc))
PY
validate --invalid "$schemas" launch-report.schema.json "$dir"/r-bad-*.json || fail=1
validate --invalid "$schemas" measure.schema.json "$dir"/m-bad-*.json || fail=1
[ "$fail" = 0 ] && echo "ok: measure outputs and failed-run reports match the schemas"
exit $fail
