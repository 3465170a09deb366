#!/usr/bin/env bash
# Prints the qemu-system-x86_64 the nested AMD-V lane runs (scripts/lane.sh).
#
#   scripts/lane-qemu.sh CACHE_DIR
#
# The lane needs a QEMU at least 10.0: under Debian 12's QEMU 7.2 the lane's own kernel locked up
# or crashed in one lane boot out of two to five on 2026-12-06, where 10.0 ran the same work
# cleanly (docs/hosts.md, "When the lane itself fails"). The installed QEMU is used when it is new
# enough (Debian 13, or a host that installed it); on Debian 12 QEMU 10.0 comes from
# bookworm-backports, downloaded with apt-get and unpacked into CACHE_DIR (nothing is installed
# system-wide: the rest of the project keeps the system's QEMU); elsewhere an older installed
# QEMU is used with a warning. PVH_LANE_QEMU=PATH bypasses all of this; PVH_LANE_QEMU=system
# takes the installed QEMU whatever its version. The backports QEMU comes without its display
# and audio modules: its complaints about the system's 7.2 modules at start are harmless.
set -euo pipefail
cache=${1:?usage: lane-qemu.sh CACHE_DIR}
min_major=10

die() { echo "lane-qemu.sh: $*" >&2; exit 125; }

major_of() { "$1" --version | sed -n '1s/.*version \([0-9]*\)\..*/\1/p'; }

system=$(command -v qemu-system-x86_64) || die "qemu-system-x86_64 is not installed"
major=$(major_of "$system")
if [ "${PVH_LANE_QEMU:-}" = system ] || ((major >= min_major)); then
  echo "$system"; exit 0
fi

suite=$(. /etc/os-release && echo "${VERSION_CODENAME:-}")
if [ "$suite" != bookworm ]; then
  echo "lane: warning: QEMU $major is older than $min_major.0, under which the lane's kernel locked up (docs/hosts.md); using it anyway" >&2
  echo "$system"; exit 0
fi

root=$cache/qemu-bpo
if [ ! -x "$root/usr/bin/qemu-system-x86_64" ]; then
  echo "lane: fetching QEMU from bookworm-backports into $root (once)" >&2
  tmp=$(mktemp -d "$cache/qemu-fetch.XXXXXX")
  trap 'rm -rf "$tmp"' EXIT
  mkdir -p "$tmp/parts" "$tmp/lists/partial" "$tmp/debs"
  cat >"$tmp/parts/bpo.sources" <<EOF
Types: deb
URIs: http://deb.debian.org/debian
Suites: bookworm-backports
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
EOF
  apt_opts=(-o Dir::Etc::SourceList=/dev/null -o "Dir::Etc::SourceParts=$tmp/parts"
            -o "Dir::State::Lists=$tmp/lists" -o APT::Sandbox::User=root)
  apt-get "${apt_opts[@]}" update -qq >/dev/null || die "apt-get update of bookworm-backports failed"
  (cd "$tmp/debs" && apt-get "${apt_opts[@]}" download -qq \
     qemu-system-x86/bookworm-backports qemu-system-common/bookworm-backports \
     qemu-system-data/bookworm-backports >/dev/null) ||
    die "downloading QEMU from bookworm-backports failed"
  mkdir -p "$tmp/root"
  for deb in "$tmp"/debs/*.deb; do dpkg-deb -x "$deb" "$tmp/root"; done
  missing=$(ldd "$tmp/root/usr/bin/qemu-system-x86_64" | grep 'not found' || true)
  [ -z "$missing" ] || die "backports QEMU needs libraries this host lacks: $missing"
  rm -rf "$root"
  mv "$tmp/root" "$root"
fi
echo "$root/usr/bin/qemu-system-x86_64"
