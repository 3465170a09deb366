#!/usr/bin/env bash
# The README's main job: installs dependencies, builds, and boots the example guest under pvh-sev.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh
bash scripts/build.sh
exec ./build/vmm/pvh-sev run build/examples/hello.elf --cmdline "hello from pvh-sev" "$@"
