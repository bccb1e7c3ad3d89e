"""Read an mcsb-audit workbook back with openpyxl and compare it with the matching report.json.

usage: /usr/bin/python3 xlsx_readback.py BOOK.xlsx REPORT.json [--max-rows N]

Checks every XML part parses, the sheet names and order, the header row, frozen pane and
autofilter of each data sheet, one Findings row per result (in order) and one Evidence row per
evidence item, the auditor drop-down, the status colouring, the Summary counts and the
Responsibility Matrix's hyperlinks (domain, "Learn more", reference) against baseline.controls.
Exits 0 when all hold, 1 with one line per problem otherwise.
"""
import datetime
import json
import re
import sys
import zipfile
import xml.dom.minidom

import openpyxl
from openpyxl.utils import get_column_letter

MARKER = "\u2026 [truncated]"
LABEL = {"pass": "Pass", "fail": "Fail", "manual": "Manual", "not_applicable": "N/A",
         "not_assessed": "Not assessed"}
ORDER = ["fail", "not_assessed", "manual", "pass", "not_applicable"]
SEVERITY = {"high": 3, "medium": 2, "low": 1, "none": 0}
# Columns kept in view (frozen after them) per data sheet; the rest freeze below the header only.
FROZEN = {"Findings": "B2"}

HEADERS = {
    "Security Profile": ["Attribute", "Value"],
    "Responsibility Matrix": ["Control", "Control title", "Domain", "Feature", "Supported",
                              "Enabled by default", "Responsibility", "Outcome", "Results",
                              "Fail", "Not assessed", "Manual", "Pass", "N/A", "Excepted",
                              "Learn more", "Reference"],
    "Findings": ["Finding id", "Status", "Control", "Domain", "Feature", "Subscription", "Resource group",
                 "Resource name", "Resource type", "Resource id", "Severity", "Summary",
                 "Evidence", "Remediation", "Exception kind", "Exception justification",
                 "Exception expiry", "Auditor conclusion", "Auditor comment", "Owner", "Due date",
                 "Management response"],
    "Evidence": ["Finding id", "Control", "Feature", "Resource id", "Path", "Observed value", "Expected"],
    "Exceptions": ["Entry #", "Entry id", "Kind", "Finding id", "Control", "Feature", "Resource pattern",
                   "Justification", "Evidence", "Approved by", "Approved on", "Owner", "Ticket", "Expires",
                   "State", "Matched results", "Matched finding ids", "Governance warnings"],
    "Collection Gaps": ["Kind", "Scope / resource", "Collection", "Request", "HTTP status",
                        "Error code", "Message / summary", "Finding id", "Control", "Feature"],
    "Policy Definitions": ["Control", "Feature", "Policy name", "Description", "Effects", "Version",
                           "Definition id"],
    "Changes": ["Change", "Finding id", "Control", "Feature", "Resource id", "Path", "Old value",
                "New value", "Reason"],
}

problems = []


def problem(msg):
    problems.append(msg)


def same(cell, expected):
    """A cell equals the expected text, allowing for a marked truncation and blank for empty."""
    if expected in (None, ""):
        return cell in (None, "")
    if isinstance(cell, str) and cell.endswith(MARKER):
        return expected.startswith(cell[: -len(MARKER)])
    return cell == expected


def parts_of(names, base):
    pat = re.compile(r"^%s \((\d+)\)$" % re.escape(base))
    found = [n for n in names if n == base or pat.match(n)]
    want = [base] + ["%s (%d)" % (base, i) for i in range(2, len(found) + 1)]
    if found != want:
        problem("%s parts are %s, expected %s" % (base, found, want))
    return found


def check_xml(path):
    with zipfile.ZipFile(path) as z:
        names = z.namelist()
        for name in names:
            if name.endswith(".xml") or name.endswith(".rels"):
                try:
                    xml.dom.minidom.parseString(z.read(name))
                except Exception as exc:  # noqa: BLE001 - any parse failure is the finding
                    problem("%s: not well-formed XML: %s" % (name, exc))
    return names


def check_data_sheet(ws, header, max_rows):
    got = [c.value for c in next(ws.iter_rows(min_row=1, max_row=1))]
    if got[: len(header)] != header or any(v is not None for v in got[len(header):]):
        problem("%s: header is %s" % (ws.title, got))
    base = re.sub(r" \(\d+\)$", "", ws.title)
    frozen = FROZEN.get(base, "A2")
    if ws.freeze_panes != frozen:
        problem("%s: frozen pane is %s, expected %s" % (ws.title, ws.freeze_panes, frozen))
    # Data rows run to the first blank row (a sheet may carry a note block below its table).
    rows = 0
    for r in ws.iter_rows(min_row=2, values_only=True):
        if all(v in (None, "") for v in r):
            break
        rows += 1
    ps = ws.page_setup
    if ws.sheet_properties.pageSetUpPr is None or not ws.sheet_properties.pageSetUpPr.fitToPage:
        problem("%s: not set to fit pages" % ws.title)
    elif ps.fitToWidth not in (0, "0"):
        problem("%s: printed %s page(s) wide, expected as many as the columns need (0)" % (ws.title, ps.fitToWidth))
    want = "A1:%s%d" % (get_column_letter(len(header)), rows + 1)
    if ws.auto_filter.ref != want:
        problem("%s: autofilter %s, expected %s" % (ws.title, ws.auto_filter.ref, want))
    if max_rows and rows > max_rows:
        problem("%s: %d rows, limit %d" % (ws.title, rows, max_rows))
    return [r for r in ws.iter_rows(min_row=2, max_row=rows + 1, values_only=True)]


def col_range(col, nrows):
    """Rows 2..nrows+1 of a column as Excel writes it (a single cell has no colon)."""
    return "%s2" % col if nrows == 1 else "%s2:%s%d" % (col, col, nrows + 1)


def check_status_colours(ws, col_letter, nrows):
    if not nrows:
        return
    rules = {}
    for cf in ws.conditional_formatting:
        for rule in cf.rules:
            if rule.type == "cellIs" and rule.operator == "equal":
                rules[rule.formula[0]] = str(cf.sqref)
    want = col_range(col_letter, nrows)
    for st in ORDER:
        key = '"%s"' % LABEL[st]
        if rules.get(key) != want:
            problem("%s: status colour for %s covers %s, expected %s" % (ws.title, key, rules.get(key), want))


def check_dropdown(ws, nrows):
    if not nrows:
        return
    want = col_range("R", nrows)
    for dv in ws.data_validations.dataValidation:
        if dv.type == "list" and str(dv.sqref) == want:
            if dv.formula1 != '"Agree,Disagree,Needs evidence"':
                problem("%s: drop-down values %s" % (ws.title, dv.formula1))
            break
    else:
        problem("%s: no auditor drop-down on %s" % (ws.title, want))
    want = col_range("U", nrows)
    for dv in ws.data_validations.dataValidation:
        if dv.type == "date" and str(dv.sqref) == want:
            return
    problem("%s: no date validation on the Due date cells %s" % (ws.title, want))


def check_summary(ws, results):
    rows = list(ws.iter_rows(values_only=True))
    labels = {r[0]: r for r in rows if r and r[0] is not None}
    gen = labels.get("Generated")
    if not gen or not isinstance(gen[1], datetime.datetime):
        problem("Summary: Generated is not a date cell: %r" % (gen,))
    for i, r in enumerate(rows):
        if r[0] == "Results by status":
            counts = {r2[0]: r2[1] for r2 in rows[i + 2: i + 2 + len(ORDER)]}
            for st in ORDER:
                want = sum(1 for x in results if x["status"] == st)
                if counts.get(LABEL[st]) != want:
                    problem("Summary: %s count %r, expected %d" % (LABEL[st], counts.get(LABEL[st]), want))
            break
    else:
        problem("Summary: no 'Results by status' section")
    # Headers over numbers align with them (right), the Domain header with its names (left).
    sheet_rows = list(ws.iter_rows())
    for i, r in enumerate(sheet_rows):
        if r[0].value == "Results by control domain":
            head = sheet_rows[i + 1]
            if head[0].value != "Domain" or head[0].alignment.horizontal == "right":
                problem("Summary: domain header %r aligned %s" % (head[0].value, head[0].alignment.horizontal))
            for cell in head[1:8]:
                if cell.alignment.horizontal != "right":
                    problem("Summary: header %r is not right-aligned over its numbers" % cell.value)
            break
    else:
        problem("Summary: no 'Results by control domain' section")


def check_exceptions(ws, entries):
    rows = [r for r in ws.iter_rows(min_row=2, values_only=True)]
    data = rows[: len(entries)]
    if len(data) != len(entries) or any(all(v in (None, "") for v in r) for r in data):
        problem("Exceptions: %d rows for %d entries" % (len(data), len(entries)))
        return
    col = {h: i for i, h in enumerate(HEADERS["Exceptions"])}
    for row, x in zip(data, entries):
        state = ("Expired \u2014 not applied" if x["expired"] else "Applied" if x["matched"] else "Unmatched")
        checks = {"Entry #": x.get("number"), "Entry id": x["entry_id"], "Approved by": x.get("approved_by"),
                  "Owner": x.get("owner"), "Evidence": x.get("evidence"), "State": state,
                  "Matched results": x["matched"],
                  "Matched finding ids": "\n".join(x.get("matched_findings", [])),
                  "Governance warnings": "\n".join(x.get("warnings", []))}
        for h, v in checks.items():
            if not same(row[col[h]], v) and row[col[h]] != v:
                problem("Exceptions entry %s %s: %r, expected %r" % (x["entry_id"], h, row[col[h]], v))
    warnings = ["Entry #%d (%s): %s" % (x["number"], x["entry_id"], w) for x in entries for w in x.get("warnings", [])]
    if entries:
        block = [r[0] for r in rows[len(entries) + 1:]]
        if not block or block[0] != "Governance warnings":
            problem("Exceptions: no Governance warnings block below the table (%r)" % block[:1])
        elif warnings and block[1:] != warnings:
            problem("Exceptions: warnings block %r, expected %r" % (block[1:], warnings))


def link_of(cell):
    """The hyperlink target of a cell (an Excel link keeps a #fragment apart, as location), or None."""
    h = cell.hyperlink
    if h is None:
        return None
    return (h.target or "") + ("#" + h.location if h.location else "")


def check_matrix_links(ws, baseline):
    """Domain, Learn more and Reference cells link to what report.json's baseline.controls gives."""
    feats = [(c, f) for c in baseline.get("controls", []) for f in c["features"]]
    rows = list(ws.iter_rows(min_row=2))
    if len(rows) != len(feats):
        problem("Responsibility Matrix: %d rows for %d features" % (len(rows), len(feats)))
    for i, (row, (c, f)) in enumerate(zip(rows, feats)):
        r = i + 2
        domain, learn, ref = row[2], row[15], row[16]
        if (row[0].value, row[3].value) != (c["id"], f["name"]):
            problem("Responsibility Matrix row %d: %r, expected %r" % (r, (row[0].value, row[3].value),
                                                                        (c["id"], f["name"])))
        if domain.value != c["domain"] or link_of(domain) != c.get("domain_url"):
            problem("Responsibility Matrix row %d Domain: %r -> %r, expected %r -> %r"
                    % (r, domain.value, link_of(domain), c["domain"], c.get("domain_url")))
        if learn.value != f.get("learn_more_url") or link_of(learn) != f.get("learn_more_url"):
            problem("Responsibility Matrix row %d Learn more: %r -> %r, expected %r"
                    % (r, learn.value, link_of(learn), f.get("learn_more_url")))
        if ref.value != f.get("reference") or link_of(ref) != f.get("reference_url"):
            problem("Responsibility Matrix row %d Reference: %r -> %r, expected %r -> %r"
                    % (r, ref.value, link_of(ref), f.get("reference"), f.get("reference_url")))
        for cell in (domain, learn, ref):
            if link_of(cell) and not link_of(cell).startswith("https://"):
                problem("Responsibility Matrix %s: link %r is not https" % (cell.coordinate, link_of(cell)))


def main(argv):
    max_rows = 0
    args = list(argv[1:])
    if "--max-rows" in args:
        i = args.index("--max-rows")
        max_rows = int(args[i + 1])
        del args[i: i + 2]
    if len(args) != 2:
        print(__doc__.strip().splitlines()[2], file=sys.stderr)
        return 2
    book, report_path = args
    with open(report_path, encoding="utf-8") as f:
        report = json.load(f)
    results = report["results"]

    parts = check_xml(book)
    if results and "xl/charts/chart1.xml" not in parts:
        problem("Summary: no domain chart part")
    elif results:
        with zipfile.ZipFile(book) as z:
            chart = z.read("xl/charts/chart1.xml").decode("utf-8")
        # Domain names are text: a numeric category reference makes Excel label bars 1, 2, 3.
        if chart.count("<c:cat><c:strRef>") != len(ORDER) or "<c:cat><c:numRef>" in chart:
            problem("Summary chart: categories are not text references")
    wb = openpyxl.load_workbook(book)
    names = wb.sheetnames
    findings = parts_of(names, "Findings")
    evidence = parts_of(names, "Evidence")
    want = (["Summary", "Security Profile", "Responsibility Matrix"] + findings + evidence
            + ["Exceptions", "Collection Gaps", "Policy Definitions"]
            + (["Changes"] if report.get("changes") is not None else []))
    if names != want:
        problem("sheets are %s, expected %s" % (names, want))

    for name in names:
        base = re.sub(r" \(\d+\)$", "", name)
        if base in HEADERS:
            check_data_sheet(wb[name], HEADERS[base], max_rows)
    check_summary(wb["Summary"], results)

    frows = []
    for name in findings:
        ws = wb[name]
        part = [r for r in ws.iter_rows(min_row=2, values_only=True)]
        check_status_colours(ws, "B", len(part))
        check_dropdown(ws, len(part))
        frows += part
    if len(frows) != len(results):
        problem("Findings: %d rows for %d results" % (len(frows), len(results)))
    # Failing rows first: status rank, then severity, then report order.
    urgent = sorted(range(len(results)), key=lambda i: (ORDER.index(results[i]["status"]),
                                                        -SEVERITY.get(results[i].get("severity") or "none", 0), i))
    for i, (row, res) in enumerate(zip(frows, [results[k] for k in urgent])):
        expect = {0: res["id"], 1: LABEL[res["status"]], 2: res["control"], 4: res["feature"],
                  9: res.get("resource_id"), 17: None, 18: None, 19: None, 20: None, 21: None}
        for col, value in expect.items():
            if not same(row[col], value):
                problem("Findings row %d col %s: %r, expected %r" % (i + 2, HEADERS["Findings"][col], row[col], value))
        ev_text = "\n".join("%s = %s%s" % (e.get("path") or "", e.get("value") if e.get("value") is not None
                                           else "(absent)", " [%s]" % e["source"] if e.get("source") else "")
                            for e in res.get("evidence", []))
        if not same(row[12], ev_text):
            problem("Findings row %d Evidence: %r, expected %r" % (i + 2, row[12], ev_text))

    check_exceptions(wb["Exceptions"], report.get("exceptions", []))

    erows = []
    for name in evidence:
        erows += [r for r in wb[name].iter_rows(min_row=2, values_only=True)]
    want_ev = [(res, e) for res in results for e in res.get("evidence", [])]
    if len(erows) != len(want_ev):
        problem("Evidence: %d rows for %d evidence items" % (len(erows), len(want_ev)))
    for i, (row, (res, e)) in enumerate(zip(erows, want_ev)):
        value = e.get("value") if e.get("value") is not None else "(absent)"
        expect = [res["id"], res["control"], res["feature"], e.get("resource_id") or res.get("resource_id"),
                  e.get("path"), value, e.get("expected")]
        for col, v in enumerate(expect):
            if not same(row[col], v):
                problem("Evidence row %d col %s: %r, expected %r" % (i + 2, HEADERS["Evidence"][col], row[col], v))

    matrix = wb["Responsibility Matrix"]
    check_status_colours(matrix, "H", matrix.max_row - 1)
    check_matrix_links(matrix, report["baseline"])

    for p in problems[:50]:
        print("xlsx_readback: " + p, file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
