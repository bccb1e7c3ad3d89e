#!/usr/bin/env bash
# Real-world inputs: az CLI shapes, Resource Graph rows and ARM bodies of one estate, in any --input order.
. "$SB_SRC/tests/cli-lib.sh"
export SOURCE_DATE_EPOCH=1790726400
cd "$SB_SRC/tests/data/verdicts"
files=(arg-expressrouteport-partial.json arm-expressrouteport.json arm-vwan-list.json az-diagnostic-settings-circuit.json
       az-diagnostic-settings-ergw.json az-express-route-list.json az-vhub-connection-list.json az-vnet-gateway-list.json
       az-vnet-list-spokes.json az-vnet-subnet-list.json az-vpn-connection-list.json)
run_order() { # run_order OUTDIR FILE...
  local out=$1; shift
  local args=()
  for f in "$@"; do args+=(--input "$f"); done
  expect_exit 0 "report ($out)" "$SB_BIN" report --quiet "${args[@]}" --format json,csv,md,pdf,xlsx --out-dir "$TMP/$out"
}
run_order sorted "${files[@]}"
# reversed, and a rotation that splits the ARM body from its Resource Graph row
reversed=()
for ((i = ${#files[@]} - 1; i >= 0; i--)); do reversed+=("${files[$i]}"); done
run_order reversed "${reversed[@]}"
run_order rotated "${files[@]:5}" "${files[@]:0:5}"
for o in reversed rotated; do
  for f in report.json report.csv report.md report.pdf report.xlsx manifest.json; do
    check "$f identical in $o input order" cmp -s "$TMP/sorted/$f" "$TMP/$o/$f"
  done
done

/usr/bin/python3 - "$TMP/sorted/report.json" <<'PY' || fail "verdicts on az CLI / Resource Graph / ARM inputs"
import json, sys
r = json.load(open(sys.argv[1]))
kinds = {i["name"]: i.get("kind") for i in r["inputs"] if i["role"] == "input"}
assert kinds["az-vnet-subnet-list.json"] == "az-cli", kinds
assert kinds["arg-expressrouteport-partial.json"] == "resource-graph", kinds
assert kinds["arm-vwan-list.json"] == "arm-list", kinds
def res(control, tail):
    hits = [x for x in r["results"] if x["control"] == control and (x.get("resource_id") or "").endswith(tail)]
    assert len(hits) == 1, (control, tail, len(hits))
    return hits[0]
want = [("NS-1", "/subnets/GatewaySubnet", "fail"), ("NS-1", "/subnets/snet-shared", "pass"),
        ("NS-1", "/vnet-spoke-data/subnets/snet-sql", "fail"), ("NS-1", "/vnet-spoke-app/subnets/snet-web", "pass"),
        ("LT-4", "/expressRouteCircuits/erc-weu-primary", "pass"), ("LT-4", "/virtualNetworkGateways/ergw-hub-weu", "fail"),
        ("IM-8", "/expressRoutePorts/erport-ams", "pass"), ("BR-1", "/virtualNetworks/vnet-hub-weu", "manual"),
        ("BR-1", "/virtualHubs/vhub-weu", "manual")]
for control, tail, status in want:
    got = res(control, tail)["status"]
    assert got == status, (control, tail, got, status)
ev = res("NS-1", "/subnets/GatewaySubnet")["evidence"]
assert any(e.get("source") == "from az-vnet-subnet-list.json (az-cli)" for e in ev), ev
PY
pass
check "csv shows sources" grep -q 'az-vnet-subnet-list.json (az-cli)' "$TMP/sorted/report.csv"

# nothing in the inputs is not a clean bill
printf '[]' >"$TMP/empty.json"
printf '{"value": []}' >"$TMP/empty-list.json"
expect_exit 1 "empty inputs are not assessed" "$SB_BIN" report --quiet --input "$TMP/empty.json" --input "$TMP/empty-list.json" \
  --format json --out-dir "$TMP/empty" --fail-on not_assessed
/usr/bin/python3 - "$TMP/empty/report.json" <<'PY' || fail "empty inputs"
import json, sys
r = json.load(open(sys.argv[1]))
bound = [x for x in r["results"] if x["control"] in ("NS-1", "IM-8", "LT-4", "BR-1")
         and not x["summary"].startswith("not supported by the service")]
assert len(bound) == 5 and all(x["status"] == "not_assessed" and x["summary"] == "the inputs hold no resources" for x in bound), bound
assert not any(x["status"] in ("pass", "fail") for x in r["results"])
PY
pass
finish
