#!/usr/bin/env bash
# --previous and `diff` read report.json one result at a time (issue 12): the same changes as before, and a
# broken previous report is one line naming the file, the element and the line:column in the file, exit 3,
# nothing written.
. "$SB_SRC/tests/cli-lib.sh"
export SOURCE_DATE_EPOCH=1790000000
IN=(--input "$ESTATE/snapshot-contoso.json" --input "$ESTATE/arg-export-fabrikam.json"
    --exceptions "$ESTATE/exceptions.json" --max-exception-days 3650)

expect_exit 0 "first report" "$SB_BIN" report "${IN[@]}" --format json --out-dir "$TMP/q2"
# The previous quarter: one finding failing that passes now, one evidence value different, a result more.
/usr/bin/python3 - "$TMP/q2/report.json" "$TMP/prev.json" <<'PYEOF'
import json, sys
d = json.load(open(sys.argv[1]))
res = d["results"]
p = next(r for r in res if r["status"] == "pass" and r["evidence"])
p["status"] = "fail"
e = next(r for r in res if r is not p and r["evidence"])
e["evidence"][0]["value"] = "old value"
g = dict(res[0]); g["id"] = "expressroute-NS-1-ffffffffffffffff"; g["status"] = "fail"
res.append(g)
json.dump(d, open(sys.argv[2], "w"), indent=2)
PYEOF
expect_exit 0 "report --previous" "$SB_BIN" report "${IN[@]}" --format json --previous "$TMP/prev.json" --out-dir "$TMP/q3"
expect_exit 0 "diff" "$SB_BIN" diff "$TMP/prev.json" "$TMP/q3/report.json" --format json --out-dir "$TMP/d"
# --previous (model vs. file) and diff (file vs. file) agree on every change.
check "same changes from --previous and diff" /usr/bin/python3 - "$TMP/q3/report.json" "$TMP/d/diff.json" <<'PYEOF'
import json, sys
a = json.load(open(sys.argv[1]))["changes"]["items"]
b = json.load(open(sys.argv[2]))["changes"]
kinds = sorted(c["kind"] for c in a)
assert a == b, (len(a), len(b))
assert {"resolved", "evidence_changed", "no_longer_assessed"} <= set(kinds), kinds
PYEOF

# Broken previous reports: a syntax error in results[N], a duplicate key in one, a file cut short.
/usr/bin/python3 - "$TMP/prev.json" "$TMP" <<'PYEOF'
import sys
text = open(sys.argv[1]).read()
out = sys.argv[2]
i = text.index('"status"', text.index('"results"'))
i = text.index('"status"', i + 1)   # results[1]
open(out + "/syntax.json", "w").write(text[:i] + '"status" "pass", ' + text[i:])
open(out + "/dupkey.json", "w").write(text[:i] + '"status": "pass", ' + text[i:])
mid = (text.index('"results"') + text.index('\n  "exceptions"')) // 2   # inside the results
open(out + "/cut.json", "w").write(text[:mid])
PYEOF
broken() { # broken NAME EXPECTED-STDERR-FRAGMENT
  mkdir -p "$TMP/out-$1"
  expect_exit 3 "$1 as --previous" "$SB_BIN" report "${IN[@]}" --previous "$TMP/$1.json" --out-dir "$TMP/out-$1"
  stderr_has "$2"
  stderr_has "$TMP/$1.json:"
  check "$1: one line: $(cat "$TMP/err")" test "$(wc -l < "$TMP/err")" -eq 1
  dir_empty "$TMP/out-$1"
  expect_exit 3 "$1 in diff" "$SB_BIN" diff "$TMP/$1.json" "$TMP/q3/report.json"
  stderr_has "$2"
}
broken syntax ": results[1]: malformed JSON"
broken dupkey ": results[1].status: duplicate key"
broken cut ": malformed JSON"
stderr_has ": results["
printf '{"generated": "g", "results": {}}' > "$TMP/notarray.json"
broken notarray "notarray.json: results: expected an array"
finish
