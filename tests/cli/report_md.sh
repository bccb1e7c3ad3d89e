#!/usr/bin/env bash
# report.md is one screen for a change ticket: at most 60 lines whatever the estate size, the top
# items and active exceptions, and nothing from the estate can turn into markup.
. "$SB_SRC/tests/cli-lib.sh"
export SOURCE_DATE_EPOCH=1790726400

# A large estate (hundreds of failing subnets), then again against itself with one change.
/usr/bin/python3 "$SB_SRC/bench/make_estate.py" 120 6 "$TMP/big.json" >/dev/null
expect_exit 0 "big estate" "$SB_BIN" report --quiet --input "$TMP/big.json" --format json,md --out-dir "$TMP/big"
lines=$(wc -l <"$TMP/big/report.md")
check "big report.md is one screen ($lines lines)" test "$lines" -le 60
check "big report.md names the top items" grep -q '^## Top 10 open items (of [0-9]* failing or not assessed)' "$TMP/big/report.md"
check "big report.md points to the full reports" grep -q 'more in the PDF report and the workbook' "$TMP/big/report.md"
sed 's/snet-0"/snet-0x"/g' "$TMP/big.json" >"$TMP/big2.json"
expect_exit 0 "big estate with previous" "$SB_BIN" report --quiet --input "$TMP/big2.json" --format json,md \
  --previous "$TMP/big/report.json" --out-dir "$TMP/big2"
lines=$(wc -l <"$TMP/big2/report.md")
check "report.md with changes is one screen ($lines lines)" test "$lines" -le 60
/usr/bin/python3 - "$TMP/big2/report.md" <<'PY' || fail "changes do not come first"
import sys
md = open(sys.argv[1]).read()
assert md.index("## Changes since the previous assessment") < md.index("## Top 10 open items"), md[:400]
# the renamed subnets' old failing findings are gone now: no longer assessed, never resolved (issue 10)
assert "New finding" in md and "No longer assessed" in md and "Resolved" not in md
PY

# The sample estate: counts table, the subscription of each item, active exceptions.
cd "$ESTATE"
expect_exit 0 "sample" "$SB_BIN" report --quiet --input snapshot-contoso.json --input arg-export-fabrikam.json \
  --input diagnostic-settings-fabrikam.json --exceptions exceptions.json --format json,md --out-dir "$TMP/s"
/usr/bin/python3 - "$TMP/s/report.md" "$TMP/s/report.json" <<'PY' || fail "sample report.md content"
import json, sys
md = open(sys.argv[1]).read()
r = json.load(open(sys.argv[2]))
c = r["counts"]
row = "| %d | %d | %d | %d | %d | %d | %d |" % (c["fail"], c["not_assessed"], c["manual"], c["pass"],
                                              c["not_applicable"], c["excepted"], c["total"])
assert row in md, row
assert "Completeness: **incomplete**" in md
# az commands and <placeholders> are code, never bare (ticket renderers strip <nsg> as a tag)
assert "`az network vnet subnet update --nsg <nsg>" in md, "az command not in backticks"
for line in md.splitlines():
    bare = line
    while "`" in bare:
        a = bare.index("`"); b = bare.index("`", a + 1); bare = bare[:a] + bare[b + 1:]
    assert "<" not in bare and "az network" not in bare, line
# subscriptions by display name
assert "contoso-connectivity-prod" in md
active = [x for x in r["exceptions"] if not x["expired"]]
assert "## Active exceptions (%d)" % len(active) in md
for x in active:
    assert "`%s`" % x["entry_id"] in md, x["entry_id"]
assert [x for x in r["exceptions"] if x["expired"]][0]["entry_id"] not in md.split("## Active exceptions")[1].split("\n\n")[1]
PY

# Hostile names: raw HTML and Markdown link syntax in a resource name and a tag stay inert.
cd "$TMP"
cat >hostile.json <<'JSON'
{"value": [
 {"id": "/subscriptions/11111111-1111-4111-8111-111111111111/resourceGroups/rg/providers/Microsoft.Network/expressRouteCircuits/erc-<img src=x onerror=alert(1)>",
  "name": "erc-<img src=x onerror=alert(1)>", "type": "Microsoft.Network/expressRouteCircuits",
  "tags": {"owner": "[click](http://evil.example)"}, "properties": {}},
 {"id": "/subscriptions/11111111-1111-4111-8111-111111111111/resourceGroups/rg/providers/Microsoft.Network/expressRouteCircuits/[docs](http://evil.example)|x",
  "name": "[docs](http://evil.example)|x", "type": "Microsoft.Network/expressRouteCircuits", "properties": {}}
]}
JSON
expect_exit 0 "hostile names" "$SB_BIN" report --quiet --input hostile.json --format md --out-dir "$TMP/h" \
  --organisation '<script>alert(1)</script> [a](http://evil.example/org)'
check "hostile organisation kept as text" grep -qF '&lt;script&gt;alert(1)&lt;/script&gt; \[a\](http://evil.example/org)' "$TMP/h/report.md"
/usr/bin/python3 - "$TMP/h/report.md" <<'PY' || fail "hostile names became markup: $(grep -n 'evil\|img' "$TMP/h/report.md")"
import re, sys
md = open(sys.argv[1]).read()
assert "evil.example" in md, "hostile subnet is not listed at all"
for line in md.splitlines():
    bare = re.sub(r"(`+)(.*?)\1", "", line)          # inside code spans nothing renders
    assert "<img" not in bare and "<script" not in bare, line   # no raw HTML outside code
    assert not re.search(r"(?<!\\)\[[^\]]*(?<!\\)\]\(", bare), line   # no live [text](url)
    if line.startswith("|"):                          # table rows keep their column count
        cells = re.split(r"(?<!\\)\|", re.sub(r"(`+)(.*?)\1", "x", line))
        assert len(cells) == 9, line
PY
finish
