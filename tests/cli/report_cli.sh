#!/usr/bin/env bash
# The report command as a black box: help, usage errors, exit codes, streams.
. "$SB_SRC/tests/cli-lib.sh"

expect_exit 0 "--help" "$SB_BIN" --help
check "--help on stdout" grep -q "Usage: mcsb-audit COMMAND" "$TMP/out"
expect_exit 0 "--version" "$SB_BIN" --version
check "version text" grep -qE "^mcsb-audit [0-9]+\.[0-9]+\.[0-9]+$" "$TMP/out"
expect_exit 2 "no command" "$SB_BIN"
expect_exit 2 "unknown command" "$SB_BIN" frobnicate
stderr_has "unknown command 'frobnicate'"
expect_exit 0 "report --help" "$SB_BIN" report --help
check "report help lists formats" grep -q "xlsx" "$TMP/out"
check "report help lists --fail-on" grep -q -- "--fail-on" "$TMP/out"
expect_exit 2 "report without input" "$SB_BIN" report --out-dir "$TMP/o"
stderr_has "no input"
expect_exit 2 "unknown option" "$SB_BIN" report --bogus
stderr_has "unknown option '--bogus'"
stderr_has "Try 'mcsb-audit report --help'"
expect_exit 2 "missing option argument" "$SB_BIN" report --input
expect_exit 2 "bad format" "$SB_BIN" report --input x.json --format json,docx
stderr_has "unknown format 'docx'"
expect_exit 2 "bad fail-on" "$SB_BIN" report --input x.json --fail-on sometimes
expect_exit 2 "fail-on new without previous" "$SB_BIN" report --input x.json --fail-on new
expect_exit 2 "basename with slash" "$SB_BIN" report --input x.json --basename a/b
expect_exit 2 "bad paper" "$SB_BIN" report --input x.json --paper a3
SOURCE_DATE_EPOCH=yesterday expect_exit 2 "bad SOURCE_DATE_EPOCH" "$SB_BIN" report --input "$ESTATE/exceptions.json" --out-dir "$TMP/sde"

# baseline show
expect_exit 0 "baseline show" "$SB_BIN" baseline show
for c in NS-1 IM-1 IM-3 IM-7 IM-8 PA-1 PA-7 PA-8 DP-1 DP-2 DP-3 DP-7 AM-2 LT-1 LT-4 BR-1; do
  check "matrix lists $c" grep -q -- "$c" "$TMP/out"
done
check "matrix names a feature" grep -q "Network Security Group Support" "$TMP/out"
expect_exit 4 "baseline show to /dev/full" sh -c "'$SB_BIN' baseline show >/dev/full"
check "one write error line" test "$(grep -c 'write error' "$TMP/err")" -eq 1
expect_exit 2 "baseline without show" "$SB_BIN" baseline list

# --fail-on: the sample estate has unexcepted high-severity fails
out="$TMP/failon"
expect_exit 0 "fail-on never (default)" "$SB_BIN" report --quiet --input "$ESTATE/snapshot-contoso.json" --format json --out-dir "$out"
check "quiet prints nothing" test ! -s "$TMP/err"
expect_exit 1 "fail-on high" "$SB_BIN" report --quiet --input "$ESTATE/snapshot-contoso.json" --format json --out-dir "$out" --fail-on high
check "report still written with findings" test -s "$out/report.json"
expect_exit 1 "fail-on not_assessed" "$SB_BIN" report --quiet --input "$ESTATE/snapshot-contoso.json" --format json --out-dir "$out" --fail-on not_assessed
# an estate with nothing failing: exit 0 even with --fail-on low
echo '[]' > "$TMP/empty-estate.json"
expect_exit 0 "fail-on low, nothing failing" "$SB_BIN" report --quiet --input "$TMP/empty-estate.json" --format json --out-dir "$out" --fail-on low
finish
