#!/bin/sh
# Instruction audit of the BSP pre-stub (docs/smp.md): all 32-bit code; fails on any
# instruction that can raise #VC under SEV-ES or that this host's KVM cannot emulate, on an MSR
# access not directly preceded by "mov $0xc0010130/$0xc0000080,%ecx" (GHCB MSR and EFER), on
# relocations, and on a VMGEXIT count other than two (the SET and the termination request).
set -eu
obj=$1
[ -s "$obj" ] || { echo "audit: $obj missing or empty"; exit 1; }
if [ -n "$(objdump -r "$obj" | sed -n '/^[0-9a-f]\{8\} /p')" ]; then
	echo "audit: the pre-stub has relocations"; exit 1
fi
end=$(nm "$obj" | awk '$3 == "bsp_prestub_end" { print "0x" $1 }')
[ -n "$end" ] || { echo "audit: symbol bsp_prestub_end missing"; exit 1; }
objdump -d --no-show-raw-insn -M i386 --stop-address="$end" "$obj" |
	sed -n 's/^ *[0-9a-f]*:[[:space:]]*//p' >"$obj.audit"
bad=$(grep -E '^(cpuid|in |inl|inb|inw|out|ins|outs|int|into|iret|hlt|rdtsc|rdpmc|wbinvd|invd|monitor|mwait|vmmcall|vmcall|xsetbv|xgetbv|pause|rdrand|rdseed|\(bad\))' "$obj.audit" || true)
bad=$bad$(grep -E '%db[0-7]|%dr[0-7]' "$obj.audit" || true)
if [ -n "$bad" ]; then echo "audit: forbidden instructions:"; echo "$bad"; exit 1; fi
awk '/^(rdmsr|wrmsr)/ { if (prev !~ /^mov +\$0x(c0010130|c0000080),%ecx/) { print "audit: " $0 " after: " prev; bad = 1 } }
     { prev = $0 } END { exit bad }' "$obj.audit"
n=$(grep -c -E '^(rdmsr|wrmsr)' "$obj.audit")
g=$(grep -c -E '^(vmgexit|rep vmmcall)' "$obj.audit" || true)
[ "$g" -eq 2 ] || { echo "audit: expected two VMGEXITs, found $g"; exit 1; }
size=$(($end))
[ "$size" -gt 0 ] && [ "$size" -le 1280 ] || { echo "audit: pre-stub size $size outside 1..1280"; exit 1; }
echo "audit: ok: $size bytes, $n MSR accesses (GHCB/EFER only), 2 VMGEXITs"
