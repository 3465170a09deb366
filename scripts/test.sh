#!/usr/bin/env bash
# The README's test command: installs dependencies, builds, runs every unit and integration test.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh
bash scripts/build.sh
cd build
ctest --output-on-failure -j"$(nproc)" "$@"
