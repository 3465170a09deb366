#!/usr/bin/env bash
# pvh-sev check on this host (native, needs nothing): every line is pass/fail/skip, a failing
# line says what to do, the exit status matches the verdict, --json validates against
# docs/schemas/check.schema.json. Where SEV-ES hardware is missing (every host of this project)
# it must say so: the sev-auto line fails and the exit status is 1.
#   check.sh PVH SCHEMA_DIR PYTHON
set -uo pipefail
pvh=$1 schemas=$2 python=$3
here=$(cd "$(dirname "$0")" && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*"; exit 1; }

"$pvh" check >"$tmp/text" 2>"$tmp/err"
rc=$?
cat "$tmp/text"
[[ $rc == 0 || $rc == 1 ]] || fail "exit status $rc, expected 0 or 1"
[[ -s $tmp/err ]] && fail "stderr not empty: $(cat "$tmp/err")"
grep -Evq '^(pass|fail|skip)  |^      +-> |^SEV-ES hardware guests' "$tmp/text" &&
	fail "a line is neither a check nor a remedy: $(grep -Ev '^(pass|fail|skip)  |^      +-> |^SEV-ES' "$tmp/text" | head -1)"
for name in kernel dev-kvm param-sev-es vm-types dev-sev sev-platform ghcb-version sev-auto; do
	grep -Eq "^(pass|fail|skip)  $name " "$tmp/text" || fail "no '$name' line"
done
# Every failing check says what to do.
awk '/^fail/ {f=1; next} f && !/->/ {exit 1} {f=0} END {exit f}' "$tmp/text" ||
	fail "a failing check has no remedy line"
if [[ ! -e /dev/sev ]]; then
	grep -q '^fail  dev-sev ' "$tmp/text" || fail "/dev/sev is absent but dev-sev does not fail"
	grep -q '^fail  sev-auto .*emulated' "$tmp/text" || fail "sev-auto should say emulated"
	[[ $rc == 1 ]] || fail "no /dev/sev but exit status $rc"
fi
if [[ ! -e /dev/kvm ]]; then
	grep -q '^fail  dev-kvm ' "$tmp/text" || fail "/dev/kvm is absent but dev-kvm does not fail"
fi

"$pvh" check --json >"$tmp/check.json"
jrc=$?
[[ $jrc == "$rc" ]] || fail "--json exit status $jrc, text $rc"
"$python" "$here/../pkg/validate_json.py" "$schemas" check.schema.json "$tmp/check.json" ||
	fail "--json does not validate"
"$pvh" check extra >/dev/null 2>"$tmp/err" && fail "check with an argument succeeded"
grep -q "check: unexpected argument 'extra'" "$tmp/err" || fail "bad argument message: $(cat "$tmp/err")"
echo "PASS: pvh-sev check (exit $rc)"
