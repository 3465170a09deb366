#!/usr/bin/env bash
# Integration test: ptmask64 (the 64-bit page-table hook) under QEMU microvm with KVM: it must
# print "ptmask64: ok" and exit 0, which QEMU reports as 1. Exits 77 without /dev/kvm or QEMU.
# usage: test-ptmask64-qemu.sh ptmask64.elf
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
qemu=${QEMU:-qemu-system-x86_64}

if [ ! -r /dev/kvm ] || [ ! -w /dev/kvm ]; then echo "SKIP: no usable /dev/kvm"; exit 77; fi
if ! command -v "$qemu" >/dev/null; then echo "SKIP: $qemu not installed"; exit 77; fi

status=0
out=$("$here/run-under-qemu.sh" --timeout 30 "$1" 2>&1) || status=$?
echo "$out"
if [ "$status" != 1 ] || ! grep -qx 'ptmask64: ok' <<<"$out"; then
	echo "FAIL: QEMU exit status $status (want 1) or no 'ptmask64: ok' line"
	exit 1
fi
echo "PASS: $1"
