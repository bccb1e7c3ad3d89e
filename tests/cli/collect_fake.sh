#!/bin/bash
# Black-box test of `mcsb-audit collect` against the fake Azure on loopback: exit codes,
# stdout/stderr discipline, --verbose without credentials, gaps.
set -u
PY=/usr/bin/python3
: "${SB_BIN:?}" "${SB_SRC:?}" "${SB_BUILD:?}"

work=$(mktemp -d "$SB_BUILD/collect-cli.XXXXXX")
server_pid=
cleanup() {
    [ -n "$server_pid" ] && kill "$server_pid" 2>/dev/null && wait "$server_pid" 2>/dev/null
    rm -rf "$work"
}
trap cleanup EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }

secret=cli-secret-value-987
start_fake() { # $1 = faults JSON array
    [ -n "$server_pid" ] && kill "$server_pid" 2>/dev/null && wait "$server_pid" 2>/dev/null
    rm -f "$work/port" "$work/requests.jsonl"
    cat >"$work/config.json" <<EOF
{"estate_file": "$SB_SRC/tests/data/collect/estate.json",
 "credentials": {"client_id": "cli-app", "client_secret": "$secret"},
 "page_size": {"subscriptions": 2, "arg": 5}, "faults": $1}
EOF
    "$PY" "$SB_SRC/tests/fake-azure/server.py" --config "$work/config.json" --port-file "$work/port" \
        --log "$work/requests.jsonl" --idle-timeout 600 &
    server_pid=$!
    # Python may take seconds to start on a loaded machine: wait while the server lives.
    while [ ! -s "$work/port" ] && kill -0 "$server_pid" 2>/dev/null; do sleep 0.05; done
    [ -s "$work/port" ] || fail "fake Azure exited before it listened"
    base="http://127.0.0.1:$(cat "$work/port")"
    export AZURE_AUTHORITY_HOST="$base" MCSB_AUDIT_IMDS_ENDPOINT="$base"
}

export AZURE_TENANT_ID=72f988bf-0000-0000-0000-000000000001 AZURE_CLIENT_ID=cli-app AZURE_CLIENT_SECRET=$secret
unset AZURE_ACCESS_TOKEN AZURE_FEDERATED_TOKEN_FILE IDENTITY_ENDPOINT IDENTITY_HEADER

# 1. Complete collection: exit 0, nothing on stdout, a summary on stderr, a snapshot.
start_fake '[]'
"$SB_BIN" collect --arm-endpoint "$base" --output "$work/snap.json" >"$work/out" 2>"$work/err"
rc=$?
[ $rc -eq 0 ] || { cat "$work/err"; fail "complete collection exited $rc"; }
[ ! -s "$work/out" ] || fail "collect wrote to stdout"
grep -q "wrote $work/snap.json: 16 resources, 3 subscriptions, 0 gaps" "$work/err" || fail "no summary: $(cat "$work/err")"
"$PY" - "$work/snap.json" <<'EOF' || fail "snapshot content"
import json, sys
s = json.load(open(sys.argv[1]))
assert s["format"] == "mcsb-audit-snapshot" and s["formatVersion"] == 1
assert s["collection"]["complete"] is True and s["gaps"] == []
ids = [r["id"].lower() for r in s["resources"]]
assert ids == sorted(ids) and len(ids) == len(set(ids)) == 16, ids
assert len(s["collected"]) == 4
EOF

# 2. --verbose logs each request, never a credential.
"$SB_BIN" collect --arm-endpoint "$base" --output "$work/snap.json" --verbose 2>"$work/err" >/dev/null
[ $? -eq 0 ] || fail "--verbose run failed"
grep -q 'mcsb-audit: GET /subscriptions -> 200' "$work/err" || fail "--verbose does not log requests"
grep -q 'POST /providers/Microsoft.ResourceGraph/resources -> 200' "$work/err" || fail "--verbose misses Resource Graph"
for bad in "$secret" fake-token- Bearer; do
    ! grep -q -- "$bad" "$work/err" "$work/snap.json" || fail "credential material '$bad' leaked"
done

# 3. A subscription without access: snapshot with a gap, exit 5.
start_fake '[{"match": "33333333-3333-3333-3333-333333333333", "kind": "status", "status": 403, "code": "AuthorizationFailed", "count": -1}]'
"$SB_BIN" collect --arm-endpoint "$base" --output "$work/snap.json" 2>"$work/err" >/dev/null
rc=$?
[ $rc -eq 5 ] || fail "gap run exited $rc, expected 5"
grep -q 'gap: /subscriptions/33333333-3333-3333-3333-333333333333 (resources)' "$work/err" || fail "gap not reported"

# 4. Usage and output errors.
"$SB_BIN" collect --bogus >"$work/out" 2>"$work/err"
[ $? -eq 2 ] || fail "unknown option should exit 2"
[ ! -s "$work/out" ] && grep -q "unknown option '--bogus'" "$work/err" || fail "usage error message"
"$SB_BIN" collect --help >"$work/out" 2>"$work/err"
[ $? -eq 0 ] && grep -q -- '--max-parallel N' "$work/out" && [ ! -s "$work/err" ] || fail "--help"
touch "$work/file"
"$SB_BIN" collect --arm-endpoint "$base" --output "$work/file/snap.json" 2>"$work/err" >/dev/null
[ $? -eq 4 ] || fail "unwritable output should exit 4"

# 5. Wrong secret: exit 6, no snapshot, the secret never echoed.
AZURE_CLIENT_SECRET=wrong-$secret "$SB_BIN" collect --arm-endpoint "$base" --output "$work/none.json" 2>"$work/err"
[ $? -eq 6 ] || fail "bad secret should exit 6"
[ ! -e "$work/none.json" ] || fail "snapshot written despite auth failure"
! grep -q "$secret" "$work/err" || fail "secret in error message"
echo "collect CLI: all checks passed"
