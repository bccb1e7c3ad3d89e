#!/usr/bin/env bash
# On demand (not part of the test suite): pages, time and peak RSS of `report` at 1k, 10k and 100k results,
# per format and for all formats at once, beside the bare-library floor (bench/floor.c): libxlsxwriter in
# constant_memory mode writing as many cells as report.xlsx holds, libharu writing as many pages as report.pdf
# with the same embedded fonts.
# Usage: bench/scale_bench.sh [SUBSCRIPTIONS ...]   (default: 67 667 6667, about 1k, 10k and 100k results)
set -euo pipefail
cd "$(dirname "$0")/.."
bin=build/mcsb-audit
[ -x "$bin" ] || { echo "build first: cmake -S . -B build && cmake --build build" >&2; exit 2; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
# shellcheck disable=SC2046
cc -O2 -o "$work/floor" bench/floor.c $(pkg-config --cflags --libs xlsxwriter) -lhpdf
export SOURCE_DATE_EPOCH=1790726400 LC_ALL=C
measure() { # OUT-FILE command...: "seconds max-RSS-KiB" on the first line of OUT-FILE
  local out=$1
  shift
  /usr/bin/time -o "$out" -f "%e %M" "$@" >/dev/null
}
echo "| results | format | pages | time | peak RSS | floor time | time / floor |"
echo "|---|---|---|---|---|---|---|"
for subs in "${@:-67 667 6667}"; do
  for s in $subs; do
    /usr/bin/python3 bench/make_estate.py "$s" 10 "$work/estate.json" >/dev/null
    rm -rf "$work/out"
    measure "$work/t" "$bin" report --quiet --input "$work/estate.json" --out-dir "$work/out" || true
    read -r all_t all_m <"$work/t"
    results=$(/usr/bin/python3 -c "import json,sys;print(len(json.load(open(sys.argv[1]))['results']))" "$work/out/report.json")
    pages=$(pdfinfo "$work/out/report.pdf" 2>/dev/null | sed -n 's/^Pages: *//p')
    cells=$(unzip -p "$work/out/report.xlsx" 'xl/worksheets/sheet*.xml' | grep -o '<c ' | wc -l)
    measure "$work/fx" "$work/floor" xlsx "$work/floor.xlsx" "$cells" 20
    measure "$work/fp" "$work/floor" pdf "$work/floor.pdf" "$pages" fonts
    read -r fx_t _ <"$work/fx"
    read -r fp_t _ <"$work/fp"
    for fmt in json csv md xlsx pdf; do
      rm -rf "$work/one"
      measure "$work/t" "$bin" report --quiet --input "$work/estate.json" --format "$fmt" --out-dir "$work/one" || true
      read -r t m <"$work/t"
      floor="" ratio="" pg=""
      case $fmt in
        xlsx) floor=$fx_t ;;
        pdf) floor=$fp_t pg=$pages ;;
      esac
      [ -n "$floor" ] && ratio=$(awk -v a="$t" -v b="$floor" 'BEGIN{printf "%.1f", (b > 0 ? a / b : 0)}')
      echo "| $results | $fmt | $pg | $t s | $((m / 1024)) MB | ${floor:+$floor s} | $ratio |"
    done
    fl=$(awk -v a="$fx_t" -v b="$fp_t" 'BEGIN{printf "%.2f", a + b}')
    echo "| $results | all | $pages | $all_t s | $((all_m / 1024)) MB | $fl s | $(awk -v a="$all_t" -v b="$fl" 'BEGIN{printf "%.1f", (b > 0 ? a / b : 0)}') |"
  done
done
