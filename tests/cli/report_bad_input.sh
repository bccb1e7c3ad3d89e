#!/usr/bin/env bash
# Bad input: a clear one-line message naming the file, exit 3, and no output file at all.
. "$SB_SRC/tests/cli-lib.sh"

bad() { # bad NAME CONTENT EXPECTED-STDERR-FRAGMENT [extra args]
  local name=$1 content=$2 frag=$3; shift 3
  printf '%b' "$content" > "$TMP/$name"
  local out="$TMP/out-$name"
  mkdir -p "$out"
  expect_exit 3 "$name" "$SB_BIN" report --input "$TMP/$name" --out-dir "$out" "$@"
  stderr_has "$frag"
  check "$name: one line" test "$(wc -l < "$TMP/err")" -eq 1
  dir_empty "$out"
}
bad malformed.json '{\n  "value": [\n    {"id": }\n  ]\n}' "malformed.json:3:"
bad truncated.json '{"value": [{"id": "/subscriptions/s/x"' "unexpected end of input"
bad empty.json '' "empty.json: empty file"
bad wrongtype.json '{"value":[{"id":"/subscriptions/s/x","properties":"yes"}]}' "value[0].properties: expected an object"
bad noid.json '[{"name":"x"}]' 'resource has no "id" string'
bad utf8.json '{"id":"/subscriptions/s/\xc3\x28"}' "invalid UTF-8"
bad trailing.json '{"id":"/subscriptions/s/x"} {}' "unexpected data after the JSON value"
bad unknown-shape.json '{"hello":"world"}' "not a recognised input"
bad array-of-numbers.json '[1,2]' "expected a resource object"
# An input must not be ambiguous: duplicate keys and \u0000 are refused with FILE:LINE:COL (issue 11).
bad dupkey.json '{"value": [{"id": "/subscriptions/s/x", "id": "/subscriptions/s/y"}]}' "dupkey.json:1:41: value[0].id: duplicate key"
bad nulesc.json '{"id":"/subscriptions/s/a\\u0000b"}' "nulesc.json:1:26: \\u0000 (NUL) in a JSON string"
python3 -c 'print("[" * 1000 + "]" * 1000)' > "$TMP/deep-src"
bad deep.json "$(cat "$TMP/deep-src")" "nested deeper than"
expect_exit 3 "missing input file" "$SB_BIN" report --input "$TMP/nope.json" --out-dir "$TMP/o2"
stderr_has "nope.json: No such file or directory"
expect_exit 3 "directory as input" "$SB_BIN" report --input "$TMP" --out-dir "$TMP/o3"
stderr_has "is a directory"

# baseline: unknown key, bad enum
cp "$SB_SRC/templates/baselines/expressroute.json" "$TMP/b.json"
sed -i '0,/"supported": "True"/s//"supported": "Yes"/' "$TMP/b.json"
mkdir -p "$TMP/ob"
expect_exit 3 "bad baseline enum" "$SB_BIN" report --input "$ESTATE/snapshot-contoso.json" --baseline "$TMP/b.json" --out-dir "$TMP/ob"
stderr_has "b.json: controls[0].features[0].supported"
dir_empty "$TMP/ob"
cp "$SB_SRC/templates/baselines/expressroute.json" "$TMP/b2.json"
sed -i '0,/"service":/s//"servise_typo": "x", "service":/' "$TMP/b2.json"
expect_exit 3 "unknown baseline key" "$SB_BIN" report --input "$ESTATE/snapshot-contoso.json" --baseline "$TMP/b2.json" --out-dir "$TMP/ob"
stderr_has "servise_typo"
dir_empty "$TMP/ob"

# exceptions file errors
echo '{"exceptions":[{"finding_id":"x","kind":"waiver","justification":"j","approver":"a","expires":"2027-01-01"}]}' > "$TMP/ex.json"
expect_exit 3 "bad exceptions kind" "$SB_BIN" report --input "$ESTATE/snapshot-contoso.json" --exceptions "$TMP/ex.json" --out-dir "$TMP/ob"
stderr_has "ex.json: entry #1: \"kind\""
dir_empty "$TMP/ob"

# duplicate keys in the exceptions file, the baseline and the previous report
printf '{"exceptions": [],\n "exceptions": []}\n' > "$TMP/exdup.json"
expect_exit 3 "duplicate key in exceptions" "$SB_BIN" report --input "$ESTATE/snapshot-contoso.json" --exceptions "$TMP/exdup.json" --out-dir "$TMP/ob"
stderr_has "exdup.json:2:2: exceptions: duplicate key"
dir_empty "$TMP/ob"
/usr/bin/python3 - "$SB_SRC/templates/baselines/expressroute.json" "$TMP/bdup.json" <<'PYEOF'
import sys
text = open(sys.argv[1]).read()
i = text.index('"service":')
open(sys.argv[2], "w").write(text[:i] + '"service": "x", ' + text[i:])
PYEOF
expect_exit 3 "duplicate key in baseline" "$SB_BIN" report --input "$ESTATE/snapshot-contoso.json" --baseline "$TMP/bdup.json" --out-dir "$TMP/ob"
stderr_has "bdup.json:"
stderr_has ": service: duplicate key"
dir_empty "$TMP/ob"
printf '{"generated": "2026-06-30T00:00:00Z", "results": [], "generated": "x"}' > "$TMP/prevdup.json"
expect_exit 3 "duplicate key in previous report" "$SB_BIN" report --input "$ESTATE/snapshot-contoso.json" --previous "$TMP/prevdup.json" --out-dir "$TMP/ob"
stderr_has "prevdup.json:1:54: generated: duplicate key"
dir_empty "$TMP/ob"

# --basename that would make one of the manifest's own files: usage error, nothing written
for b in manifest; do
  expect_exit 2 "--basename $b" "$SB_BIN" report --input "$ESTATE/snapshot-contoso.json" --basename "$b" --out-dir "$TMP/ob"
  stderr_has "would make manifest.json"
  expect_exit 2 "--basename $b, csv only" "$SB_BIN" report --input "$ESTATE/snapshot-contoso.json" --format csv --basename "$b" --out-dir "$TMP/ob"
  dir_empty "$TMP/ob"
done
expect_exit 2 "--basename with a newline" "$SB_BIN" report --input "$ESTATE/snapshot-contoso.json" --basename "$(printf 'a\nb')" --out-dir "$TMP/ob"
stderr_has "--basename: no control characters"
expect_exit 2 "--basename with a backslash" "$SB_BIN" report --input "$ESTATE/snapshot-contoso.json" --basename 'a\b' --out-dir "$TMP/ob"
dir_empty "$TMP/ob"
expect_exit 0 "--basename manifests is fine" "$SB_BIN" report --quiet --input "$ESTATE/snapshot-contoso.json" --format json --basename manifests --out-dir "$TMP/okb"
check "manifests.json written" test -s "$TMP/okb/manifests.json"
check "manifest.json written" test -s "$TMP/okb/manifest.json"

# output errors: exit 4, nothing left behind
mkdir -p "$TMP/ro" && chmod 555 "$TMP/ro"
if [ "$(id -u)" -ne 0 ]; then
  expect_exit 4 "unwritable out dir" "$SB_BIN" report --input "$ESTATE/snapshot-contoso.json" --format json --out-dir "$TMP/ro"
  dir_empty "$TMP/ro"
fi
echo x > "$TMP/afile"
expect_exit 4 "out dir is a file" "$SB_BIN" report --input "$ESTATE/snapshot-contoso.json" --format json --out-dir "$TMP/afile/sub"
# a renderer failing mid-way leaves no file from the formats that succeeded
mkdir -p "$TMP/nofonts/templates/baselines" "$TMP/partial"
cp "$SB_SRC/templates/baselines/expressroute.json" "$TMP/nofonts/templates/baselines/"
expect_exit 4 "missing fonts" "$SB_BIN" report --input "$ESTATE/snapshot-contoso.json" --format json,csv,pdf --data-dir "$TMP/nofonts" --out-dir "$TMP/partial"
stderr_has "fonts"
dir_empty "$TMP/partial"
finish
