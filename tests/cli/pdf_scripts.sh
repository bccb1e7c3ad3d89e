#!/bin/bash
# Names in any script: a report whose resource names and groups are Japanese, Chinese, Korean, Arabic
# and Hebrew (tests/data/scripts/circuits.json). The CJK names are drawn from the fallback font
# (fonts-wqy-zenhei), embedded only in that report and only with the glyphs drawn; pdftotext finds
# every name, no U+FFFD is drawn, the workbook keeps the names as given, and reruns give the same
# bytes, and nothing overflows. Exit 77 (skipped) when fonts-wqy-zenhei is not installed.
. "$SB_SRC/tests/cli-lib.sh"
PY=/usr/bin/python3
ZENHEI=/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc
if [ ! -r "$ZENHEI" ]; then
    echo "SKIP: $ZENHEI is missing (Debian package fonts-wqy-zenhei)"
    exit 77
fi
export SOURCE_DATE_EPOCH=1790726400
lacks() { ! grep -q -- "$1" "$2"; }
INPUT="$SB_SRC/tests/data/scripts/circuits.json"
ORG="株式会社コントソ"

render() { # $1 = out dir
    "$SB_BIN" report --quiet --input "$INPUT" --organisation "$ORG" --format pdf,json,xlsx --out-dir "$1" \
        >"$TMP/out" 2>"$TMP/err"
}
render "$TMP/a"
rc=$?
{ [ $rc -eq 0 ] || [ $rc -eq 1 ]; } || { fail "report exited $rc: $(head -c 400 "$TMP/err")"; finish; exit; }
pdf="$TMP/a/report.pdf"
check "no warning when the fallback font is installed: $(head -c 300 "$TMP/err")" test ! -s "$TMP/err"
check "qpdf --check" qpdf --check "$pdf" >/dev/null 2>&1

render "$TMP/b"
check "two renders differ" cmp -s "$pdf" "$TMP/b/report.pdf"

# The fallback font is embedded, as a subset, with a ToUnicode map; the DejaVu faces stay.
pdffonts "$pdf" >"$TMP/fonts.txt" 2>/dev/null || fail "pdffonts"
check "fallback font not embedded as a subset: $(cat "$TMP/fonts.txt")" \
    grep -Eq '^HPDF[A-Z]{2}\+WenQuanYiZenHei +CID TrueType +Identity-H +yes +yes +yes ' "$TMP/fonts.txt"
check "not 4 fonts: $(cat "$TMP/fonts.txt")" test "$(tail -n +3 "$TMP/fonts.txt" | wc -l)" -eq 4

# A Latin-only report does not carry it.
(cd "$ESTATE" && "$SB_BIN" report --quiet --input snapshot-contoso.json --format pdf --out-dir "$TMP/latin") \
    2>"$TMP/latin.err"
rc=$?
{ [ $rc -eq 0 ] || [ $rc -eq 1 ]; } || fail "latin report exited $rc"
pdffonts "$TMP/latin/report.pdf" >"$TMP/latin-fonts.txt" 2>/dev/null || fail "pdffonts latin"
check "Latin-only report embeds the fallback font" lacks WenQuanYi "$TMP/latin-fonts.txt"
check "Latin-only report: not the 3 DejaVu faces" test "$(grep -c DejaVu "$TMP/latin-fonts.txt")" -eq 3

# Only what was drawn: the font program, its widths and its code-to-glyph map stay small (libharu
# alone writes every glyph's width and map entry and the whole post table: about 500 kB).
qpdf --json=2 "$pdf" >"$TMP/pdf.json" 2>/dev/null || fail "qpdf --json"
check "fallback font is not trimmed" "$PY" - "$TMP/pdf.json" <<'PYEOF'
import json, sys
objs = json.load(open(sys.argv[1]))["qpdf"][1]
def val(ref):
    o = objs[ref if ref.startswith("obj:") else "obj:" + ref]
    return o.get("value", o.get("stream", {}).get("dict"))
def length(ref):
    d = objs["obj:" + ref]["stream"]["dict"]
    n = d["/Length"]
    return n if isinstance(n, int) else val(n)
cid = [v["value"] for v in objs.values()
       if isinstance(v.get("value"), dict) and v["value"].get("/Subtype") == "/CIDFontType2"
       and "WenQuanYi" in v["value"].get("/BaseFont", "")]
assert len(cid) == 1, cid
cid = cid[0]
w = json.dumps(cid["/W"])
assert len(w) < 4000, "W array of %d characters" % len(w)
assert length(cid["/CIDToGIDMap"]) < 4000, "CIDToGIDMap %d bytes" % length(cid["/CIDToGIDMap"])
ff = val(cid["/FontDescriptor"])["/FontFile2"]
assert length(ff) < 100000, "FontFile2 %d bytes" % length(ff)
PYEOF

# Every name is extractable text: CJK whole; Hebrew and Arabic word by word (pdftotext joins a
# right-to-left name's words in drawing order, and Arabic as presentation forms: NFKC undoes those).
pdftotext "$pdf" "$TMP/text.txt" 2>/dev/null || fail "pdftotext"
check "pdftotext: names missing or U+FFFD drawn" "$PY" - "$INPUT" "$TMP/text.txt" "$ORG" <<'PYEOF'
import json, re, sys, unicodedata
names = []
for c in json.load(open(sys.argv[1], encoding="utf-8"))["value"]:
    names.append(c["name"])
    names.append(c["id"].split("/")[4])  # the resource group
text = open(sys.argv[2], encoding="utf-8").read()
assert "\ufffd" not in text, "U+FFFD in the text"
flat = re.sub(r"\s+", "", text)
norm = unicodedata.normalize("NFKC", text)
missing = []
for n in names + [sys.argv[3]]:
    if any(unicodedata.bidirectional(ch) in ("R", "AL") for ch in n):
        missing += [w for w in re.split(r"[-\d]+", n) if w and w not in norm]
    elif n not in text and n not in flat:
        missing.append(n)
assert not missing, "not in the text: %s" % missing
PYEOF

# Nothing overflows: a long CJK name without spaces wraps inside its cell. Every word is inside the
# margins (18 mm) and no two words overlap, which they would if a run were measured other than drawn.
pdftotext -bbox "$pdf" "$TMP/bbox.html" 2>/dev/null || fail "pdftotext -bbox"
check "words outside the margins or overlapping" "$PY" - "$TMP/bbox.html" <<'PYEOF'
import re, sys
doc = open(sys.argv[1], encoding="utf-8").read()
word = re.compile(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)</word>')
bad = []
for n, page in enumerate(doc.split("<page ")[1:], 1):
    width = float(re.match(r'width="([\d.]+)"', page).group(1))
    left, right = 18 / 25.4 * 72, width - 18 / 25.4 * 72
    ws = [(float(a), float(b), float(c), float(d), t) for a, b, c, d, t in word.findall(page)]
    bad += ["page %d: %r outside the margins" % (n, w) for w in ws if w[0] < left - 0.5 or w[2] > right + 0.5]
    for i, w in enumerate(ws):
        for v in ws[i + 1:]:
            vo = min(w[3], v[3]) - max(w[1], v[1])
            ho = min(w[2], v[2]) - max(w[0], v[0])
            if vo > 0.5 * min(w[3] - w[1], v[3] - v[1]) and ho > 0.5:
                bad.append("page %d: %r overlaps %r" % (n, w, v))
assert not bad, "%d problems, first: %s" % (len(bad), bad[:3])
PYEOF

# The workbook keeps every name exactly as given.
check "xlsx: names changed" "$PY" - "$INPUT" "$TMP/a/report.xlsx" <<'PYEOF'
import json, sys, openpyxl
names = [c["name"] for c in json.load(open(sys.argv[1], encoding="utf-8"))["value"]]
wb = openpyxl.load_workbook(sys.argv[2], read_only=True)
cells = {v for ws in wb.worksheets for row in ws.iter_rows(values_only=True) for v in row if isinstance(v, str)}
missing = [n for n in names if n not in cells]
assert not missing, "no cell holds %s" % missing
PYEOF
check "Author is not the organisation" sh -c "pdfinfo '$pdf' 2>/dev/null | grep -q '^Author: *$ORG\$'"
finish
