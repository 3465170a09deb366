#!/usr/bin/env bash
# The emulated SEV-ES launch against `pvh-sev measure`: the same LD for the same inputs, a
# different LD when (and only when) a measured input changes, the dumped blobs hash to LD, and
# the documented exit statuses.
set -uo pipefail
pvh=$1; hello=$2
[ -r /dev/kvm ] || { echo "SKIP: no /dev/kvm"; exit 77; }
dir=$(mktemp -d); trap 'rm -rf "$dir"' EXIT
head -c 9000 /dev/urandom >"$dir/initrd"
fail=0
bad() { echo "FAIL: $*"; fail=1; }
ld_of_report() { grep -o '"ld": "[0-9a-f]*"' "$1" | head -1 | cut -d'"' -f4; }
ld_of_measure() { "$pvh" measure "$hello" "$@" | sed -n 's/^ld: //p'; }

# run (emulated) and measure agree, for several configurations.
# Issue 9: measured bytes depend only on the command line and the files, never on the host:
# --smp 1, 4 and 64, each with an initrd and a command line, in whatever lane this runs.
configs=(
  "--smp 1 --cmdline exit=0 --initrd $dir/initrd"
  "--smp 4 --cmdline exit=0 --initrd $dir/initrd --policy 0x7 --sev-init legacy"
  "--smp 64 --cmdline console=debugcon --initrd $dir/initrd"
  "--smp 2 --initrd $dir/initrd --sev-init init2 --mem 64M"
)
for c in "${configs[@]}"; do
  # shellcheck disable=SC2086
  "$pvh" run "$hello" --sev emulated $c --report "$dir/r.json" --timeout 60 >/dev/null 2>&1
  # shellcheck disable=SC2086
  run_ld=$(ld_of_report "$dir/r.json"); m_ld=$(ld_of_measure $c)
  [ -n "$run_ld" ] && [ "$run_ld" = "$m_ld" ] || bad "config '$c': run LD '$run_ld' != measure LD '$m_ld'"
done

# LD follows the measured inputs and nothing else.
base=$(ld_of_measure --cmdline a)
[ "$base" != "$(ld_of_measure --cmdline b)" ] || bad "command line change kept LD"
[ "$base" != "$(ld_of_measure --cmdline a --smp 2)" ] || bad "vCPU count change kept LD"
[ "$base" != "$(ld_of_measure --cmdline a --sev-init legacy)" ] || bad "init path change kept LD"
[ "$base" != "$(ld_of_measure --cmdline a --initrd "$dir/initrd")" ] || bad "initrd kept LD"
[ "$base" = "$(ld_of_measure --cmdline a --policy 0x7)" ] || bad "policy changed LD (only MEASURE)"
[ "$base" = "$(ld_of_measure --cmdline a)" ] || bad "LD not deterministic"
[ "$base" != "$(ld_of_measure --cmdline a --mem 1G)" ] || bad "RAM size (the measured memmap) kept LD"

# The dumped blobs, concatenated in index order, hash to LD (run and measure alike).
"$pvh" run "$hello" --sev emulated --smp 3 --cmdline exit=0 --dump-launch "$dir/run" \
  --report "$dir/r3.json" >/dev/null 2>&1
sum=$(cat "$dir"/run/*.bin | sha256sum | cut -d' ' -f1)
[ "$sum" = "$(ld_of_report "$dir/r3.json")" ] || bad "run --dump-launch blobs hash to $sum"
"$pvh" measure "$hello" --smp 3 --cmdline exit=0 --dump-launch "$dir/m" >/dev/null
if ! cmp -s <(cd "$dir/run" && sha256sum ./*.bin) <(cd "$dir/m" && sha256sum ./*.bin); then
  bad "measure and run dumped different blobs:" \
    "$(diff <(cd "$dir/run" && sha256sum ./*.bin) <(cd "$dir/m" && sha256sum ./*.bin) | tr '\n' ' ')"
fi

# run --dump-vmsa writes the same VMSA pages measure predicts, and they are the launch's blobs.
"$pvh" run "$hello" --sev emulated --smp 2 --cmdline exit=0 --dump-vmsa "$dir/rv" >/dev/null 2>&1
"$pvh" measure "$hello" --smp 2 --cmdline exit=0 --dump-vmsa "$dir/mv" >/dev/null
for i in 0 1; do
  cmp -s "$dir/rv/vmsa-vcpu$i.bin" "$dir/mv/vmsa-vcpu$i.bin" || bad "VMSA of vCPU $i differs between run and measure"
done

# MEASURE needs TIK and MNONCE; --smp A-B prints one digest per count; exit statuses.
out=$("$pvh" measure "$hello" --tik 00112233445566778899aabbccddeeff --mnonce 0f0e0d0c0b0a09080706050403020100)
grep -q '^measure: [0-9a-f]\{64\}' <<<"$out" || bad "no MEASURE line: $out"
n=$("$pvh" measure "$hello" --smp 1-4 | grep -c '^ld: ')
[ "$n" = 4 ] || bad "--smp 1-4 printed $n digests"
"$pvh" measure "$dir/initrd" >/dev/null 2>&1; st=$?
[ "$st" = 3 ] || bad "measure of a non-ELF: status $st, expected 3"
"$pvh" measure "$hello" --tik 12 >/dev/null 2>&1; st=$?
[ "$st" = 2 ] || bad "measure with a bad --tik: status $st, expected 2"
"$pvh" measure "$hello" --json | grep -q '"ld"' || bad "measure --json has no ld"

# --expect-ld: 0 on a match, 1 on a mismatch, 2 for malformed hex.
ld=$(ld_of_measure --cmdline a)
"$pvh" measure "$hello" --cmdline a --expect-ld "$ld" >/dev/null 2>&1 || bad "--expect-ld of its own LD failed"
"$pvh" measure "$hello" --cmdline b --expect-ld "$ld" >/dev/null 2>&1; st=$?
[ "$st" = 1 ] || bad "--expect-ld mismatch: status $st, expected 1"
"$pvh" measure "$hello" --expect-ld xyz >/dev/null 2>&1; st=$?
[ "$st" = 2 ] || bad "--expect-ld malformed: status $st, expected 2"

# A LAUNCH_SECRET packet (52-byte header + 32 bytes) goes through the emulated launch; it is
# refused with a clear line when malformed or outside RAM, and in off mode.
head -c 84 /dev/urandom >"$dir/secret"
"$pvh" run "$hello" --sev emulated --secret "$dir/secret" --secret-gpa 0x200000 \
  --cmdline exit=0 --report "$dir/s.json" >/dev/null 2>&1 || bad "run with --secret failed"
grep -q '"secret"' "$dir/s.json" || bad "the report has no secret step"
head -c 60 /dev/urandom >"$dir/badsecret"
for args in "--secret $dir/badsecret --secret-gpa 0x200000" "--secret $dir/secret" \
            "--secret $dir/secret --secret-gpa 0x7ff000000" \
            "--secret $dir/secret --secret-gpa 0x200ff0"; do
  # shellcheck disable=SC2086
  "$pvh" run "$hello" --sev emulated $args >/dev/null 2>"$dir/err"; st=$?
  [ "$st" = 125 ] && grep -q -- "--secret" "$dir/err" || bad "$args: status $st, $(cat "$dir/err")"
done

# Hardware SEV-ES where there is none: one line naming what is missing.
if ! [ -e /dev/sev ]; then
  "$pvh" run "$hello" --sev es 2>"$dir/err" >/dev/null; st=$?
  [ "$st" = 125 ] && grep -q "/dev/sev" "$dir/err" || bad "--sev es without hardware: $st $(cat "$dir/err")"
fi
exit $fail
