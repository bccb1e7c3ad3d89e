/* Tests for the PDF renderer (src/render_pdf.c, pdf_device.c) on a report model built by hand. */
#include "err.h"
#include "pdf_device.h"
#include "render.h"
#include "report.h"
#include "util.h"

#include "testutil.h"

#include <check.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

/* ---- a small baseline, static, and a report the test owns ---- */

static struct sb_policy nsg_policies[] = {
    {"Subnets should be associated with a Network Security Group", "Protect your subnet.",
     "AuditIfNotExists, Disabled", "3.0.0",
     "/providers/Microsoft.Authorization/policyDefinitions/e71308d3-144b-4262-b144-efdc3cc90517"},
};

static struct sb_feature ns1_features[] = {
    {NULL, "Virtual Network Integration", "Service supports deployment into a VNet.", SB_TRI_TRUE, SB_TRI_TRUE,
     SB_RESP_MICROSOFT, NULL, "No additional configuration is required.", "ExpressRoute gateway",
     "ns1_vnet_integration", NULL, 0, "https://learn.example.test/vnet-integration",
     "https://learn.example.test/expressroute-gateway"},
    {NULL, "Network Security Group Support", "Traffic respects NSG rules. Learn more.", SB_TRI_TRUE, SB_TRI_FALSE,
     SB_RESP_CUSTOMER, "No NSG on the GatewaySubnet.", "Use network security groups.", NULL, "ns1_nsg_support",
     nsg_policies, 1, "https://learn.example.test/nsg-overview", NULL},
};

static struct sb_feature dp3_features[] = {
    {NULL, "Données en transit \xe2\x80\x94 chiffrement", "Non pris en charge.", SB_TRI_FALSE, SB_TRI_NA,
     SB_RESP_NA, NULL, "Pas de configuration.", NULL, "dp3_transit_encryption", NULL, 0, NULL, NULL},
};

static struct sb_feature lt4_features[] = {
    {NULL, "Azure Resource Logs", "Service produces resource logs.", SB_TRI_TRUE, SB_TRI_FALSE, SB_RESP_CUSTOMER,
     NULL, "Enable resource logs.", NULL, "lt4_resource_logs", NULL, 0, NULL, NULL},
};

static struct sb_control controls[] = {
    {"NS-1", "Network security", "Establish network segmentation boundaries", ns1_features, 2,
     "https://learn.example.test/mcsb-network-security"},
    {"DP-3", "Data protection", "Chiffrer les donn\xc3\xa9" "es sensibles en transit", dp3_features, 1, NULL},
    {"LT-4", "Logging and threat detection", "Enable logging for security investigation", lt4_features, 1, NULL},
};

static struct sb_profile_attr profile[] = {
    {"Product Category", "Hybrid/Multi-Cloud, Networking"},
    {"Customer can access HOST / OS", "No Access"},
    {"Service can be deployed into customer's virtual network", "True"},
    {"Stores customer content at rest", "False"},
};

static struct sb_baseline baseline = {
    "expressroute", "ExpressRoute", "Azure security baseline for ExpressRoute", "1.0",
    "https://learn.microsoft.com/security/benchmark/azure/baselines/expressroute-security-baseline",
    "470c222734eb01adc0ad843b8d1cc8ad1eb0c81baa95fc71e701ea6f7dae9343", "expressroute.json", profile, 4, controls, 3,
};

static void link_baseline(void)
{
    for (size_t c = 0; c < baseline.ncontrols; c++)
        for (size_t f = 0; f < controls[c].nfeatures; f++)
            controls[c].features[f].control = &controls[c];
}

static const enum sb_status cycle[] = {SB_STATUS_FAIL, SB_STATUS_PASS, SB_STATUS_NOT_ASSESSED, SB_STATUS_MANUAL,
                                       SB_STATUS_PASS};

/* `per_feature` results for every feature; the first failure carries an exception, one summary an emoji. */
static struct sb_report *make_report(size_t per_feature)
{
    link_baseline();
    struct sb_report *r = sb_xcalloc(1, sizeof *r);
    r->baseline = &baseline;
    r->tool_name = sb_xstrdup("mcsb-audit");
    r->tool_version = sb_xstrdup("9.9.9");
    r->generated_at = 1790726400;
    sb_iso8601(r->generated_at, r->generated);
    r->organisation = sb_xstrdup("Contoso Bank \xc5\x81\xc3\xb3\x64\xc5\xba");
    r->classification = sb_xstrdup("Confidential");
    r->collection_started = sb_xstrdup("2026-09-29T22:00:00Z");
    r->collection_finished = sb_xstrdup("2026-09-29T22:04:10Z");
    r->cloud = sb_xstrdup("AzureCloud");
    r->ninputs = 2;
    r->inputs = sb_xcalloc(2, sizeof *r->inputs);
    r->inputs[0] = (struct sb_report_input){sb_xstrdup("input"), sb_xstrdup("snapshot.json"), sb_xstrdup("snapshot"),
                                            1234, "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"};
    r->inputs[1] = (struct sb_report_input){sb_xstrdup("baseline"), sb_xstrdup("expressroute.json"), NULL, 15619,
                                            "470c222734eb01adc0ad843b8d1cc8ad1eb0c81baa95fc71e701ea6f7dae9343"};
    r->scope.ntenants = 1;
    r->scope.tenants = sb_xcalloc(1, sizeof(char *));
    r->scope.tenants[0] = sb_xstrdup("11111111-1111-1111-1111-111111111111");
    r->scope.nsubscriptions = 1;
    r->scope.subscriptions = sb_xcalloc(1, sizeof *r->scope.subscriptions);
    r->scope.subscriptions[0].id = sb_xstrdup("22222222-2222-2222-2222-222222222222");
    r->scope.subscriptions[0].name = sb_xstrdup("connectivity-prod");
    r->scope.ntypes = 1;
    r->scope.types = sb_xcalloc(1, sizeof *r->scope.types);
    r->scope.types[0].type = sb_xstrdup("microsoft.network/expressroutecircuits");
    r->scope.types[0].count = per_feature;
    r->scope.nresources = per_feature;

    r->nexceptions = 2;
    r->exceptions = sb_xcalloc(2, sizeof *r->exceptions);
    r->exceptions[0] = (struct sb_exception){.entry_id = sb_xstrdup("EXC-1"), .kind = SB_EXC_ACCEPTED_RISK,
                                             .control = sb_xstrdup("NS-1"),
                                             .feature = sb_xstrdup("Network Security Group Support"),
                                             .resource_pattern = sb_xstrdup("*er-000*"),
                                             .justification = sb_xstrdup("Legacy subnet, decommissioned in Q1."),
                                             .approved_by = sb_xstrdup("CISO"), .ticket = sb_xstrdup("CHG-42"),
                                             .expires = sb_xstrdup("2027-03-31"), .matched = 1, .number = 1};
    r->exceptions[1] = (struct sb_exception){.entry_id = sb_xstrdup("EXC-2"), .kind = SB_EXC_ATTESTATION,
                                             .finding_id = sb_xstrdup("expressroute-x"),
                                             .justification = sb_xstrdup("Old attestation."),
                                             .expires = sb_xstrdup("2025-01-31"), .expired = true, .number = 2};
    r->ngaps = 1;
    r->gaps = sb_xcalloc(1, sizeof *r->gaps);
    r->gaps[0] = (struct sb_gap){sb_xstrdup("/subscriptions/22222222-2222-2222-2222-222222222222"),
                                 sb_xstrdup("diagnosticSettings"),
                                 sb_xstrdup("GET /subscriptions/22222222-2222-2222-2222-222222222222/providers/"
                                            "Microsoft.Insights/diagnosticSettings"),
                                 403, sb_xstrdup("AuthorizationFailed"), sb_xstrdup("The client has no access.")};
    r->changes = sb_xcalloc(1, sizeof *r->changes);
    r->changes->previous_name = sb_xstrdup("q2/report.json");
    r->changes->previous_sha256 = sb_xstrdup("ab");
    r->changes->previous_generated = sb_xstrdup("2026-06-30T00:00:00Z");
    r->changes->n = 1;
    r->changes->items = sb_xcalloc(1, sizeof *r->changes->items);
    r->changes->items[0] = (struct sb_change){SB_CHANGE_STATUS, sb_xstrdup("expressroute-NS-1-1"), sb_xstrdup("NS-1"),
                                              sb_xstrdup("Network Security Group Support"), NULL, NULL,
                                              sb_xstrdup("pass"), sb_xstrdup("fail"), NULL};

    size_t nfeat = 4;
    r->nresults = nfeat * per_feature;
    r->results = sb_xcalloc(r->nresults, sizeof *r->results);
    size_t k = 0;
    for (size_t c = 0; c < baseline.ncontrols; c++)
        for (size_t f = 0; f < controls[c].nfeatures; f++)
            for (size_t i = 0; i < per_feature; i++, k++) {
                struct sb_result *res = &r->results[k];
                res->id = sb_xasprintf("expressroute-%s-%zu-%zu", controls[c].id, f, i);
                res->control = &controls[c];
                res->feature = &controls[c].features[f];
                res->resource_name = sb_xasprintf("er-%04zu", i);
                res->resource_id = sb_xasprintf("/subscriptions/22222222-2222-2222-2222-222222222222/resourceGroups/"
                                                "rg-connectivity/providers/Microsoft.Network/expressRouteCircuits/%s",
                                                res->resource_name);
                res->status = cycle[(k + f) % 5];
                res->severity = res->status == SB_STATUS_FAIL ? SB_SEV_HIGH : SB_SEV_NONE;
                res->summary = sb_xstrdup(k == 1 ? "Emoji \xf0\x9f\x98\x80 outside the BMP" : "Read the settings");
                res->remediation = res->status == SB_STATUS_PASS ? NULL : sb_xstrdup("Enable the setting.");
                res->nevidence = 2;
                res->evidence = sb_xcalloc(2, sizeof *res->evidence);
                for (size_t e = 0; e < 2; e++)
                    res->evidence[e] = (struct sb_evidence){sb_xstrdup(res->resource_id),
                                                            sb_xasprintf("properties.setting%zu", e),
                                                            sb_xstrdup(e ? "(absent)" : "Enabled"),
                                                            sb_xstrdup("Enabled"), NULL};
                r->counts[res->status]++;
            }
    for (size_t i = 0; i < r->nresults; i++)
        if (r->results[i].status == SB_STATUS_FAIL) {
            r->results[i].exception = &r->exceptions[0];
            break;
        }
    r->excepted = 1;
    return r;
}

/* Find a string in binary file contents (strstr stops at the first NUL of a stream). */
static bool contains(const char *data, size_t n, const char *needle)
{
    size_t k = strlen(needle);
    for (size_t i = 0; i + k <= n; i++)
        if (memcmp(data + i, needle, k) == 0)
            return true;
    return false;
}

static struct sb_render_opts opts_detail(const char *paper, const char *detail)
{
    return (struct sb_render_opts){.data_dir = tu_src_dir(), .paper = paper, .pdf_detail = detail};
}

static struct sb_render_opts opts(const char *paper)
{
    return opts_detail(paper, NULL);
}

static char *render_ok(const struct sb_report *r, const char *dir, const char *name, const char *paper)
{
    char *path = sb_path_join(dir, name);
    struct sb_err e = {0};
    struct sb_render_opts o = opts(paper);
    int rc = render_pdf(r, &o, path, &e);
    ck_assert_msg(rc == 0, "render failed: %s", e.msg);
    ck_assert_int_eq(e.code, 0);
    return path;
}

START_TEST(renders_identical_bytes)
{
    struct sb_report *r = make_report(7);
    char *dir = tu_tmpdir("pdf-determinism");
    char *a = render_ok(r, dir, "a.pdf", NULL);
    char *b = render_ok(r, dir, "b.pdf", "a4");
    size_t na, nb;
    char *da = tu_slurp(a, &na), *db = tu_slurp(b, &nb);
    ck_assert_ptr_nonnull(da);
    ck_assert_uint_gt(na, 1000);
    ck_assert(memcmp(da, "%PDF-", 5) == 0);
    ck_assert_uint_eq(na, nb);
    ck_assert(memcmp(da, db, na) == 0);
    /* A4 page boxes, and no trace of the library's own producer string. */
    ck_assert(contains(da, na, "/MediaBox [ 0 0 595.2"));
    ck_assert(!contains(da, na, "Haru Free PDF"));
    free(da);
    free(db);
    free(a);
    free(b);
    free(dir);
    report_free(r);
}
END_TEST

/* Rendering fails with `code`, a message containing `part`, and no file at path. */
static void render_fails(const struct sb_report *r, const struct sb_render_opts *o, const char *path, int code,
                         const char *part)
{
    struct sb_err e = {0};
    ck_assert_int_eq(render_pdf(r, o, path, &e), -1);
    ck_assert_int_eq(e.code, code);
    ck_assert_msg(strstr(e.msg, part) != NULL, "message: %s", e.msg);
    ck_assert_int_ne(access(path, F_OK), 0);
}

/* The text poppler extracts, with runs of white space folded to one space (cells wrap). */
static char *pdf_text(const char *path)
{
    char *cmd = sb_xasprintf("pdftotext '%s' - 2>/dev/null", path);
    FILE *p = popen(cmd, "r");
    free(cmd);
    ck_assert_ptr_nonnull(p);
    struct sb_buf b = {0};
    int c, prev = ' ';
    while ((c = fgetc(p)) != EOF) {
        if (c == ' ' || c == '\n' || c == '\t' || c == '\f')
            c = ' ';
        if (c != ' ' || prev != ' ')
            sb_buf_putc(&b, (char)c);
        prev = c;
    }
    ck_assert_int_eq(pclose(p), 0);
    return sb_buf_take(&b);
}

START_TEST(every_section_of_the_model_is_printed)
{
    struct sb_report *r = make_report(3);
    char *dir = tu_tmpdir("pdf-text");
    char *a = render_ok(r, dir, "t.pdf", NULL);
    char *text = pdf_text(a);
    static const char *const want[] = {
        "ExpressRoute security baseline assessment", "Contoso Bank \xc5\x81\xc3\xb3\x64\xc5\xba", "Confidential",
        "connectivity-prod (22222222-2222-2222-2222-222222222222)", "2026-09-29T22:00:00Z",
        "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef", "mcsb-audit 9.9.9",
        "mcsb-audit verify DIR", "Prepared by", "Reviewed by", "Contents", "Executive summary",
        "Most important open items", "Security profile", "Stores customer content at rest", "Responsibility matrix",
        "Findings by control", "NS-1 Establish network segmentation boundaries",
        "Subnets should be associated with a Network Security Group", "AuditIfNotExists, Disabled",
        "properties.setting1 = (absent)", "expected: Enabled",
        "Fail \xe2\x80\x94 excepted until 2027-03-31 (Accepted risk)", "Severity: high",
        "Donn\xc3\xa9" "es en transit", "Exceptions and attestations", "EXPIRED \xe2\x80\x94 not applied",
        "Legacy subnet, decommissioned in Q1.", "Collection gaps and not-assessed results", "AuthorizationFailed",
        "HTTP 403", "Changes since the previous assessment", "Status changed (1)", "pass \xe2\x86\x92 fail",
        "Method", "ns1_nsg_support", "GatewaySubnet passes only with no",
        "mcsb-audit report --input snapshot.json --baseline expressroute.json", "--format pdf", "Page 1 of",
        "How severity is rated",
        "Management response:", "Resource index",
    };
    for (size_t i = 0; i < sizeof want / sizeof want[0]; i++)
        ck_assert_msg(strstr(text, want[i]) != NULL, "'%s' not in the PDF text", want[i]);
    free(text);
    free(a);
    free(dir);
    report_free(r);
}
END_TEST

/* What a poppler tool prints about a file: `tool 'path' after`; never NULL. */
static char *poppler_output(const char *tool, const char *path, const char *after)
{
    char *cmd = sb_xasprintf("%s '%s'%s 2>/dev/null", tool, path, after);
    FILE *p = popen(cmd, "r");
    free(cmd);
    ck_assert_ptr_nonnull(p);
    struct sb_buf b = {0};
    int c;
    while ((c = fgetc(p)) != EOF)
        sb_buf_putc(&b, (char)c);
    ck_assert_int_eq(pclose(p), 0);
    return b.data ? sb_buf_take(&b) : sb_xstrdup("");
}

/* poppler's list of the link annotations: one "page  Annotation  url" line each. */
static char *pdf_urls(const char *path)
{
    return poppler_output("pdfinfo -url", path, "");
}

static size_t count_lines_ending(const char *text, const char *tail)
{
    size_t n = 0, k = strlen(tail);
    for (const char *line = text; *line;) {
        const char *end = strchr(line, '\n');
        size_t len = end ? (size_t)(end - line) : strlen(line);
        n += len >= k && memcmp(line + len - k, tail, k) == 0 && (len == k || line[len - k - 1] == ' ');
        line += len + (end != NULL);
    }
    return n;
}

/* The baseline's link texts are web links (no border), and their addresses are printed for paper. */
START_TEST(baseline_links_are_uri_annotations)
{
    struct sb_report *r = make_report(3);
    char *dir = tu_tmpdir("pdf-links");
    char *a = render_ok(r, dir, "l.pdf", NULL);
    char *urls = pdf_urls(a);
    /* The "Learn more" words and the printed address: two annotations each; a description without
     * those words (the VNet one here) has its address printed and linked only. */
    ck_assert_uint_eq(count_lines_ending(urls, "https://learn.example.test/vnet-integration"), 1);
    ck_assert_uint_eq(count_lines_ending(urls, "https://learn.example.test/nsg-overview"), 2);
    ck_assert_uint_eq(count_lines_ending(urls, "https://learn.example.test/expressroute-gateway"), 2);
    /* The domain line under the control heading. */
    ck_assert_uint_eq(count_lines_ending(urls, "https://learn.example.test/mcsb-network-security"), 1);
    /* The method appendix's baseline source. */
    ck_assert_uint_eq(count_lines_ending(urls, "https://learn.microsoft.com/security/benchmark/azure/baselines/"
                                               "expressroute-security-baseline"),
                      1);
    ck_assert_ptr_null(strstr(urls, "http://"));
    /* Features without links get none: the fixture makes seven link annotations in all. */
    size_t annots = 0;
    for (const char *p = strstr(urls, " Annotation "); p; p = strstr(p + 1, " Annotation "))
        annots++;
    ck_assert_uint_eq(annots, 7);

    size_t n;
    char *data = tu_slurp(a, &n);
    /* libharu writes '/' in strings as \057. */
    ck_assert(contains(data, n, "/URI (https:\\057\\057learn.example.test\\057vnet-integration)"));
    ck_assert(!contains(data, n, "/Border [ 0 0 1 ]"));
    ck_assert(contains(data, n, "/Border [ 0 0 0 ]"));
    free(data);
    char *text = pdf_text(a);
    ck_assert_ptr_nonnull(strstr(text, "deployment into a VNet. https://learn.example.test/vnet-integration"));
    ck_assert_ptr_nonnull(strstr(text, "Reference: ExpressRoute gateway https://learn.example.test/expressroute-gateway"));
    ck_assert_ptr_nonnull(strstr(text, "Network security \xc2\xb7 https://learn.example.test/mcsb-network-security"));
    free(text);
    free(urls);
    free(a);
    free(dir);
    report_free(r);
}
END_TEST

/* pdftotext's own lines, unfolded. */
static char *pdf_raw_text(const char *path)
{
    return poppler_output("pdftotext", path, " -");
}

/* A line that ends in '/' continues on the next one: a resource id broken where it may be. */
static char *join_after_slash(const char *text)
{
    struct sb_buf b = {0};
    for (const char *p = text; *p; p++) {
        if (*p == '\n' && p > text && p[-1] == '/')
            continue;
        sb_buf_putc(&b, *p);
    }
    return sb_buf_take(&b);
}

/* `id` as a whole word (not the prefix of a longer id). */
static bool has_word(const char *text, const char *id)
{
    size_t k = strlen(id);
    for (const char *p = text; (p = strstr(p, id)) != NULL; p++)
        if ((p == text || p[-1] == ' ' || p[-1] == '\n') && (p[k] == '\0' || p[k] == ' ' || p[k] == '\n'))
            return true;
    return false;
}

static size_t count_pages(const char *raw)
{
    size_t n = 0;
    for (const char *p = raw; *p; p++)
        n += *p == '\f';
    return n;
}

START_TEST(grouped_findings_keep_ids_whole)
{
    struct sb_report *r = make_report(40);
    char *dir = tu_tmpdir("pdf-grouped");
    char *a = render_ok(r, dir, "g.pdf", NULL);
    char *raw = pdf_raw_text(a);
    char *joined = join_after_slash(raw);
    size_t open = 0;
    for (size_t i = 0; i < r->nresults; i++) {
        const struct sb_result *res = &r->results[i];
        bool printed = has_word(raw, res->id);
        /* Every open finding is listed by its id, on one line; a pass only as a count. */
        if (res->status == SB_STATUS_PASS) {
            ck_assert_msg(!printed, "pass %s printed in grouped mode", res->id);
            continue;
        }
        open++;
        ck_assert_msg(printed, "finding id %s not found whole by pdftotext", res->id);
        /* The resource index gives the full id, broken only after a '/'. */
        ck_assert_msg(strstr(joined, res->resource_id) != NULL, "resource id %s not found", res->resource_id);
    }
    ck_assert_uint_gt(open, 50);
    ck_assert(strstr(raw, "Management response:") != NULL);
    ck_assert(strstr(raw, "Pass: 16 results.") != NULL);
    free(joined);
    free(raw);
    free(a);
    free(dir);
    report_free(r);
}
END_TEST

START_TEST(full_detail_prints_every_result)
{
    struct sb_report *r = make_report(40);
    char *dir = tu_tmpdir("pdf-full");
    char *grouped = render_ok(r, dir, "g.pdf", NULL);
    char *path = sb_path_join(dir, "f.pdf");
    struct sb_err e = {0};
    struct sb_render_opts o = opts_detail(NULL, "full");
    ck_assert_msg(render_pdf(r, &o, path, &e) == 0, "%s", e.msg);
    char *raw = pdf_raw_text(path), *graw = pdf_raw_text(grouped);
    for (size_t i = 0; i < r->nresults; i++)
        ck_assert_msg(has_word(raw, r->results[i].id), "%s not in the full PDF", r->results[i].id);
    char *text = pdf_text(path);
    ck_assert(strstr(text, "Emoji \xef\xbf\xbd outside the BMP") != NULL);
    free(text);
    /* Grouping makes the findings shorter than one row with evidence per result. */
    ck_assert_uint_lt(count_pages(graw), count_pages(raw));
    o = opts_detail(NULL, "summary");
    char *bad = sb_path_join(dir, "bad.pdf");
    render_fails(r, &o, bad, SB_EXIT_USAGE, "summary");
    free(bad);
    free(raw);
    free(graw);
    free(path);
    free(grouped);
    free(dir);
    report_free(r);
}
END_TEST

START_TEST(letter_paper)
{
    struct sb_report *r = make_report(2);
    char *dir = tu_tmpdir("pdf-letter");
    char *a = render_ok(r, dir, "letter.pdf", "letter");
    size_t n;
    char *da = tu_slurp(a, &n);
    ck_assert(contains(da, n, "/MediaBox [ 0 0 612 792 ]"));
    ck_assert(!contains(da, n, "/MediaBox [ 0 0 595.2"));
    free(da);
    free(a);
    free(dir);
    report_free(r);
}
END_TEST

START_TEST(unknown_paper_is_usage_error)
{
    struct sb_report *r = make_report(1);
    char *dir = tu_tmpdir("pdf-paper");
    char *path = sb_path_join(dir, "x.pdf");
    struct sb_render_opts o = opts("a3");
    render_fails(r, &o, path, SB_EXIT_USAGE, "a3");
    free(path);
    free(dir);
    report_free(r);
}
END_TEST

START_TEST(ten_thousand_results_render_in_seconds)
{
    struct sb_report *r = make_report(2500);
    ck_assert_uint_eq(r->nresults, 10000);
    char *dir = tu_tmpdir("pdf-large");
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    char *a = render_ok(r, dir, "large.pdf", NULL);
    clock_gettime(CLOCK_MONOTONIC, &t1);
    double secs = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
    /* Seconds in a normal build; the bound leaves room for sanitizers and busy machines. */
    ck_assert_msg(secs < 60, "10,000 results took %.1f s", secs);
    size_t n;
    char *da = tu_slurp(a, &n);
    ck_assert_ptr_nonnull(da);
    ck_assert(memcmp(da, "%PDF-", 5) == 0);
    ck_assert_uint_gt(n, 500000);
    free(da);
    free(a);
    free(dir);
    report_free(r);
}
END_TEST

START_TEST(missing_fonts_exit_4_and_no_file)
{
    struct sb_report *r = make_report(1);
    char *dir = tu_tmpdir("pdf-nofont");
    char *path = sb_path_join(dir, "x.pdf");
    struct sb_render_opts o = {.data_dir = dir}; /* no fonts/ under it */
    render_fails(r, &o, path, SB_EXIT_OUTPUT, "fonts/DejaVuSans.ttf: cannot read font");
    free(path);
    free(dir);
    report_free(r);
}
END_TEST

START_TEST(unwritable_path_exit_4)
{
    struct sb_report *r = make_report(1);
    struct sb_render_opts o = opts(NULL);
    const char *path = "/nonexistent-dir-for-test/x.pdf";
    render_fails(r, &o, path, SB_EXIT_OUTPUT, path);
    report_free(r);
}
END_TEST

START_TEST(undrawable_characters_become_replacements)
{
    struct pdf_hpdf *h;
    struct sb_err e = {0};
    char *fonts = sb_path_join(tu_src_dir(), "fonts");
    ck_assert_int_eq(pdf_hpdf_open(&h, fonts, &e), 0);
    struct sb_buf out = {0};
    /* emoji (outside the BMP), a stray byte, a tab, a control char, an unassigned code point U+0378 */
    const char *in = "a\xf0\x9f\x98\x80" "b\xff\tc\x01\xcd\xb8\xc3\xa9";
    long w = pdf_hpdf_clean(h, PDF_FONT_SANS, in, strlen(in), &out);
    const char *want = "a\xef\xbf\xbd" "b\xef\xbf\xbd c\xef\xbf\xbd\xef\xbf\xbd\xc3\xa9";
    ck_assert_str_eq(out.data, want);
    /* The width measured is the width of what is drawn. */
    struct sb_buf again = {0};
    ck_assert_int_eq(pdf_hpdf_clean(h, PDF_FONT_SANS, want, strlen(want), &again), w);
    ck_assert_str_eq(again.data, want);
    ck_assert_int_gt(w, 0);
    sb_buf_free(&out);
    sb_buf_free(&again);
    pdf_hpdf_free(h);
    free(fonts);
}
END_TEST

static Suite *render_pdf_suite(void)
{
    Suite *s = suite_create("render_pdf");
    TCase *t = tcase_create("render");
    tcase_set_timeout(t, 120);
    tcase_add_test(t, renders_identical_bytes);
    tcase_add_test(t, every_section_of_the_model_is_printed);
    tcase_add_test(t, baseline_links_are_uri_annotations);
    tcase_add_test(t, grouped_findings_keep_ids_whole);
    tcase_add_test(t, full_detail_prints_every_result);
    tcase_add_test(t, letter_paper);
    tcase_add_test(t, unknown_paper_is_usage_error);
    tcase_add_test(t, ten_thousand_results_render_in_seconds);
    tcase_add_test(t, missing_fonts_exit_4_and_no_file);
    tcase_add_test(t, unwritable_path_exit_4);
    tcase_add_test(t, undrawable_characters_become_replacements);
    suite_add_tcase(s, t);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(render_pdf_suite());
    srunner_run_all(sr, CK_ENV);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
