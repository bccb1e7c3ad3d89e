#!/usr/bin/env bash
# Grouped PDF findings: results that read the same properties on their own child resources (the links of each
# ExpressRoute Direct port) form one group, described once, with one short line per resource ("as above"), not one
# group or one long evidence line per port.
. "$SB_SRC/tests/cli-lib.sh"
export SOURCE_DATE_EPOCH=1790726400
expect_exit 1 "three ports whose links store the CKN outside Key Vault" "$SB_BIN" report --quiet \
  --input "$SB_SRC/tests/data/grouping/direct-ports.json" --format pdf,json --fail-on high --out-dir "$TMP/r"
pdftotext "$TMP/r/report.pdf" "$TMP/r.txt"
fails=$(/usr/bin/python3 -c "import json,sys; print(sum(1 for r in json.load(open(sys.argv[1]))['results']
  if r['control'] == 'IM-8' and r['status'] == 'fail'))" "$TMP/r/report.json")
check "three IM-8 failures ($fails)" test "$fails" -eq 3
check "one group of three" grep -q "^3 results$" "$TMP/r.txt"
check "the group names the links once, relative to the port" grep -q "2 times, on its child resources" "$TMP/r.txt"
check "each port's line says 'as above'" test "$(grep -o 'as above' "$TMP/r.txt" | wc -l)" -ge 3
check "no link's full id in the group's lines" test "$(grep -c '/links/link1' "$TMP/r.txt")" -le 3
finish
