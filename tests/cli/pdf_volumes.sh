#!/usr/bin/env bash
# --pdf-volume-pages: a PDF longer than a volume is split into report.pdf, report-2.pdf, ... that hold exactly the
# pages of the single-file PDF (same text, page numbers running on, each footer naming its file and volume), all in
# the manifest and OSCAL's back-matter, valid, reproducible, and the same whatever --jobs is.
. "$SB_SRC/tests/cli-lib.sh"
export SOURCE_DATE_EPOCH=1790726400
cd "$ESTATE"
args=(--quiet --input snapshot-contoso.json --input arg-export-fabrikam.json --input diagnostic-settings-fabrikam.json
      --exceptions exceptions.json --organisation "Test Org")
expect_exit 0 "one file" "$SB_BIN" report "${args[@]}" --format pdf --out-dir "$TMP/one"
total=$(pdfinfo "$TMP/one/report.pdf" | sed -n 's/^Pages: *//p')
check "the sample needs more than one volume of 20 pages ($total)" test "$total" -gt 20
check "one file: no second volume" test ! -e "$TMP/one/report-2.pdf"
expect_exit 0 "volumes of 20 pages" "$SB_BIN" report "${args[@]}" --format pdf,json,oscal --pdf-volume-pages 20 \
  --jobs 1 --out-dir "$TMP/vol"
expect_exit 0 "again, rendered at once" "$SB_BIN" report "${args[@]}" --format pdf,json,oscal --pdf-volume-pages 20 \
  --jobs 4 --out-dir "$TMP/vol2"
nvol=$(( (total + 19) / 20 ))
sum=0
for v in $(seq 1 "$nvol"); do
  f=report-$v.pdf
  [ "$v" -eq 1 ] && f=report.pdf
  check "$f written" test -s "$TMP/vol/$f"
  check "$f valid (qpdf --check)" qpdf --check "$TMP/vol/$f"
  check "$f reproducible, whatever --jobs" cmp -s "$TMP/vol/$f" "$TMP/vol2/$f"
  pages=$(pdfinfo "$TMP/vol/$f" | sed -n 's/^Pages: *//p')
  check "$f: at most 20 pages ($pages)" test "$pages" -le 20
  sum=$((sum + pages))
  check "$f in the manifest" grep -q "\"$f\"" "$TMP/vol/manifest.json"
  check "$f in OSCAL's back-matter" grep -q "\"href\":.\"$f\"" "$TMP/vol/report.oscal.json"
  first=$(( (v - 1) * 20 + 1 ))
  check "$f: its footer names it and its volume" \
    grep -q "$f, volume $v of $nvol · Page $first of $total" <(pdftotext -f 1 -l 1 "$TMP/vol/$f" -)
  pdftotext "$TMP/vol/$f" - >>"$TMP/volumes.txt"
done
check "no volume beyond the last" test ! -e "$TMP/vol/report-$((nvol + 1)).pdf"
check "the volumes hold every page ($sum of $total)" test "$sum" -eq "$total"
# The same text, line for line, once the footers' volume names and the re-run command's option are taken out
# (sorted: pdftotext may order a page's blocks differently when the footer is longer).
sed -E 's/^report(-[0-9]+)?\.pdf, volume [0-9]+ of [0-9]+ · //; s/ --pdf-volume-pages 20//' "$TMP/volumes.txt" |
  LC_ALL=C sort >"$TMP/volumes-norm.txt"
pdftotext "$TMP/one/report.pdf" - | LC_ALL=C sort >"$TMP/one.txt"
check "volumes = the single file, line for line" cmp -s "$TMP/one.txt" "$TMP/volumes-norm.txt"
check "the volumes' text is not empty" test "$(wc -l <"$TMP/one.txt")" -gt 500
check "the re-run command keeps the volume size" \
  grep -q -- "--pdf-volume-pages 20" <(pdftotext "$TMP/vol/report-$nvol.pdf" - | tr -d '\n')
expect_exit 0 "verify" "$SB_BIN" verify "$TMP/vol"
expect_exit 2 "--pdf-volume-pages 5" "$SB_BIN" report "${args[@]}" --pdf-volume-pages 5 --out-dir "$TMP/bad"
stderr_has "--pdf-volume-pages: expected a number of pages from 20 to 1000000"
finish
