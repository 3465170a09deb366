#!/usr/bin/env bash
# Fails if a guest ELF contains instructions this project's test host cannot emulate
# (docs/examples.md, design/host.md): SSE/MMX/x87 register use, popcnt, rdtscp, rdrand, xgetbv,
# int n/int3, 32-bit iret, CET endbr, and anything objdump cannot decode.
# The code between __text32_start and __text32_end (the 32-bit entry code, first in .text) is
# disassembled as 32-bit code, the rest in the ELF's own mode.
# usage: check-guest-insns.sh guest.elf...
set -euo pipefail

deny_mnemonic='^(f[a-z0-9]*|popcnt|rdtscp|rdrand|rdseed|xgetbv|xsetbv|xsave[a-z0-9]*'
deny_mnemonic+='|xrstor[a-z0-9]*|int|int1|int3|into|iret|iretl|iretw|endbr32|endbr64|movbe'
deny_mnemonic+='|crc32[a-z]*|\(bad\))$'
deny_operand='%(x|y|z)mm[0-9]|%mm[0-9]|%st'

# disasm ELF MODE [START STOP]: "address<TAB>mnemonic operands" lines.
disasm() {
	local range=()
	[ $# -eq 4 ] && range=(--start-address="$3" --stop-address="$4")
	objdump -d --no-show-raw-insn -M "$2" "${range[@]}" "$1" |
		awk -F'\t' 'NF >= 2 && $1 ~ /:$/ {print $1 "\t" $2}'
}

symbol() {
	nm "$1" | awk -v s="$2" '$3 == s {print "0x" $1}'
}

check() {
	local elf=$1 mode start end
	if readelf -h "$elf" | grep -q 'Class:.*ELF64'; then mode=x86-64; else mode=i386; fi
	start=$(symbol "$elf" __text32_start)
	end=$(symbol "$elf" __text32_end)
	if [ -z "$start" ] || [ -z "$end" ]; then
		echo "$elf: no __text32_start/__text32_end (not linked by lib/guest.ld?)" >&2
		return 1
	fi
	{
		disasm "$elf" i386 "$start" "$end"
		if [ "$mode" = x86-64 ]; then
			disasm "$elf" x86-64 "$end" 0xffffffffffffffff
		else
			disasm "$elf" i386 "$end" 0xffffffff
		fi
	} | awk -F'\t' -v m="$deny_mnemonic" -v o="$deny_operand" -v elf="$elf" '
		{
			split($2, w, " ")
			if (w[1] ~ m || $2 ~ o) { print elf ": " $1 " " $2; bad++ }
			n++
		}
		END {
			if (n == 0) { print elf ": nothing disassembled"; exit 1 }
			if (bad) { print elf ": " bad " instruction(s) KVM cannot emulate"; exit 1 }
			print elf ": " n " instructions checked, none forbidden"
		}'
}

[ $# -ge 1 ] || { echo "usage: $0 guest.elf..." >&2; exit 2; }
status=0
for elf in "$@"; do
	check "$elf" || status=1
done
exit $status
