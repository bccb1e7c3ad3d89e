#!/usr/bin/env bash
# Install what is missing, build, and run the whole test suite twice: a normal build, then ASan+UBSan.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/deps.sh
sb_install_deps

export LC_ALL=C
jobs=$(nproc 2>/dev/null || echo 2)

echo "== normal build"
cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo -DSB_WERROR=ON >/dev/null
cmake --build build -j"$jobs"
ctest --test-dir build --output-on-failure -j"$jobs"

echo "== sanitizer build (ASan + UBSan)"
cmake -S . -B build-asan -DCMAKE_BUILD_TYPE=Debug -DSB_SANITIZE=ON -DSB_WERROR=ON >/dev/null
cmake --build build-asan -j"$jobs"
ASAN_OPTIONS=detect_leaks=1:abort_on_error=0 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
  ctest --test-dir build-asan --output-on-failure -j"$jobs"

# Fuzzing: each libFuzzer harness for 30 s (about 2.5 min in all, plus the clang build), when clang and
# its libFuzzer runtime are installed (not in deps.sh, to keep this script short; docs/fuzzing.md).
if scripts/fuzz.sh --available 2>/dev/null; then
  echo "== fuzzing (libFuzzer, 30 s per harness)"
  FUZZ_JOBS="$jobs" scripts/fuzz.sh 30
else
  echo "== fuzzing skipped: $(scripts/fuzz.sh --available 2>&1 || true)"
fi
