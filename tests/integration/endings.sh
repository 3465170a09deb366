#!/usr/bin/env bash
# Every ending of a run has its own exit status and a line on stderr saying what happened.
set -uo pipefail
pvh=$1; guest=$2
here=$(dirname "$0")
[ -r /dev/kvm ] && [ -w /dev/kvm ] || { echo "SKIP: /dev/kvm is absent or not accessible"; exit 77; }
e() { "$here/expect_run.sh" --needs-kvm "$@" || exit $?; }
e --status 42 --expect "still running" -- "$pvh" run "$guest" --cmdline "end=exit"
e --status 124 --stderr "timeout" -- "$pvh" run "$guest" --cmdline "end=hang" --timeout 0.5
e --status 123 --stderr "triple fault" -- "$pvh" run "$guest" --cmdline "end=triple"
e --status 122 --stderr "i8042" -- "$pvh" run "$guest" --cmdline "end=reset"
e --status 120 --stderr "RIP 0x[0-9a-f]+.*bytes: f3 0f b8 01" -- \
  "$pvh" run "$guest" --cmdline "end=emufail"
# Without SEV-ES the same request is no GHCB call. kvm_amd passes the GHCB MSR through, and a
# VMGEXIT outside SEV-ES is a VMMCALL that KVM answers as a hypercall (host.md): the guest goes on
# and returns 42. Where the CPU has no such MSR (machine B), the WRMSR faults: a triple fault.
e --status "42|123" -- "$pvh" run "$guest" --cmdline "end=ghcbterm" --sev off
echo ok
