#!/bin/bash
# Black-box test of the PDF report: a valid file (qpdf), every font embedded (pdffonts), every
# control id and feature name in the text (pdftotext), "Page N of M" footers, one outline entry
# per section and control, the baseline's web links (pdfinfo -url), the metadata, byte-identical
# reruns, Letter paper, and exit 4 with no file left behind when the fonts or the output directory
# are unusable.
set -u
PY=/usr/bin/python3
: "${SB_BIN:?}" "${SB_SRC:?}" "${SB_BUILD:?}"

work=$(mktemp -d "$SB_BUILD/pdf-cli.XXXXXX")
trap 'rm -rf "$work"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }

estate="$SB_SRC/sample-reports/estate"
baseline="$SB_SRC/templates/baselines/expressroute.json"
export LC_ALL=C SOURCE_DATE_EPOCH=1790726400

report() { # $1 = out dir, rest = extra options
    local out=$1
    shift
    (cd "$estate" && "$SB_BIN" report --quiet \
        --input snapshot-contoso.json --input arg-export-fabrikam.json --input diagnostic-settings-fabrikam.json \
        --exceptions exceptions.json --organisation "Contoso Group" --classification "Confidential" \
        --format pdf --out-dir "$out" "$@")
}

report "$work/a"
rc=$?
[ "$rc" -eq 0 ] || [ "$rc" -eq 1 ] || fail "report exited $rc"
pdf="$work/a/report.pdf"
[ -s "$pdf" ] || fail "no report.pdf"
head -c 5 "$pdf" | grep -q '^%PDF-' || fail "not a PDF header"

qpdf --check "$pdf" >"$work/qpdf.txt" 2>&1 || { cat "$work/qpdf.txt" >&2; fail "qpdf --check failed"; }

# The baseline's links are web links: every learn_more_url, reference_url and domain_url of the
# baseline file, and its source (method appendix), appear among the link annotations; nothing else
# is a web link, and every one is https.
pdfinfo -url "$pdf" >"$work/urls.txt" 2>/dev/null || fail "pdfinfo -url failed"
"$PY" - "$work/urls.txt" "$baseline" <<'EOF' || fail "PDF web links do not match the baseline"
import json, sys
rows = [l.split() for l in open(sys.argv[1]).read().splitlines()[1:] if l.strip()]
got = {r[2] for r in rows if r[1] == "Annotation"}
b = json.load(open(sys.argv[2]))
want = {b["source"]}
for c in b["controls"]:
    want.add(c["domain_url"])
    for f in c["features"]:
        want |= {u for u in (f.get("learn_more_url"), f.get("reference_url")) if u}
assert None not in want and len(want) == 32, len(want)
assert got == want, (sorted(got - want), sorted(want - got))
assert all(u.startswith("https://") for u in got)
EOF

# Every font embedded: the emb column of pdffonts is "yes" on every row, and there are three faces.
pdffonts "$pdf" >"$work/fonts.txt" 2>/dev/null || fail "pdffonts failed"
"$PY" - "$work/fonts.txt" <<'EOF' || fail "a font is not embedded"
import sys
rows = open(sys.argv[1]).read().splitlines()[2:]
assert len(rows) == 3, rows
for r in rows:
    f = r.split()
    # name type... encoding emb sub uni id gen: emb is the 5th field from the end
    assert f[-5] == "yes", r
    assert "DejaVu" in f[0], r
EOF

pdfinfo "$pdf" >"$work/info.txt" 2>/dev/null || fail "pdfinfo failed"
grep -q '^Producer: *mcsb-audit ' "$work/info.txt" || fail "Producer is not mcsb-audit"
grep -q '^Title: *ExpressRoute security baseline assessment$' "$work/info.txt" || fail "Title missing"
grep -q '^Author: *Contoso Group$' "$work/info.txt" || fail "Author missing"
grep -q '^CreationDate: .*2026' "$work/info.txt" || fail "CreationDate missing"
grep -q '^Page size: *595.* x 841.* (A4)' "$work/info.txt" || fail "not A4"
pages=$(sed -n 's/^Pages: *//p' "$work/info.txt")

# poppler warns about libharu 2.3.0's ToUnicode CMap on stderr; the text is still right.
pdftotext "$pdf" "$work/text.txt" 2>/dev/null || fail "pdftotext failed"
qpdf --json=2 --json-key=outlines "$pdf" >"$work/outline.json" 2>/dev/null || fail "qpdf --json failed"
"$PY" - "$baseline" "$work/text.txt" "$work/outline.json" "$pages" <<'EOF' || fail "text or outline check failed"
import json, re, sys
b = json.load(open(sys.argv[1]))
text = re.sub(r"\s+", " ", open(sys.argv[2], encoding="utf-8").read())
outline = json.load(open(sys.argv[3]))["outlines"]
pages = int(sys.argv[4])
missing = []
for c in b["controls"]:
    if c["id"] not in text:
        missing.append(c["id"])
    for f in c["features"]:
        if f["name"] not in text:
            missing.append(c["id"] + " / " + f["name"])
assert not missing, "not in the text: %s" % missing
for n in (1, 2, pages):
    assert "Page %d of %d" % (n, pages) in text, "no 'Page %d of %d'" % (n, pages)
assert "sha256sum -c manifest.sha256" in text and "mcsb-audit verify DIR" in text
assert "Prepared by" in text and "Reviewed by" in text
top = [o["title"] for o in outline]
for s in ("Cover", "Contents", "Executive summary", "Security profile", "Responsibility matrix",
          "Findings by control", "Exceptions and attestations", "Collection gaps and not-assessed results",
          "Method"):
    assert s in top, "outline lacks %r: %s" % (s, top)
findings = next(o for o in outline if o["title"] == "Findings by control")
kids = [k["title"] for k in findings["kids"]]
want = ["%s %s" % (c["id"], c["title"]) for c in b["controls"]]
assert kids == want, "control bookmarks %s != %s" % (kids, want)
for k, c in zip(findings["kids"], b["controls"]):
    feats = [g["title"] for g in k["kids"]]
    wantf = ["%s \u00b7 %s" % (c["id"], f["name"]) for f in c["features"]]
    assert feats == wantf, "feature bookmarks %s != %s" % (feats, wantf)
# Bookmarks point at pages in document order.
pos = [k["destpageposfrom1"] for k in findings["kids"]]
assert pos == sorted(pos) and pos[0] >= findings["destpageposfrom1"], pos
EOF

# The contents page links to every section and control it lists (link annotations on page 2).
qpdf --json=2 --json-key=qpdf --json-key=pages "$pdf" >"$work/objects.json" 2>/dev/null || fail "qpdf --json objects"
"$PY" - "$baseline" "$work/objects.json" <<'EOF' || fail "contents links check failed"
import json, sys
b = json.load(open(sys.argv[1]))
d = json.load(open(sys.argv[2]))
objs = d["qpdf"][1]
pages = [p["object"] for p in d["pages"]]
links = [v["value"] for v in objs.values()
         if isinstance(v.get("value"), dict) and v["value"].get("/Subtype") == "/Link" and "/Dest" in v["value"]]
want = len(b["controls"]) + 8  # sections listed in the contents (no changes section here) + controls
assert len(links) >= want, "%d contents links, want >= %d" % (len(links), want)
# They sit on the contents pages, right after the cover.
assert all(pages.index(l["/P"]) in (1, 2) for l in links), [l["/P"] for l in links]
catalog = [v["value"] for v in objs.values() if isinstance(v.get("value"), dict) and v["value"].get("/Type") == "/Catalog"]
assert catalog and catalog[0].get("/PageMode") == "/UseOutlines", catalog
EOF

# Same inputs, same time: the same bytes.
report "$work/b" || [ $? -eq 1 ] || fail "second report failed"
cmp -s "$pdf" "$work/b/report.pdf" || fail "two runs differ"

# Letter paper.
report "$work/letter" --paper letter || [ $? -eq 1 ] || fail "letter report failed"
pdfinfo "$work/letter/report.pdf" 2>/dev/null | grep -q '^Page size: *612 x 792' || fail "not Letter"

# --pdf-detail: grouped (default) lists open findings by id and counts passes; full prints every result.
report "$work/full" --pdf-detail full || [ $? -eq 1 ] || fail "--pdf-detail full failed"
report "$work/grouped" --pdf-detail grouped || [ $? -eq 1 ] || fail "--pdf-detail grouped failed"
cmp -s "$pdf" "$work/grouped/report.pdf" || fail "--pdf-detail grouped is not the default"
(cd "$estate" && "$SB_BIN" report --quiet --input snapshot-contoso.json --pdf-detail some --format pdf \
    --out-dir "$work/bad" 2>"$work/err0.txt")
[ $? -eq 2 ] || fail "--pdf-detail some: expected a usage error"
grep -q -- '--pdf-detail' "$work/err0.txt" || fail "--pdf-detail message: $(cat "$work/err0.txt")"
(cd "$estate" && "$SB_BIN" report --format json --quiet --input snapshot-contoso.json --input arg-export-fabrikam.json \
    --input diagnostic-settings-fabrikam.json --exceptions exceptions.json --out-dir "$work/json") || [ $? -eq 1 ] ||
    fail "json report failed"
pdftotext "$work/full/report.pdf" "$work/full.txt" 2>/dev/null || fail "pdftotext full"
"$PY" - "$work/json/report.json" "$work/text.txt" "$work/full.txt" <<'EOF' || fail "grouped/full ids check failed"
import json, re, sys
results = json.load(open(sys.argv[1]))["results"]
grouped = open(sys.argv[2], encoding="utf-8").read()
full = open(sys.argv[3], encoding="utf-8").read()
words = lambda t: set(re.split(r"\s+", t))
gw, fw = words(grouped), words(full)
# A line ending in '/' goes on with the next: the only place a resource id may break.
joined = re.sub(r"/\n", "/", grouped)
for r in results:
    if r["status"] == "pass":
        assert r["id"] not in gw, "pass %s listed in grouped mode" % r["id"]
    else:
        assert r["id"] in gw, "finding id %s not found whole" % r["id"]
        if r["resource_id"]:
            assert r["resource_id"] in joined, "resource id %s not found" % r["resource_id"]
    assert r["id"] in fw, "finding id %s not in the full PDF" % r["id"]
assert "Management response:" in grouped and "Resource index" in grouped
EOF

# Missing fonts: exit 4, a message naming the font, and nothing left in the output directory.
mkdir -p "$work/nofonts" "$work/c"
(cd "$estate" && "$SB_BIN" report --quiet --input snapshot-contoso.json --baseline "$baseline" \
    --data-dir "$work/nofonts" --format pdf --out-dir "$work/c" 2>"$work/err.txt")
rc=$?
[ "$rc" -eq 4 ] || fail "missing fonts: exit $rc, expected 4"
grep -q 'DejaVuSans.ttf: cannot read font' "$work/err.txt" || fail "missing fonts: message: $(cat "$work/err.txt")"
[ -z "$(ls -A "$work/c")" ] || fail "missing fonts left files: $(ls -A "$work/c")"

# Unusable output directory (a regular file): exit 4, no PDF anywhere.
touch "$work/notadir"
(cd "$estate" && "$SB_BIN" report --quiet --input snapshot-contoso.json --format pdf \
    --out-dir "$work/notadir/sub" 2>"$work/err2.txt")
rc=$?
[ "$rc" -eq 4 ] || fail "unwritable output: exit $rc, expected 4 ($(cat "$work/err2.txt"))"
[ -z "$(find "$work" -name '*.pdf*' -path '*notadir*')" ] || fail "unwritable output left a file"
# The PDF cannot take its place (a directory is in the way): exit 4, no temporary file left.
mkdir -p "$work/blocked/report.pdf"
(cd "$estate" && "$SB_BIN" report --quiet --input snapshot-contoso.json --format pdf \
    --out-dir "$work/blocked" 2>"$work/err3.txt")
rc=$?
[ "$rc" -eq 4 ] || fail "blocked output: exit $rc, expected 4"
[ "$(ls -A "$work/blocked")" = "report.pdf" ] || fail "blocked output left: $(ls -A "$work/blocked")"
[ -z "$(ls -A "$work/blocked/report.pdf")" ] || fail "blocked output wrote into the directory"
echo "ok: pdf report ($pages pages)"
