#!/usr/bin/env bash
# The nested AMD-V lane: runs a command against the real kvm_amd on any x86-64 Linux host.
#
#   scripts/lane.sh [--timeout SECS] [--idle SECS] [--mem SIZE] [--cpus N] [--share DIR] [--]
#                   [COMMAND...]
#
# QEMU's software CPU (TCG, -cpu max) emulates AMD-V with nested paging. Debian's own kernel boots
# under it, loads kvm and kvm_amd, and /dev/kvm in that guest is the KVM an EPYC host runs. The
# guest sees the host's root filesystem read-only and DIR (default: this repository) read-write,
# both over 9p at their own paths, and runs COMMAND there as root (default: the ctest suite in
# ./build). Its output streams to this terminal; the lane exits with COMMAND's status, or 125 when
# the lane itself failed (no status came back), or 124 when SECS passed (default 3600). A lane
# kernel that locks up (it did under QEMU 7.2, docs/hosts.md) panics and ends the
# lane at once (125) instead of waiting for SECS; one that hangs without a panic is stopped
# once it has printed nothing for --idle SECS (default: no such limit), also with status 125.
#
# Everything comes from Debian packages: qemu-system-x86, linux-image-amd64, busybox-static.
# The initramfs is cached in $PVH_LANE_CACHE (default build/lane) per kernel version and script.
# Inside, PVH_KVM_LANE=nested-amd-v is set; PVH_*, CI and the sanitizers' *SAN_OPTIONS pass on.
# Times inside the lane are a software CPU's: compare ratios only, and only within the lane.
# While it runs, QEMU's monitor listens on the socket the first line names (info cpus, info
# registers: what a stuck lane is doing; the lane kernel runs with nokaslr, so its RIPs read
# straight against /boot/System.map-VERSION); PVH_LANE_LOGLEVEL sets the lane kernel's loglevel.
# The lane runs QEMU 10.0 or newer (scripts/lane-qemu.sh: on Debian 12 it fetches it from
# bookworm-backports into the cache once); PVH_LANE_QEMU names another qemu-system-x86_64.
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
limit=3600 idle=0 mem=4G cpus=2 share=$repo
while (($#)); do
  case "$1" in
    --timeout) limit=$2; shift 2 ;;
    --idle) idle=$2; shift 2 ;;
    --mem) mem=$2; shift 2 ;;
    --cpus) cpus=$2; shift 2 ;;
    --share) share=$(cd "$2" && pwd); shift 2 ;;
    --) shift; break ;;
    -h|--help) sed -n '2,16p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    -*) echo "lane.sh: unknown option $1 (see --help)" >&2; exit 2 ;;
    *) break ;;
  esac
done
(($#)) || set -- bash -c "cd '$repo/build' && ctest --output-on-failure -j$cpus"

die() { echo "lane.sh: $*" >&2; exit 125; }

need_packages() {
  local missing=() p
  for p in qemu-system-x86 linux-image-amd64 busybox-static cpio; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
  done
  ((${#missing[@]})) || return 0
  [ "$(id -u)" = 0 ] || die "missing Debian packages: ${missing[*]} (apt-get install them as root)"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq && apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

# The newest installed Debian kernel that has its kvm-amd module.
pick_kernel() {
  local v
  for v in $(ls /lib/modules | sort -rV); do
    if [ -r "/boot/vmlinuz-$v" ] && [ -e "/lib/modules/$v/kernel/arch/x86/kvm/kvm-amd.ko" ]; then
      echo "$v"; return 0
    fi
  done
  die "no installed kernel with kvm-amd.ko and a readable /boot/vmlinuz (apt-get install linux-image-amd64)"
}

# Prints MODULE's dependencies (from modules.dep), deepest first, then MODULE itself.
module_chain() {
  local kver=$1 mod=$2 line dep
  line=$(grep -E "^(kernel/)?[^:]*/$mod\.ko(\.xz|\.zst)?:" "/lib/modules/$kver/modules.dep") ||
    die "module $mod not found in /lib/modules/$kver"
  for dep in ${line#*:}; do module_chain "$kver" "$(basename "${dep%%.ko*}")"; done
  echo "${line%%:*}"
}

# The initramfs: busybox and the modules that mount 9p; kvm comes from the host's own tree later.
build_initramfs() {
  local kver=$1 out=$2 dir m
  dir=$(mktemp -d)
  mkdir -p "$dir"/{bin,dev,proc,sys,newroot,lib/modules}
  cp /bin/busybox "$dir/bin/busybox"
  for m in virtio_pci 9pnet_virtio 9p; do module_chain "$kver" "$m"; done | awk '!seen[$0]++' |
    while read -r m; do
      cp "/lib/modules/$kver/$m" "$dir/lib/modules/"
      echo "$(basename "$m")" >>"$dir/lib/modules/order"
    done
  cp "$repo/scripts/lane-init.sh" "$dir/init"
  chmod 755 "$dir/init"
  (cd "$dir" && find . | cpio -o -H newc --quiet | gzip -1) >"$out.tmp"
  mv "$out.tmp" "$out"
  rm -rf "$dir"
}

need_packages
kver=$(pick_kernel)
cache=${PVH_LANE_CACHE:-$repo/build/lane}
mkdir -p "$cache"
stamp=$(cat "$0" "$repo/scripts/lane-init.sh" | sha256sum | cut -c1-12)
initrd=$cache/initramfs-$kver-$stamp.cpio.gz
[ -s "$initrd" ] || build_initramfs "$kver" "$initrd"

# The job: a script on the shared folder that the guest's init runs in the host's root.
job=$(mktemp -d "$cache/job.XXXXXX")
trap 'rm -rf "$job"' EXIT
case "$job" in "$share"/*) ;; *) die "the lane cache ($cache) must lie inside the shared folder ($share)" ;; esac
{
  echo "# generated by scripts/lane.sh"
  echo "export PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin HOME=/root"
  echo "export PVH_KVM_LANE=nested-amd-v LANG=C.UTF-8"
  env | grep -E '^(PVH_[A-Z0-9_]*|CI|[AUL]SAN_OPTIONS)=' | grep -v '^PVH_KVM_LANE=' | sed 's/^/export /; s/=\(.*\)$/=\x27\1\x27/' || true
  printf 'cd %q\n' "$PWD"
  printf '%q ' "$@"; echo
} >"$job/cmd.sh"

# Passes the lane's output through; after --idle seconds without a line, stops QEMU.
idle_guard() {
  local line rc
  ((idle > 0)) || { cat; return; }
  while :; do
    IFS= read -r -t "$idle" line; rc=$?
    if ((rc == 0)); then printf '%s\n' "$line"; continue; fi
    [ -z "$line" ] || printf '%s' "$line"
    ((rc > 128)) || return 0
    echo "lane: no output for ${idle}s: the lane hangs; stopping it" >&2
    kill "$(cat "$job/qemu.pid")" 2>/dev/null
    cat >/dev/null
    return 0
  done
}

case "${PVH_LANE_QEMU:-}" in
  ""|system) qemu=$("$repo/scripts/lane-qemu.sh" "$cache") || exit 125 ;;
  *) qemu=$PVH_LANE_QEMU ;;
esac
echo "lane: Linux $kver under $($qemu --version | head -n1 | sed 's/ emulator version//') TCG (-cpu max, $cpus vCPUs, $mem), limit ${limit}s;" \
  "monitor $job/monitor.sock" >&2
set +e
timeout -k 10 "$limit" "$qemu" \
  -accel tcg,thread=multi -cpu max -smp "$cpus" -m "$mem" -M pc \
  -pidfile "$job/qemu.pid" -display none -monitor "unix:$job/monitor.sock,server=on,wait=off" -serial stdio -no-reboot \
  -kernel "/boot/vmlinuz-$kver" -initrd "$initrd" \
  -append "console=ttyS0 quiet loglevel=${PVH_LANE_LOGLEVEL:-3} nokaslr panic=-1 softlockup_panic=1 sysrq_always_enabled lane_share=$share lane_job=$job" \
  -fsdev local,id=hostroot,path=/,security_model=none,readonly=on,multidevs=remap \
  -device virtio-9p-pci,fsdev=hostroot,mount_tag=hostroot \
  -fsdev local,id=share,path="$share",security_model=none \
  -device virtio-9p-pci,fsdev=share,mount_tag=share </dev/null | idle_guard
qemu_status=${PIPESTATUS[0]}
set -e
((qemu_status == 124)) && { echo "lane: timed out after ${limit}s" >&2; exit 124; }
[ -s "$job/status" ] || die "the lane ended without the command's status (qemu exit $qemu_status)"
exit "$(cat "$job/status")"
