#!/bin/bash
# `mcsb-audit diff`: golden Markdown and CSV, JSON contents, --out-dir, and error exit codes.
set -u
: "${SB_BIN:?}" "${SB_SRC:?}" "${SB_BUILD:?}"
export LC_ALL=C
PY=/usr/bin/python3
D="$SB_SRC/tests/data/diff"

fail() { echo "FAIL: $*" >&2; exit 1; }
T=$(mktemp -d "$SB_BUILD/cli-diff.XXXXXX") || exit 1
trap 'rm -rf "$T"' EXIT

run() {
    local name=$1 want=$2
    shift 2
    "$SB_BIN" "$@" >"$T/$name.out" 2>"$T/$name.err"
    local rc=$?
    [ "$rc" -eq "$want" ] || fail "$name: exit $rc, want $want; stderr: $(cat "$T/$name.err")"
}

# The golden files name the inputs as given, so run from the fixture directory.
cd "$D" || exit 1

run md 0 diff old.json new.json
cmp -s expected.md "$T/md.out" || { diff -u expected.md "$T/md.out" >&2; fail "markdown differs from expected.md"; }
[ ! -s "$T/md.err" ] || fail "md: unexpected stderr: $(cat "$T/md.err")"

run csv 0 diff old.json new.json --format csv
cmp -s expected.csv "$T/csv.out" || { diff -u expected.csv "$T/csv.out" >&2; fail "csv differs from expected.csv"; }

run same 0 diff new.json new.json
cmp -s expected-identical.md "$T/same.out" || fail "identical reports: $(cat "$T/same.out")"
grep -qx 'No changes.' "$T/same.out" || fail "identical reports should say No changes."

# --out-dir: all three formats by default, atomically (no temporary files left).
run outdir 0 diff old.json new.json --out-dir "$T/q3"
[ "$(ls -A "$T/q3" | tr '\n' ' ')" = "diff.csv diff.json diff.md " ] || fail "out-dir contents: $(ls -A "$T/q3")"
cmp -s expected.md "$T/q3/diff.md" || fail "diff.md differs from stdout output"
cmp -s expected.csv "$T/q3/diff.csv" || fail "diff.csv differs from stdout output"
[ ! -s "$T/outdir.out" ] || fail "--out-dir should not print the diff"
"$PY" - "$T/q3/diff.json" <<'PYEOF' || fail "diff.json contents"
import json, sys
d = json.load(open(sys.argv[1]))
assert d["tool"]["name"] == "mcsb-audit", d["tool"]
assert d["previous"]["name"] == "old.json" and d["previous"]["generated"] == "2026-06-30T00:00:00Z", d["previous"]
assert d["current"]["name"] == "new.json" and len(d["current"]["sha256"]) == 64, d["current"]
want = {"new_finding": 2, "resolved": 1, "status_changed": 1, "resource_added": 1, "resource_removed": 1,
        "evidence_changed": 2, "exception_expired": 2, "exception_added": 1, "no_longer_assessed": 1}
assert d["counts"] == want, d["counts"]
kinds = [c["kind"] for c in d["changes"]]
assert kinds == sorted(kinds, key=list(want).index), kinds
ev = [c for c in d["changes"] if c["kind"] == "evidence_changed"][0]
assert (ev["path"], ev["old_value"], ev["new_value"]) == ("properties.macSecConfig.cipher", "GcmAes128", "GcmAes256"), ev
gone = [c for c in d["changes"] if c["kind"] == "no_longer_assessed"]
assert [c["finding_id"] for c in gone] == ["expressroute-LT-1-4444444444444444"], gone
assert gone[0]["reason"].startswith("deleted or not collected"), gone
PYEOF

# Same inputs, same bytes.
run outdir2 0 diff old.json new.json --out-dir "$T/q3b"
for f in diff.md diff.json diff.csv; do
    cmp -s "$T/q3/$f" "$T/q3b/$f" || fail "$f is not deterministic"
done

run basename 0 diff old.json new.json --out-dir "$T/named" --format json --basename q3-changes
[ "$(ls -A "$T/named")" = "q3-changes.json" ] || fail "--basename/--format: $(ls -A "$T/named")"

# Hostile values (issue 11): formula cells neutralised in diff.csv as in report.csv; Markdown and HTML in
# names escaped in diff.md; control characters never reach either.
"$PY" - new.json "$T/hostile.json" <<'PYEOF' || fail "cannot write hostile.json"
import json, sys
d = json.load(open(sys.argv[1]))
for r in d["results"]:
    r["feature"] = '<img src=x onerror=alert(1)> [click](http://evil.invalid) \x1b[2J'
    for ev in r.get("evidence") or []:
        ev["value"] = '=HYPERLINK("http://evil.invalid","x")'
json.dump(d, open(sys.argv[2], "w"))
PYEOF
run hostile_csv 0 diff old.json "$T/hostile.json" --format csv
grep -qF "\"'=HYPERLINK(\"\"http://evil.invalid\"\",\"\"x\"\")\"" "$T/hostile_csv.out" || fail "diff.csv formula: $(cat "$T/hostile_csv.out")"
! grep -q ',=' "$T/hostile_csv.out" || fail "diff.csv has a live formula cell"
run hostile_md 0 diff old.json "$T/hostile.json"
grep -qF '\<img src=x onerror=alert(1)\> \[click\](http://evil.invalid)' "$T/hostile_md.out" ||
    fail "diff.md escaping: $(grep -m1 img "$T/hostile_md.out")"
! grep -qE '(^|[^\\])<img' "$T/hostile_md.out" || fail "diff.md has raw HTML"
! grep -q "$(printf '\033')" "$T/hostile_md.out" || fail "ESC reached diff.md"

# Bad input: exit 3 with the file and JSON path named.
run badstatus 3 diff old.json bad-status.json
grep -q 'bad-status.json: results\[2\].status: expected one of' "$T/badstatus.err" || fail "$(cat "$T/badstatus.err")"
run truncated 3 diff truncated.json new.json
grep -q 'truncated.json:1:' "$T/truncated.err" || fail "$(cat "$T/truncated.err")"
printf '{"generated": "a", "results": [], "results": []}' >"$T/dup.json"
run dupkey 3 diff old.json "$T/dup.json"
grep -q 'dup.json:1:35: results: duplicate key' "$T/dupkey.err" || fail "$(cat "$T/dupkey.err")"
run absent 3 diff old.json "$T/nope.json"
grep -q 'nope.json' "$T/absent.err" || fail "$(cat "$T/absent.err")"
[ ! -s "$T/badstatus.out" ] || fail "bad input wrote to stdout"

# Usage errors: exit 2 with a hint.
run help 0 diff --help
grep -q '^Usage: mcsb-audit diff' "$T/help.out" || fail "--help"
run onearg 2 diff old.json
grep -q "Try 'mcsb-audit diff --help'" "$T/onearg.err" || fail "usage hint"
run badfmt 2 diff old.json new.json --format xml
run twofmt 2 diff old.json new.json --format md,json
run badbase 2 diff old.json new.json --out-dir "$T/x" --basename ../escape
[ ! -e "$T/escape.md" ] || fail "--basename escaped the directory"

# All or nothing: disk full on the last file, or SIGTERM, leaves the previous three files as they were.
(cd "$T/q3" && sha256sum diff.md diff.json diff.csv) >"$T/q3.sums"
SB_TEST_FAIL_WRITE=diff.csv "$SB_BIN" diff old.json "$T/hostile.json" --out-dir "$T/q3" 2>"$T/full.err"
rc=$?
[ "$rc" -eq 4 ] || fail "disk full: exit $rc, want 4"
grep -q 'diff.csv: write failed: No space left on device' "$T/full.err" || fail "disk full: $(cat "$T/full.err")"
SB_TEST_RAISE_AFTER=diff.json "$SB_BIN" diff old.json "$T/hostile.json" --out-dir "$T/q3" 2>/dev/null
rc=$?
[ "$rc" -eq 143 ] || fail "SIGTERM: exit $rc, want 143"
(cd "$T/q3" && sha256sum -c --quiet "$T/q3.sums") || fail "a failed diff changed the previous files"
[ "$(ls -A "$T/q3" | tr '\n' ' ')" = "diff.csv diff.json diff.md " ] || fail "temporaries left: $(ls -A "$T/q3")"

# Output errors: exit 4.
touch "$T/file"
run notdir 4 diff old.json new.json --out-dir "$T/file/sub"
if [ -w /dev/full ]; then
    "$SB_BIN" diff old.json new.json >/dev/full 2>/dev/null
    rc=$?
    [ "$rc" -eq 4 ] || fail "stdout on /dev/full: exit $rc, want 4"
fi
echo "ok"
