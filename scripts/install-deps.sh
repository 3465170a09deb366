#!/usr/bin/env bash
# Installs the Debian 12 packages pvh-sev needs to build, test and benchmark (run as root).
set -euo pipefail
pkgs=(build-essential cmake pkg-config clang-14 libclang-rt-14-dev libelf-dev libcap-ng-dev libseccomp-dev libcmocka-dev libssl-dev
      libjansson-dev zlib1g-dev qemu-system-x86 hyperfine openssl valgrind
      # the man page, and the packaging tests (tests/pkg.cmake, scripts/test-package.sh)
      scdoc man-db python3-jsonschema python3-yaml bash-completion zsh
      debhelper dpkg-dev fakeroot lintian
      # the sandbox test turns a call of a running pvh-sev into a forbidden one (--inject)
      strace)
missing=()
for p in "${pkgs[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi
