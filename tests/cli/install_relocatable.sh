#!/usr/bin/env bash
# `cmake --install` into a scratch prefix, then move the prefix: the installed binary must find its data beside
# itself (<bindir>/../share/mcsb-audit), not in the source tree it was built from (which still exists here).
. "$SB_SRC/tests/cli-lib.sh"
export SOURCE_DATE_EPOCH=1790726400
unset MCSB_AUDIT_DATA_DIR

cmake --install "$SB_BUILD" --prefix "$TMP/p1" >"$TMP/install.log" 2>&1 || fail "cmake --install: $(tail -5 "$TMP/install.log")"
for f in bin/mcsb-audit share/mcsb-audit/templates/baselines/expressroute.json share/mcsb-audit/fonts/DejaVuSans.ttf \
         share/mcsb-audit/fonts/DejaVuSans-Bold.ttf share/mcsb-audit/fonts/DejaVuSansMono.ttf \
         share/man/man1/mcsb-audit.1 share/bash-completion/completions/mcsb-audit \
         share/doc/mcsb-audit/README.md share/doc/mcsb-audit/report-format.md share/doc/mcsb-audit/LICENSE-DejaVu.txt \
         share/mcsb-audit/fonts/LICENSE-DejaVu.txt; do
  check "installed $f" test -s "$TMP/p1/$f"
done
check "binary executable" test -x "$TMP/p1/bin/mcsb-audit"

# Relocate the whole prefix, and mark its baseline so a report shows which copy was read.
mv "$TMP/p1" "$TMP/p2"
bl="$TMP/p2/share/mcsb-audit/templates/baselines/expressroute.json"
echo >>"$bl"
installed_sha=$(sha256sum "$bl" | cut -d' ' -f1)
source_sha=$(sha256sum "$SB_SRC/templates/baselines/expressroute.json" | cut -d' ' -f1)
check "marked copy differs from the source" test "$installed_sha" != "$source_sha"
mkdir -p "$TMP/elsewhere/bin"
cd "$TMP/elsewhere"

baseline_sha() { /usr/bin/python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["baseline"]["sha256"])' "$1"; }

expect_exit 0 "baseline show from the moved prefix" "$TMP/p2/bin/mcsb-audit" baseline show
check "baseline show lists NS-1" grep -q 'NS-1' "$TMP/out"
expect_exit 0 "report from the moved prefix" "$TMP/p2/bin/mcsb-audit" report --quiet --input "$ESTATE/snapshot-contoso.json" \
  --format json,pdf --out-dir "$TMP/r1" --fail-on never
check "pdf written (fonts found beside the binary)" test -s "$TMP/r1/report.pdf"
check "baseline read from the installed prefix" test "$(baseline_sha "$TMP/r1/report.json")" = "$installed_sha"

# Through a symlink on PATH (how /usr/local/bin links to /opt installs): /proc/self/exe resolves it.
ln -s "$TMP/p2/bin/mcsb-audit" "$TMP/elsewhere/bin/mcsb-audit"
expect_exit 0 "report through a symlink" env PATH="$TMP/elsewhere/bin:$PATH" mcsb-audit report --quiet \
  --input "$ESTATE/snapshot-contoso.json" --format json --out-dir "$TMP/r2"
check "symlinked binary reads the installed data" test "$(baseline_sha "$TMP/r2/report.json")" = "$installed_sha"

# MCSB_AUDIT_DATA_DIR and --data-dir still win over the install location.
mkdir -p "$TMP/alt"
cp -r "$TMP/p2/share/mcsb-audit/templates" "$TMP/alt/"
echo >>"$TMP/alt/templates/baselines/expressroute.json"
alt_sha=$(sha256sum "$TMP/alt/templates/baselines/expressroute.json" | cut -d' ' -f1)
expect_exit 0 "MCSB_AUDIT_DATA_DIR" env MCSB_AUDIT_DATA_DIR="$TMP/alt" "$TMP/p2/bin/mcsb-audit" report --quiet \
  --input "$ESTATE/snapshot-contoso.json" --format json --out-dir "$TMP/r3"
check "environment data dir used" test "$(baseline_sha "$TMP/r3/report.json")" = "$alt_sha"
expect_exit 0 "--data-dir" "$TMP/p2/bin/mcsb-audit" report --quiet --data-dir "$TMP/alt" \
  --input "$ESTATE/snapshot-contoso.json" --format json --out-dir "$TMP/r4"
check "--data-dir used" test "$(baseline_sha "$TMP/r4/report.json")" = "$alt_sha"

# The build-tree binary still uses the source tree.
expect_exit 0 "build binary" "$SB_BIN" report --quiet --input "$ESTATE/snapshot-contoso.json" --format json --out-dir "$TMP/r5"
check "build binary reads the source baseline" test "$(baseline_sha "$TMP/r5/report.json")" = "$source_sha"
finish
