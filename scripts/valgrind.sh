#!/usr/bin/env bash
# On demand: run every Check program and one full report under valgrind (not part of test.sh: it is slow).
set -euo pipefail
cd "$(dirname "$0")/.."
cmake -S . -B build >/dev/null && cmake --build build -j"$(nproc 2>/dev/null || echo 2)" >/dev/null
status=0
for t in build/check_*; do
  [ -x "$t" ] || continue
  if CK_FORK=no CK_DEFAULT_TIMEOUT=0 valgrind -q --leak-check=full --error-exitcode=9 "$t" >/dev/null 2>"$t.valgrind.log"; then
    echo "ok   $t"
  else
    echo "FAIL $t (see $t.valgrind.log)"; status=1
  fi
done
cd sample-reports/estate
if SOURCE_DATE_EPOCH=1790726400 valgrind -q --leak-check=full --error-exitcode=9 ../../build/mcsb-audit report --quiet \
     --input snapshot-contoso.json --input arg-export-fabrikam.json --input diagnostic-settings-fabrikam.json \
     --exceptions exceptions.json --previous ../report.json --out-dir "$(mktemp -d)"; then
  echo "ok   mcsb-audit report (every format)"
else
  echo "FAIL mcsb-audit report"; status=1
fi
exit $status
