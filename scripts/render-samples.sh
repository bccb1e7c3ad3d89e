#!/usr/bin/env bash
# Render the sample reports from the bundled sample estate: BIN OUTDIR.
# One fixed time (SOURCE_DATE_EPOCH) so the committed samples are reproducible byte for byte;
# the staleness test renders into a scratch directory and compares.
set -euo pipefail
bin=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
out=$2
src="$(cd "$(dirname "$0")/.." && pwd)"
estate="$src/sample-reports/estate"
export LC_ALL=C
export SOURCE_DATE_EPOCH=1790726400 # 2026-09-30T00:00:00Z, the end of the sample quarter
mkdir -p "$out"
out="$(cd "$out" && pwd)"
# Relative input names keep the reports identical wherever the repository is cloned.
cd "$estate"
status=0
"$bin" report --quiet \
  --input snapshot-contoso.json --input arg-export-fabrikam.json --input diagnostic-settings-fabrikam.json \
  --exceptions exceptions.json \
  --organisation "Contoso Group (fictional sample)" --classification "Confidential — sample data" \
  --format json,csv,md,pdf,xlsx --out-dir "$out" || status=$?
# Exit 1 only means findings exist (the sample is built to have some); anything else is an error.
if [ "$status" -ne 0 ] && [ "$status" -ne 1 ]; then
  exit "$status"
fi
