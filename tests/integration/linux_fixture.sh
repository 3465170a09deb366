#!/usr/bin/env bash
# Boots Debian's kernel (a PVH guest nobody here wrote) when PVH_LINUX_FIXTURE names the output
# directory of shared/tools/make-linux-pvh-fixture.sh. On a host whose KVM emulates every
# instruction it stops part-way (cmpxchg16b, host.md: status 120); on AMD-V (the nested lane) it
# waits for a timer pvh-sev does not provide yet (the --timeout, 124). Either way it must have
# parsed everything pvh-sev handed it: the command line, the memory map, the initrd and, through
# the ACPI MADT, all four vCPUs.
set -uo pipefail
pvh=$1
dir=${PVH_LINUX_FIXTURE:-}
if [ -z "$dir" ] || [ ! -r "$dir/vmlinux" ]; then
  echo "SKIP: set PVH_LINUX_FIXTURE to a make-linux-pvh-fixture.sh output directory"; exit 77
fi
[ -r /dev/kvm ] || { echo "SKIP: no /dev/kvm"; exit 77; }
"$(dirname "$0")/expect_run.sh" --needs-kvm --status '(0|120|124)' --timeout 200 \
  --expect "Linux version" \
  --expect "Command line: console=ttyS0 earlyprintk=serial,ttyS0 pvh_exit=port" \
  --expect "BIOS-e820: \\[mem 0x0000000000000000-0x000000000008ffff\\] usable" \
  --expect "BIOS-e820: \\[mem 0x0000000000090000-0x00000000000fffff\\] reserved" \
  --expect "BIOS-e820: \\[mem 0x0000000000100000-0x000000001fffffff\\] usable" \
  --expect "RAMDISK: \\[mem 0x1ff" \
  --expect "ACPI: APIC 0x00000000000E0200" \
  --expect "smpboot: Allowing 4 CPUs" \
  -- "$pvh" run "$dir/vmlinux" --initrd "$dir/initramfs.cpio.gz" --sev off --smp 4 --mem 512M \
  --cmdline "console=ttyS0 earlyprintk=serial,ttyS0 pvh_exit=port" --timeout 90
