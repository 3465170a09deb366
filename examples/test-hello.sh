#!/usr/bin/env bash
# Integration test: boots the hello guest (either flavour) under QEMU microvm with KVM, or under
# pvh-sev with --debug-exit=qemu (the same exit statuses), and checks what it printed against
# what the VMM handed it: command line, a module (the initrd) with its size and CRC-32 (computed
# here independently, from gzip's trailer), both consoles, exit statuses.
# Exits 77 (skipped) without /dev/kvm or the VMM.
# usage: test-hello.sh hello.elf "32-bit protected mode"|"64-bit long mode" \
#                      [qemu | PVH-SEV-BINARY [off|emulated]]
# Under pvh-sev --sev=emulated, start_info must carry SIF_HVM_GHCB (flags=0x20, ghcb=yes).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
elf=$1 mode=$2 runner=${3:-qemu} sev=${4:-off}
flags=0x0 ghcb=no
if [ "$runner" != qemu ] && [ "$sev" != off ]; then flags=0x20 ghcb=yes; fi
qemu=${QEMU:-qemu-system-x86_64}

if [ ! -r /dev/kvm ] || [ ! -w /dev/kvm ]; then echo "SKIP: no usable /dev/kvm"; exit 77; fi
if [ "$runner" = qemu ]; then
	command -v "$qemu" >/dev/null || { echo "SKIP: $qemu not installed"; exit 77; }
else
	[ -x "$runner" ] || { echo "SKIP: no pvh-sev binary at $runner"; exit 77; }
fi

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
failures=0

# A 3000-byte initrd whose content depends on every byte position.
for i in $(seq 0 299); do printf '%09d\n' $((i * 7919)); done >"$tmp/initrd"
size=$(stat -c %s "$tmp/initrd")
crc=$(gzip -c <"$tmp/initrd" | tail -c 8 | head -c 4 | od -An -tx4 | tr -d ' \n')

# run [--cmdline S] [--initrd F]: boots $elf with the chosen VMM, QEMU's exit encoding.
run() {
	if [ "$runner" = qemu ]; then
		"$here/run-under-qemu.sh" --timeout 30 "$@" "$elf"
	else
		"$runner" run "$elf" --sev "$sev" --debug-exit qemu --timeout 30 "$@"
	fi
}

# boot NAME EXPECTED_STATUS [--cmdline S] [--initrd F]: output in $tmp/NAME.out
boot() {
	local name=$1 want=$2 status=0
	shift 2
	run "$@" >"$tmp/$name.out" 2>"$tmp/$name.err" || status=$?
	if [ "$status" != "$want" ]; then
		echo "FAIL $name: QEMU exit status $status, expected $want"
		failures=$((failures + 1))
	fi
}

# expect NAME REGEX: the output of boot NAME has a line matching REGEX (extended, whole line).
expect() {
	if ! grep -qxE -- "$2" "$tmp/$1.out"; then
		echo "FAIL $1: no line matching: $2"
		failures=$((failures + 1))
	fi
}

show() {
	echo "--- $1 output:"
	cat "$tmp/$1.out"
	echo "--- $1 stderr:"
	cat "$tmp/$1.err"
}

# 1. COM1, a command line and an initrd; exit=3 becomes (3 << 1) | 1.
boot com1 7 --cmdline "exit=3 marker=pvh-sev" --initrd "$tmp/initrd"
expect com1 "hello: pvh example guest, $mode"
expect com1 'start_info: magic=0x336ec578 ok'
expect com1 "start_info: version=1 flags=$flags nr_modules=1 rsdp=0x[0-9a-f]+"
expect com1 "start_info: ghcb=$ghcb"
expect com1 'cmdline: exit=3 marker=pvh-sev'
expect com1 'memmap: paddr=0x[0-9a-f]+ entries=[1-9][0-9]*'
expect com1 'memmap\[0\]: addr=0x0 size=0x[0-9a-f]+ type=1'
expect com1 'memmap\[[0-9]+\]: addr=0x100000 size=0x[0-9a-f]+ type=1'
expect com1 "module\\[0\\]: paddr=0x[0-9a-f]+ size=$size crc32=0x$crc cmdline=.*"
expect com1 'exit: 3'

# 2. The debug console, no module, a hex exit status: 0x10 becomes 33.
boot debugcon 33 --cmdline "console=debugcon exit=0x10"
expect debugcon "hello: pvh example guest, $mode"
expect debugcon "start_info: version=1 flags=$flags nr_modules=0 rsdp=0x[0-9a-f]+"
expect debugcon 'cmdline: console=debugcon exit=0x10'
expect debugcon 'exit: 16'
if grep -q '^module' "$tmp/debugcon.out"; then
	echo "FAIL debugcon: a module was listed though none was given"
	failures=$((failures + 1))
fi

# 3. A malformed option is reported and ends with status 251: (251 << 1 | 1) & 0xff = 247.
boot bad 247 --cmdline "exit=12x"
expect bad 'cmdline: malformed option .*'
expect bad 'exit: 251'

if [ "$failures" != 0 ]; then
	for n in com1 debugcon bad; do show $n; done
	echo "$failures check(s) failed for $elf"
	exit 1
fi
echo "PASS: $elf under $runner${3:+ (sev=$sev)} (3 boots)"
