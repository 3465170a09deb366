#!/usr/bin/env bash
# Bad input ends with status 125 and one clear line on stderr naming the problem: never a crash.
set -uo pipefail
pvh=$1; hello=$2
dir=$(mktemp -d); trap 'rm -rf "$dir"' EXIT
echo "not an elf" >"$dir/text"
head -c 40 "$hello" >"$dir/truncated"
long=$(head -c 5000 /dev/zero | tr '\0' 'a')
fail=0
check() { # check REGEX ARGS...
  local re=$1; shift
  "$pvh" "$@" >/dev/null 2>"$dir/err"; local st=$?
  if [ "$st" != 125 ] || ! grep -Eq -- "$re" "$dir/err" || [ "$(wc -l <"$dir/err")" -gt 2 ]; then
    echo "FAIL: pvh-sev $* -> status $st, stderr: $(head -c 300 "$dir/err")"; fail=1
  fi
}
check "nonexistent" run "$dir/nonexistent"
check "text.*(not an ELF|ELF)" run "$dir/text"
check "truncated" run "$dir/truncated"
check "directory|Is a directory" run "$dir"
check "command line" run "$hello" --cmdline "$long"
check "--mem" run "$hello" --mem 1K
check "unknown option" run "$hello" --frobnicate
check "initrd|missing" run "$hello" --initrd "$dir/missing"
check "--strict" run "$hello" --sev off --strict
check "unknown command" boot "$hello"
exit $fail
