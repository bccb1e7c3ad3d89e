#!/usr/bin/env bash
# On demand (not part of the test suite): time `report` on a synthetic enterprise estate.
# Usage: bench/report_bench.sh [SUBSCRIPTIONS] [SUBNETS-PER-HUB]   (defaults: 2000 subscriptions, 10 subnets)
set -euo pipefail
cd "$(dirname "$0")/.."
subs=${1:-2000}
subnets=${2:-10}
bin=build/mcsb-audit
[ -x "$bin" ] || { echo "build first: cmake -S . -B build && cmake --build build" >&2; exit 2; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
/usr/bin/python3 bench/make_estate.py "$subs" "$subnets" "$work/estate.json"
ls -l "$work/estate.json" | awk '{print "input bytes:", $5}'
export SOURCE_DATE_EPOCH=1790726400
for fmt in json csv md xlsx pdf; do
  /usr/bin/time -f "$fmt: %e s, max RSS %M KiB" "$bin" report --quiet --input "$work/estate.json" --format "$fmt" \
    --out-dir "$work/out" || true
done
python3 -c "import json;print('results:', len(json.load(open('$work/out/report.json'))['results']))"
