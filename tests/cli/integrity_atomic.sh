#!/bin/bash
# All or nothing, the manifest included (issue 11 item 9): a write that fails on any of the manifest's
# files, or SIGTERM while writing, leaves the previous reports and manifest byte for byte and no
# temporary file. Disk full is simulated with the SB_TEST_FAIL_WRITE hook (ENOSPC on one named file),
# the signal with SB_TEST_RAISE_AFTER (SIGTERM right after one temporary is written): both deterministic.
set -u
: "${SB_BIN:?}" "${SB_SRC:?}" "${SB_BUILD:?}"
export LC_ALL=C SOURCE_DATE_EPOCH=1790726400

fail() { echo "FAIL: $*" >&2; exit 1; }
T=$(mktemp -d "$SB_BUILD/cli-integrity-atomic.XXXXXX") || exit 1
trap 'rm -rf "$T"' EXIT
E="$SB_SRC/sample-reports/estate"
openssl genpkey -algorithm ED25519 -out "$T/ed.key" 2>/dev/null || fail "genpkey"
openssl pkey -in "$T/ed.key" -pubout -out "$T/ed.pub" 2>/dev/null || fail "pubout"

old=(report --quiet --input "$E/snapshot-contoso.json" --format json,csv,md --out-dir "$T/out")
new=(report --quiet --input "$E/snapshot-contoso.json" --input "$E/arg-export-fabrikam.json"
     --exceptions "$E/exceptions.json" --format json,csv,md --out-dir "$T/out")

snapshot() { (cd "$T/out" && ls -A | sort && sha256sum -- *) >"$T/$1"; }
unchanged() { # unchanged WHAT: the directory is exactly as snapshot "before" recorded it
    snapshot after
    cmp -s "$T/before" "$T/after" || { diff "$T/before" "$T/after" >&2; fail "$1: the directory changed"; }
}

"$SB_BIN" "${old[@]}" --sign-key "$T/ed.key" || fail "first run"
"$SB_BIN" verify "$T/out" --pubkey "$T/ed.pub" >/dev/null || fail "first run does not verify"
snapshot before

# Disk full on each of the manifest's files, and on a report: exit 4, one line naming the file, nothing changed.
for f in manifest.json manifest.json.sig manifest.sha256 report.md; do
    SB_TEST_FAIL_WRITE=$f "$SB_BIN" "${new[@]}" --sign-key "$T/ed.key" 2>"$T/err"
    rc=$?
    [ "$rc" -eq 4 ] || fail "disk full on $f: exit $rc, want 4"
    grep -q "out/$f: write failed: No space left on device" "$T/err" || fail "disk full on $f: $(cat "$T/err")"
    [ "$(wc -l <"$T/err")" -eq 1 ] || fail "disk full on $f: more than one line: $(cat "$T/err")"
    unchanged "disk full on $f"
done
# Unsigned this time: the failure must not take the old signature away either.
SB_TEST_FAIL_WRITE=manifest.sha256 "$SB_BIN" "${new[@]}" 2>/dev/null
[ $? -eq 4 ] || fail "unsigned disk full: exit status"
unchanged "unsigned run failing on manifest.sha256"

# SIGTERM after each of the manifest's temporaries: killed by the signal, nothing changed.
for f in report.csv manifest.json manifest.sha256; do
    SB_TEST_RAISE_AFTER=$f "$SB_BIN" "${new[@]}" --sign-key "$T/ed.key" 2>/dev/null
    rc=$?
    [ "$rc" -eq 143 ] || fail "SIGTERM after $f: exit $rc, want 143 (killed by SIGTERM)"
    unchanged "SIGTERM after $f"
done
# A SIGTERM the caller ignores stays ignored (nohup-style runs): the run completes.
(trap '' TERM; SB_TEST_RAISE_AFTER=manifest.json exec "$SB_BIN" "${new[@]}" --sign-key "$T/ed.key") ||
    fail "ignored SIGTERM: the run did not complete"
"$SB_BIN" verify "$T/out" --pubkey "$T/ed.pub" >/dev/null || fail "completed run does not verify"

# A successful unsigned run removes the old signature (it would not match the new manifest).
"$SB_BIN" "${new[@]}" || fail "unsigned run"
[ ! -e "$T/out/manifest.json.sig" ] || fail "stale signature left beside a new manifest"
"$SB_BIN" verify "$T/out" >"$T/v.out" 2>/dev/null || fail "unsigned run does not verify"
grep -qx 'manifest.json.sig: unsigned' "$T/v.out" || fail "verify: $(cat "$T/v.out")"
ls -A "$T/out" | grep -q '\.tmp\.' && fail "temporary left: $(ls -A "$T/out")"
echo "ok"
