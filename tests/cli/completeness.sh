#!/usr/bin/env bash
# Population completeness (issue 10): paged and truncated inputs are gaps naming the command that fetches the
# rest; empty inputs are never a clean bill; a 403 subscription reaches the cover and the executive summary;
# scope.complete in every format; --period; "Population incomplete" in every PDF page header; the classification
# is never cut; --previous with a subscription missing now gives no_longer_assessed, not resolved.
. "$SB_SRC/tests/cli-lib.sh"
PY=/usr/bin/python3
D="$SB_SRC/tests/data/completeness"
export SOURCE_DATE_EPOCH=1790726400

report() { # OUTDIR INPUT... [-- extra options]
  local out=$1; shift
  local args=()
  while [ $# -gt 0 ] && [ "$1" != "--" ]; do args+=(--input "$1"); shift; done
  [ "${1:-}" = "--" ] && shift
  "$SB_BIN" report --quiet "${args[@]}" --out-dir "$out" "$@"
}

# jq-like: evaluate a Python expression over report.json (d); prints the value.
jget() { "$PY" -c 'import json,sys; d=json.load(open(sys.argv[1])); print(eval(sys.argv[2]))' "$1" "$2"; }

# ---- paged and truncated input files -------------------------------------------------------------------
for f in arm-list-page1 resource-graph-page1 az-graph-query-page1 resource-graph-truncated; do
  expect_exit 0 "$f: report" report "$TMP/$f" "$D/$f.json" -- --format json,csv,md
  j="$TMP/$f/report.json"
  check "$f: scope.complete is false" [ "$(jget "$j" 'd["scope"]["complete"]')" = False ]
  check "$f: one gap naming the file" [ "$(jget "$j" 'len([g for g in d["gaps"] if g["request"] == "input '"$D/$f.json"'"])')" = 1 ]
  # every reason is also a gap: the reason counts add up to the gaps
  check "$f: reasons are gaps" [ "$(jget "$j" 'sum(x["count"] for x in d["scope"]["incomplete_reasons"])')" = "$(jget "$j" 'len(d["gaps"])')" ]
  check "$f: csv population_complete false" grep -q ',false$' <(tr -d '\r' <"$TMP/$f/report.csv" | sed -n 2p)
  check "$f: md opens with the population" grep -q "^Completeness: \*\*incomplete\*\* — population incomplete" <(sed -n 3p "$TMP/$f/report.md")
  # the fix for a page of a listing is the rest of the listing, not a permission
  check "$f: remediation completes the input" [ "$(jget "$j" '[r["remediation"] for r in d["results"] if r["status"] == "not_assessed" and r["summary"].startswith("Part of the estate")][0].startswith("Complete the input: ")')" = True ]
done
msg() { jget "$TMP/$1/report.json" 'd["gaps"][0]["message"]'; }
check "ARM page: az rest with the nextLink" grep -qF "az rest --method get --uri 'https://management.azure.com/subscriptions/55555555-5555-4555-8555-555555555555/providers/Microsoft.Network/expressRouteCircuits?api-version=2024-05-01&\$skiptoken=eyJuZXh0UGFydGl0aW9uS2V5IjoiMSJ9'" <(msg arm-list-page1)
check "ARM page: names the file" grep -qF "arm-list-page1.json is one page of a longer ARM list" <(msg arm-list-page1)
check "ARM page: gap scoped to the subscription of the link" [ "$(jget "$TMP/arm-list-page1/report.json" 'd["gaps"][0]["scope"]')" = /subscriptions/55555555-5555-4555-8555-555555555555 ]
check "ARM page: reason code" [ "$(jget "$TMP/arm-list-page1/report.json" 'd["scope"]["incomplete_reasons"][0]["code"]')" = paged_input ]
check "ARG page: --skip-token with the \$skipToken" grep -qF "az graph query -q '<the same query>' --first 1000 --skip-token 'ew0KICAiJGlkIjogIjEiLA0KICAiTWF4Um93cyI6IDEwMDANCn0='" <(msg resource-graph-page1)
check "az graph page: --skip-token with the skip_token" grep -qF -- "--skip-token 'ew0KICAiJGlkIjogIjIiLA0KICAiTWF4Um93cyI6IDEwMDANCn0='" <(msg az-graph-query-page1)
check "az graph page: says skip_token" grep -qF "(skip_token is set)" <(msg az-graph-query-page1)
check "truncated: says so and how to page" grep -qF "resultTruncated" <(msg resource-graph-truncated)
check "truncated: reason code" [ "$(jget "$TMP/resource-graph-truncated/report.json" 'd["scope"]["incomplete_reasons"][0]["code"]')" = truncated_input ]
check "truncated: mcsb-audit collect suggested" grep -qF "mcsb-audit collect" <(msg resource-graph-truncated)

# The last page (nextLink null) and a whole az graph answer (skip_token null) are complete listings.
for f in arm-list-last-page az-graph-query-all; do
  expect_exit 0 "$f: report" report "$TMP/$f" "$D/$f.json" -- --format json,csv,md
  check "$f: complete" [ "$(jget "$TMP/$f/report.json" 'd["scope"]["complete"]')" = True ]
  check "$f: no gaps, no reasons" [ "$(jget "$TMP/$f/report.json" 'len(d["gaps"]) + len(d["scope"]["incomplete_reasons"])')" = 0 ]
  check "$f: csv population_complete true" grep -q ',true$' <(tr -d '\r' <"$TMP/$f/report.csv" | sed -n 2p)
  check "$f: md says complete" grep -q '^Completeness: \*\*complete\*\* — population complete' "$TMP/$f/report.md"
  check "$f: scope requested is the files" [ "$(jget "$TMP/$f/report.json" 'd["scope"]["requested"]["kind"]')" = input_files ]
  check "$f: evidence time not recorded" [ "$(jget "$TMP/$f/report.json" 'd["evidence_as_of"]')" = None ]
done

# ---- empty inputs --------------------------------------------------------------------------------------
for f in empty-array empty-list; do
  expect_exit 0 "$f: report" report "$TMP/$f" "$D/$f.json" -- --format json,md,pdf
  stderr_has "warning: the inputs hold no resources"
  check "$f: no resources" [ "$(jget "$TMP/$f/report.json" 'd["scope"]["resources"]')" = 0 ]
  check "$f: md says so" grep -qF "The inputs hold no resources" "$TMP/$f/report.md"
  pdftotext -f 1 -l 1 "$TMP/$f/report.pdf" - 2>/dev/null | tr -s ' \n' '  ' >"$TMP/$f.cover"
  check "$f: the cover says so" grep -qF "The inputs hold no resources" "$TMP/$f.cover"
done

# ---- an estate with a 403 subscription ------------------------------------------------------------------
expect_exit 0 "403 snapshot: report" report "$TMP/s403" "$D/snapshot-subscriptions.json" -- \
  --classification "Confidential" --period 2026-07-01..2026-09-30
j="$TMP/s403/report.json"
check "403: scope.complete false" [ "$(jget "$j" 'd["scope"]["complete"]')" = False ]
check "403: reason names the subscription" grep -qF "1 subscription could not be read: er-lab (66666666-6666-4666-8666-666666666666)" <(jget "$j" 'd["scope"]["incomplete_reasons"][0]["text"]')
check "403: subscription not_collected" [ "$(jget "$j" '[s["collected"] for s in d["scope"]["subscriptions"]]')" = "['complete', 'not_collected']" ]
check "403: visible vs assessed" [ "$(jget "$j" '(d["scope"]["subscriptions_visible"], d["scope"]["subscriptions_assessed"])')" = "(2, 1)" ]
check "403: requested subscriptions" [ "$(jget "$j" 'd["scope"]["requested"]["kind"]')" = subscriptions ]
check "403: identity recorded, no secret" [ "$(jget "$j" 'd["scope"]["identity"]')" = "[{'method': 'client secret', 'tenant_id': 'cccccccc-0000-4000-8000-000000000c0c', 'client_id': '0a0a0a0a-1111-4222-8333-444444444444'}]" ]
check "403: evidence as of the collection end" [ "$(jget "$j" 'd["evidence_as_of"]')" = 2026-09-28T06:01:30Z ]
check "403: period" [ "$(jget "$j" 'd["period"]')" = "{'from': '2026-07-01', 'to': '2026-09-30'}" ]
pdf="$TMP/s403/report.pdf"
pages=$(pdfinfo "$pdf" 2>/dev/null | awk '/^Pages:/ {print $2}')
pdftotext -f 1 -l 1 "$pdf" - 2>/dev/null | tr -s ' \n' '  ' >"$TMP/cover"
check "403: cover names the subscription" grep -qF "could not be read: er-lab" "$TMP/cover"
check "403: cover identity" grep -qF "client id 0a0a0a0a-1111-4222-8333-444444444444 (client secret)" "$TMP/cover"
check "403: cover scope requested" grep -qF "subscriptions 55555555-5555-4555-8555-555555555555, 66666666-6666-4666-8666-666666666666" "$TMP/cover"
check "403: cover visible vs assessed" grep -qF "2 visible in the inputs, 1 assessed; not collected: er-lab" "$TMP/cover"
check "403: cover evidence as of" grep -qF "Evidence as of 2026-09-28T06:01:30Z" "$TMP/cover"
check "403: cover audit period" grep -qF "Audit period 2026-07-01 to 2026-09-30" "$TMP/cover"
check "403: cover collection run" grep -qF "Collection run 2026-09-28T06:00:00Z" "$TMP/cover"
check "403: no 'Collection period' any more" sh -c "! grep -qF 'Collection period' '$TMP/cover'"
# The executive summary: the statement comes before the counts.
"$PY" - "$pdf" <<'EOF' || fail "403: executive summary does not open with the completeness statement"
import subprocess, sys
pages = subprocess.run(["pdftotext", sys.argv[1], "-"], capture_output=True, text=True).stdout.split("\f")
page = next(p for p in pages if "Executive summary" in p and "Results by control domain" in p)
flat = " ".join(page.split())
a, b = flat.find("Scope and completeness"), flat.find("results over")
assert 0 <= a < b, flat[:400]
assert "could not be read: er-lab" in flat[a:b], flat[a:b]
EOF
# Every page carries "Population incomplete" in its header (the cover above the title).
for p in $(seq 1 "$pages"); do
  pdftotext -f "$p" -l "$p" -layout "$pdf" - 2>/dev/null | head -3 | grep -qF "Population incomplete" || fail "page $p lacks 'Population incomplete'"
done
pass
# A complete report carries no such flag.
expect_exit 0 "complete: pdf" report "$TMP/full" "$D/arm-list-last-page.json" -- --format pdf
n=$(pdfinfo "$TMP/full/report.pdf" 2>/dev/null | awk '/^Pages:/ {print $2}')
for p in $(seq 1 "$n"); do
  pdftotext -f "$p" -l "$p" -layout "$TMP/full/report.pdf" - 2>/dev/null | head -3 | grep -qF "Population incomplete" && fail "complete report: page $p flagged incomplete"
done
pass
# The XLSX Summary sheet carries the statement and the yes/no.
"$PY" - "$TMP/s403/report.xlsx" <<'EOF' || fail "403: xlsx Summary lacks the completeness statement"
import openpyxl, sys
ws = openpyxl.load_workbook(sys.argv[1], read_only=True)["Summary"]
rows = {r[0]: r[1] for r in ws.iter_rows(values_only=True) if r and r[0]}
assert rows.get("Population complete") == "no", rows.get("Population complete")
assert "could not be read: er-lab" in rows.get("Population", ""), rows.get("Population")
assert rows.get("Audit period") == "2026-07-01 to 2026-09-30", rows.get("Audit period")
assert rows.get("Evidence as of") == "2026-09-28T06:01:30Z", rows.get("Evidence as of")
EOF
pass

# A snapshot that calls itself incomplete but names no gap is still incomplete.
expect_exit 0 "incomplete snapshot: report" report "$TMP/inc" "$D/snapshot-incomplete-no-gaps.json" -- --format json
check "incomplete snapshot: gap recorded" [ "$(jget "$TMP/inc/report.json" '[g["error_code"] for g in d["gaps"]]')" = "['IncompleteCollection']" ]
check "incomplete snapshot: not complete" [ "$(jget "$TMP/inc/report.json" 'd["scope"]["complete"]')" = False ]

# ---- --period -----------------------------------------------------------------------------------------
for bad in 2026-07-01 2026-07-01..2026-13-01 2026-02-30..2026-03-01 2026-09-30..2026-07-01 ..2026-07-01 x..y; do
  expect_exit 2 "--period $bad is refused" report "$TMP/bad" "$D/arm-list-last-page.json" -- --format json --period "$bad"
  stderr_has "--period"
done
check "--period refused: nothing written" dir_empty "$TMP/bad"
expect_exit 0 "no --period" report "$TMP/np" "$D/arm-list-last-page.json" -- --format json
check "no --period: null" [ "$(jget "$TMP/np/report.json" 'd["period"]')" = None ]

# ---- the classification label is never cut -------------------------------------------------------------
label="Confidential - Internal audit evidence - Distribution limited to the audit committee, the CISO office and the external auditors named in engagement letter 2026-Q3-017 - Do not forward"
expect_exit 0 "long classification" report "$TMP/cls" "$D/snapshot-subscriptions.json" -- --format pdf --classification "$label"
pdftotext -f 2 -l 2 -layout "$TMP/cls/report.pdf" - 2>/dev/null | head -6 >"$TMP/p2"
# the label may wrap onto lines above the header's baseline, where the flag sits at the left
check "long classification: whole label in the page header" grep -qF "$label" <(sed 's/Population incomplete//' "$TMP/p2" | tr -s ' \n' '  ')
check "long classification: no ellipsis" sh -c "! grep -qF '…' '$TMP/p2'"
check "long classification: flag kept" grep -qF "Population incomplete" "$TMP/p2"

# ---- --previous with a subscription missing now -----------------------------------------------------------
(cd "$ESTATE" && "$SB_BIN" report --quiet --input snapshot-contoso.json --input arg-export-fabrikam.json \
  --input diagnostic-settings-fabrikam.json --format json --out-dir "$TMP/q2") || [ $? -eq 1 ] || fail "q2 report"
# This quarter the Fabrikam export is missing: its subscription is simply not in the inputs.
(cd "$ESTATE" && "$SB_BIN" report --quiet --input snapshot-contoso.json --format json,md,csv,xlsx \
  --previous "$TMP/q2/report.json" --out-dir "$TMP/q3") || [ $? -eq 1 ] || fail "q3 report"
"$PY" - "$TMP/q2/report.json" "$TMP/q3/report.json" <<'EOF' || fail "--previous: missing subscription handled wrongly"
import json, sys
old, new = (json.load(open(p)) for p in sys.argv[1:3])
fab = "/subscriptions/44444444-4444-4444-8444-444444444444/"
was = [r["id"] for r in old["results"] if r["status"] == "fail" and (r["resource_id"] or "").lower().startswith(fab)]
assert was, "fixture: Fabrikam has failing findings"
items = new["changes"]["items"]
gone = [c for c in items if c["kind"] == "no_longer_assessed"]
assert sorted(c["finding_id"] for c in gone) == sorted(was), (gone, was)
for c in gone:
    assert c["reason"] == "not collected: subscription 44444444-4444-4444-8444-444444444444 is not in the current inputs", c
assert not [c for c in items if c["kind"] == "resolved" and c["finding_id"] in was], "reported as resolved"
EOF
pass
check "--previous: md counts them apart" grep -qE 'No longer assessed [0-9]+' "$TMP/q3/report.md"
check "--previous: xlsx reads back" "$PY" "$SB_SRC/tests/xlsx_readback.py" "$TMP/q3/report.xlsx" "$TMP/q3/report.json"
# --fail-on new is unchanged: findings that disappeared are not new.
(cd "$ESTATE" && "$SB_BIN" report --quiet --input snapshot-contoso.json --format json \
  --previous "$TMP/q2/report.json" --fail-on new --out-dir "$TMP/q3b")
check "--fail-on new: no new findings, exit 0" [ $? -eq 0 ]
finish
