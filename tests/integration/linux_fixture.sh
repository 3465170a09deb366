#!/usr/bin/env bash
# Boots Debian's kernel (a PVH guest nobody here wrote) to its /init when PVH_LINUX_FIXTURE names
# the output directory of shared/tools/make-linux-pvh-fixture.sh: all four vCPUs online, the
# console on COM1 through the IOAPIC, and /init's `poweroff -f` ending the run with status 0
# (ACPI S5). Usage: linux_fixture.sh PVH_SEV [off|emulated]
set -uo pipefail
pvh=$1
mode=${2:-off}
dir=${PVH_LINUX_FIXTURE:-}
if [ -z "$dir" ] || [ ! -r "$dir/vmlinux" ]; then
  echo "SKIP: set PVH_LINUX_FIXTURE to a make-linux-pvh-fixture.sh output directory"; exit 77
fi
[ -r /dev/kvm ] || { echo "SKIP: no /dev/kvm"; exit 77; }
extra=()
if [ "$mode" = emulated ]; then
  extra=(--expect "Memory Encryption Features active: AMD SEV SEV-ES")
fi
"$(dirname "$0")/expect_run.sh" --needs-kvm --needs-full-kvm --status 0 --timeout 200 \
  --expect "Linux version" \
  --expect "Command line: console=ttyS0 earlyprintk=serial,ttyS0 pvh_exit=poweroff" \
  --expect "BIOS-e820: \\[mem 0x0000000000000000-0x000000000008ffff\\] usable" \
  --expect "BIOS-e820: \\[mem 0x0000000000100000-0x000000001fffffff\\] usable" \
  --expect "RAMDISK: \\[mem 0x1ff" \
  --expect "ACPI: APIC 0x00000000000E0200" \
  --expect "IOAPIC\\[0\\]: apic_id 4" \
  --expect "smp: Brought up 1 node, 4 CPUs" \
  --expect "pnp: PnP ACPI: found 1 devices" \
  --expect "00:00: ttyS0 at I/O 0x3f8" \
  --expect "PVH-INIT-OK cpus=4 online=0-3" \
  --expect "reboot: Power down" \
  "${extra[@]}" \
  -- "$pvh" run "$dir/vmlinux" --initrd "$dir/initramfs.cpio.gz" --sev "$mode" --smp 4 \
  --mem 512M --cmdline "console=ttyS0 earlyprintk=serial,ttyS0 pvh_exit=poweroff" --timeout 150
