#!/usr/bin/env bash
# The minimal case behind the AP stub's long-mode order (docs/decisions.md): examples/efer_order
# enters long mode with a VM exit between the steps, first in the architectural order (CR4.PAE,
# CR3, EFER.LME, CR0.PG), then with EFER.LME set while CR4.PAE is still clear. Both are legal on
# an AMD CPU, and both end with status 0 under a native KVM. In the nested AMD-V lane the second
# takes the L1 kernel down: QEMU's do_vmexit restores the L1's CR0 before its CR4 and EFER, and
# with the L2's LME set and PAE clear it will not re-enter long mode. The lane then stops
# answering, and this script reports that after its time limit (exit 0 when it saw exactly that).
set -uo pipefail
cd "$(dirname "$0")/.."
pvh=build/vmm/pvh-sev guest=build/examples/efer_order.elf
[ -x "$pvh" ] && [ -r "$guest" ] || { echo "build first (scripts/build.sh)" >&2; exit 2; }
log=$(mktemp); trap 'rm -f "$log"' EXIT
scripts/lane.sh --timeout "${1:-90}" -- bash -c "
  $pvh run $guest --sev off --cmdline order=pae-first; echo \"demo: pae-first status \$?\"
  $pvh run $guest --sev off --cmdline order=lme-first; echo \"demo: lme-first status \$?\"" |
  tee "$log"
lane=${PIPESTATUS[0]}
if grep -q 'demo: pae-first status 0' "$log" && ! grep -q 'demo: lme-first' "$log" && ((lane == 124)); then
  echo "demo: reproduced: the architectural order ran; EFER.LME before CR4.PAE lost the lane's L1 kernel"
  exit 0
fi
echo "demo: not reproduced (lane status $lane): this QEMU handles the order (or the lane failed)"
exit 1
