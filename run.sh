#!/usr/bin/env bash
# The main job on the embedded defaults: set up, build, and run examples/main.ps1 in the
# bundled PowerShell host against the default store (/var/lib/containerps, or
# $CONTAINERPS_ROOT).
set -euo pipefail
cd "$(dirname "$0")"
scripts/setup.sh
./build.sh
exec out/shell/cpsh -NoProfile -File examples/main.ps1 "$@"
