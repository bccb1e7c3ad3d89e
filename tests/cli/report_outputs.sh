#!/usr/bin/env bash
# Outputs: determinism, the JSON contract, CSV shape, Markdown summary, secrets never written.
. "$SB_SRC/tests/cli-lib.sh"
export SOURCE_DATE_EPOCH=1790726400
cd "$ESTATE"
args=(--quiet --input snapshot-contoso.json --input arg-export-fabrikam.json --input diagnostic-settings-fabrikam.json
      --exceptions exceptions.json --organisation "Test Org" --classification Confidential --format json,csv,md,pdf,xlsx)
expect_exit 0 "first run" "$SB_BIN" report "${args[@]}" --out-dir "$TMP/a"
expect_exit 0 "second run" "$SB_BIN" report "${args[@]}" --out-dir "$TMP/b"
for f in report.json report.csv report.md report.pdf report.xlsx; do
  check "$f exists" test -s "$TMP/a/$f"
  check "$f byte-identical across runs" cmp -s "$TMP/a/$f" "$TMP/b/$f"
done
# input order does not change the assessment (only the recorded input list)
expect_exit 0 "reordered inputs" "$SB_BIN" report --quiet --input diagnostic-settings-fabrikam.json --input arg-export-fabrikam.json \
  --input snapshot-contoso.json --exceptions exceptions.json --format json --out-dir "$TMP/c"
/usr/bin/python3 - "$TMP/a/report.json" "$TMP/c/report.json" <<'PY' || fail "results depend on input order"
import json, sys
a, c = (json.load(open(p)) for p in sys.argv[1:3])
assert a["results"] == c["results"], "results differ"
PY
pass
# basename
expect_exit 0 "basename" "$SB_BIN" report --quiet --input snapshot-contoso.json --format json,md --basename q3 --out-dir "$TMP/d"
check "basename json" test -s "$TMP/d/q3.json"
check "basename md" test -s "$TMP/d/q3.md"

/usr/bin/python3 - "$TMP/a" "$SB_SRC/templates/baselines/expressroute.json" <<'PY' || fail "report contract"
import csv, json, sys, os
d = sys.argv[1]
r = json.load(open(os.path.join(d, "report.json")))
b = json.load(open(sys.argv[2]))
for k in ("tool", "baseline", "generated", "inputs", "counts", "results"):
    assert k in r, k
assert r["generated"] == "2026-09-30T00:00:00Z", r["generated"]
assert r["baseline"]["id"] == "expressroute" and r["baseline"]["mcsb_version"] == "1.0"
statuses = {"pass", "fail", "manual", "not_applicable", "not_assessed"}
seen = set()
for res in r["results"]:
    for k in ("id", "control", "feature", "resource_id", "status", "evidence"):
        assert k in res, (k, res)
    assert res["status"] in statuses
    assert res["resource_id"] is None or isinstance(res["resource_id"], str)
    for ev in res["evidence"]:
        assert set(("resource_id", "path", "value", "expected")) <= set(ev)
    seen.add(res["status"])
assert seen == statuses, seen                      # the sample reaches every status
ids = [x["id"] for x in r["results"]]
assert len(ids) == len(set(ids)), "finding ids not unique"
# every control and feature of the baseline is listed
feats = {(c["id"], f["name"]) for c in b["controls"] for f in c["features"]}
assert feats == {(x["control"], x["feature"]) for x in r["results"]}
# the baseline page's links, as the baseline file gives them, for every control and feature
links = [(c["id"], c.get("domain_url"), f["name"], f.get("learn_more_url"), f.get("reference"), f.get("reference_url"))
         for c in b["controls"] for f in c["features"]]
got = [(c["id"], c["domain_url"], f["name"], f["learn_more_url"], f["reference"], f["reference_url"])
       for c in r["baseline"]["controls"] for f in c["features"]]
assert got == links, got
assert all(x[3] and x[3].startswith("https://learn.microsoft.com/") for x in got)
nsg = [x for x in got if x[2] == "Network Security Group Support"][0]
assert nsg[1] == "https://learn.microsoft.com/security/benchmark/azure/mcsb-network-security", nsg
assert nsg[3] == "https://learn.microsoft.com/azure/virtual-network/network-security-groups-overview", nsg
assert nsg[5] is None
# counts agree with results
for s in statuses:
    assert r["counts"][s] == sum(1 for x in r["results"] if x["status"] == s), s
assert r["counts"]["excepted"] == sum(1 for x in r["results"] if "exception" in x)
assert any(x.get("expired_exception") for x in r["results"]), "expired exception not reported"
for i in r["inputs"]:
    assert len(i["sha256"]) == 64
# CSV: RFC 4180, one row per result
rows = list(csv.reader(open(os.path.join(d, "report.csv"), newline="")))
assert rows[0][0] == "id" and len(rows) == len(r["results"]) + 1
assert [row[0] for row in rows[1:]] == ids
raw = open(os.path.join(d, "report.csv"), "rb").read()
assert b"\r\n" in raw
# Markdown: one screen; the ten most urgent open items appear (fail before not assessed, then severity)
md = open(os.path.join(d, "report.md")).read()
assert md.startswith("# ExpressRoute security baseline assessment")
assert len(md.splitlines()) <= 60, len(md.splitlines())
rank = {"fail": 0, "not_assessed": 1}
sev = {"high": 0, "medium": 1, "low": 2, "none": 3}
open_items = [x for x in r["results"] if x["status"] in rank]
top = sorted(range(len(open_items)), key=lambda i: ("exception" in open_items[i], rank[open_items[i]["status"]],
                                                    sev[open_items[i]["severity"]], i))[:10]
for i in top:
    assert open_items[i]["summary"].replace("(", "(") in md.replace("\\", ""), open_items[i]["summary"]
assert "%d more in the PDF report" % (len(open_items) - 10) in md
assert "SHA-256" in md
PY
pass

# secrets in the inputs never reach any output
for secret in sample-service-key-0000-never-shown sample-psk-never-shown bgp-md5-never-shown auth-key-never-shown \
              00000000-aaaa-bbbb-cccc-sample-auth-key never-shown; do
  check "secret $secret absent" sh -c "! grep -rqa -- '$secret' '$TMP/a'"
done
check "no secret in PDF text" sh -c "! pdftotext '$TMP/a/report.pdf' - 2>/dev/null | grep -q never-shown"
# no temp files left behind
check "no temp files" sh -c "! ls '$TMP/a' | grep -q tmp"
finish
