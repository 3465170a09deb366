#!/usr/bin/env bash
# The README main job: installs dependencies, builds, and boots the SMP example under pvh-sev.
# Where /dev/kvm is not usable it boots it in the nested AMD-V lane (scripts/lane.sh) instead,
# and says so: there a software CPU runs everything, so it takes about a minute.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh
bash scripts/build.sh
# The SMP example: every AP comes up through the bring-up page, under (emulated) SEV-ES.
cmd=(./build/vmm/pvh-sev run build/examples/smp.elf --smp 4 --cmdline "mode=bringup cpus=4"
     --report build/example-report.json "$@")
status=0
if [ -r /dev/kvm ] && [ -w /dev/kvm ]; then
  "${cmd[@]}" || status=$?
else
  echo "run-example: /dev/kvm is not usable here; running in the nested AMD-V lane (QEMU's" \
       "software CPU with the real kvm_amd inside; slow)" >&2
  scripts/lane.sh --timeout 600 -- "${cmd[@]}" || status=$?
fi
echo "guest exit status: $status; launch report: build/example-report.json"
grep -E '"(mode|ld|ending)"' build/example-report.json || true
exit "$status"
