#!/usr/bin/env bash
# Sourced by the Linux tests: skips without the fixture, and builds a second initramfs from the
# fixture's busybox with another /init (the shared fixture script stays as it is).
#   linux_need_fixture                 exits 77 unless PVH_LINUX_FIXTURE and /dev/kvm are usable
#   linux_initramfs WORKDIR INIT OUT   writes OUT: the fixture's initramfs with INIT as /init
linux_need_fixture() {
  dir=${PVH_LINUX_FIXTURE:-}
  if [ -z "$dir" ] || [ ! -r "$dir/vmlinux" ]; then
    echo "SKIP: set PVH_LINUX_FIXTURE to a make-linux-pvh-fixture.sh output directory"; exit 77
  fi
  [ -r /dev/kvm ] || { echo "SKIP: no /dev/kvm"; exit 77; }
  command -v cpio >/dev/null || { echo "SKIP: cpio is not installed"; exit 77; }
}

linux_initramfs() {
  local work=$1 init=$2 out=$3
  rm -rf "$work/root"
  mkdir -p "$work/root"
  (cd "$work/root" && gzip -dc "$dir/initramfs.cpio.gz" | cpio -id --quiet 2>/dev/null)
  [ -x "$work/root/bin/busybox" ] || { echo "FAIL: the fixture's initramfs has no /bin/busybox"; return 1; }
  cp "$init" "$work/root/init" && chmod 755 "$work/root/init"
  (cd "$work/root" && find . | LC_ALL=C sort | cpio -o -H newc --quiet | gzip -n) >"$out"
}
