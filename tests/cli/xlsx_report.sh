#!/bin/bash
# The auditor workbook through the real pipeline: `report --format json,xlsx`, then read the
# workbook back with openpyxl against the report.json written next to it.
set -u
export LC_ALL=C SOURCE_DATE_EPOCH=1790000000
PY=/usr/bin/python3
READBACK="$SB_SRC/tests/xlsx_readback.py"
ESTATE="$SB_SRC/sample-reports/estate"
SMALL="$SB_SRC/tests/data/xlsx/circuits.json"
TMP="$SB_BUILD/test-tmp/cli-xlsx.$$"
rm -rf "$TMP" && mkdir -p "$TMP"
trap 'rm -rf "$TMP"' EXIT
fail=0
bad() { echo "FAIL: $*" >&2; fail=1; }

# run_report NAME ARGS...: report --quiet into $TMP/NAME; exit 0/1, silent stderr, read-back passes.
run_report() {
    local name=$1; shift
    local out="$TMP/$name"
    (cd "$ESTATE" 2>/dev/null || cd "$SB_SRC"
     "$SB_BIN" report --quiet "$@" --format json,xlsx --out-dir "$out") >"$TMP/$name.out" 2>"$TMP/$name.err"
    local rc=$?
    if [ $rc -ne 0 ] && [ $rc -ne 1 ]; then
        bad "$name: report exited $rc: $(head -c 400 "$TMP/$name.err")"
        return 1
    fi
    # --quiet: anything on stderr (e.g. libxlsxwriter [WARNING]/[ERROR] lines) is a defect.
    [ -s "$TMP/$name.err" ] && bad "$name: unexpected stderr: $(head -c 400 "$TMP/$name.err")"
    [ -f "$out/report.xlsx" ] || { bad "$name: no report.xlsx"; return 1; }
    [ -f "$out/report.json" ] || { bad "$name: no report.json"; return 1; }
    "$PY" "$READBACK" "$out/report.xlsx" "$out/report.json" || { bad "$name: read-back failed"; return 1; }
    return 0
}

# A small input of our own (non-ASCII tags, two circuits).
if run_report small --input "$SMALL" --organisation "Contoso Zürich AG"; then
    # Same inputs and SOURCE_DATE_EPOCH give the same bytes.
    run_report small2 --input "$SMALL" --organisation "Contoso Zürich AG" &&
        { cmp -s "$TMP/small/report.xlsx" "$TMP/small2/report.xlsx" || bad "report.xlsx differs between identical runs"; }
fi

# The sample estate with exceptions, then again against a previous report (Changes sheet).
if [ -d "$ESTATE" ]; then
    estate_args=(--input snapshot-contoso.json --input arg-export-fabrikam.json
                 --input diagnostic-settings-fabrikam.json --exceptions exceptions.json
                 --organisation "Contoso Group" --classification "Confidential")
    if run_report estate "${estate_args[@]}"; then
        "$PY" - "$TMP/estate/report.xlsx" <<'PYEOF' || bad "estate: workbook content"
import sys, openpyxl
wb = openpyxl.load_workbook(sys.argv[1])
exc = list(wb["Exceptions"].iter_rows(min_row=2, values_only=True))
assert exc, "no Exceptions rows"
exc = exc[:[r[0] for r in exc].index(None)]  # the table ends at the blank row above the warnings block
assert all(r[14] in ("Applied", "Expired \u2014 not applied", "Unmatched") for r in exc), exc
assert [r[0] for r in exc] == list(range(1, len(exc) + 1)), "entries numbered 1.. as in the file"
summary = {r[0]: r[1] for r in wb["Summary"].iter_rows(values_only=True) if r[0]}
assert summary.get("Organisation") == "Contoso Group", summary.get("Organisation")
assert summary.get("Classification") == "Confidential"
assert "Changes" not in wb.sheetnames
PYEOF
        run_report changes "${estate_args[@]}" --previous "$TMP/small/report.json" &&
            { "$PY" -c 'import sys, openpyxl; sys.exit("Changes" not in openpyxl.load_workbook(sys.argv[1]).sheetnames)' \
                  "$TMP/changes/report.xlsx" || bad "changes: no Changes sheet"; }
    fi
else
    bad "sample estate missing: $ESTATE"
fi

# LibreOffice must open it (every sheet converts). Optional: package libreoffice-calc-nogui.
if command -v soffice >/dev/null 2>&1 && [ -f "$TMP/estate/report.xlsx" ]; then
    mkdir -p "$TMP/lo"
    timeout 300 soffice --headless "-env:UserInstallation=file://$TMP/lo/profile" \
        --convert-to 'csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,false,false,false,-1' \
        "$TMP/estate/report.xlsx" --outdir "$TMP/lo" >"$TMP/lo.log" 2>&1 || bad "soffice failed: $(tail -3 "$TMP/lo.log")"
    for sheet in Summary "Security Profile" "Responsibility Matrix" Findings Evidence Exceptions \
                 "Collection Gaps" "Policy Definitions"; do
        [ -s "$TMP/lo/report-$sheet.csv" ] || bad "LibreOffice did not convert sheet '$sheet'"
    done
    grep -q '^Status,Control,Domain,Feature' "$TMP/lo/report-Findings.csv" || bad "LibreOffice: Findings header"
else
    echo "note: soffice not installed; LibreOffice open check skipped (package libreoffice-calc-nogui)"
fi

# Only xlsx requested: the workbook alone, no temp file left behind.
(cd "$SB_SRC" && "$SB_BIN" report --quiet --input "$SMALL" --format xlsx --out-dir "$TMP/only") 2>"$TMP/only.err"
rc=$?
{ [ $rc -eq 0 ] || [ $rc -eq 1 ]; } || bad "xlsx only: exit $rc: $(head -c 300 "$TMP/only.err")"
[ "$(ls "$TMP/only" 2>/dev/null | grep -c '\.xlsx')" = 1 ] || bad "xlsx only: $(ls "$TMP/only" 2>&1)"

exit $fail
