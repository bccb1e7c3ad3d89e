/* The auditor workbook: determinism, limits, failure paths, and a read-back with openpyxl. */
#include <check.h>

#include <cjson/cJSON.h>

#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "err.h"
#include "render.h"
#include "report.h"
#include "report_json.h"
#include "testutil.h"
#include "util.h"
#include "xlsx_book.h"

#define PY "/usr/bin/python3"

/* ---- a small hand-built baseline and report ---- */

struct fixture {
    struct sb_baseline bl;
    struct sb_control controls[2];
    struct sb_feature ns1[2];
    struct sb_feature dp3[1];
    struct sb_policy policies[2];
    struct sb_profile_attr profile[4];
    struct sb_report *r;
    size_t capresults;
};

static void make_baseline(struct fixture *fx)
{
    static const char *const attrs[4][2] = {
        {"Product Category", "Hybrid/Multi-Cloud, Networking"},
        {"Customer can access HOST / OS", "No Access"},
        {"Product can be deployed into customer's VNet", "False"},
        {"Stores customer content at rest", "False"},
    };
    for (int i = 0; i < 4; i++) {
        fx->profile[i].name = (char *)attrs[i][0];
        fx->profile[i].value = (char *)attrs[i][1];
    }
    fx->policies[0] = (struct sb_policy){"Azure DDoS Protection should be enabled", "Protect VNets",
                                         "AuditIfNotExists, Disabled", "3.0.1",
                                         "/providers/Microsoft.Authorization/policyDefinitions/a7aca53f"};
    fx->policies[1] = (struct sb_policy){"Secure transfer", "Enforce TLS", "Audit", "2.0.0", NULL};
    struct sb_control *ns = &fx->controls[0], *dp = &fx->controls[1];
    *ns = (struct sb_control){"NS-1", "Network security", "Establish network segmentation boundaries",
                              fx->ns1, 2, "https://learn.example.test/mcsb-network-security"};
    *dp = (struct sb_control){"DP-3", "Data protection", "Encrypt sensitive data in transit", fx->dp3, 1, NULL};
    fx->ns1[0] = (struct sb_feature){.control = ns, .name = "Network Security Group Support",
                                     .supported = SB_TRI_TRUE, .enabled_by_default = SB_TRI_FALSE,
                                     .responsibility = SB_RESP_CUSTOMER, .policies = fx->policies,
                                     .npolicies = 1, .reference = "NSG overview",
                                     .learn_more_url = "https://learn.example.test/nsg#rules",
                                     .reference_url = "https://learn.example.test/nsg-overview"};
    fx->ns1[1] = (struct sb_feature){.control = ns, .name = "Virtual Network Integration",
                                     .supported = SB_TRI_FALSE, .enabled_by_default = SB_TRI_NA,
                                     .responsibility = SB_RESP_NA, .reference = "Text without a link",
                                     .learn_more_url = "https://learn.example.test/vnet"};
    fx->dp3[0] = (struct sb_feature){.control = dp, .name = "Data in Transit Encryption",
                                     .supported = SB_TRI_TRUE, .enabled_by_default = SB_TRI_TRUE,
                                     .responsibility = SB_RESP_MICROSOFT, .policies = fx->policies + 1,
                                     .npolicies = 1};
    fx->bl = (struct sb_baseline){"expressroute", "ExpressRoute", "Azure security baseline for ExpressRoute",
                                  "1.0", "learn.microsoft.com", "ab12cd34", "expressroute.json",
                                  fx->profile, 4, fx->controls, 2};
}

#define SUB "00000000-0000-0000-0000-000000000001"
#define CIRCUIT "/subscriptions/" SUB "/resourceGroups/rg-net/providers/Microsoft.Network/expressRouteCircuits/"

static void add_evidence(struct sb_result *res, const char *rid, const char *path, const char *value,
                         const char *expected)
{
    res->evidence = sb_xrealloc(res->evidence, (res->nevidence + 1) * sizeof *res->evidence);
    res->evidence[res->nevidence++] = (struct sb_evidence){sb_xstrdup(rid), sb_xstrdup(path),
                                                           sb_xstrdup(value), sb_xstrdup(expected), NULL};
}

static struct sb_result *add_result(struct fixture *fx, const struct sb_feature *f, const char *name,
                                    enum sb_status st, const char *summary)
{
    struct sb_report *r = fx->r;
    sb_grow((void **)&r->results, &fx->capresults, r->nresults + 1, sizeof *r->results);
    struct sb_result *res = &r->results[r->nresults++];
    memset(res, 0, sizeof *res);
    res->control = f->control;
    res->feature = f;
    res->status = st;
    res->summary = sb_xstrdup(summary);
    res->subscription_id = sb_xstrdup(SUB);
    if (name) {
        res->resource_id = sb_xasprintf(CIRCUIT "%s", name);
        res->resource_name = sb_xstrdup(name);
        res->resource_group = sb_xstrdup("rg-net");
        res->resource_type = sb_xstrdup("Microsoft.Network/expressRouteCircuits");
    }
    res->id = sb_xasprintf("expressroute:%s:%s:%s:%zu", f->control->id, f->name, name ? name : "-",
                           r->nresults);
    r->counts[st]++;
    return res;
}

/* A report exercising every sheet; `bulk` extra pass results for size tests. */
static struct fixture *make_fixture(size_t bulk)
{
    struct fixture *fx = sb_xcalloc(1, sizeof *fx);
    make_baseline(fx);
    struct sb_report *r = fx->r = sb_xcalloc(1, sizeof *r);
    r->baseline = &fx->bl;
    r->tool_name = sb_xstrdup("mcsb-audit");
    r->tool_version = sb_xstrdup("0.1.0");
    r->generated_at = 1790000000;
    sb_iso8601(r->generated_at, r->generated);
    r->organisation = sb_xstrdup("Contoso Zürich AG");
    r->classification = sb_xstrdup("Confidential");
    r->collection_started = sb_xstrdup("2026-09-21T09:00:00Z");
    r->collection_finished = sb_xstrdup("2026-09-21T09:05:30Z");
    r->ninputs = 2;
    r->inputs = sb_xcalloc(2, sizeof *r->inputs);
    r->inputs[0] = (struct sb_report_input){sb_xstrdup("input"), sb_xstrdup("estate.json"),
                                            sb_xstrdup("snapshot"), 12345, {0}};
    strcpy(r->inputs[0].sha256, "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08");
    r->inputs[1] = (struct sb_report_input){sb_xstrdup("baseline"), sb_xstrdup("expressroute.json"), NULL,
                                            999, {0}};
    strcpy(r->inputs[1].sha256, "ab12cd34");
    r->scope.ntenants = 1;
    r->scope.tenants = sb_xcalloc(1, sizeof(char *));
    r->scope.tenants[0] = sb_xstrdup("11111111-2222-3333-4444-555555555555");
    r->scope.nsubscriptions = 1;
    r->scope.subscriptions = sb_xcalloc(1, sizeof *r->scope.subscriptions);
    r->scope.subscriptions[0] = (struct sb_subscription){sb_xstrdup(SUB), sb_xstrdup("Prod – 東京"), SB_SUB_INPUT_FILES};
    r->scope.ntypes = 1;
    r->scope.types = sb_xcalloc(1, sizeof *r->scope.types);
    r->scope.types[0] = (struct sb_type_count){sb_xstrdup("microsoft.network/expressroutecircuits"), 2};
    r->scope.nresources = 2;

    r->nexceptions = 2;
    r->exceptions = sb_xcalloc(2, sizeof *r->exceptions);
    r->exceptions[0] = (struct sb_exception){.entry_id = sb_xstrdup("EXC-1"), .kind = SB_EXC_ACCEPTED_RISK,
                                             .control = sb_xstrdup("NS-1"),
                                             .feature = sb_xstrdup("Network Security Group Support"),
                                             .resource_pattern = sb_xstrdup("*/er-a"),
                                             .justification = sb_xstrdup("Legacy circuit, replaced in Q2"),
                                             .approved_by = sb_xstrdup("J. Doe"), .approved_on = sb_xstrdup("2026-08-01"),
                                             .owner = sb_xstrdup("Network team"), .ticket = sb_xstrdup("CHG-42"),
                                             .expires = sb_xstrdup("2027-03-31"), .matched = 1, .number = 1};
    r->exceptions[0].matched_ids = sb_xcalloc(1, sizeof *r->exceptions[0].matched_ids);
    r->exceptions[0].nwarnings = 1;
    r->exceptions[0].warnings = sb_xcalloc(1, sizeof *r->exceptions[0].warnings);
    r->exceptions[0].warnings[0] = sb_xstrdup("no approver test warning");
    r->exceptions[1] = (struct sb_exception){.entry_id = sb_xstrdup("#2"), .kind = SB_EXC_ATTESTATION,
                                             .finding_id = sb_xstrdup("nope"), .justification = sb_xstrdup("Old"),
                                             .approved_by = sb_xstrdup("A. N. Other"),
                                             .expires = sb_xstrdup("2025-01-01"), .expired = true, .number = 2};

    struct sb_result *res = add_result(fx, &fx->ns1[0], "er-a", SB_STATUS_FAIL,
                                       "Gateway subnet has no NSG – Zürich 😀");
    res->severity = SB_SEV_HIGH;
    res->remediation = sb_xstrdup("Attach an NSG to the GatewaySubnet.");
    res->exception = &r->exceptions[0];
    r->exceptions[0].matched_ids[0] = res->id;
    r->excepted = 1;
    add_evidence(res, res->resource_id, "properties.subnets[0].properties.networkSecurityGroup.id",
                 "(absent)", "non-empty NSG id");
    add_evidence(res, "/subscriptions/" SUB "/resourceGroups/rg-net/providers/Microsoft.Network/virtualNetworks/v",
                 "properties.flowLogs", "[]", "at least one flow log");
    res = add_result(fx, &fx->ns1[0], "er-b", SB_STATUS_PASS, "NSG attached");
    add_evidence(res, res->resource_id, "properties.subnets[0].properties.networkSecurityGroup.id",
                 "/subscriptions/" SUB "/nsg/x", "non-empty NSG id");
    for (size_t i = 0; i < bulk; i++) {
        char name[32];
        snprintf(name, sizeof name, "bulk-%06zu", i);
        res = add_result(fx, &fx->ns1[0], name, SB_STATUS_PASS, "NSG attached");
        add_evidence(res, res->resource_id, "properties.subnets[0].properties.networkSecurityGroup.id",
                     "/subscriptions/" SUB "/resourceGroups/rg-net/providers/Microsoft.Network/nsg/x",
                     "non-empty NSG id");
    }
    add_result(fx, &fx->ns1[1], NULL, SB_STATUS_NOT_ASSESSED, "Subscription listing was forbidden");
    res = add_result(fx, &fx->dp3[0], "er-a", SB_STATUS_MANUAL, "Attest MACsec or IPsec");
    /* Longer than a cell holds: 40,000 'x' then non-ASCII, so the cut must land on a boundary. */
    struct sb_buf big = {0};
    for (int i = 0; i < 40000; i++)
        sb_buf_putc(&big, 'x');
    sb_buf_puts(&big, "ééé");
    res->remediation = sb_buf_take(&big);
    add_result(fx, &fx->dp3[0], "er-b", SB_STATUS_NOT_APPLICABLE, "Direct port not used");

    r->ngaps = 1;
    r->gaps = sb_xcalloc(1, sizeof *r->gaps);
    r->gaps[0] = (struct sb_gap){sb_xstrdup("/subscriptions/" SUB), sb_xstrdup("resources"),
                                 sb_xstrdup("GET /subscriptions/" SUB "/resources"), 403,
                                 sb_xstrdup("AuthorizationFailed"), sb_xstrdup("The client has no access")};
    return fx;
}

static void add_changes(struct sb_report *r)
{
    struct sb_changes *c = sb_xcalloc(1, sizeof *c);
    c->previous_name = sb_xstrdup("previous/report.json");
    c->previous_sha256 = sb_xstrdup("00ff");
    c->previous_generated = sb_xstrdup("2026-06-21T09:00:00Z");
    c->n = 1;
    c->items = sb_xcalloc(1, sizeof *c->items);
    c->items[0] = (struct sb_change){SB_CHANGE_NEW_FINDING, sb_xstrdup(r->results[0].id), sb_xstrdup("NS-1"),
                                     sb_xstrdup("Network Security Group Support"),
                                     sb_xstrdup(r->results[0].resource_id), NULL, sb_xstrdup("pass"),
                                     sb_xstrdup("fail"), NULL};
    r->changes = c;
}

static void fixture_free(struct fixture *fx)
{
    report_free(fx->r);
    free(fx);
}

/* report.json exactly as the json renderer builds it: the read-back compares against that. */
static void write_report_json(const struct sb_report *r, const char *path)
{
    cJSON *root = report_to_json(r);
    char *text = cJSON_Print(root);
    tu_write(path, text);
    free(text);
    cJSON_Delete(root);
}

static int render(const struct sb_report *r, size_t max_rows, bool constant_memory, const char *path,
                  struct sb_err *e)
{
    struct xlsx_opts o;
    xlsx_opts_default(&o);
    if (max_rows)
        o.max_rows = max_rows;
    o.constant_memory = constant_memory;
    return xlsx_render(r, &o, path, e);
}

static int readback(const char *book, const char *json, size_t max_rows, bool quiet)
{
    char *script = sb_path_join(tu_src_dir(), "tests/xlsx_readback.py");
    char *cmd = sb_xasprintf(PY " '%s' '%s' '%s' --max-rows %zu%s", script, book, json,
                             max_rows ? max_rows : XLSX_SHEET_ROWS_MAX, quiet ? " 2>/dev/null" : "");
    int rc = system(cmd);
    free(cmd);
    free(script);
    return rc;
}

/* A scratch directory with the two file names every test uses. */
struct work {
    char *dir;
    char *book;
    char *json;
};

static struct work work_new(const char *name)
{
    struct work w = {tu_tmpdir(name), NULL, NULL};
    w.book = sb_path_join(w.dir, "report.xlsx");
    w.json = sb_path_join(w.dir, "report.json");
    return w;
}

static void work_free(struct work *w)
{
    free(w->book);
    free(w->json);
    free(w->dir);
}

/* Render with the given limits, write the matching report.json, and run the read-back. */
static int render_readback(const struct sb_report *r, const struct work *w, size_t max_rows,
                           bool constant_memory, bool quiet)
{
    struct sb_err e = {0};
    ck_assert_msg(render(r, max_rows, constant_memory, w->book, &e) == 0, "%s", e.msg);
    write_report_json(r, w->json);
    return readback(w->book, w->json, max_rows, quiet);
}

/* The text of one part of the package (unzip -p), or NULL. */
static char *zip_part(const char *book, const char *part)
{
    char *dir = tu_tmpdir("xlsx-part");
    char *out = sb_path_join(dir, "part.xml");
    char *cmd = sb_xasprintf("unzip -p '%s' '%s' > '%s' 2>/dev/null", book, part, out);
    char *text = system(cmd) == 0 ? tu_slurp(out, NULL) : NULL;
    free(cmd);
    free(out);
    free(dir);
    return text;
}

static size_t count_substr(const char *hay, const char *needle)
{
    size_t n = 0;
    for (const char *p = hay; (p = strstr(p, needle)) != NULL; p += strlen(needle))
        n++;
    return n;
}

/* ---- tests ---- */

START_TEST(test_deterministic)
{
    struct fixture *fx = make_fixture(0);
    char *dir = tu_tmpdir("xlsx-det");
    char *a = sb_path_join(dir, "a.xlsx"), *b = sb_path_join(dir, "b.xlsx");
    struct sb_err e = {0};
    ck_assert_int_eq(render_xlsx(fx->r, NULL, a, &e), 0);
    ck_assert_int_eq(render_xlsx(fx->r, NULL, b, &e), 0);
    size_t na, nb;
    char *da = tu_slurp(a, &na), *db = tu_slurp(b, &nb);
    ck_assert_ptr_nonnull(da);
    ck_assert_uint_gt(na, 1000);
    ck_assert_uint_eq(na, nb);
    ck_assert(memcmp(da, db, na) == 0);
    char *core = zip_part(a, "docProps/core.xml");
    ck_assert_ptr_nonnull(core);
    ck_assert_ptr_nonnull(strstr(core, "<dcterms:created xsi:type=\"dcterms:W3CDTF\">2026-09-21T"));
    ck_assert_ptr_nonnull(strstr(core, "<dc:creator>mcsb-audit</dc:creator>"));
    char *app = zip_part(a, "docProps/app.xml");
    ck_assert_ptr_nonnull(strstr(app, "<Company>Contoso Zürich AG</Company>"));
    free(core);
    free(app);
    free(da);
    free(db);
    free(a);
    free(b);
    free(dir);
    fixture_free(fx);
}
END_TEST

START_TEST(test_readback)
{
    /* Both library modes must give the same workbook to a reader. */
    for (int cm = 0; cm < 2; cm++) {
        struct fixture *fx = make_fixture(3);
        if (cm)
            add_changes(fx->r);
        struct work w = work_new("xlsx-readback");
        ck_assert_int_eq(render_readback(fx->r, &w, 0, cm, false), 0);
        work_free(&w);
        fixture_free(fx);
    }
}
END_TEST

START_TEST(test_readback_catches_mismatch)
{
    /* The read-back must fail when the workbook and report.json disagree. */
    struct fixture *fx = make_fixture(0);
    struct work w = work_new("xlsx-mismatch");
    ck_assert_int_eq(render_readback(fx->r, &w, 0, true, true), 0);
    free(fx->r->results[1].evidence[0].value);
    fx->r->results[1].evidence[0].value = sb_xstrdup("something else");
    write_report_json(fx->r, w.json);
    ck_assert_int_ne(readback(w.book, w.json, 0, true), 0);
    work_free(&w);
    fixture_free(fx);
}
END_TEST

START_TEST(test_readback_catches_wrong_link)
{
    /* The matrix's hyperlinks are checked against report.json's baseline links. */
    struct fixture *fx = make_fixture(0);
    struct work w = work_new("xlsx-links");
    ck_assert_int_eq(render_readback(fx->r, &w, 0, false, false), 0);
    fx->ns1[0].learn_more_url = "https://learn.example.test/elsewhere";
    write_report_json(fx->r, w.json);
    ck_assert_int_ne(readback(w.book, w.json, 0, true), 0);
    fx->ns1[0].learn_more_url = "https://learn.example.test/nsg#rules";
    fx->controls[0].domain_url = NULL;
    write_report_json(fx->r, w.json);
    ck_assert_int_ne(readback(w.book, w.json, 0, true), 0);
    work_free(&w);
    fixture_free(fx);
}
END_TEST

START_TEST(test_sheet_limit)
{
    struct fixture *fx = make_fixture(0); /* 5 results, 3 evidence items */
    struct work w = work_new("xlsx-limit");
    ck_assert_int_eq(render_readback(fx->r, &w, 4, true, false), 0);
    char *wb = zip_part(w.book, "xl/workbook.xml");
    ck_assert_ptr_nonnull(wb);
    ck_assert_ptr_nonnull(strstr(wb, "name=\"Findings (2)\""));
    ck_assert_ptr_null(strstr(wb, "name=\"Findings (3)\""));
    ck_assert_ptr_null(strstr(wb, "name=\"Evidence (2)\""));
    free(wb);
    work_free(&w);
    fixture_free(fx);
}
END_TEST

START_TEST(test_truncation)
{
    struct fixture *fx = make_fixture(0);
    struct work w = work_new("xlsx-trunc");
    const char *book = w.book;
    struct sb_err e = {0};
    ck_assert_msg(render_xlsx(fx->r, NULL, book, &e) == 0, "%s", e.msg);
    /* Findings is sheet 4; constant_memory keeps strings inline in the sheet. */
    char *sheet = zip_part(book, "xl/worksheets/sheet4.xml");
    ck_assert_ptr_nonnull(sheet);
    const char *mark = strstr(sheet, "x" XLSX_TRUNC_MARKER "</t>");
    ck_assert_ptr_nonnull(mark);
    size_t run = 0;
    for (const char *p = mark; p >= sheet && *p == 'x'; p--)
        run++;
    ck_assert_uint_eq(run, XLSX_CELL_MAX - 13);
    free(sheet);
    work_free(&w);
    fixture_free(fx);
}
END_TEST

START_TEST(test_fit_cell)
{
    ck_assert_ptr_null(xlsx_fit_cell("short", 5));
    struct sb_buf b = {0};
    for (unsigned i = 0; i < XLSX_CELL_MAX; i++)
        sb_buf_putc(&b, 'a');
    ck_assert_ptr_null(xlsx_fit_cell(b.data, b.len)); /* exactly the limit fits */
    sb_buf_puts(&b, "\xc3\xa9");
    char *cut = xlsx_fit_cell(b.data, b.len);
    ck_assert_ptr_nonnull(cut);
    ck_assert_uint_eq(strlen(cut), XLSX_CELL_MAX - 13 + strlen(XLSX_TRUNC_MARKER));
    free(cut);
    sb_buf_free(&b);
    /* Astral characters count two UTF-16 units each; the cut never splits one. */
    for (unsigned i = 0; i < 20000; i++)
        sb_buf_puts(&b, "\xf0\x9f\x98\x80");
    cut = xlsx_fit_cell(b.data, b.len);
    ck_assert_ptr_nonnull(cut);
    size_t body = strlen(cut) - strlen(XLSX_TRUNC_MARKER);
    ck_assert_uint_eq(body % 4, 0);
    ck_assert_uint_le(body / 4 * 2 + 13, XLSX_CELL_MAX);
    ck_assert(sb_utf8_valid(cut, strlen(cut), NULL));
    ck_assert_str_eq(cut + body, XLSX_TRUNC_MARKER);
    free(cut);
    sb_buf_free(&b);
}
END_TEST

START_TEST(test_text_lines)
{
    ck_assert_uint_eq(xlsx_text_lines(NULL, 20), 1);
    ck_assert_uint_eq(xlsx_text_lines("short", 20), 1);
    ck_assert_uint_eq(xlsx_text_lines("a\nb\nc", 20), 3);
    ck_assert_uint_eq(xlsx_text_lines("0123456789012345678901234", 10), 4); /* 8 per line */
    ck_assert_uint_eq(xlsx_text_lines("東京東京東京東京東京", 10), 3);         /* wide: 4 per line */
    struct sb_buf b = {0};
    for (int i = 0; i < 5000; i++)
        sb_buf_puts(&b, "word ");
    ck_assert_uint_eq(xlsx_text_lines(b.data, 10), 27); /* 409 pt at most */
    sb_buf_free(&b);
}
END_TEST

START_TEST(test_sheet_names)
{
    char *used[] = {"summary", "findings", "findings (2)"};
    char *n = xlsx_sheet_name(used, 3, "Findings");
    ck_assert_str_eq(n, "Findings (3)");
    free(n);
    n = xlsx_sheet_name(used, 3, "SUMMARY");
    ck_assert_str_eq(n, "SUMMARY (2)");
    free(n);
    n = xlsx_sheet_name(used, 0, "'a[b]:c*d?e/f\\g'");
    ck_assert_str_eq(n, "a_b__c_d_e_f_g");
    free(n);
    n = xlsx_sheet_name(used, 0, "History");
    ck_assert_str_eq(n, "History (2)");
    free(n);
    n = xlsx_sheet_name(used, 0, "''");
    ck_assert_str_eq(n, "Sheet");
    free(n);
    /* 40 two-byte characters: cut to 31 characters, not 31 bytes. */
    struct sb_buf b = {0};
    for (int i = 0; i < 40; i++)
        sb_buf_puts(&b, "\xc3\xa9");
    n = xlsx_sheet_name(used, 0, b.data);
    ck_assert_uint_eq(strlen(n), 62);
    char *lc = sb_lower(n);
    char *taken[] = {lc};
    char *n2 = xlsx_sheet_name(taken, 1, b.data);
    ck_assert_uint_eq(strlen(n2), 27 * 2 + 4);
    ck_assert(sb_iends(n2, " (2)"));
    free(n2);
    free(lc);
    free(n);
    sb_buf_free(&b);
}
END_TEST

/* Run fn with stderr captured; returns what was printed. */
static char *capture_stderr(int (*fn)(const struct sb_report *, const char *, struct sb_err *),
                            const struct sb_report *r, const char *path, struct sb_err *e, int *rc)
{
    char *dir = tu_tmpdir("xlsx-stderr");
    char *log = sb_path_join(dir, "stderr.txt");
    fflush(stderr);
    int saved = dup(2);
    FILE *f = fopen(log, "w");
    dup2(fileno(f), 2);
    *rc = fn(r, path, e);
    fflush(stderr);
    dup2(saved, 2);
    close(saved);
    fclose(f);
    char *text = tu_slurp(log, NULL);
    free(log);
    free(dir);
    return text;
}

static int render_default(const struct sb_report *r, const char *path, struct sb_err *e)
{
    return render_xlsx(r, NULL, path, e);
}

START_TEST(test_invalid_utf8)
{
    struct fixture *fx = make_fixture(0);
    free(fx->r->results[1].summary);
    fx->r->results[1].summary = sb_xstrdup("bad \xff\xfe byte");
    struct work w = work_new("xlsx-utf8");
    const char *book = w.book;
    struct sb_err e = {0};
    int rc;
    char *err = capture_stderr(render_default, fx->r, book, &e, &rc);
    ck_assert_int_eq(rc, -1);
    ck_assert_int_eq(e.code, SB_EXIT_OUTPUT);
    ck_assert_msg(strstr(e.msg, "invalid UTF-8") && strstr(e.msg, "'Findings' cell L5"), "%s", e.msg);
    ck_assert_str_eq(err, "");
    struct stat st;
    ck_assert_int_ne(stat(book, &st), 0);
    free(err);
    work_free(&w);
    fixture_free(fx);
}
END_TEST

START_TEST(test_unwritable)
{
    struct fixture *fx = make_fixture(0);
    struct sb_err e = {0};
    int rc;
    char *err = capture_stderr(render_default, fx->r, "/nonexistent-dir/report.xlsx", &e, &rc);
    ck_assert_int_eq(rc, -1);
    ck_assert_int_eq(e.code, SB_EXIT_OUTPUT);
    ck_assert_msg(strncmp(e.msg, "/nonexistent-dir/report.xlsx: ", 30) == 0, "%s", e.msg);
    ck_assert_str_eq(err, "");
    free(err);
    fixture_free(fx);
}
END_TEST

START_TEST(test_changes_sheet_only_with_changes)
{
    struct fixture *fx = make_fixture(0);
    struct work w = work_new("xlsx-changes");
    const char *book = w.book;
    struct sb_err e = {0};
    ck_assert_int_eq(render_xlsx(fx->r, NULL, book, &e), 0);
    char *wb = zip_part(book, "xl/workbook.xml");
    ck_assert_uint_eq(count_substr(wb, "<sheet "), 8);
    ck_assert_ptr_null(strstr(wb, "name=\"Changes\""));
    free(wb);
    add_changes(fx->r);
    ck_assert_int_eq(render_xlsx(fx->r, NULL, book, &e), 0);
    wb = zip_part(book, "xl/workbook.xml");
    ck_assert_uint_eq(count_substr(wb, "<sheet "), 9);
    ck_assert_ptr_nonnull(strstr(wb, "name=\"Changes\" sheetId=\"9\""));
    free(wb);
    work_free(&w);
    fixture_free(fx);
}
END_TEST

START_TEST(test_large)
{
    /* 100,000 results must render in seconds; run under /usr/bin/time -v to see the memory. */
    struct fixture *fx = make_fixture(100000);
    struct work w = work_new("xlsx-large");
    const char *book = w.book;
    struct sb_err e = {0};
    const char *mode = getenv("SB_XLSX_CONSTANT_MEMORY");
    ck_assert_msg(render(fx->r, 0, !mode || strcmp(mode, "0") != 0, book, &e) == 0, "%s", e.msg);
    struct stat st;
    ck_assert_int_eq(stat(book, &st), 0);
    ck_assert_int_gt(st.st_size, 1000000);
    unlink(book);
    work_free(&w);
    fixture_free(fx);
}
END_TEST

START_TEST(test_print_setup)
{
    /* Data sheets print landscape, header row repeated; --paper picks the size. */
    struct fixture *fx = make_fixture(0);
    struct work w = work_new("xlsx-print");
    struct sb_err e = {0};
    const char *papers[] = {NULL, "a4", "letter"};
    const char *codes[] = {"paperSize=\"9\"", "paperSize=\"9\"", "paperSize=\"1\""};
    for (int i = 0; i < 3; i++) {
        struct sb_render_opts o = {.paper = papers[i]};
        ck_assert_msg(render_xlsx(fx->r, &o, w.book, &e) == 0, "%s", e.msg);
        char *sheet = zip_part(w.book, "xl/worksheets/sheet4.xml");
        ck_assert_ptr_nonnull(sheet);
        ck_assert_msg(strstr(sheet, codes[i]) && strstr(sheet, "orientation=\"landscape\"") &&
                          strstr(sheet, "<pageSetUpPr fitToPage=\"1\"/>"),
                      "paper %s", papers[i] ? papers[i] : "default");
        free(sheet);
    }
    char *wb = zip_part(w.book, "xl/workbook.xml");
    /* The finding id column repeats on every page too: a page of columns to the right stays traceable. */
    ck_assert_ptr_nonnull(strstr(wb, "<definedName name=\"_xlnm.Print_Titles\" localSheetId=\"3\">Findings!$A:$A,Findings!$1:$1</definedName>"));
    free(wb);
    /* As many pages wide as the columns need, rows across first: legible, not one page wide at 21 %. */
    char *sheet = zip_part(w.book, "xl/worksheets/sheet4.xml");
    ck_assert_msg(strstr(sheet, "fitToWidth=\"0\"") && strstr(sheet, "pageOrder=\"overThenDown\""), "%s", sheet);
    free(sheet);
    work_free(&w);
    fixture_free(fx);
}
END_TEST

START_TEST(test_locale_independent)
{
    /* libxlsxwriter prints doubles with "%.16G": a comma-decimal LC_NUMERIC must not leak into
     * the XML. Build de_DE.UTF-8 privately (LOCPATH) so the test needs no system locale. */
    struct fixture *fx = make_fixture(0);
    struct work w = work_new("xlsx-locale");
    char *cmd = sb_xasprintf("localedef -i de_DE -f UTF-8 '%s/de_DE.UTF-8' >/dev/null 2>&1", w.dir);
    ck_assert_msg(system(cmd) == 0, "localedef de_DE failed (Debian package: locales)");
    free(cmd);
    setenv("LOCPATH", w.dir, 1);
    ck_assert_ptr_nonnull(setlocale(LC_NUMERIC, "de_DE.UTF-8"));
    char probe[16];
    snprintf(probe, sizeof probe, "%.1f", 0.5);
    ck_assert_str_eq(probe, "0,5"); /* the trap is armed */
    struct sb_err e = {0};
    ck_assert_msg(render_xlsx(fx->r, NULL, w.book, &e) == 0, "%s", e.msg);
    setlocale(LC_NUMERIC, "C");
    char *sheet = zip_part(w.book, "xl/worksheets/sheet1.xml");
    ck_assert_ptr_nonnull(sheet);
    /* generated_at 1790000000 is Excel serial 46286.5925925...; no <v> may hold a comma. */
    ck_assert_ptr_nonnull(strstr(sheet, "<v>46286.5925925"));
    for (const char *v = sheet; (v = strstr(v, "<v>")) != NULL; v += 3) {
        const char *end = strstr(v, "</v>");
        ck_assert_ptr_nonnull(end);
        ck_assert_msg(memchr(v, ',', (size_t)(end - v)) == NULL, "%.40s", v);
    }
    free(sheet);
    work_free(&w);
    fixture_free(fx);
}
END_TEST

static Suite *render_xlsx_suite(void)
{
    Suite *s = suite_create("render_xlsx");
    TCase *tc = tcase_create("core");
    tcase_set_timeout(tc, 30);
    tcase_add_test(tc, test_deterministic);
    tcase_add_test(tc, test_readback);
    tcase_add_test(tc, test_readback_catches_mismatch);
    tcase_add_test(tc, test_readback_catches_wrong_link);
    tcase_add_test(tc, test_sheet_limit);
    tcase_add_test(tc, test_truncation);
    tcase_add_test(tc, test_fit_cell);
    tcase_add_test(tc, test_sheet_names);
    tcase_add_test(tc, test_text_lines);
    tcase_add_test(tc, test_invalid_utf8);
    tcase_add_test(tc, test_unwritable);
    tcase_add_test(tc, test_changes_sheet_only_with_changes);
    tcase_add_test(tc, test_print_setup);
    tcase_add_test(tc, test_locale_independent);
    suite_add_tcase(s, tc);
    TCase *big = tcase_create("large");
    tcase_set_timeout(big, 60);
    tcase_add_test(big, test_large);
    suite_add_tcase(s, big);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(render_xlsx_suite());
    srunner_run_all(sr, CK_ENV);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
