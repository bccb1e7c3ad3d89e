#!/usr/bin/env bash
# `mcsb-audit run` end to end against the fake Azure on loopback: collect -> snapshot -> reports -> manifest,
# with one unreadable subscription (a gap: exit 5, not-assessed results in every report).
. "$SB_SRC/tests/cli-lib.sh"
PY=/usr/bin/python3
server_pid=
stop_fake() { [ -n "$server_pid" ] && kill "$server_pid" 2>/dev/null && wait "$server_pid" 2>/dev/null; server_pid=; }
trap 'stop_fake; rm -rf "$TMP"' EXIT
start_fake() { # $1 = faults JSON array
  stop_fake
  rm -f "$TMP/port"
  cat >"$TMP/config.json" <<JSON
{"estate_file": "$SB_SRC/tests/data/collect/estate.json", "static_tokens": ["run-test-token-0123"], "faults": $1}
JSON
  "$PY" "$SB_SRC/tests/fake-azure/server.py" --config "$TMP/config.json" --port-file "$TMP/port" --idle-timeout 600 &
  server_pid=$!
  # Python may take seconds to start on a loaded machine: wait while the server lives.
  while [ ! -s "$TMP/port" ] && kill -0 "$server_pid" 2>/dev/null; do sleep 0.05; done
  [ -s "$TMP/port" ] || { fail "fake Azure exited before it listened"; finish; exit 1; }
  base="http://127.0.0.1:$(cat "$TMP/port")"
}
unset AZURE_TENANT_ID AZURE_CLIENT_ID AZURE_CLIENT_SECRET AZURE_FEDERATED_TOKEN_FILE IDENTITY_ENDPOINT IDENTITY_HEADER
export AZURE_ACCESS_TOKEN=run-test-token-0123
export SOURCE_DATE_EPOCH=1790726400

start_fake '[]'
expect_exit 0 "complete run" "$SB_BIN" run --arm-endpoint "$base" --out-dir "$TMP/q3" --quiet --format json,md,xlsx
for f in snapshot.json report.json report.md report.xlsx manifest.json manifest.sha256; do
  check "run wrote $f" test -s "$TMP/q3/$f"
done
expect_exit 0 "verify the run's directory" "$SB_BIN" verify "$TMP/q3"
"$PY" - "$TMP/q3" <<'PY' || fail "run outputs"
import json, os, sys
d = sys.argv[1]
snap = json.load(open(os.path.join(d, "snapshot.json")))
rep = json.load(open(os.path.join(d, "report.json")))
assert [i["name"] for i in rep["inputs"] if i["role"] == "input"] == [os.path.join(d, "snapshot.json")]
assert rep["scope"]["resources"] > 0
# every resource type the rules read was evaluated: at least one resource-bound result
assert any(r["resource_id"] for r in rep["results"])
man = json.load(open(os.path.join(d, "manifest.json")))
assert {o["name"] for o in man["outputs"]} >= {"report.json", "report.md", "report.xlsx"}
PY
pass
check "token never written" sh -c "! grep -rq run-test-token-0123 '$TMP/q3'"
# a second collection of the same estate: the same finding ids (quarter-over-quarter diffs depend on it)
expect_exit 0 "second run" "$SB_BIN" run --arm-endpoint "$base" --out-dir "$TMP/q4" --quiet --format json
"$PY" - "$TMP/q3/report.json" "$TMP/q4/report.json" <<'PY' || fail "finding ids differ between two collections"
import json, sys
a, b = (json.load(open(p)) for p in sys.argv[1:3])
assert [r["id"] for r in a["results"]] == [r["id"] for r in b["results"]]
assert [r["status"] for r in a["results"]] == [r["status"] for r in b["results"]]
PY
pass
expect_exit 0 "diff of two collections is empty" "$SB_BIN" diff "$TMP/q3/report.json" "$TMP/q4/report.json"
check "no changes" grep -q "No changes" "$TMP/out"

# a 403 on one subscription: the run completes, exit 5, and the gap shows as not assessed
sub=$("$PY" -c "import json;print(json.load(open('$SB_SRC/tests/data/collect/estate.json'))['subscriptions'][0]['subscriptionId'])")
start_fake "[{\"kind\":\"status\",\"status\":403,\"code\":\"AuthorizationFailed\",\"match\":\"$sub\",\"count\":-1}]"
expect_exit 5 "run with a gap" "$SB_BIN" run --arm-endpoint "$base" --out-dir "$TMP/gap" --quiet --format json,md
check "gap run still wrote the report" test -s "$TMP/gap/report.json"
"$PY" - "$TMP/gap/report.json" "$sub" <<'PY' || fail "gap not reported as not assessed"
import json, sys
r = json.load(open(sys.argv[1])); sub = sys.argv[2].lower()
assert r["gaps"], "no gaps"
assert any(x["status"] == "not_assessed" and sub in (x["resource_id"] or "").lower() for x in r["results"])
PY
pass
# a server whose errors repeat the bearer token amid terminal escapes: exit 5, and no output holds the
# token or a raw escape (snapshot gaps feed report.json, .csv and .md)
start_fake '[{"kind":"echo_token","match":"/providers/Microsoft.Insights","count":-1}]'
expect_exit 5 "run against an echoing server" "$SB_BIN" run --arm-endpoint "$base" --out-dir "$TMP/echo" --format json,csv,md
check "echoed token in no output" sh -c "! grep -rqF run-test-token-0123 '$TMP/echo' '$TMP/err'"
check "no raw ESC in any output" sh -c "! grep -rq \"\$(printf '\\033')\" '$TMP/echo' '$TMP/err'"
check "gap messages say what was removed" grep -qF '[REDACTED]' "$TMP/echo/report.json"
# --fail-on wins over incompleteness when findings reach it
expect_exit 2 "run rejects --input" "$SB_BIN" run --arm-endpoint "$base" --input x.json --out-dir "$TMP/x"
expect_exit 2 "run rejects --output" "$SB_BIN" run --arm-endpoint "$base" --output x.json --out-dir "$TMP/x"
# no credential at all: exit 6, no reports
unset AZURE_ACCESS_TOKEN
expect_exit 6 "run without credentials" "$SB_BIN" run --arm-endpoint "$base" --out-dir "$TMP/nocred" --quiet
stderr_has 'AZURE_ACCESS_TOKEN=$(az account get-access-token --query accessToken -o tsv)'
check "no report without credentials" test ! -e "$TMP/nocred/report.json"
stop_fake
finish
