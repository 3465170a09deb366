#!/usr/bin/env bash
# The README main job: installs dependencies, builds, and boots the SMP example under pvh-sev.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh
bash scripts/build.sh
# The SMP example: every AP comes up through the bring-up page, under (emulated) SEV-ES.
status=0
./build/vmm/pvh-sev run build/examples/smp.elf --smp 4 --cmdline "mode=bringup cpus=4" \
  --report build/example-report.json "$@" || status=$?
echo "guest exit status: $status; launch report: build/example-report.json"
grep -E '"(mode|ld|ending)"' build/example-report.json || true
exit "$status"
