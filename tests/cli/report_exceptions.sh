#!/usr/bin/env bash
# Exceptions governance end to end: ids checked against the baseline (exit 3, entry numbered as in
# the docs), the approval trail and matched finding ids in every format, unmatched entries listed,
# governance warnings on stderr and in the PDF / workbook, the closing summary line.
. "$SB_SRC/tests/cli-lib.sh"
export SOURCE_DATE_EPOCH=1790726400 # 2026-09-30
in=(--input "$ESTATE/snapshot-contoso.json")

cat >"$TMP/typo-control.json" <<'JSON'
{"exceptions": [
 {"finding_id": "whatever", "kind": "attestation", "justification": "j", "approved_by": "a", "expires": "2027-01-01"},
 {"id": "EXC-9", "control": "NS-11", "kind": "accepted_risk", "justification": "j", "approved_by": "a", "expires": "2027-01-01"}]}
JSON
expect_exit 3 "unknown control" "$SB_BIN" report "${in[@]}" --exceptions "$TMP/typo-control.json" --out-dir "$TMP/o1"
stderr_has 'typo-control.json: entry #2 (EXC-9): control "NS-11" is not in the baseline'
dir_empty "$TMP/o1"
sed 's/"control": "NS-11"/"control": "NS-1", "feature": "Network Security Groups"/' "$TMP/typo-control.json" >"$TMP/typo-feature.json"
expect_exit 3 "unknown feature" "$SB_BIN" report "${in[@]}" --exceptions "$TMP/typo-feature.json" --out-dir "$TMP/o1"
stderr_has 'entry #2 (EXC-9): feature "Network Security Groups" is not a feature of control NS-1'
expect_exit 2 "bad --max-exception-days" "$SB_BIN" report "${in[@]}" --max-exception-days soon --out-dir "$TMP/o1"

cat >"$TMP/ex.json" <<'JSON'
{"exceptions": [
 {"id": "EXC-1", "control": "NS-1", "feature": "Network Security Group Support",
  "resource": "*/virtualNetworks/vnet-hub-weu/subnets/snet-management", "kind": "compensating_control",
  "justification": "Jump hosts only; NSG with the Q1 change.", "approved_by": "J. Smith (CISO)", "approved_on": "2026-09-01",
  "owner": "Network engineering", "evidence": "https://wiki.example/EXC-1", "ticket": "CHG-1", "expires": "2027-03-31"},
 {"id": "EXC-2", "control": "LT-4", "kind": "accepted_risk", "justification": "Logs via the SIEM.",
  "approver": "A. Jones", "expires": "2028-06-30"},
 {"id": "EXC-3", "finding_id": "expressroute-NS-1-0000000000000000", "kind": "accepted_risk",
  "justification": "A resource that no longer exists.", "expires": "2027-01-31"}]}
JSON
expect_exit 0 "report with exceptions" "$SB_BIN" report "${in[@]}" --exceptions "$TMP/ex.json" --format json,md,pdf,xlsx --out-dir "$TMP/r"
stderr_has 'mcsb-audit: warning: '"$TMP"'/ex.json: entry #2 (EXC-2): blanket scope: covers every feature of control LT-4'
stderr_has 'entry #2 (EXC-2): expires 2028-06-30, 639 days after the report date (more than the 365 days of --max-exception-days)'
stderr_has 'entry #3 (EXC-3): no approver ("approved_by")'
stderr_has 'entry #3 (EXC-3): matched no result (listed as unmatched)'
check "summary is the last line" sh -c "tail -1 '$TMP/err' | grep -Eq '^mcsb-audit: [0-9]+ results: [0-9]+ fail, [0-9]+ not assessed, [0-9]+ manual, [0-9]+ pass, [0-9]+ N/A; [0-9]+ excepted; (complete|incomplete \\(.*\\)); reports in $TMP/r/\$'"
check "warnings before the summary" sh -c "! grep -n warning '$TMP/err' | tail -1 | grep -q \"^\$(wc -l <'$TMP/err'):\""
# a longer review period silences the expiry warning only
expect_exit 0 "max-exception-days" "$SB_BIN" report "${in[@]}" --exceptions "$TMP/ex.json" --max-exception-days 700 --format json --out-dir "$TMP/r2"
check "no expiry warning at 700 days" sh -c "! grep -q 'days after the report date' '$TMP/err'"
stderr_has "blanket scope"
expect_exit 0 "quiet" "$SB_BIN" report --quiet "${in[@]}" --exceptions "$TMP/ex.json" --format json --out-dir "$TMP/r3"
check "--quiet prints nothing" test ! -s "$TMP/err"

/usr/bin/python3 - "$TMP/r" <<'PY' || fail "exceptions in report.json / report.md / workbook"
import json, os, sys
import openpyxl
d = sys.argv[1]
r = json.load(open(os.path.join(d, "report.json")))
x = {e["entry_id"]: e for e in r["exceptions"]}
e1 = x["EXC-1"]
assert (e1["approved_by"], e1["approved_on"], e1["owner"], e1["evidence"]) == \
    ("J. Smith (CISO)", "2026-09-01", "Network engineering", "https://wiki.example/EXC-1"), e1
assert e1["approver"] == e1["approved_by"]          # the older key stays for existing readers
assert e1["number"] == 1 and e1["matched"] == 1 and not e1["unmatched"] and not e1["warnings"]
ids = [res["id"] for res in r["results"] if res.get("exception", {}).get("entry_id") == "EXC-1"]
assert e1["matched_findings"] == ids and ids, (e1["matched_findings"], ids)
assert x["EXC-2"]["approved_by"] == "A. Jones" and len(x["EXC-2"]["warnings"]) == 2
assert x["EXC-3"]["unmatched"] and x["EXC-3"]["matched_findings"] == [] and x["EXC-3"]["approved_by"] is None
res = [res for res in r["results"] if res["id"] == ids[0]][0]
assert res["exception"]["owner"] == "Network engineering" and res["exception"]["approved_on"] == "2026-09-01"
md = open(os.path.join(d, "report.md")).read()
assert "## Active exceptions (3)" in md and "#3 `EXC-3`" in md and "**unmatched**" in md, md
assert "approved by J. Smith (CISO) on 2026-09-01" in md and "#3 `EXC-3` Accepted risk: `expressroute-NS-1-0000000000000000` " \
    "\u2014 **no approver recorded**" in md, md
wb = openpyxl.load_workbook(os.path.join(d, "report.xlsx"))
rows = list(wb["Exceptions"].iter_rows(values_only=True))
head = list(rows[0])
col = {h: i for i, h in enumerate(head)}
e3 = rows[3]
assert e3[col["State"]] == "Unmatched" and e3[col["Entry #"]] == 3, e3
assert rows[1][col["Owner"]] == "Network engineering" and rows[1][col["Matched finding ids"]] == ids[0]
notes = [row[0] for row in rows[5:] if row[0]]
assert notes[0] == "Governance warnings" and any(n.startswith("Entry #3 (EXC-3): no approver") for n in notes), notes
PY
pdftotext -layout "$TMP/r/report.pdf" "$TMP/r.txt" 2>/dev/null || fail "pdftotext"
for s in "Governance warnings" "Approved by: J. Smith" "Approved on:" "Owner: Network" "Evidence:" \
         "https://wiki.example/EXC-1" "unmatched" "entry #3" "Matched findings: expressroute-NS-1-" \
         "#3 EXC-3                     no approver"; do
  check "PDF shows '$s'" grep -qF -- "$s" "$TMP/r.txt"
done
finish
