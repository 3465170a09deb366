#!/usr/bin/env bash
# Boots a PVH guest ELF under QEMU's microvm machine with KVM, the reference peer of pvh-sev.
# Guest output (COM1 and the 0xe9 debug console) goes to stdout, QEMU's own messages to stderr.
# The exit status is QEMU's: (value << 1) | 1 for a guest that wrote value to port 0xf4
# (isa-debug-exit), 0 if the guest reset the machine; --plain-exit turns it back into value.
#
# usage: run-under-qemu.sh [options] guest.elf [-- extra qemu arguments]
#   --cmdline STR     kernel command line (-append)
#   --initrd FILE     passed to the guest as PVH module 0
#   --mem SIZE        guest RAM (QEMU -m syntax), default 256
#   --smp N           vCPUs, default 1
#   --timeout SECS    kill QEMU after this long (exit 124), default 60
#   --plain-exit      exit with the value the guest wrote (its low 7 bits; QEMU's own failure
#                     status 1 reads as value 0, so check the output too), 1 for any other end
#   --print-cmd       print the QEMU command line (one word per line) instead of running it
#   --qemu PATH       QEMU binary, default $QEMU or qemu-system-x86_64
set -euo pipefail

usage() {
	sed -n '2,/^set -euo/p' "$0" | sed -e '$d' -e 's/^# \{0,1\}//' >&2
	exit 2
}

cmdline="" initrd="" mem=256 smp=1 timeout_s=60 plain=0 print=0
qemu=${QEMU:-qemu-system-x86_64}
while [ $# -gt 0 ]; do
	case $1 in
	--cmdline) cmdline=$2; shift 2 ;;
	--initrd) initrd=$2; shift 2 ;;
	--mem) mem=$2; shift 2 ;;
	--smp) smp=$2; shift 2 ;;
	--timeout) timeout_s=$2; shift 2 ;;
	--plain-exit) plain=1; shift ;;
	--print-cmd) print=1; shift ;;
	--qemu) qemu=$2; shift 2 ;;
	-h | --help) usage ;;
	--) break ;;
	-*) echo "run-under-qemu.sh: unknown option '$1'" >&2; usage ;;
	*) break ;;
	esac
done
[ $# -ge 1 ] || usage
guest=$1
shift
[ "${1:-}" = "--" ] && shift
[ -r "$guest" ] || { echo "run-under-qemu.sh: cannot read guest '$guest'" >&2; exit 2; }
if [ -n "$initrd" ] && [ ! -r "$initrd" ]; then
	echo "run-under-qemu.sh: cannot read initrd '$initrd'" >&2
	exit 2
fi

# One stdio chardev shared by COM1 and the debug console, so both reach stdout in order.
cmd=("$qemu" -M microvm -accel kvm -m "$mem" -smp "$smp"
	-display none -monitor none -no-reboot
	-chardev stdio,id=con,mux=on,signal=off -serial chardev:con
	-device isa-debugcon,iobase=0xe9,chardev=con
	-device isa-debug-exit,iobase=0xf4,iosize=4
	-kernel "$guest")
[ -n "$cmdline" ] && cmd+=(-append "$cmdline")
[ -n "$initrd" ] && cmd+=(-initrd "$initrd")
cmd+=("$@")

if [ "$print" = 1 ]; then
	printf '%s\n' "${cmd[@]}"
	exit 0
fi
if [ "$plain" = 0 ]; then
	exec timeout "$timeout_s" "${cmd[@]}" </dev/null
fi
status=0
timeout "$timeout_s" "${cmd[@]}" </dev/null || status=$?
if [ $((status & 1)) = 1 ]; then
	exit $((status >> 1))
fi
echo "run-under-qemu.sh: QEMU ended with status $status, not through the debug-exit port" >&2
exit 1
