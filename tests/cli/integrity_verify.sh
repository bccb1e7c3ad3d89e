#!/bin/bash
# `mcsb-audit verify` against report directories whose manifests and signatures are made with the
# standard tools (sha256sum, openssl), so the tool is checked against the documented formats.
set -u
: "${SB_BIN:?}" "${SB_BUILD:?}"
export LC_ALL=C
PY=/usr/bin/python3

fail() { echo "FAIL: $*" >&2; exit 1; }
T=$(mktemp -d "$SB_BUILD/cli-integrity-verify.XXXXXX") || exit 1
trap 'rm -rf "$T"' EXIT
cd "$T" || exit 1

# run NAME EXPECTED_RC ARGS...: runs the binary, keeps stdout/stderr in NAME.out/NAME.err.
run() {
    local name=$1 want=$2
    shift 2
    "$SB_BIN" "$@" >"$name.out" 2>"$name.err"
    local rc=$?
    [ "$rc" -eq "$want" ] || fail "$name: exit $rc, want $want; stdout: $(cat "$name.out"); stderr: $(cat "$name.err")"
}

# make_manifest DIR NAME...: manifest.json + manifest.sha256 as the tool documents them.
make_manifest() {
    local dir=$1
    shift
    (cd "$dir" && "$PY" - "$@" <<'PYEOF'
import hashlib, json, os, sys
outs = []
for name in sorted(sys.argv[1:]):
    data = open(name, "rb").read() if os.path.exists(name) else b""
    outs.append({"name": name, "size": len(data), "sha256": hashlib.sha256(data).hexdigest()})
doc = {"manifest_version": 1, "tool": {"name": "mcsb-audit", "version": "test"},
       "baseline": {"id": "expressroute", "mcsb_version": "1.0", "sha256": "0" * 64},
       "generated": "2026-09-30T00:00:00Z", "inputs": [], "outputs": outs}
open("manifest.json", "w").write(json.dumps(doc, indent=2) + "\n")
with open("manifest.sha256", "w") as f:
    for name in sorted(["manifest.json"] + sys.argv[1:]):
        data = open(name, "rb").read() if os.path.exists(name) else b""
        f.write("%s  %s\n" % (hashlib.sha256(data).hexdigest(), name))
PYEOF
    ) || fail "cannot write manifest"
}

mkdir out
printf '{"results": []}\n' >out/report.json
printf '# ExpressRoute assessment\n' >out/report.md
printf 'id,status\r\nF1,fail\r\n' >out/report.csv
make_manifest out report.csv report.json report.md
(cd out && sha256sum --quiet -c manifest.sha256) || fail "fixture does not pass sha256sum -c"

# Help and usage.
run help 0 verify --help
grep -q '^Usage: mcsb-audit verify DIR' help.out || fail "--help text"
[ ! -s help.err ] || fail "--help wrote to stderr"
run noarg 2 verify
grep -q "Try 'mcsb-audit verify --help'" noarg.err || fail "usage hint missing"
[ ! -s noarg.out ] || fail "usage error wrote to stdout"
run badopt 2 verify --frobnicate out
run nodir 3 verify "$T/does-not-exist"

# All good.
run ok 0 verify out
printf 'manifest.json: OK\nreport.csv: OK\nreport.json: OK\nreport.md: OK\nmanifest.json.sig: unsigned\n' |
    cmp -s - ok.out || fail "ok output: $(cat ok.out)"
grep -q 'unsigned' ok.err || fail "unsigned note: $(cat ok.err)"

# Tampered output: same size, different bytes.
cp -a out tampered
printf '# ExpressRoute assessmenT\n' >tampered/report.md
run tampered 8 verify tampered
grep -qx 'report.md: MISMATCH' tampered.out || fail "tampered: $(cat tampered.out)"
grep -qx 'report.json: OK' tampered.out || fail "tampered: other files still checked"
grep -q 'report.md' tampered.err || fail "tampered: stderr should name the file"

# Missing output.
cp -a out missing
rm missing/report.csv
run missing 8 verify missing
grep -qx 'report.csv: MISSING' missing.out || fail "missing: $(cat missing.out)"

# A directory without manifest.
mkdir empty
run nomanifest 8 verify empty
grep -qx 'manifest.json: MISSING' nomanifest.out || fail "no manifest: $(cat nomanifest.out)"

# Path traversal in the manifest: refused even though the hash would match.
mkdir -p trav/inner
printf 'outside\n' >trav/secret.txt
(cd trav/inner && ln -s ../secret.txt dummy) # a file inside, to make the hash computable below
make_manifest trav/inner dummy
sed -i 's#"dummy"#"../secret.txt"#' trav/inner/manifest.json
sed -i 's#  dummy$#  ../secret.txt#' trav/inner/manifest.sha256
sed -i "s#^[0-9a-f]*  manifest.json\$#$(sha256sum trav/inner/manifest.json | cut -c1-64)  manifest.json#" \
    trav/inner/manifest.sha256
run traversal 8 verify trav/inner
grep -qx '../secret.txt: UNSAFE NAME' traversal.out || fail "traversal: $(cat traversal.out)"
grep -q 'unsafe file name' traversal.err || fail "traversal: stderr"

# Hostile directories (issue 11): nothing is followed, opened if it is not a regular file, or printed raw.
# A symlink to a file outside whose hash the manifest states correctly.
cp -a out symlinked
ln -sf /etc/hostname symlinked/report.md
make_manifest symlinked report.csv report.json report.md
run symlink 8 verify symlinked
grep -qx 'report.md: NOT A REGULAR FILE' symlink.out || fail "symlink: $(cat symlink.out)"
grep -q 'symlinked/report.md: a symbolic link' symlink.err || fail "symlink stderr: $(cat symlink.err)"
# A FIFO as an output and as manifest.json: refused at once (timeout catches a hang as exit 124).
cp -a out fifo
rm fifo/report.csv && mkfifo fifo/report.csv
timeout 20 "$SB_BIN" verify fifo >fifo.out 2>fifo.err
rc=$?
[ "$rc" -eq 8 ] || fail "fifo output: exit $rc, want 8"
grep -qx 'report.csv: NOT A REGULAR FILE' fifo.out || fail "fifo: $(cat fifo.out)"
rm fifo/manifest.json && mkfifo fifo/manifest.json
timeout 20 "$SB_BIN" verify fifo >fifo2.out 2>fifo2.err
rc=$?
[ "$rc" -eq 8 ] || fail "fifo manifest.json: exit $rc, want 8"
grep -qx 'manifest.json: NOT A REGULAR FILE' fifo2.out || fail "fifo manifest: $(cat fifo2.out)"
# A NUL byte in manifest.sha256: a one-line error naming the line, exit 3, never a crash.
cp -a out nul
printf '%s  report.c\0sv\n' "$(sha256sum out/report.csv | cut -c1-64)" >>nul/manifest.sha256
run nul 3 verify nul
grep -q 'nul/manifest.sha256:5: NUL byte' nul.err || fail "nul: $(cat nul.err)"
# A name with a carriage return and an escape sequence cannot print a forged "OK" line.
cp -a out ctl
printf '%s  x\rreport.md: OK\033[K\n' "$(sha256sum out/report.md | cut -c1-64)" >>ctl/manifest.sha256
run ctl 8 verify ctl
grep -qxF 'x\x0dreport.md: OK\x1b[K: UNSAFE NAME' ctl.out || fail "ctl: $(cat -A ctl.out)"
! grep -q "$(printf '\r')" ctl.out ctl.err || fail "ctl: raw CR printed"
# A listed name with '/' that leaves through a symlinked directory.
mkdir -p subdir-outside && cp out/report.md subdir-outside/report.md
cp -a out viadir && ln -s ../subdir-outside viadir/sub
make_manifest viadir report.csv report.json report.md sub/report.md
run viadir 8 verify viadir
grep -qx 'sub/report.md: NOT A REGULAR FILE' viadir.out || fail "viadir: $(cat viadir.out)"

# Malformed manifest.json: exit 3, message names the file.
cp -a out malformed
printf '{"manifest_version": 1, "outputs": [' >malformed/manifest.json
run malformed 3 verify malformed
grep -q 'malformed/manifest.json:1:' malformed.err || fail "malformed: $(cat malformed.err)"

# Signatures made with the openssl CLI, as docs/integrity.md describes.
openssl genpkey -algorithm ED25519 -out ed.key 2>/dev/null || fail "genpkey ed25519"
openssl pkey -in ed.key -pubout -out ed.pub 2>/dev/null || fail "pubout"
openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out rsa.key 2>/dev/null || fail "genpkey rsa"
openssl pkey -in rsa.key -pubout -out rsa.pub 2>/dev/null || fail "pubout rsa"

run unsigned 8 verify out --pubkey ed.pub
grep -q 'manifest is not signed' unsigned.err || fail "unsigned: $(cat unsigned.err)"

openssl pkeyutl -sign -inkey ed.key -rawin -in out/manifest.json -out out/manifest.json.sig || fail "ed sign"
run ed_ok 0 verify out --pubkey ed.pub
grep -qx 'manifest.json.sig: signature OK' ed_ok.out || fail "ed25519: $(cat ed_ok.out)"
run ed_wrong 8 verify --pubkey rsa.pub out
grep -qx 'manifest.json.sig: BAD SIGNATURE' ed_wrong.out || fail "wrong key: $(cat ed_wrong.out)"
run nokey 3 verify out --pubkey "$T/no-such.pub"
grep -q 'no-such.pub' nokey.err || fail "missing key file not named"
# Without --pubkey the signature is reported as not checked, and the hashes still pass.
run sig_unchecked 0 verify out
grep -q 'not checked' sig_unchecked.err || fail "unchecked signature note"

openssl dgst -sha256 -sign rsa.key -out out/manifest.json.sig out/manifest.json || fail "rsa sign"
run rsa_ok 0 verify out --pubkey rsa.pub
run rsa_wrong 8 verify out --pubkey ed.pub

# Edited manifest.json with a recomputed manifest.sha256: hashes agree, the signature does not.
sed -i 's/2026-09-30T00:00:00Z/2026-01-01T00:00:00Z/' out/manifest.json
sed -i "s#^[0-9a-f]*  manifest.json\$#$(sha256sum out/manifest.json | cut -c1-64)  manifest.json#" out/manifest.sha256
run forged_hashes 0 verify out
run forged_sig 8 verify out --pubkey rsa.pub

# A failed write of the verdicts is an output error.
if [ -w /dev/full ]; then
    "$SB_BIN" verify out >/dev/full 2>/dev/null
    rc=$?
    [ "$rc" -eq 4 ] || fail "stdout on /dev/full: exit $rc, want 4"
fi
echo "ok"
