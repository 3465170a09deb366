#!/bin/sh
# Instruction audit of the AP entry stub (docs/smp.md): disassembles each part in the mode it
# runs in (16-bit: pm16..real_mode_idtr, 64-bit: long64..fail, the rest 32-bit) and fails on
# any instruction that can raise #VC under SEV-ES or that this host's KVM cannot emulate, on
# an MSR access not directly preceded by "mov $0xc0010130/$0xc0000080,%ecx", and on
# relocations (the stub must be position-fixed data with nothing left to link).
set -eu
obj=$1
[ -s "$obj" ] || { echo "audit: $obj missing or empty"; exit 1; }
if [ -n "$(objdump -r "$obj" | sed -n '/^[0-9a-f]\{8\} /p')" ]; then
	echo "audit: the stub has relocations"; exit 1
fi
sym() { nm "$obj" | awk -v s="$1" '$3 == s { print "0x" $1 }'; }
end=$(sym ap_stub_end); l64=$(sym long64); fail=$(sym fail); p16=$(sym pm16); idt=$(sym real_mode_idtr)
for s in "$end" "$l64" "$fail" "$p16" "$idt"; do [ -n "$s" ] || { echo "audit: symbol missing"; exit 1; }; done
dis() { objdump -d --no-show-raw-insn -M "$1" --start-address="$2" --stop-address="$3" "$obj" |
	sed -n 's/^ *[0-9a-f]*:[[:space:]]*//p'; }
{ dis i386 0 "$l64"; dis x86-64 "$l64" "$fail"; dis i386 "$fail" "$p16"; dis i8086 "$p16" "$idt"; } >"$obj.audit"
bad=$(grep -E '^(cpuid|in |inl|inb|inw|out|ins|outs|int|into|iret|rdtsc|rdpmc|wbinvd|invd|monitor|mwait|vmmcall|vmcall|xsetbv|xgetbv|pause|rdrand|rdseed|\(bad\))' "$obj.audit" || true)
bad=$bad$(grep -E '%db[0-7]|%dr[0-7]' "$obj.audit" || true)
if [ -n "$bad" ]; then echo "audit: forbidden instructions:"; echo "$bad"; exit 1; fi
# Every rdmsr/wrmsr right after a mov of an allowed MSR number into ECX.
awk '/^(rdmsr|wrmsr)/ { if (prev !~ /^mov +\$0x(c0010130|c0000080),%ecx/) { print "audit: " $0 " after: " prev; bad = 1 } }
     { prev = $0 } END { exit bad }' "$obj.audit"
n=$(grep -c -E '^(rdmsr|wrmsr)' "$obj.audit")
g=$(grep -c -E '^(vmgexit|rep vmmcall)' "$obj.audit" || true)
h=$(grep -c '^hlt' "$obj.audit" || true)
# SEV_INFO request, MSR-protocol AP reset hold (v2), AP_HLT_LOOP through the GHCB page (v1).
[ "$g" -eq 3 ] || { echo "audit: expected three VMGEXITs, found $g"; exit 1; }
[ "$h" -eq 1 ] || { echo "audit: expected one HLT (off-mode idle), found $h"; exit 1; }
size=$(($(sym ap_stub_end)))
[ "$size" -gt 0 ] && [ "$size" -le 4096 ] || { echo "audit: stub size $size outside 1..4096"; exit 1; }
echo "audit: ok: $size bytes, $n MSR accesses (GHCB/EFER only), 3 VMGEXITs, 1 HLT"
