#!/usr/bin/env bash
# `cpack -G DEB`: the package declares a Debian package for every shared library the binary needs, and the tool
# runs from the unpacked tree (dpkg-deb -x into a scratch root, as if installed to /usr, but moved elsewhere).
. "$SB_SRC/tests/cli-lib.sh"
export SOURCE_DATE_EPOCH=1790726400
unset MCSB_AUDIT_DATA_DIR
command -v dpkg-deb >/dev/null || { fail "dpkg-deb not found (a Debian system is required)"; finish; exit; }

# -B keeps cpack's staging (_CPack_Packages) in this test's own directory, so concurrent runs do not collide.
(cd "$TMP" && cpack -G DEB --config "$SB_BUILD/CPackConfig.cmake" -B "$TMP/pkg") >"$TMP/cpack.log" 2>&1 ||
  fail "cpack: $(tail -5 "$TMP/cpack.log")"
deb=$(ls "$TMP"/pkg/mcsb-audit_*_*.deb 2>/dev/null | head -1)
check "package built" test -s "$deb"
version=$("$SB_BIN" --version | cut -d' ' -f2)
check "package version $version" test "$(dpkg-deb -f "$deb" Version)" = "$version"
check "package name" test "$(dpkg-deb -f "$deb" Package)" = mcsb-audit
depends=$(dpkg-deb -f "$deb" Depends)
for p in libc6 libcurl4 libcjson1 libxlsxwriter4 libhpdf-2.3.0 libssl3; do
  check "Depends names $p ($depends)" grep -qE "(^|, )$p( |,|$)" <<<"$depends"
done
check "Recommends the CJK fallback font" test "$(dpkg-deb -f "$deb" Recommends)" = fonts-wqy-zenhei

dpkg-deb -x "$deb" "$TMP/root" || fail "dpkg-deb -x"
bin="$TMP/root/usr/bin/mcsb-audit"
for f in usr/share/mcsb-audit/templates/baselines/expressroute.json usr/share/mcsb-audit/fonts/DejaVuSans.ttf \
         usr/share/man/man1/mcsb-audit.1 usr/share/bash-completion/completions/mcsb-audit usr/share/doc/mcsb-audit/README.md; do
  check "packaged $f" test -s "$TMP/root/$f"
done

# Every library the binary links is provided by a package the control file depends on.
# (A sanitizer build links libasan/libubsan: not something to package, so those are left out of the check.)
objdump -p "$bin" | awk '/NEEDED/ && $2 !~ /^lib(a|ub|l|t)san\./ {print $2}' >"$TMP/needed"
check "binary has dynamic dependencies" test -s "$TMP/needed"
while read -r soname; do
  path=$(ldd "$bin" | awk -v s="$soname" '$1 == s {print $3}')
  [ -n "$path" ] || { fail "$soname: not resolved by ldd"; continue; }
  owner=$(dpkg -S "$(readlink -f "$path")" 2>/dev/null | head -1 | cut -d: -f1)
  [ -n "$owner" ] || owner=$(dpkg -S "$path" 2>/dev/null | head -1 | cut -d: -f1)
  check "$soname ($owner) is in Depends" grep -qE "(^|, )$owner( |,|$)" <<<"$depends"
done <"$TMP/needed"

# Run from the unpacked tree with the working directory elsewhere: data is found beside the binary.
mkdir -p "$TMP/work" && cd "$TMP/work"
expect_exit 0 "baseline show" "$bin" baseline show
check "baseline show lists the controls" grep -q 'NS-1' "$TMP/out"
expect_exit 0 "report" "$bin" report --quiet --input "$ESTATE/snapshot-contoso.json" --format json,pdf --out-dir "$TMP/r"
check "report.pdf from the package" test -s "$TMP/r/report.pdf"
pkg_sha=$(sha256sum "$TMP/root/usr/share/mcsb-audit/templates/baselines/expressroute.json" | cut -d' ' -f1)
check "packaged baseline used" grep -q "$pkg_sha" "$TMP/r/report.json"
expect_exit 0 "verify the report" "$bin" verify "$TMP/r"
finish
