#!/usr/bin/env bash
# Build the libFuzzer harnesses (fuzz/, clang) and run each for a while: docs/fuzzing.md.
#   scripts/fuzz.sh [SECONDS] [NAME ...]     NAME: state exceptions baseline verify diff (default: all)
#   scripts/fuzz.sh --available              exit 0 when clang can build a libFuzzer program here
# SECONDS per harness (default 60). FUZZ_SEED=N fixes libFuzzer's seed; FUZZ_JOBS=N builds with N jobs.
# The corpus grows in build-fuzz/corpus/NAME (kept between runs); crashes land in build-fuzz/crashes/.
# Exit status: 0 nothing found, 1 a harness crashed, leaked or timed out (the input is named), 2 setup.
set -euo pipefail
cd "$(dirname "$0")/.."

# clang alone is not enough: Debian's libFuzzer runtime is libclang-rt-14-dev, only recommended by clang-14.
fuzz_available() {
  if ! command -v clang >/dev/null 2>&1; then
    echo "fuzz.sh: clang is not installed (Debian 12: apt-get install clang libclang-rt-14-dev)" >&2
    return 1
  fi
  local probe
  probe=$(mktemp -d "${TMPDIR:-/tmp}/mcsb-fuzz-probe.XXXXXX")
  printf '#include <stddef.h>\n#include <stdint.h>\nint LLVMFuzzerTestOneInput(const uint8_t *d, size_t n);\n'\
'int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n) { (void)d; (void)n; return 0; }\n' >"$probe/p.c"
  if ! clang -fsanitize=fuzzer,address,undefined "$probe/p.c" -o "$probe/p" >/dev/null 2>&1; then
    rm -rf "$probe"
    echo "fuzz.sh: clang cannot link libFuzzer (Debian 12: apt-get install libclang-rt-14-dev)" >&2
    return 1
  fi
  rm -rf "$probe"
}
if [ "${1:-}" = "--available" ]; then
  fuzz_available
  exit
fi
secs=${1:-60}
[ $# -gt 0 ] && shift
names=("$@")
[ ${#names[@]} -gt 0 ] || names=(state exceptions baseline verify diff)
case $secs in ''|*[!0-9]*) echo "fuzz.sh: SECONDS must be a number, got '$secs'" >&2; exit 2 ;; esac
fuzz_available || exit 2
export LC_ALL=C
B=build-fuzz
jobs=${FUZZ_JOBS:-$(nproc 2>/dev/null || echo 2)}

cmake -S . -B "$B" -DCMAKE_C_COMPILER=clang -DSB_FUZZ=ON -DSB_WERROR=OFF -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build "$B" -j"$jobs" --target "${names[@]/#/fuzz_}" >/dev/null

# Seeds from the repository's own inputs (rebuilt every run; never committed twice).
seeds() {
  local name=$1 d="$B/seeds/$1"
  rm -rf "$d" && mkdir -p "$d"
  case $name in
    state)
      cp sample-reports/estate/snapshot-contoso.json sample-reports/estate/arg-export-fabrikam.json \
         sample-reports/estate/diagnostic-settings-fabrikam.json tests/data/collect/estate.json \
         tests/data/xlsx/circuits.json "$d"/ ;;
    exceptions) cp sample-reports/estate/exceptions.json "$d"/ ;;
    baseline) cp templates/baselines/*.json tests/data/baseline/*.json "$d"/ ;;
    verify)
      { cat sample-reports/manifest.json; printf '\n#--manifest.sha256--#\n'; cat sample-reports/manifest.sha256; } >"$d/sample"
      cp sample-reports/manifest.json "$d/json-only" ;;
    diff)
      local n=0 old new
      for old in tests/data/diff/old.json tests/data/diff/new.json; do
        for new in tests/data/diff/new.json tests/data/diff/bad-status.json tests/data/diff/bad-evidence.json; do
          n=$((n + 1))
          { cat "$old"; printf '\n#--new report.json--#\n'; cat "$new"; } >"$d/pair$n"
        done
      done ;;
  esac
}

status=0
for name in "${names[@]}"; do
  seeds "$name"
  mkdir -p "$B/corpus/$name" "$B/crashes"
  log="$B/fuzz-$name.log"
  echo "== fuzz_$name for ${secs}s"
  seed_opt=()
  [ -n "${FUZZ_SEED:-}" ] && seed_opt=(-seed="$FUZZ_SEED")
  # -close_fd_mask=3: the harnesses' own stdout/stderr are noise; libFuzzer and the sanitizers still report.
  if ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
     "$B/fuzz/fuzz_$name" -max_total_time="$secs" -timeout=10 -rss_limit_mb=2048 -close_fd_mask=3 \
       -dict=fuzz/json.dict -print_final_stats=1 -artifact_prefix="$B/crashes/$name-" "${seed_opt[@]}" \
       "$B/corpus/$name" "$B/seeds/$name" "fuzz/regressions/$name" >"$log" 2>&1; then
    runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")
    cov=$(grep -o 'cov: [0-9]*' "$log" | tail -1)
    echo "   ok: ${runs:-?} executions, ${cov:-cov: ?}, corpus $(ls "$B/corpus/$name" | wc -l) inputs"
  else
    status=1
    echo "   FOUND A PROBLEM: see $log" >&2
    grep -E 'ERROR: (AddressSanitizer|LeakSanitizer|libFuzzer)|runtime error|Test unit written to' "$log" | head -5 >&2
  fi
done
exit $status
