#!/usr/bin/env bash
# Linux's own SEV-ES code as the GHCB client (--sev emulated, --smp 4): it finds itself an
# SEV-ES guest, GETs the AP jump table and starts its APs through it; then /init (a second
# initramfs, acting on pvh_cpu_cycle=N on its command line) takes CPU N offline, which parks it
# in AP reset hold (AP_HLT_LOOP), and back online, which releases it with INIT-SIPI. The
# VMM's -v log must show each of those events, and the run ends by ACPI power-off (status 0).
# With "legacy": --sev-init legacy (GHCB version 1, KVM before 6.10's answers); Linux's own
# offline park is the AP_HLT_LOOP event either way, and the log must say so.
# Usage: linux_cpu_cycle.sh PVH_SEV [legacy]
set -uo pipefail
pvh=$1
init=(); [ "${2:-}" = legacy ] && init=(--sev-init legacy)
. "$(dirname "$0")/linux_initramfs.sh"
linux_need_fixture
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

cat >"$work/init" <<'EOF'
#!/bin/sh
export PATH=/bin
mount -t proc proc /proc
mount -t sysfs sysfs /sys
cpu=
for a in $(cat /proc/cmdline); do
  case "$a" in pvh_cpu_cycle=*) cpu=${a#pvh_cpu_cycle=} ;; esac
done
if [ -n "$cpu" ]; then
  f=/sys/devices/system/cpu/cpu$cpu/online
  echo 0 >"$f" && echo "PVH-CPU-OFF cpu$cpu online=$(cat /sys/devices/system/cpu/online)"
  echo 1 >"$f" && echo "PVH-CPU-ON cpu$cpu online=$(cat /sys/devices/system/cpu/online)"
fi
echo "PVH-INIT-OK cpus=$(nproc) online=$(cat /sys/devices/system/cpu/online)"
poweroff -f
EOF
linux_initramfs "$work" "$work/init" "$work/initrd.gz" || exit 1
"$(dirname "$0")/expect_run.sh" --needs-kvm --needs-full-kvm --status 0 --timeout 200 \
  --expect "Memory Encryption Features active: AMD SEV SEV-ES" \
  --expect "smp: Brought up 1 node, 4 CPUs" \
  --expect "PVH-CPU-OFF cpu1 online=0,2-3" \
  --expect "PVH-CPU-ON cpu1 online=0-3" \
  --expect "PVH-INIT-OK cpus=4 online=0-3" \
  --stderr "vCPU [0-9]+: AP jump table GET: 0x[0-9a-f]*[1-9a-f]" \
  --stderr "vCPU 1: AP reset hold: parked until INIT-SIPI \(AP_HLT_LOOP event\)" \
  --stderr "vCPU 1: AP reset hold released by INIT-SIPI \(AP_HLT_LOOP event\)" \
  --stderr "run ended: poweroff" \
  -- "$pvh" run "$dir/vmlinux" --initrd "$work/initrd.gz" --sev emulated "${init[@]}" --smp 4 --mem 512M \
  --cmdline "console=ttyS0 pvh_cpu_cycle=1" --timeout 150 -v
