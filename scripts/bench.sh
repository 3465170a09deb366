#!/usr/bin/env bash
# The benchmark command: installs dependencies (QEMU, openssl), builds, and runs pvh-bench
# side by side with QEMU and the bare-KVM floor. Extra arguments go to pvh-bench.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh
bash scripts/build.sh
exec ./build/bench/pvh-bench --json bench-results.json "$@"
