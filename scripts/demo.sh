#!/usr/bin/env bash
# Install what is missing, build, and render the sample reports from the bundled sample estate.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/deps.sh
sb_install_deps

export LC_ALL=C
cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build build -j"$(nproc 2>/dev/null || echo 2)"
scripts/render-samples.sh build/mcsb-audit sample-reports
echo "Sample reports in sample-reports/: $(cd sample-reports && ls report.* manifest.* 2>/dev/null | tr '\n' ' ')"
