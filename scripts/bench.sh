#!/usr/bin/env bash
# The benchmark command: installs dependencies (QEMU, openssl), builds, and runs pvh-bench
# side by side with QEMU and the bare-KVM floor. Extra arguments go to pvh-bench.
#   scripts/bench.sh [ARGS...]         natively (needs /dev/kvm); writes bench-results.json
#   scripts/bench.sh --lane [ARGS...]  inside the nested AMD-V lane (scripts/lane.sh), QEMU
#                                      microvm inside the same lane; P1, P2, P3 and P6 by
#                                      default; writes bench-results-lane.json. Times there are
#                                      a software CPU's: read the ratios only.
#   scripts/bench.sh --lane --only P2L --linux DIR
#                                      Debian's Linux, DIR = make-linux-pvh-fixture.sh's output
#                                      (absolute, not under /tmp: the lane has its own /tmp)
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh
bash scripts/build.sh
if [ "${1:-}" = --lane ]; then
  shift
  (($#)) || set -- --only P1,P2,P3,P6
  exec scripts/lane.sh --timeout 3000 -- ./build/bench/pvh-bench --json bench-results-lane.json "$@"
fi
exec ./build/bench/pvh-bench --json bench-results.json "$@"
