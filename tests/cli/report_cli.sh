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

# Input mistakes get a hint on the same error line (exit 3 still, nothing written)
printf '\xff\xfe[\x00]\x00' >"$TMP/ps.json"
expect_exit 3 "UTF-16 input" "$SB_BIN" report --input "$TMP/ps.json" --out-dir "$TMP/hint"
stderr_has "ps.json:1:4: NUL byte in JSON text; hint: the file is UTF-16"
printf 'WARNING: This command is in preview.\n[]\n' >"$TMP/warn.json"
expect_exit 3 "az WARNING line" "$SB_BIN" report --input "$TMP/warn.json" --out-dir "$TMP/hint"
stderr_has "hint: the file starts with a message from az"
printf 'Name    Location\n------  ----------\nerc-1   westeurope\n' >"$TMP/table.json"
expect_exit 3 "az -o table" "$SB_BIN" report --input "$TMP/table.json" --out-dir "$TMP/hint"
stderr_has "hint: this looks like \`az ... -o table\` output: run the command again with \`-o json\`"
dir_empty "$TMP/hint"

# A closed stdout (`| head`) is not an error: the reader asked for no more. Deterministic: the pipe's
# read end is closed before the command starts, so its first write fails with EPIPE.
closed_stdout() { # closed_stdout ARGS... -> prints "rc stderr-bytes"
  /usr/bin/python3 - "$SB_BIN" "$@" <<'PY'
import os, subprocess, sys
r, w = os.pipe()
os.close(r)
p = subprocess.run(sys.argv[1:], stdout=w, stderr=subprocess.PIPE)
os.close(w)
print(p.returncode, len(p.stderr), p.stderr.decode(errors="replace").replace("\n", " | "))
PY
}
for cmd in "--help" "baseline show" "report --help" "diff $ESTATE/../report.json $ESTATE/../report.json"; do
  # shellcheck disable=SC2086
  got=$(closed_stdout $cmd)
  check "closed stdout: '$cmd' exits 0 quietly (got: $got)" test "${got%% *}" = 0 -a "$(echo "$got" | cut -d' ' -f2)" = 0
done
expect_exit 4 "a full disk is still an error" sh -c "'$SB_BIN' baseline show >/dev/full"
stderr_has "standard output: write error"

# diff takes report directories as well as report.json files
expect_exit 0 "diff report directories" "$SB_BIN" diff "$ESTATE/.." "$ESTATE/../report.json"
check "diff of a directory names its report.json" grep -q 'report.json' "$TMP/out"
check "same report: no changes" grep -qx 'No changes.' "$TMP/out"
mkdir -p "$TMP/q3" && cp "$ESTATE/../report.json" "$TMP/q3/q3.json" && cp "$ESTATE/../manifest.json" "$TMP/q3/"
expect_exit 0 "diff a --basename directory" "$SB_BIN" diff "$TMP/q3" "$ESTATE/.."
mkdir -p "$TMP/none"
expect_exit 3 "diff a directory without a report" "$SB_BIN" diff "$TMP/none" "$ESTATE/.."
stderr_has "none: a directory without report.json; give the report's .json file"

# --sign-key help names every key type sign.c accepts
expect_exit 0 "report --help" "$SB_BIN" report --help
for k in Ed25519 Ed448 RSA EC; do
  check "--sign-key help names $k" sh -c "grep -- '--sign-key' '$TMP/out' | grep -qw '$k'"
done
# run --help lists only what run accepts: no --output (collect's), no --input (report's), no short forms
expect_exit 0 "run --help" "$SB_BIN" run --help
check "run --help has no --output" sh -c "! grep -qE '^ +--output ' '$TMP/out'"
check "run --help has no --input" sh -c "! grep -qE '^ +(-i, )?--input ' '$TMP/out'"
check "run --help has no short options" sh -c "! grep -qE '^ +-[a-z], ' '$TMP/out'"
# Each listed option is accepted: run parses every argument before it collects, so a trailing unknown
# option stops it, and the error names that one, never the listed option (no collection is attempted).
for o in $(sed -n 's/^  \(--[a-z-]*\).*/\1/p' "$TMP/out" | sort -u); do
  [ "$o" = --help ] && continue
  "$SB_BIN" run "$o=x" --zzz >/dev/null 2>"$TMP/run.err"
  check "run accepts $o" sh -c "grep -q \"unknown option '--zzz'\" '$TMP/run.err' && ! grep -q \"unknown option '$o\" '$TMP/run.err'"
done
finish
