#!/bin/bash
# Collector benchmark (on demand, not in ctest): the fake Azure answers every ARM/Resource Graph
# request after LATENCY_MS; the estate has RESOURCES resources across SUBSCRIPTIONS subscriptions.
# Prints wall time against the ideal  requests x latency / parallelism  (target <= 1.25x).
#
# usage: bench/collect_bench.sh [path/to/mcsb-audit]   (default: build/mcsb-audit)
# env:   LATENCY_MS (50) RESOURCES (2000) SUBSCRIPTIONS (50) PARALLEL (16)
set -eu
PY=/usr/bin/python3
here=$(cd "$(dirname "$0")/.." && pwd)
bin=${1:-$here/build/mcsb-audit}
latency=${LATENCY_MS:-50}
nres=${RESOURCES:-2000}
nsubs=${SUBSCRIPTIONS:-50}
par=${PARALLEL:-16}
work=$(mktemp -d)
server_pid=
trap '[ -n "$server_pid" ] && kill $server_pid 2>/dev/null; [ -n "${KEEP:-}" ] && cp "$work/requests.jsonl" /tmp/bench-requests.jsonl; rm -rf "$work"' EXIT

"$PY" - "$work/estate.json" "$nres" "$nsubs" <<'EOF'
import json, sys
out, nres, nsubs = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
# Per 40 resources: 8 circuits, 4 ER gateways, 4 vWAN ER gateways, 2 ports (one needs an ARM GET),
# 6 connections, 6 VNets, 5 NSGs, 5 route tables.
mix = ["expressRouteCircuits"] * 8 + ["virtualNetworkGateways"] * 4 + ["expressRouteGateways"] * 4 + \
      ["expressRoutePorts"] * 2 + ["connections"] * 6 + ["virtualNetworks"] * 6 + \
      ["networkSecurityGroups"] * 5 + ["routeTables"] * 5
subs = ["%08d-0000-4000-8000-%012d" % (i, i) for i in range(nsubs)]
res, arm = [], {}
for i in range(nres):
    sub, kind = subs[i % nsubs], mix[i % len(mix)]
    rid = "/subscriptions/%s/resourceGroups/rg-%d/providers/Microsoft.Network/%s/r%05d" % (sub, i % 7, kind, i)
    props = {"provisioningState": "Succeeded", "index": i}
    row = {"id": rid, "name": "r%05d" % i, "type": "microsoft.network/" + kind.lower(), "location": "westeurope",
           "resourceGroup": "rg-%d" % (i % 7), "subscriptionId": sub, "properties": props}
    if kind == "virtualNetworkGateways":
        props["gatewayType"] = "ExpressRoute"
    if kind == "expressRoutePorts":
        link = {"name": "link1", "properties": {"adminState": "Enabled"}}
        props["links"] = [link]
        full = dict(row, identity={"type": "UserAssigned"}, properties=dict(props, links=[
            {"name": "link1", "properties": {"adminState": "Enabled", "macSecConfig": {"cipher": "GcmAes256"}}}]))
        if (i // len(mix)) % 2 == 0:
            arm[rid] = full          # Resource Graph row lacks MACsec: the collector GETs it
        else:
            row = full
    res.append(row)
est = {"subscriptions": [{"subscriptionId": s, "displayName": "sub %d" % n, "state": "Enabled", "tenantId": "t"}
                         for n, s in enumerate(subs)], "resources": res, "arm": arm, "diagnosticSettings": {}}
json.dump(est, open(out, "w"))
EOF
cat >"$work/config.json" <<EOF
{"estate_file": "$work/estate.json", "credentials": {"client_id": "bench", "client_secret": "bench-secret"},
 "latency_ms": $latency, "page_size": {"subscriptions": 0, "arg": 1000}, "faults": []}
EOF
"$PY" "$here/tests/fake-azure/server.py" --config "$work/config.json" --port-file "$work/port" \
    --log "$work/requests.jsonl" --idle-timeout 60 &
server_pid=$!
for _ in $(seq 1 200); do [ -s "$work/port" ] && break; sleep 0.05; done
base="http://127.0.0.1:$(cat "$work/port")"

start=$(date +%s.%N)
AZURE_TENANT_ID=t AZURE_CLIENT_ID=bench AZURE_CLIENT_SECRET=bench-secret AZURE_AUTHORITY_HOST=$base \
    "$bin" collect --arm-endpoint "$base" --output "$work/snap.json" --max-parallel "$par" --quiet ${BENCH_ARGS:-}
end=$(date +%s.%N)

"$PY" - "$work/requests.jsonl" "$work/snap.json" "$start" "$end" "$latency" "$par" <<'EOF'
import json, sys
log, snap, t0, t1, lat, par = sys.argv[1], sys.argv[2], float(sys.argv[3]), float(sys.argv[4]), int(sys.argv[5]), int(sys.argv[6])
reqs = [json.loads(l) for l in open(log)]
arm = [r for r in reqs if not r.get("auth")]
s = json.load(open(snap))
ideal = len(arm) * lat / 1000.0 / par
wall = t1 - t0
print("resources in snapshot: %d   ARM/ARG requests: %d   latency: %d ms   parallel: %d" % (len(s["resources"]), len(arm), lat, par))
print("wall: %.2f s   ideal (requests x latency / parallel): %.2f s   ratio: %.2fx (target <= 1.25x)" % (wall, ideal, wall / ideal))
EOF
