#!/usr/bin/env bash
# Boots hello with an initrd and two modules and checks each one's address order, size and CRC-32
# (the CRC comes from gzip's trailer, computed independently of the guest).
set -uo pipefail
pvh=$1; hello=$2; hello64=$3
here=$(dirname "$0")
[ -r /dev/kvm ] || { echo "SKIP: no /dev/kvm"; exit 77; }
dir=$(mktemp -d); trap 'rm -rf "$dir"' EXIT
head -c 5000 /dev/urandom >"$dir/initrd"
printf 'module one' >"$dir/m1"
head -c 70000 /dev/urandom >"$dir/m2"
crc() { printf '0x%08x' "0x$(gzip -c "$1" | tail -c 8 | head -c 4 | od -An -tx4 | tr -d ' ')"; }
args=(--expect "start_info: version=1 flags=0x[02]+ nr_modules=3")
i=0
for f in initrd m1 m2; do
  args+=(--expect "module\\[$i\\]: paddr=0x[0-9a-f]+000 size=$(stat -c %s "$dir/$f") crc32=$(crc "$dir/$f")")
  i=$((i + 1))
done
for k in "$hello" "$hello64"; do
  "$here/expect_run.sh" --needs-kvm --status 0 "${args[@]}" -- \
    "$pvh" run "$k" --initrd "$dir/initrd" --module "$dir/m1" --module "$dir/m2" \
    --cmdline console=debugcon || exit 1
done
