#!/usr/bin/env bash
# --format oscal / sarif: valid against NIST's OSCAL 1.0.6 and OASIS's SARIF 2.1.0 schemas (from ../shared, never
# copied), reproducible, in the manifest, and faithful to report.json (every result, status, evidence, exception).
. "$SB_SRC/tests/cli-lib.sh"
export SOURCE_DATE_EPOCH=1790726400
OSCAL_SCHEMA="$SB_SRC/../shared/oscal/oscal_assessment-results_schema-1.0.6.json"
SARIF_SCHEMA="$SB_SRC/../shared/sarif/sarif-schema-2.1.0.json"
[ -f "$OSCAL_SCHEMA" ] || OSCAL_SCHEMA=/work/shared/oscal/oscal_assessment-results_schema-1.0.6.json
[ -f "$SARIF_SCHEMA" ] || SARIF_SCHEMA=/work/shared/sarif/sarif-schema-2.1.0.json
check "OSCAL schema present ($OSCAL_SCHEMA)" test -f "$OSCAL_SCHEMA"
check "SARIF schema present ($SARIF_SCHEMA)" test -f "$SARIF_SCHEMA"

cd "$ESTATE"
args=(--quiet --input snapshot-contoso.json --input arg-export-fabrikam.json --input diagnostic-settings-fabrikam.json
      --exceptions exceptions.json --organisation "Test Org" --classification Confidential)
expect_exit 0 "all formats" "$SB_BIN" report "${args[@]}" --format all --out-dir "$TMP/a"
expect_exit 0 "all formats again" "$SB_BIN" report "${args[@]}" --format all --out-dir "$TMP/b"
for f in report.oscal.json report.sarif; do
  check "$f written" test -s "$TMP/a/$f"
  check "$f byte-identical across runs" cmp -s "$TMP/a/$f" "$TMP/b/$f"
done
expect_exit 0 "verify covers the new formats" "$SB_BIN" verify "$TMP/a"
check "manifest lists report.oscal.json" grep -q '"report.oscal.json"' "$TMP/a/manifest.json"
check "manifest lists report.sarif" grep -q '"report.sarif"' "$TMP/a/manifest.json"
check "manifest.sha256 lists both" test "$(grep -cE '  report\.(oscal\.json|sarif)$' "$TMP/a/manifest.sha256")" -eq 2
# Interop formats are asked for by name (or "all"): the default set stays the five report formats.
expect_exit 0 "default formats" "$SB_BIN" report "${args[@]}" --out-dir "$TMP/def"
check "default: no OSCAL" test ! -e "$TMP/def/report.oscal.json"
check "default: no SARIF" test ! -e "$TMP/def/report.sarif"
check "default: the five formats" test -s "$TMP/def/report.pdf" -a -s "$TMP/def/report.xlsx"
expect_exit 0 "oscal alone" "$SB_BIN" report "${args[@]}" --format oscal --out-dir "$TMP/only"
check "oscal alone: written" test -s "$TMP/only/report.oscal.json"
expect_exit 0 "oscal, no exceptions or organisation" "$SB_BIN" report --quiet --input snapshot-contoso.json --format oscal \
  --out-dir "$TMP/min"
expect_exit 2 "unknown format" "$SB_BIN" report "${args[@]}" --format oscal,stix --out-dir "$TMP/bad"
stderr_has "unknown format 'stix'"
# Another time: the same findings keep their UUIDs, the run gets new ones.
SOURCE_DATE_EPOCH=1790812800 "$SB_BIN" report "${args[@]}" --format oscal,sarif --out-dir "$TMP/later" ||
  [ $? -eq 1 ] || fail "later run"

/usr/bin/python3 - "$TMP/a" "$TMP/later" "$SB_SRC/templates/baselines/expressroute.json" <<'PY' || fail "OSCAL content"
import hashlib, json, os, re, sys, uuid
d, later, baseline_path = sys.argv[1:4]
rep = json.load(open(os.path.join(d, "report.json")))
doc = json.load(open(os.path.join(d, "report.oscal.json")))["assessment-results"]
base = json.load(open(baseline_path))
NS = uuid.uuid5(uuid.NAMESPACE_URL, "urn:mcsb-audit:oscal")
u5 = lambda kind, key: str(uuid.uuid5(NS, f"{kind}:{key}"))
OURS = "urn:mcsb-audit:oscal"

def props(o, group=None):
    out = {}
    for p in o.get("props", []):
        if group is None or p.get("group") == group:
            out.setdefault(p["name"], []).append(p["value"])
    return out

assert doc["metadata"]["oscal-version"] == "1.0.6"
assert doc["metadata"]["last-modified"] == "2026-09-30T00:00:00Z"
assert props(doc["metadata"])["marking"] == ["Confidential"]
assert doc["metadata"]["parties"][0]["name"] == "Test Org"
uuids = re.findall(r'"uuid":\s*"([^"]+)"', open(os.path.join(d, "report.oscal.json")).read())
assert len(uuids) == len(set(uuids)), "duplicate uuids"
assert all(uuid.UUID(u).version == 5 for u in uuids)

[res] = doc["results"]
assert res["end"] == rep["generated"] and res["start"] <= res["end"], (res["start"], res["end"])
sel = res["reviewed-controls"]["control-selections"][0]["include-controls"]
assert [c["control-id"] for c in sel] == [c["id"] for c in base["controls"]]

back = {r["uuid"]: r for r in doc["back-matter"]["resources"]}
def sha_of(r):
    [link] = r["rlinks"]
    [h] = link["hashes"]
    assert h["algorithm"] == "SHA-256"
    return link["href"], h["value"]
# every input, hashed as report.json records it
in_res = [r for r in doc["back-matter"]["resources"] if props(r)["role"][0] != "output"]
assert [(props(r)["role"][0], sha_of(r)[1]) for r in in_res] == [(i["role"], i["sha256"]) for i in rep["inputs"]]
# every other output of the run, hashed as it is on disk; not the OSCAL file itself, not the manifest
outs = {sha_of(r)[0]: sha_of(r)[1] for r in doc["back-matter"]["resources"] if props(r)["role"][0] == "output"}
assert sorted(outs) == ["report.csv", "report.json", "report.md", "report.pdf", "report.sarif", "report.xlsx"], sorted(outs)
for name, sha in outs.items():
    assert hashlib.sha256(open(os.path.join(d, name), "rb").read()).hexdigest() == sha, name
# import-ap is the baseline's back-matter resource
bl = back[doc["import-ap"]["href"][1:]]
assert props(bl)["role"] == ["baseline"] and sha_of(bl)[1] == rep["baseline"]["sha256"]

obs = {o["uuid"]: o for o in res["observations"]}
finds = res["findings"]
risks = {r["uuid"]: r for r in res.get("risks", [])}
inv = {i["uuid"]: i for i in res["local-definitions"]["inventory-items"]}
assert len(obs) == len(finds) == len(rep["results"])
states = {"pass": ("satisfied", "pass"), "fail": ("not-satisfied", "fail"), "manual": ("not-satisfied", "other"),
          "not_assessed": ("not-satisfied", "other"), "not_applicable": ("satisfied", "other")}
inputs = [i for i in rep["inputs"] if i["role"] == "input"]
for x, f in zip(rep["results"], finds):
    assert f["uuid"] == u5("finding", x["id"]), x["id"]
    assert f["target"]["target-id"] == x["control"] and f["target"]["type"] == "objective-id"
    st = f["target"]["status"]
    assert (st["state"], st["reason"]) == states[x["status"]], (x["id"], st)
    fp = props(f)
    assert fp["status"] == [x["status"]] and fp["finding-id"] == [x["id"]] and fp["feature"] == [x["feature"]]
    [ro] = f["related-observations"]
    o = obs[ro["observation-uuid"]]
    assert o["uuid"] == u5("observation", x["id"]) and o["methods"] == ["TEST"]
    assert res["start"] <= o["collected"] <= res["end"], o["collected"]
    if x["resource_id"]:
        [s] = o["subjects"]
        assert s["type"] == "inventory-item" and [a.lower() for a in props(inv[s["subject-uuid"]])["asset-id"]] == [x["resource_id"].lower()]
    else:
        assert "subjects" not in o
    for k, ev in enumerate(x["evidence"], 1):
        g = props(o, f"evidence-{k}")
        assert g["property-path"] == [" ".join(ev["path"].split())], (g, ev)
        assert g["observed-value"] == [" ".join(ev["value"].split())], (g, ev)
        assert g.get("evidence-source") == ([" ".join(ev["source"].split())] if ev.get("source") else None), (g, ev)
    # relevant evidence: the resource-state inputs, by their back-matter resource and hash
    hrefs = [e["href"] for e in o["relevant-evidence"]]
    assert [sha_of(back[h[1:]])[1] for h in hrefs] == [i["sha256"] for i in inputs]
    exc = x.get("exception") or x.get("expired_exception")
    if exc:
        [rr] = f["related-risks"]
        r = risks[rr["risk-uuid"]]
        assert props(r)["exception-entry"] == [exc["entry_id"]]
        assert r["status"] == ("deviation-approved" if "exception" in x else "open"), r["status"]
        assert r["deadline"] == exc["expires"] + "T23:59:59Z"
    else:
        assert "related-risks" not in f
assert any(r["status"] == "deviation-approved" for r in risks.values())
# stable identities: the same findings keep their UUIDs at another time; the run and document do not
doc2 = json.load(open(os.path.join(later, "report.oscal.json")))["assessment-results"]
assert [f["uuid"] for f in doc2["results"][0]["findings"]] == [f["uuid"] for f in finds]
assert doc2["uuid"] != doc["uuid"] and doc2["results"][0]["uuid"] != res["uuid"]
PY
pass

/usr/bin/python3 - "$TMP/a" "$SB_SRC/templates/baselines/expressroute.json" <<'PY' || fail "SARIF content"
import json, os, sys
d, baseline_path = sys.argv[1:3]
rep = json.load(open(os.path.join(d, "report.json")))
sarif = json.load(open(os.path.join(d, "report.sarif")))
base = json.load(open(baseline_path))
assert sarif["version"] == "2.1.0"
[run] = sarif["runs"]
rules = run["tool"]["driver"]["rules"]
feats = [(c["id"], f["name"]) for c in base["controls"] for f in c["features"]]
assert [(r["properties"]["control"], r["properties"]["feature"]) for r in rules] == feats
assert len({r["id"] for r in rules}) == len(rules)
for r, (c, f) in zip(rules, [(c, f) for c in base["controls"] for f in c["features"]]):
    assert r["help"]["text"] and r["helpUri"] == base["source"]
    assert ("Learn more: %s" % f["learn_more_url"]) in r["help"]["text"], r["help"]["text"]
    if f["reference_url"]:
        assert ("Reference: %s (%s)" % (f["reference"], f["reference_url"])) in r["help"]["text"]
want = [x for x in rep["results"] if x["status"] in ("fail", "not_assessed")]
assert len(run["results"]) == len(want) and want
levels = {"high": "error", "medium": "warning", "low": "note"}
for x, s in zip(want, run["results"]):
    rule = rules[s["ruleIndex"]]
    assert s["ruleId"] == rule["id"] and (rule["properties"]["control"], rule["properties"]["feature"]) == (x["control"], x["feature"])
    assert s["partialFingerprints"] == {"mcsbFindingId/v1": x["id"]}
    if x["status"] == "fail":
        assert s["kind"] == "fail" and s["level"] == levels.get(x["severity"], "error"), (s["level"], x["severity"])
    else:
        assert s["kind"] == "open" and s["level"] == "none"
    assert s["message"]["text"].startswith(x["summary"])
    for ev in x["evidence"]:
        assert ev["path"] in s["message"]["text"]
    assert [e.get("source") for e in s["properties"]["evidence"]] == [ev.get("source") for ev in x["evidence"]]
    if x["resource_id"]:
        [loc] = s["locations"]
        [ll] = loc["logicalLocations"]
        assert ll["kind"] == "resource" and ll["fullyQualifiedName"] == x["resource_id"]
    if "exception" in x:
        [sup] = s["suppressions"]
        assert sup["status"] == "accepted" and x["exception"]["entry_id"] in sup["justification"]
    else:
        assert "suppressions" not in s
assert any("suppressions" in s for s in run["results"]), "no excepted result in the sample"
assert [a["hashes"]["sha-256"] for a in run["artifacts"]] == [i["sha256"] for i in rep["inputs"]]
PY
pass

# SARIF schema (draft-04) with Debian's python3-jsonschema; a broken copy must be rejected (the check can fail).
sarif_validate() { # prints the validator's complaint when $2 is "show"
  /usr/bin/python3 -c 'import json,sys,jsonschema; jsonschema.Draft4Validator(json.load(open(sys.argv[1]))).validate(json.load(open(sys.argv[2])))' "$SARIF_SCHEMA" "$1" 2>"$TMP/sarif.err" && return 0
  [ "${2:-}" = show ] && tail -c 2000 "$TMP/sarif.err" >&2
  return 1
}
check "report.sarif valid against SARIF 2.1.0" sarif_validate "$TMP/a/report.sarif" show
/usr/bin/python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); d["runs"][0]["results"][0]["level"]="fatal"; json.dump(d,open(sys.argv[2],"w"))' \
  "$TMP/a/report.sarif" "$TMP/broken.sarif"
if sarif_validate "$TMP/broken.sarif"; then fail "SARIF validator accepted an invalid level"; else pass; fi

# OSCAL schema (draft-07 with \p{L} patterns): ajv-cli + ajv-formats from npm, installed once into the build tree.
ajv_dir="$SB_BUILD/npm-ajv"
if ! command -v npm >/dev/null 2>&1; then
  fail "npm not found: scripts/deps.sh installs it"
else
  mkdir -p "$ajv_dir"
  (
    flock 9
    if [ ! -x "$ajv_dir/node_modules/.bin/ajv" ] || [ ! -d "$ajv_dir/node_modules/ajv-formats" ]; then
      npm install --no-audit --no-fund --loglevel=error --prefix "$ajv_dir" ajv-cli@5.0.0 ajv-formats@3.0.1 >"$TMP/npm.log" 2>&1
    fi
  ) 9>"$ajv_dir.lock"
  if [ ! -x "$ajv_dir/node_modules/.bin/ajv" ]; then
    echo "SKIPPED: OSCAL schema validation: npm could not install ajv-cli (registry unreachable?): $(tail -3 "$TMP/npm.log")" >&2
  else
    ajv_validate() { # quiet; prints ajv's report when the document is invalid and $2 is "show"
      (cd "$ajv_dir" && node_modules/.bin/ajv validate --spec=draft7 -c ajv-formats --strict=false \
        -s "$OSCAL_SCHEMA" -d "$1") >"$TMP/ajv.out" 2>&1 && return 0
      [ "${2:-}" = show ] && head -c 2000 "$TMP/ajv.out" >&2
      return 1
    }
    check "report.oscal.json valid against OSCAL 1.0.6" ajv_validate "$TMP/a/report.oscal.json" show
    check "OSCAL without exceptions or organisation also valid" ajv_validate "$TMP/min/report.oscal.json" show
    /usr/bin/python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); d["assessment-results"]["results"][0]["findings"][0]["uuid"]="not-a-uuid"; json.dump(d,open(sys.argv[2],"w"))' \
      "$TMP/a/report.oscal.json" "$TMP/broken.oscal.json"
    if ajv_validate "$TMP/broken.oscal.json"; then fail "ajv accepted an invalid OSCAL uuid"; else pass; fi
  fi
fi
finish
