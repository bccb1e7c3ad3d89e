#!/usr/bin/env bash
# The committed sample reports must be what the current code renders from the bundled sample estate.
. "$SB_SRC/tests/cli-lib.sh"
bash "$SB_SRC/scripts/render-samples.sh" "$SB_BIN" "$TMP/fresh" 2>"$TMP/err" || fail "render-samples failed: $(cat "$TMP/err")"
for f in report.json report.csv report.md report.xlsx; do
  check "sample-reports/$f is current (run scripts/demo.sh)" cmp -s "$SB_SRC/sample-reports/$f" "$TMP/fresh/$f"
done
# PDF: compare the extracted text (deflate bytes may differ between zlib builds)
if [ -f "$SB_SRC/sample-reports/report.pdf" ]; then
  pdftotext -layout "$SB_SRC/sample-reports/report.pdf" "$TMP/old.txt" 2>/dev/null
  pdftotext -layout "$TMP/fresh/report.pdf" "$TMP/new.txt" 2>/dev/null
  check "sample-reports/report.pdf text is current" cmp -s "$TMP/old.txt" "$TMP/new.txt"
else
  fail "sample-reports/report.pdf missing"
fi
finish
