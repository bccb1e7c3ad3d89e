# Shared helpers for tests/cli/*.sh (sourced; not a test itself).
set -u
: "${SB_BIN:?run through ctest}" "${SB_SRC:?}" "${SB_BUILD:?}"
export LC_ALL=C
TMP=$(mktemp -d "${SB_BUILD}/cli-test.XXXXXX")
trap 'rm -rf "$TMP"' EXIT
FAILS=0
PASSES=0
ESTATE="$SB_SRC/sample-reports/estate"

fail() { echo "FAIL: $*" >&2; FAILS=$((FAILS + 1)); }
pass() { PASSES=$((PASSES + 1)); }
check() { # check DESCRIPTION COMMAND...
  local d=$1; shift
  if "$@"; then pass; else fail "$d"; fi
}
# expect_exit CODE DESCRIPTION COMMAND... (stdout/stderr saved in $TMP/out, $TMP/err)
expect_exit() {
  local want=$1 d=$2; shift 2
  "$@" >"$TMP/out" 2>"$TMP/err"
  local got=$?
  if [ "$got" -eq "$want" ]; then pass; else fail "$d: exit $got, want $want; stderr: $(head -c 400 "$TMP/err")"; fi
}
stderr_has() { grep -qF -- "$1" "$TMP/err" || { fail "stderr lacks '$1': $(head -c 400 "$TMP/err")"; return 1; }; pass; }
dir_empty() { [ -z "$(ls -A "$1" 2>/dev/null)" ] || { fail "$1 not empty: $(ls -A "$1")"; return 1; }; pass; }
finish() {
  echo "$PASSES passed, $FAILS failed"
  [ "$FAILS" -eq 0 ]
}
