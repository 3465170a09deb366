#!/bin/busybox sh
# /init of the nested AMD-V lane (scripts/lane.sh builds it into the initramfs).
# Mounts the host's root (read-only) and the shared folder (read-write) over 9p, loads kvm_amd
# from the host's own module tree, runs the job in the host's root and hands its status back
# through the shared folder. The kernel passes lane_share= and lane_job= as variables.
/bin/busybox --install -s /bin
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev
stty -onlcr -F /dev/console 2>/dev/null

fail() { echo "lane-init: $*"; poweroff -f; }

while read -r m; do insmod "/lib/modules/$m" || fail "insmod $m failed"; done </lib/modules/order
r=/newroot
mount -t 9p -o trans=virtio,version=9p2000.L,msize=262144,cache=loose,ro hostroot $r ||
  fail "cannot mount the host's root"
mount -t proc proc $r/proc
mount -t sysfs sysfs $r/sys
mount -t devtmpfs devtmpfs $r/dev
mkdir -p $r/dev/pts $r/dev/shm 2>/dev/null
# What systemd/udev add to a devtmpfs on a normal host (bash's <(...) needs /dev/fd).
ln -sf /proc/self/fd $r/dev/fd
ln -sf /proc/self/fd/0 $r/dev/stdin
ln -sf /proc/self/fd/1 $r/dev/stdout
ln -sf /proc/self/fd/2 $r/dev/stderr
mount -t devpts devpts $r/dev/pts
mount -t tmpfs tmpfs $r/dev/shm
mount -t tmpfs tmpfs $r/tmp
mount -t tmpfs tmpfs $r/run
mount -t tmpfs tmpfs $r/root
mount -t tmpfs tmpfs $r/var/tmp
# The shared folder last: a tmpfs above would hide it (a clone in /tmp, as CI makes). Under a
# tmpfs its mount point is made there; elsewhere it exists on the read-only root.
mkdir -p "$r$lane_share" 2>/dev/null
mount -t 9p -o trans=virtio,version=9p2000.L,msize=262144,cache=mmap share "$r$lane_share" ||
  fail "cannot mount $lane_share"

chroot $r /bin/sh -c '
  modprobe kvm_amd || echo "lane: modprobe kvm_amd failed"
  p=/sys/module/kvm_amd/parameters
  echo "lane: inner kernel $(uname -r); kvm_amd" \
    "nested=$(cat $p/nested 2>/dev/null) npt=$(cat $p/npt 2>/dev/null)" \
    "sev=$(cat $p/sev 2>/dev/null) sev_es=$(cat $p/sev_es 2>/dev/null)" \
    "avic=$(cat $p/avic 2>/dev/null); /dev/kvm $(test -c /dev/kvm && echo present || echo ABSENT)" >&2
  . "$1/cmd.sh"
  echo $? >"$1/status"
' lane-job "$lane_job"
sync
poweroff -f
