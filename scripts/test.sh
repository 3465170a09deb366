#!/usr/bin/env bash
# The README's test command: installs dependencies, builds, runs every unit test, and every KVM
# test natively where /dev/kvm works and in the nested AMD-V lane where it does not
# (scripts/run-suite.sh; PVH_LANE=always|never overrides). Extra arguments go to ctest.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh
bash scripts/build.sh
exec bash scripts/run-suite.sh build "$@"
