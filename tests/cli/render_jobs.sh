#!/usr/bin/env bash
# --jobs: formats rendered at the same time give byte-identical files (every format, the manifest included) to
# formats rendered one after another; a failing format still fails the whole run and leaves nothing behind.
. "$SB_SRC/tests/cli-lib.sh"
export SOURCE_DATE_EPOCH=1790726400
cd "$ESTATE"
args=(--quiet --input snapshot-contoso.json --input arg-export-fabrikam.json --input diagnostic-settings-fabrikam.json
      --exceptions exceptions.json --organisation "Test Org" --format all)
expect_exit 0 "one after another" "$SB_BIN" report "${args[@]}" --jobs 1 --out-dir "$TMP/one"
expect_exit 0 "four at once" "$SB_BIN" report "${args[@]}" --jobs 4 --out-dir "$TMP/four"
expect_exit 0 "default" "$SB_BIN" report "${args[@]}" --out-dir "$TMP/def"
for f in report.json report.csv report.md report.pdf report.xlsx report.sarif report.oscal.json manifest.json \
         manifest.sha256; do
  check "$f: --jobs 4 = --jobs 1" cmp -s "$TMP/one/$f" "$TMP/four/$f"
  check "$f: default = --jobs 1" cmp -s "$TMP/one/$f" "$TMP/def/$f"
done
expect_exit 2 "--jobs 0" "$SB_BIN" report "${args[@]}" --jobs 0 --out-dir "$TMP/bad"
stderr_has "--jobs: expected a number from 1 to 64"
expect_exit 2 "--jobs x" "$SB_BIN" report "${args[@]}" --jobs x --out-dir "$TMP/bad"
# A renderer that fails while others run (the PDF without its fonts): exit 4 naming the font, no report and no
# temporary left in the directory.
mkdir -p "$TMP/fail" "$TMP/nofonts"
cp -r "$SB_SRC/templates" "$TMP/nofonts/"
expect_exit 4 "fonts missing, four at once" "$SB_BIN" report "${args[@]}" --jobs 4 --data-dir "$TMP/nofonts" \
  --out-dir "$TMP/fail"
stderr_has "DejaVuSans.ttf: cannot read font"
dir_empty "$TMP/fail"
finish
