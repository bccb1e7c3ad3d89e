#!/bin/bash
# The auditor workbook through the real pipeline: `report --format json,xlsx`, then read the
# workbook back with openpyxl against the report.json written next to it.
set -u
PY=/usr/bin/python3
READBACK="$SB_SRC/tests/xlsx_readback.py"
TMP="$SB_BUILD/test-tmp/cli-xlsx.$$"
rm -rf "$TMP" && mkdir -p "$TMP"
trap 'rm -rf "$TMP"' EXIT
fail=0
bad() { echo "FAIL: $*" >&2; fail=1; }

# One run: inputs as arguments; checks exit status, silence on stderr and the read-back.
run_report() {
    local name=$1; shift
    local out="$TMP/$name" args=()
    for f in "$@"; do args+=(--input "$f"); done
    SOURCE_DATE_EPOCH=1790000000 "$SB_BIN" report "${args[@]}" --organisation "Contoso Zürich AG" \
        --format json,xlsx --out-dir "$out" >"$TMP/$name.out" 2>"$TMP/$name.err"
    local rc=$?
    if [ $rc -ne 0 ] && [ $rc -ne 1 ]; then
        bad "$name: report exited $rc: $(head -c 400 "$TMP/$name.err")"
        return 1
    fi
    # Progress lines are the tool's; anything else (library [WARNING]/[ERROR] noise) is a defect.
    if grep -v '^mcsb-audit: wrote ' "$TMP/$name.err" | grep -q .; then
        bad "$name: unexpected stderr: $(head -c 400 "$TMP/$name.err")"
    fi
    [ -f "$out/report.xlsx" ] || { bad "$name: no report.xlsx in $out"; return 1; }
    [ -f "$out/report.json" ] || { bad "$name: no report.json in $out"; return 1; }
    "$PY" "$READBACK" "$out/report.xlsx" "$out/report.json" || bad "$name: read-back failed"
    return 0
}

# Small input of our own: works as soon as the pipeline does.
if run_report small "$SB_SRC/tests/data/xlsx/circuits.json"; then
    # Same inputs and SOURCE_DATE_EPOCH give the same bytes.
    run_report small2 "$SB_SRC/tests/data/xlsx/circuits.json" &&
        { cmp -s "$TMP/small/report.xlsx" "$TMP/small2/report.xlsx" || bad "report.xlsx differs between identical runs"; }
fi

# The sample estate (sample-reports/estate/*.json).
estate=("$SB_SRC"/sample-reports/estate/*.json)
if [ -f "${estate[0]}" ]; then
    run_report estate "${estate[@]}"
else
    bad "sample estate missing: $SB_SRC/sample-reports/estate/*.json"
fi

# A format list naming only xlsx still yields a workbook that opens.
SOURCE_DATE_EPOCH=1790000000 "$SB_BIN" report --input "$SB_SRC/tests/data/xlsx/circuits.json" \
    --format xlsx --out-dir "$TMP/only" >/dev/null 2>"$TMP/only.err"
rc=$?
{ [ $rc -eq 0 ] || [ $rc -eq 1 ]; } || bad "xlsx only: exit $rc: $(head -c 300 "$TMP/only.err")"
[ -f "$TMP/only/report.xlsx" ] && ! ls "$TMP/only/" | grep -q '\.tmp' || bad "xlsx only: missing workbook or temp file left"

exit $fail
