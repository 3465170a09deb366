#!/usr/bin/env bash
# Builds the Debian package from a copy of this tree (dpkg-buildpackage -b -us -uc), runs
# lintian on it (errors fail), unpacks it with dpkg -x into a temporary directory and runs the
# installed pvh-sev: --version, `check` where this build has that command, the schemas against a
# measure and a failed run, and an example boot whose launch digest must match `measure`.
#
# The boot needs a working /dev/kvm. PVH_PACKAGE_BOOT=auto (default) boots where /dev/kvm is
# usable and says it skipped otherwise; =1 always boots (the lane: a missing /dev/kvm is then
# a failure); =0 never does. The .deb, lintian's output and the build log are kept in
# build-package/ (PVH_PACKAGE_OUT). PVH_PACKAGE_JOBS sets the build's parallelism (default 2).
# PVH_PACKAGE_DEB=FILE tests that .deb instead of building one (e.g. inside the KVM lane, with
# the package built and linted outside): no dependency install, no build, no lintian; it boots
# PVH_PACKAGE_GUEST (default build/examples/hello.elf).
set -euo pipefail
cd "$(dirname "$0")/.."
src=$(pwd)
boot=${PVH_PACKAGE_BOOT:-auto}
out=${PVH_PACKAGE_OUT:-$src/build-package}
case $boot in auto | 0 | 1) ;; *) echo "PVH_PACKAGE_BOOT='$boot': expected auto, 0 or 1" >&2; exit 2 ;; esac
[ -n "${PVH_PACKAGE_DEB:-}" ] || bash scripts/install-deps.sh
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
mkdir -p "$out" "$work/src" "$work/root"
step() { printf '\n== %s\n' "$*"; }

# Sets deb and guest: a package built from a copy of the work tree, and its example guest.
build_package() {
  step "copy the source (dpkg-buildpackage writes next to it)"
  if git rev-parse --git-dir >/dev/null 2>&1; then
    # Tracked and new files as they are in the work tree, without build trees and .git.
    git ls-files -co --exclude-standard -z | while IFS= read -r -d '' f; do
      [ -e "$f" ] && printf '%s\0' "$f"; done | tar --null -T - -cf - | tar -xf - -C "$work/src"
  else
    tar --exclude='./build*' --exclude=./.git -cf - . | tar -xf - -C "$work/src"
  fi
  # The copy has no .git: name the build as the tree's own build would (vmm/build_info.cmake).
  version=$(sed -n 's/^project(pvh-sev VERSION \([0-9.]*\).*/\1/p' CMakeLists.txt)
  cmake -DSRC="$src" -DOUT="$work/build_info.h" -DVERSION="$version" -DFEATURES= \
    -P vmm/build_info.cmake
  PVH_BUILD_VERSION=$(sed -n 's/^#define PVH_BUILD_VERSION "\(.*\)"$/\1/p' "$work/build_info.h")
  export PVH_BUILD_VERSION

  step "dpkg-buildpackage -b -us -uc (log: $out/build.log)"
  t0=$SECONDS
  if ! (cd "$work/src" && DEB_BUILD_OPTIONS="parallel=${PVH_PACKAGE_JOBS:-2}" \
        dpkg-buildpackage -b -us -uc) >"$out/build.log" 2>&1; then
    tail -n 40 "$out/build.log"
    echo "FAIL: dpkg-buildpackage (whole log in $out/build.log)"
    exit 1
  fi
  deb=$(ls "$work"/pvh-sev_*.deb)
  cp "$deb" "$out/"
  echo "built $(basename "$deb") in $((SECONDS - t0)) s"
  guest=$work/src/obj-x86_64-linux-gnu/examples/hello.elf
}

if [ -n "${PVH_PACKAGE_DEB:-}" ]; then
  deb=$(realpath "$PVH_PACKAGE_DEB")
  guest=$(realpath "${PVH_PACKAGE_GUEST:-build/examples/hello.elf}")
  PVH_BUILD_VERSION=
else
  build_package
fi
dpkg-deb --info "$deb" | sed -n '/Package:/,$p'

if [ -z "${PVH_PACKAGE_DEB:-}" ]; then
  step "lintian (errors fail; output in $out/lintian.txt)"
  lintian_status=0
  lintian --fail-on error --display-info "$deb" >"$out/lintian.txt" 2>&1 || lintian_status=$?
  cat "$out/lintian.txt"
  [ "$lintian_status" = 0 ] || { echo "FAIL: lintian reports errors"; exit 1; }
fi

step "dpkg -x into a clean directory"
dpkg -x "$deb" "$work/root"
root=$work/root
pvh=$root/usr/bin/pvh-sev
for f in usr/bin/pvh-sev usr/share/man/man1/pvh-sev.1.gz usr/share/bash-completion/completions/pvh-sev \
  usr/share/zsh/vendor-completions/_pvh-sev usr/include/pvh-sev/ghcb/ghcb.h \
  usr/include/pvh-sev/loader/hvm_start_info.h usr/include/pvh-sev/loader/guest_abi.h \
  usr/include/pvh-sev/ap/ap_abi.h usr/share/pkgconfig/pvh-sev-guest.pc \
  usr/share/pvh-sev/schemas/launch-report.schema.json usr/share/pvh-sev/schemas/measure.schema.json \
  usr/share/doc/pvh-sev/examples/ci/github-actions.yml usr/share/doc/pvh-sev/examples/ci/gitlab-ci.yml \
  usr/share/doc/pvh-sev/copyright; do
  [ -e "$root/$f" ] || { echo "FAIL: the package has no /$f"; exit 1; }
done
echo "every expected file is in the package"

step "installed pvh-sev --version"
"$pvh" --version
"$pvh" --version | grep -qx "pvh-sev ${PVH_BUILD_VERSION:-.*}" ||
  { echo "FAIL: --version does not name the build ${PVH_BUILD_VERSION:-}"; exit 1; }
"$pvh" --version | grep -q "^features: .*-link" || { echo "FAIL: --version names no features"; exit 1; }

step "installed pvh-sev check"
if "$pvh" --help | grep -Eq 'pvh-sev check( |$)'; then
  check_status=0
  "$pvh" check || check_status=$?
  # check reports on the host; only a usage error or a crash fails the package test.
  [ "$check_status" -lt 125 ] || { echo "FAIL: pvh-sev check ended with $check_status"; exit 1; }
  echo "pvh-sev check: status $check_status"
else
  echo "skipped: this build has no 'check' command"
fi

step "schemas: measure --json and the report of a failed run"
schemas=$root/usr/share/pvh-sev/schemas
validate() { /usr/bin/python3 "$src/tests/pkg/validate_json.py" "$schemas" "$@"; }
# One vCPU: the boot must stay quick in the nested lane's software CPU too.
boot_args=(--cmdline "console=com1 packaged")
"$pvh" measure "$guest" "${boot_args[@]}" --json >"$work/predicted.json"
validate measure.schema.json "$work/predicted.json"
failed_status=0
"$pvh" run "$work/missing.elf" --report "$work/failed.json" 2>/dev/null || failed_status=$?
[ "$failed_status" = 125 ] || { echo "FAIL: a run of a missing kernel ended with $failed_status"; exit 1; }
validate launch-report.schema.json "$work/failed.json"
echo "both valid"

step "example boot: $(basename "$guest") ${boot_args[*]}"
kvm_ok=0
[ -r /dev/kvm ] && [ -w /dev/kvm ] && kvm_ok=1
if [ "$boot" = 0 ] || { [ "$boot" = auto ] && [ "$kvm_ok" = 0 ]; }; then
  echo "skipped: no usable /dev/kvm here (PVH_PACKAGE_BOOT=1 makes the boot mandatory)"
else
  [ "$kvm_ok" = 1 ] || { echo "FAIL: PVH_PACKAGE_BOOT=1 but /dev/kvm is not usable"; exit 1; }
  status=0
  "$pvh" run "$guest" "${boot_args[@]}" --timeout 120 --report "$work/boot.json" || status=$?
  cp "$work/boot.json" "$out/example-report.json"
  [ "$status" = 0 ] || { echo "FAIL: the example boot ended with status $status (report: $out/example-report.json)"; exit 1; }
  validate launch-report.schema.json "$work/boot.json"
  ld=$(/usr/bin/python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["launch"]["ld"])' "$work/boot.json")
  "$pvh" measure "$guest" "${boot_args[@]}" --expect-ld "$ld" >/dev/null ||
    { echo "FAIL: the launch digest $ld differs from measure's prediction"; exit 1; }
  echo "booted; the report is valid and its LD $ld matches measure"
fi
printf '\nok: package %s (kept in %s)\n' "$(basename "$deb")" "$out"
