#!/bin/bash
# End to end: `report --sign-key` writes a manifest that `verify`, sha256sum and openssl accept;
# the manifest is reproducible; `report --previous` and `diff` see the changes between two runs.
set -u
: "${SB_BIN:?}" "${SB_SRC:?}" "${SB_BUILD:?}"
export LC_ALL=C SOURCE_DATE_EPOCH=1790726400
PY=/usr/bin/python3

fail() { echo "FAIL: $*" >&2; exit 1; }
T=$(mktemp -d "$SB_BUILD/cli-integrity-report.XXXXXX") || exit 1
trap 'rm -rf "$T"' EXIT

run() {
    local name=$1 want=$2
    shift 2
    "$SB_BIN" "$@" >"$T/$name.out" 2>"$T/$name.err"
    local rc=$?
    [ "$rc" -eq "$want" ] || fail "$name: exit $rc, want $want; stderr: $(head -c 600 "$T/$name.err")"
}

openssl genpkey -algorithm ED25519 -out "$T/ed.key" 2>/dev/null || fail "genpkey ed25519"
openssl pkey -in "$T/ed.key" -pubout -out "$T/ed.pub" 2>/dev/null || fail "pubout"
openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out "$T/rsa.key" 2>/dev/null || fail "genpkey rsa"
openssl pkey -in "$T/rsa.key" -pubout -out "$T/rsa.pub" 2>/dev/null || fail "pubout rsa"

cd "$SB_SRC/sample-reports/estate" || fail "no sample estate"
base=(report --quiet --input snapshot-contoso.json --input arg-export-fabrikam.json
      --input diagnostic-settings-fabrikam.json --format json,csv,md)

# Signed with Ed25519.
run ed 0 "${base[@]}" --exceptions exceptions.json --out-dir "$T/a" --sign-key "$T/ed.key"
for f in manifest.json manifest.sha256 manifest.json.sig; do
    [ -s "$T/a/$f" ] || fail "$f not written"
done
(cd "$T/a" && sha256sum --quiet -c manifest.sha256) || fail "sha256sum -c"
for f in report.json report.csv report.md manifest.json; do
    grep -q "  $f\$" "$T/a/manifest.sha256" || fail "manifest.sha256 does not cover $f"
done
openssl pkeyutl -verify -pubin -inkey "$T/ed.pub" -rawin -in "$T/a/manifest.json" \
    -sigfile "$T/a/manifest.json.sig" >/dev/null || fail "openssl rejects the Ed25519 signature"
run verify_ed 0 verify "$T/a" --pubkey "$T/ed.pub"
grep -qx 'report.json: OK' "$T/verify_ed.out" || fail "verify output: $(cat "$T/verify_ed.out")"
grep -qx 'manifest.json.sig: signature OK' "$T/verify_ed.out" || fail "signature line"
run verify_wrong 8 verify "$T/a" --pubkey "$T/rsa.pub"

"$PY" - "$T/a/manifest.json" <<'PYEOF' || fail "manifest.json contents"
import hashlib, json, os, sys
m = json.load(open(sys.argv[1]))
d = os.path.dirname(sys.argv[1])
assert m["manifest_version"] == 1
assert m["tool"]["name"] == "mcsb-audit"
assert m["baseline"]["id"] == "expressroute" and m["baseline"]["mcsb_version"] == "1.0"
assert len(m["baseline"]["sha256"]) == 64
assert m["generated"] == "2026-09-30T00:00:00Z", m["generated"]
roles = [i["role"] for i in m["inputs"]]
assert roles.count("input") == 3 and "exceptions" in roles, roles
for i in m["inputs"]:
    if i["role"] in ("input", "exceptions"):
        data = open(i["name"], "rb").read()
        assert i["sha256"] == hashlib.sha256(data).hexdigest() and i["size"] == len(data), i
names = [o["name"] for o in m["outputs"]]
assert names == sorted(names) and {"report.json", "report.csv", "report.md"} <= set(names), names
for o in m["outputs"]:
    data = open(os.path.join(d, o["name"]), "rb").read()
    assert o["sha256"] == hashlib.sha256(data).hexdigest() and o["size"] == len(data), o
PYEOF

# Reproducible: a second run gives the same manifest and (Ed25519) the same signature.
run ed_again 0 "${base[@]}" --exceptions exceptions.json --out-dir "$T/b" --sign-key "$T/ed.key"
for f in manifest.json manifest.sha256 manifest.json.sig; do
    cmp -s "$T/a/$f" "$T/b/$f" || fail "$f differs between identical runs"
done

# Tampering after the fact is caught.
cp -a "$T/b" "$T/tampered"
printf ' ' >>"$T/tampered/report.md"
run tampered 8 verify "$T/tampered"
grep -qx 'report.md: MISMATCH' "$T/tampered.out" || fail "tampered: $(cat "$T/tampered.out")"

# RSA: checkable with openssl dgst.
run rsa 0 "${base[@]}" --out-dir "$T/r" --sign-key "$T/rsa.key"
openssl dgst -sha256 -verify "$T/rsa.pub" -signature "$T/r/manifest.json.sig" "$T/r/manifest.json" >/dev/null \
    || fail "openssl rejects the RSA signature"
run verify_rsa 0 verify "$T/r" --pubkey "$T/rsa.pub"

# Unsigned run: verify passes on hashes, but --pubkey says the manifest is not signed.
run unsigned 0 "${base[@]}" --out-dir "$T/u"
[ ! -e "$T/u/manifest.json.sig" ] || fail "unsigned run wrote a signature"
run verify_unsigned_hashes 0 verify "$T/u"
run verify_unsigned 8 verify "$T/u" --pubkey "$T/ed.pub"
grep -q 'manifest is not signed' "$T/verify_unsigned.err" || fail "unsigned message"

# A bad key: exit 3, the key file named, nothing about its contents.
printf 'not a key\n' >"$T/bad.key"
run badkey 3 "${base[@]}" --out-dir "$T/k" --sign-key "$T/bad.key"
grep -q "$T/bad.key" "$T/badkey.err" || fail "key error should name the file: $(cat "$T/badkey.err")"
run nokey 3 "${base[@]}" --out-dir "$T/k2" --sign-key "$T/missing.key"

# Changes: the run without exceptions ($T/u) against the run with them ($T/a).
run diff_same 0 diff "$T/a/report.json" "$T/b/report.json"
grep -qx 'No changes.' "$T/diff_same.out" || fail "identical runs should have no changes"
run diff_q 0 diff "$T/u/report.json" "$T/a/report.json" --out-dir "$T/d"
"$PY" - "$T/d/diff.json" <<'PYEOF' || fail "diff.json between runs"
import json, sys
d = json.load(open(sys.argv[1]))
# exceptions never change a verdict: only the three entries of exceptions.json are new; a failing finding now
# excepted counts as resolved (issue 10), its status still fail and the exception named as the reason
assert d["counts"]["exception_added"] == 3, d["counts"]
assert d["counts"]["new_finding"] == 0 and d["counts"]["status_changed"] == 0, d["counts"]
res = [c for c in d["changes"] if c["kind"] == "resolved"]
assert res and all(c["old_value"] == c["new_value"] == "fail" and c["reason"].startswith("excepted: ") for c in res), res
PYEOF
run previous 0 "${base[@]}" --exceptions exceptions.json --out-dir "$T/p" --previous "$T/u/report.json"
grep -q '^## Changes since the previous assessment' "$T/p/report.md" || fail "report.md has no changes section"
grep -q 'Exception added' "$T/p/report.md" || fail "report.md changes section lacks the added exceptions"
echo "ok"
