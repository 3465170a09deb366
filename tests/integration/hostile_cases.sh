#!/usr/bin/env bash
# The hostile guest's named cases (examples/hostile.c case=NAME): each run must end with the
# status and the messages docs/reliability.md ("Hostile guests") documents for it, never a
# VMM error, a crash or a hang (every run is bounded by --timeout and by expect_run's timeout).
#   hostile_cases.sh PVH GUEST ghcb|vcpus|endings
set -uo pipefail
pvh=$1; guest=$2; group=$3
here=$(dirname "$0")
[ -r /dev/kvm ] && [ -w /dev/kvm ] || { echo "SKIP: /dev/kvm is absent or not accessible"; exit 77; }
fail=0

# run STATUS "pvh-sev options" "cmdline" [LINE]... : LINEs are literal stdout lines ("part:" in
# front: a literal part of a stdout line; "err:": of a stderr line).
run() {
  local status=$1 opts=$2 cmdline=$3; shift 3
  local args=() l
  for l in "$@"; do
    local re
    re=$(printf '%s' "${l#*:}" | sed 's/[][\.*^$()+?{}|/]/\\&/g')
    case $l in
      err:*) args+=(--stderr "$re") ;;
      part:*) args+=(--expect "$re") ;;
      *) re=$(printf '%s' "$l" | sed 's/[][\.*^$()+?{}|/]/\\&/g'); args+=(--expect "^$re\$") ;;
    esac
  done
  # shellcheck disable=SC2086
  "$here/expect_run.sh" --needs-kvm --timeout 120 --status "$status" "${args[@]}" \
    -- "$pvh" run "$guest" --timeout 60 $opts --cmdline "$cmdline" || fail=1
}

ghcb() {
  local h=hostile E="--sev emulated" L="--sev emulated --sev-init legacy"
  run 0 "$E" "case=ghcb-gpa" \
    "$h: ghcb-gpa: last page of RAM -> served, MSR kept" \
    "$h: ghcb-gpa: first page past RAM -> resumed, MSR kept" \
    "$h: ghcb-gpa: IOAPIC page -> resumed, MSR kept" \
    "$h: ghcb-gpa: last page below 4 GiB -> resumed, MSR kept" \
    "$h: ghcb-gpa: last page of 52-bit space -> resumed, MSR kept" \
    "$h: ghcb-gpa: last page of 64-bit space -> resumed, MSR kept" \
    "$h: ghcb-gpa: RAM page with the C-bit -> served, MSR kept" \
    "$h: ghcb-gpa: GPA 0 -> resumed, MSR kept"
  # The edges move with --mem: RAM ending at 48 MiB
  run 0 "$E --mem 48M" "case=ghcb-gpa" \
    "part:$h: ghcb-gpa: RAM ends at 0x3000000, C-bit " \
    "$h: ghcb-gpa: last page of RAM -> served, MSR kept" \
    "$h: ghcb-gpa: first page past RAM -> resumed, MSR kept"
  local v2=(
    "$h: scratch: GHCB version 2"
    "$h: scratch: in the shared buffer -> 0/0"
    "$h: scratch: ending at the shared buffer's end -> 0/0"
    "$h: scratch: crossing the shared buffer's end -> 2/3"
    "$h: scratch: ending at the end of RAM -> 2/3"
    "$h: scratch: crossing the end of RAM -> 2/3"
    "$h: scratch: past the end of RAM -> 2/3"
    "$h: scratch: wrapping past 2^64 -> 2/3"
    "$h: scratch: at GPA 0 -> 2/3"
    "$h: scratch: string IN of 16 pages + 1 byte -> 2/3")
  run 0 "$E" "case=scratch" "${v2[@]}"
  run 0 "$L" "case=scratch" \
    "$h: scratch: GHCB version 1" \
    "$h: scratch: in the shared buffer -> 0/0" \
    "$h: scratch: ending at the shared buffer's end -> 0/0" \
    "$h: scratch: crossing the shared buffer's end -> 2/3" \
    "$h: scratch: ending at the end of RAM -> 0/0" \
    "$h: scratch: crossing the end of RAM -> 2/3" \
    "$h: scratch: past the end of RAM -> 2/3" \
    "$h: scratch: wrapping past 2^64 -> 2/3" \
    "$h: scratch: at GPA 0 -> 2/3" \
    "$h: scratch: string IN of 16 pages + 1 byte -> 2/3"
  local strings=(
    "$h: lengths: string OUT of 2^31-1 bytes -> 2/3"
    "$h: lengths: string OUT of 2^31 bytes -> 2/5"
    "$h: lengths: string OUT of 2^32-1 bytes -> 2/5"
    "$h: lengths: string OUT of 2^30 dwords -> 2/3"
    "$h: lengths: string OUT of 2^64-1 bytes -> 2/5"
    "$h: lengths: OUT of size 0 -> 2/5")
  run 0 "$E" "case=lengths" "${strings[@]}" \
    "$h: lengths: MMIO read of 9 bytes -> 2/5" \
    "$h: lengths: MMIO read of 2^32-1 bytes -> 2/5" \
    "$h: lengths: MMIO read of 2^32 bytes -> 2/5" \
    "$h: lengths: MMIO write of 2^64-1 bytes -> 2/5" \
    "$h: lengths: MMIO read of 2^63 bytes -> 2/5" \
    "$h: lengths: MMIO read at 2^64-4, 8 bytes -> 0/0"
  run 0 "$L" "case=lengths" "${strings[@]}" \
    "$h: lengths: MMIO read of 9 bytes -> 0/0" \
    "$h: lengths: MMIO read of 2^32-1 bytes -> 2/3" \
    "$h: lengths: MMIO read of 2^32 bytes -> 2/3" \
    "$h: lengths: MMIO write of 2^64-1 bytes -> 2/5" \
    "$h: lengths: MMIO read of 2^63 bytes -> 2/3" \
    "$h: lengths: MMIO read at 2^64-4, 8 bytes -> 0/0"
  local c events=()
  for c in "SNP page state change" "SNP guest request" "SNP extended guest request" \
    "SNP AP creation"; do events+=("$h: events: $c -> 2/4"); done
  for c in 0x80000014 0x8000fffc 0x12345678 0x100000072 2^64-1; do
    events+=("$h: events: exit code $c -> 2/6")
  done
  for c in 003 016 018 0ff 101 fff; do events+=("$h: events: MSR request 0x$c -> MSR kept"); done
  run 0 "$E" "case=events" "${events[@]}"
  run 0 "$L" "case=events" "${events[@]}"
}

vcpus() {
  local h=hostile m
  for m in off emulated; do
    run 0 "--sev $m --smp 5" "case=slots" \
      "$h: slots: all-ones context -> doorbell 0, state 3, reason 1" \
      "$h: slots: all-zero context -> doorbell 0, state 3, reason 2" \
      "$h: slots: state 0x5a5a5a5a -> doorbell 0, AP 3 never ran, state 0x5a5a5a5a" \
      "$h: slots: start AP 4 -> 0, running"
    local common=(
      "$h: doorbells: missing vCPU 5 -> 1"
      "$h: doorbells: missing vCPU 6 -> 1"
      "$h: doorbells: missing vCPU 255 -> 1"
      "$h: doorbells: missing vCPU 256 -> 1"
      "$h: doorbells: missing vCPU 2147483648 -> 1"
      "$h: doorbells: missing vCPU 4294967295 -> 1"
      "$h: doorbells: BSP -> 3 (100 of 100 the same)"
      "$h: doorbells: start AP 1 -> 0, running"
      "$h: doorbells: running AP 1 -> 2 (1000 of 1000 the same)"
      "$h: doorbells: 2-byte OUT -> 5"
      "$h: doorbells: start AP 2 -> 0, running"
      "$h: doorbells: stopped AP 3, slot not requested -> 0")
    if [ $m = off ]; then
      run 0 "--sev $m --smp 5" "case=doorbells" "${common[@]}" \
        "$h: doorbells: halted AP 2 -> 2 (100 of 100 the same)"
      run 0 "--sev $m --smp 5" "case=init-storm" \
        "$h: init-storm: start AP 1 -> 0, running" \
        "$h: init-storm: start AP 2 -> 0, running" \
        "$h: init-storm: 3100 INITs sent" \
        "$h: init-storm: doorbell AP 1 -> 2, AP 2 -> 2" \
        "$h: init-storm: start AP 3 -> 2, not started" \
        "$h: init-storm: start AP 4 -> 2, not started"
    else
      run 0 "--sev $m --smp 5" "case=doorbells" "${common[@]}" \
        "$h: doorbells: parked AP 2 woken 50 of 50 times"
      run 0 "--sev $m --smp 5" "case=init-storm" \
        "$h: init-storm: start AP 1 -> 0, running" \
        "$h: init-storm: start AP 2 -> 0, running" \
        "$h: init-storm: 3100 INITs sent" \
        "$h: init-storm: doorbell AP 1 -> 2, AP 2 -> 0" \
        "$h: init-storm: start AP 3 -> 0, running" \
        "$h: init-storm: start AP 4 -> 0, running"
    fi
  done
}

endings() {
  local h=hostile m r
  for m in off emulated; do
    run 9 "--sev $m --smp 4" "case=exit-flood" "$h: exit-flood: 4 vCPUs write 9 to port 0xf4"
    run 123 "--sev $m --smp 2" "case=ap-triple" "$h: ap-triple: AP 1 faults with no IDT" \
      "err:vCPU 1: shutdown (triple fault) (exit status 123)"
  done
  run 19 "--sev off --smp 8 --debug-exit qemu" "case=exit-flood" \
    "$h: exit-flood: 8 vCPUs write 9 to port 0xf4"
  for m in off emulated; do
    # expect_run's own bound is 120 s: a VMM that ignored --timeout would fail here
    run 124 "--sev $m --smp 4 --timeout 1.5" "case=spin" "$h: spin: 4 vCPUs loop for ever" \
      "err:timeout after 1.5 s (vCPUs running 0-3) (exit status 124)"
  done
  for r in 0x010 0x012 0x014; do
    run 121 "--sev emulated" "case=msr-snp req=$r" "$h: msr-snp: MSR request $r" \
      "err:vCPU 0: guest termination request (reason set 0, code 0; SNP-only GHCB MSR request from an SEV-ES guest) (exit status 121)"
  done
}

case $group in
  ghcb|vcpus|endings) $group ;;
  *) echo "hostile_cases.sh: unknown group '$group'" >&2; exit 2 ;;
esac
((fail)) || echo ok
exit $fail
