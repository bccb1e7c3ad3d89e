/* Tests for quarter-over-quarter changes (src/diff.c, src/diff_read.c, src/diff_render.c). */
#include "assess.h"
#include "baseline.h"
#include "diff.h"
#include "err.h"
#include "json_parse.h"
#include "report.h"
#include "report_json.h"
#include "strpool.h"
#include "util.h"

#include "testutil.h"

#include <check.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

static cJSON *load(const char *rel)
{
    char *p = tu_data(rel);
    cJSON *doc = NULL;
    char sha[65];
    struct sb_err e = {0};
    ck_assert_msg(diff_load_report(&doc, sha, p, &e) == 0, "%s", e.msg);
    free(p);
    return doc;
}

static struct sb_changes *diff_ok(const cJSON *a, const cJSON *b)
{
    struct sb_changes *c = NULL;
    struct sb_err e = {0};
    ck_assert_msg(diff_reports(&c, a, b, "old.json", &e) == 0, "%s", e.msg);
    ck_assert_ptr_nonnull(c);
    return c;
}

static struct sb_changes *diff_text(const char *old_json, const char *new_json)
{
    cJSON *a = cJSON_Parse(old_json), *b = cJSON_Parse(new_json);
    ck_assert_ptr_nonnull(a);
    ck_assert_ptr_nonnull(b);
    struct sb_changes *c = diff_ok(a, b);
    cJSON_Delete(a);
    cJSON_Delete(b);
    return c;
}

/* counts.no_longer_assessed of a diff.json document */
static const cJSON *sb_json_at_test(const cJSON *doc)
{
    return cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(doc, "counts"), "no_longer_assessed");
}

static const char *nz(const char *s)
{
    return s ? s : "-";
}

/* One change as "kind|finding|resource|path|old|new" for compact comparisons. */
static char *change_str(const struct sb_change *x)
{
    return sb_xasprintf("%s|%s|%s|%s|%s|%s", sb_change_kind_id(x->kind), nz(x->finding_id), nz(x->resource_id),
                        nz(x->path), nz(x->old_value), nz(x->new_value));
}

#define SUB "/subscriptions/00000000-0000-0000-0000-000000000001/resourceGroups/rg-net/providers/" \
            "Microsoft.Network/expressRouteCircuits/"
#define SUB_UPPER "/subscriptions/00000000-0000-0000-0000-000000000001/RESOURCEGROUPS/RG-NET/PROVIDERS/" \
                  "MICROSOFT.NETWORK/EXPRESSROUTECIRCUITS/"

START_TEST(test_fixture_every_kind)
{
    cJSON *a = load("diff/old.json"), *b = load("diff/new.json");
    struct sb_changes *c = diff_ok(a, b);
    static const char *const want[] = {
        "new_finding|expressroute-LT-1-5555555555555555|" SUB "er-circuit-3|-|-|fail",
        "new_finding|expressroute-NS-2-2222222222222222|" SUB "er-circuit-1|-|pass|fail",
        "resolved|expressroute-NS-1-1111111111111111|" SUB_UPPER "ER-CIRCUIT-1|-|fail|pass",
        "status_changed|expressroute-IM-1-3333333333333333|-|-|manual|not_assessed",
        "resource_added|-|" SUB "er-circuit-3|-|-|-",
        "resource_removed|-|" SUB "er-circuit-2|-|-|-",
        "evidence_changed|expressroute-DP-1-6666666666666666|" SUB "er-circuit-1|properties.macSecConfig.cipher|"
        "GcmAes128|GcmAes256",
        "evidence_changed|expressroute-NS-1-1111111111111111|" SUB_UPPER "ER-CIRCUIT-1|"
        "properties.serviceProviderProvisioningState|NotProvisioned|Provisioned",
        "exception_expired|expressroute-DP-1-6666666666666666|" SUB "er-circuit-1|-|EX-1: applied|"
        "EX-1: expired (valid through 2026-09-29)",
        "exception_expired|expressroute-LT-1-4444444444444444|-|-|EX-3: not expired|"
        "EX-3: expired (valid through 2026-09-01)",
        "exception_added|expressroute-LT-1-5555555555555555|-|-|-|EX-2: accepted_risk, expires 2027-03-31",
        /* Failing before, its resource gone now: not resolved (issue 10); new.json records no subscriptions. */
        "no_longer_assessed|expressroute-LT-1-4444444444444444|" SUB "er-circuit-2|-|fail|-",
    };
    size_t nwant = sizeof want / sizeof want[0];
    for (size_t i = 0; i < c->n && i < nwant; i++) {
        char *got = change_str(&c->items[i]);
        ck_assert_str_eq(got, want[i]);
        free(got);
    }
    ck_assert_uint_eq(c->n, nwant);
    /* Control and feature come along for finding changes. */
    ck_assert_str_eq(c->items[1].control, "NS-2");
    ck_assert_str_eq(c->items[1].feature, "Azure Private Link");
    ck_assert_str_eq(c->previous_name, "old.json");
    ck_assert_str_eq(c->previous_generated, "2026-06-30T00:00:00Z");
    ck_assert_ptr_null(c->previous_sha256);
    ck_assert_int_eq(diff_fail_on_new(c), 1);
    ck_assert_uint_eq(diff_count(c, SB_CHANGE_NEW_FINDING), 2);
    ck_assert_uint_eq(diff_count(c, SB_CHANGE_EVIDENCE), 2);
    ck_assert_str_eq(c->items[nwant - 1].reason, "deleted or not collected: the current report does not record how "
                                                "completely subscription 00000000-0000-0000-0000-000000000001 was read");
    sb_changes_free(c);
    cJSON_Delete(a);
    cJSON_Delete(b);
}
END_TEST

START_TEST(test_identical_is_empty)
{
    cJSON *a = load("diff/new.json"), *b = load("diff/new.json");
    struct sb_changes *c = diff_ok(a, b);
    ck_assert_uint_eq(c->n, 0);
    ck_assert_int_eq(diff_fail_on_new(c), 0);
    struct sb_buf md = {0};
    diff_render_md_section(c, &md);
    ck_assert_ptr_nonnull(strstr(md.data, "## Changes since the previous assessment\n"));
    ck_assert_ptr_nonnull(strstr(md.data, "No changes.\n"));
    ck_assert_ptr_null(strstr(md.data, "| Change |"));
    sb_buf_free(&md);
    sb_changes_free(c);
    cJSON_Delete(a);
    cJSON_Delete(b);
}
END_TEST

START_TEST(test_reverse_direction)
{
    /* new -> old: the resolved ones come back as new findings, added resources are removed. */
    cJSON *a = load("diff/new.json"), *b = load("diff/old.json");
    struct sb_changes *c = diff_ok(a, b);
    ck_assert_uint_eq(diff_count(c, SB_CHANGE_NEW_FINDING), 2);
    ck_assert_uint_eq(diff_count(c, SB_CHANGE_RESOLVED), 2); /* one of them: now excepted */
    ck_assert_uint_eq(diff_count(c, SB_CHANGE_NO_LONGER_ASSESSED), 1);
    ck_assert_uint_eq(diff_count(c, SB_CHANGE_RESOURCE_ADDED), 1);
    ck_assert_uint_eq(diff_count(c, SB_CHANGE_RESOURCE_REMOVED), 1);
    ck_assert_uint_eq(diff_count(c, SB_CHANGE_EXCEPTION_ADDED), 0);
    sb_changes_free(c);
    cJSON_Delete(a);
    cJSON_Delete(b);
}
END_TEST

START_TEST(test_only_resolved_does_not_fail)
{
    /* Resolved only when the finding now passes: fail -> not_applicable is a status change (issue 10). */
    struct sb_changes *c = diff_text(
        "{\"generated\":\"a\",\"results\":[{\"id\":\"F1\",\"status\":\"fail\",\"resource_id\":\"/r/1\"},"
        "{\"id\":\"F2\",\"status\":\"pass\",\"resource_id\":null},"
        "{\"id\":\"F3\",\"status\":\"fail\",\"resource_id\":\"/r/3\"}]}",
        "{\"generated\":\"b\",\"results\":[{\"id\":\"F1\",\"status\":\"pass\",\"resource_id\":\"/r/1\"},"
        "{\"id\":\"F2\",\"status\":\"manual\"},{\"id\":\"F3\",\"status\":\"not_applicable\",\"resource_id\":\"/r/3\"}]}");
    ck_assert_uint_eq(c->n, 3);
    ck_assert_int_eq(c->items[0].kind, SB_CHANGE_RESOLVED);
    ck_assert_str_eq(c->items[0].new_value, "pass");
    ck_assert_ptr_null(c->items[0].reason);
    ck_assert_int_eq(c->items[1].kind, SB_CHANGE_STATUS);
    ck_assert_int_eq(c->items[2].kind, SB_CHANGE_STATUS);
    ck_assert_str_eq(c->items[2].new_value, "not_applicable");
    ck_assert_int_eq(diff_fail_on_new(c), 0);
    sb_changes_free(c);
}
END_TEST


/* A failing finding absent now is no_longer_assessed, never resolved; the reason says whether its subscription was
 * read completely this time. One finding now excepted counts as resolved, shown as such. */
START_TEST(test_no_longer_assessed)
{
#define R(s, n) "/subscriptions/" s "/resourceGroups/rg/providers/Microsoft.Network/expressRouteCircuits/" n
    struct sb_changes *c = diff_text(
        "{\"generated\":\"a\",\"results\":["
        "{\"id\":\"F-A\",\"status\":\"fail\",\"resource_id\":\"" R("sa", "c1") "\"},"
        "{\"id\":\"F-B\",\"status\":\"fail\",\"resource_id\":\"" R("sb", "c2") "\"},"
        "{\"id\":\"F-C\",\"status\":\"fail\",\"resource_id\":\"" R("sc", "c3") "\"},"
        "{\"id\":\"F-D\",\"status\":\"fail\",\"resource_id\":\"" R("sd", "c4") "\"},"
        "{\"id\":\"F-E\",\"status\":\"fail\",\"resource_id\":\"" R("se", "c5") "\"},"
        "{\"id\":\"F-P\",\"status\":\"pass\",\"resource_id\":\"" R("sb", "c9") "\"},"
        "{\"id\":\"F-R\",\"status\":\"fail\",\"resource_id\":\"" R("sa", "c6") "\"},"
        "{\"id\":\"F-X\",\"status\":\"fail\",\"resource_id\":\"" R("sa", "c7") "\"}]}",
        "{\"generated\":\"b\",\"scope\":{\"subscriptions\":[{\"id\":\"SA\",\"collected\":\"complete\"},"
        "{\"id\":\"sb\",\"collected\":\"not_collected\"},{\"id\":\"sc\",\"collected\":\"partial\"},"
        "{\"id\":\"sd\",\"collected\":\"input_files\"}]},\"results\":["
        "{\"id\":\"F-R2\",\"status\":\"pass\",\"resource_id\":\"" R("sa", "C6") "\"},"
        "{\"id\":\"F-X\",\"status\":\"fail\",\"resource_id\":\"" R("sa", "c7") "\","
        "\"exception\":{\"entry_id\":\"EX-9\",\"state\":\"applied\",\"expires\":null}}]}");
    static const char *const want[][2] = {
        {"resolved|F-X|" R("sa", "c7") "|-|fail|fail", "excepted: EX-9"},
        {"resource_removed|-|" R("sa", "c1") "|-|-|-", NULL},
        {"resource_removed|-|" R("sb", "c2") "|-|-|-", NULL},
        {"resource_removed|-|" R("sb", "c9") "|-|-|-", NULL},
        {"resource_removed|-|" R("sc", "c3") "|-|-|-", NULL},
        {"resource_removed|-|" R("sd", "c4") "|-|-|-", NULL},
        {"resource_removed|-|" R("se", "c5") "|-|-|-", NULL},
        {"exception_added|-|-|-|-|-", NULL},
        {"no_longer_assessed|F-A|" R("sa", "c1") "|-|fail|-",
         "resource deleted: subscription sa was collected completely and the resource is not in it"},
        {"no_longer_assessed|F-B|" R("sb", "c2") "|-|fail|-",
         "not collected: subscription sb could not be read in the current run"},
        {"no_longer_assessed|F-C|" R("sc", "c3") "|-|fail|-",
         "deleted or not collected: subscription sc was not collected completely in the current run (see its gaps)"},
        {"no_longer_assessed|F-D|" R("sd", "c4") "|-|fail|-",
         "deleted or not collected: the current inputs are not a complete collection of subscription sd"},
        {"no_longer_assessed|F-E|" R("se", "c5") "|-|fail|-",
         "not collected: subscription se is not in the current inputs"},
        {"no_longer_assessed|F-R|" R("sa", "c6") "|-|fail|-",
         "the resource is still assessed but this finding is not (the baseline or its rules changed)"},
    };
#undef R
    size_t nwant = sizeof want / sizeof want[0];
    /* the exception entry itself is new too, but the fixture has no exceptions[]: skip that row */
    size_t k = 0;
    for (size_t i = 0; i < c->n; i++) {
        if (c->items[i].kind == SB_CHANGE_EXCEPTION_ADDED)
            continue;
        while (k < nwant && strncmp(want[k][0], "exception_added", 15) == 0)
            k++;
        ck_assert_uint_lt(k, nwant);
        char *got = change_str(&c->items[i]);
        ck_assert_str_eq(got, want[k][0]);
        if (want[k][1])
            ck_assert_str_eq(c->items[i].reason, want[k][1]);
        else
            ck_assert_ptr_null(c->items[i].reason);
        free(got);
        k++;
    }
    ck_assert_uint_eq(k, nwant);
    ck_assert_uint_eq(diff_count(c, SB_CHANGE_NO_LONGER_ASSESSED), 6);
    ck_assert_uint_eq(diff_count(c, SB_CHANGE_RESOLVED), 1);
    /* --fail-on new is unchanged: nothing here is a new failing finding. */
    ck_assert_int_eq(diff_fail_on_new(c), 0);
    struct sb_buf md = {0}, csv = {0}, js = {0};
    diff_render_md_section(c, &md);
    ck_assert_ptr_nonnull(strstr(md.data, "| Resolved | `F-X` |"));
    ck_assert_ptr_nonnull(strstr(md.data, "| `fail` \xe2\x80\x94 excepted: EX-9 |\n"));
    ck_assert_ptr_nonnull(strstr(md.data, "\n### No longer assessed\n"));
    ck_assert_ptr_nonnull(strstr(md.data, "| `F-B` | \xe2\x80\x94 | \xe2\x80\x94 | `" "/subscriptions/sb/"));
    ck_assert_ptr_null(strstr(md.data, "| No longer assessed | `F-A`")); /* not in the main table */
    diff_render_csv(c, &csv);
    ck_assert_ptr_nonnull(strstr(csv.data, ",fail,,not collected: subscription sb could not be read in the current run\r\n"));
    struct sb_diff_current cur = {"new.json", NULL, "b"};
    diff_render_json(c, &cur, &js);
    cJSON *doc = cJSON_Parse(js.data);
    ck_assert_ptr_nonnull(doc);
    ck_assert_int_eq((int)cJSON_GetNumberValue(sb_json_at_test(doc)), 6);
    cJSON_Delete(doc);
    sb_buf_free(&md);
    sb_buf_free(&csv);
    sb_buf_free(&js);
    sb_changes_free(c);
}
END_TEST

START_TEST(test_status_transitions)
{
    /* fail -> manual / not_assessed are status changes, not resolutions; new pass results are silent. */
    struct sb_changes *c = diff_text(
        "{\"generated\":\"a\",\"results\":[{\"id\":\"A\",\"status\":\"fail\"},{\"id\":\"B\",\"status\":\"fail\"}]}",
        "{\"generated\":\"b\",\"results\":[{\"id\":\"A\",\"status\":\"manual\"},"
        "{\"id\":\"B\",\"status\":\"not_assessed\"},{\"id\":\"C\",\"status\":\"pass\"}]}");
    ck_assert_uint_eq(c->n, 2);
    for (size_t i = 0; i < c->n; i++) {
        ck_assert_int_eq(c->items[i].kind, SB_CHANGE_STATUS);
        ck_assert_str_eq(c->items[i].old_value, "fail");
    }
    ck_assert_str_eq(c->items[0].finding_id, "A");
    ck_assert_str_eq(c->items[1].new_value, "not_assessed");
    sb_changes_free(c);
}
END_TEST

START_TEST(test_evidence_matching)
{
    /* Matched by (resource id, path); a new path or a value under another resource is not a change. */
    struct sb_changes *c = diff_text(
        "{\"generated\":\"a\",\"results\":[{\"id\":\"A\",\"status\":\"pass\",\"evidence\":["
        "{\"resource_id\":\"/r/1\",\"path\":\"p\",\"value\":\"x\"},"
        "{\"resource_id\":\"/r/2\",\"path\":\"p\",\"value\":\"y\"},"
        "{\"resource_id\":\"/r/1\",\"path\":\"q\",\"value\":null}]}]}",
        "{\"generated\":\"b\",\"results\":[{\"id\":\"A\",\"status\":\"pass\",\"evidence\":["
        "{\"resource_id\":\"/R/2\",\"path\":\"p\",\"value\":\"y\"},"
        "{\"resource_id\":\"/r/1\",\"path\":\"p\",\"value\":\"x\"},"
        "{\"resource_id\":\"/r/1\",\"path\":\"q\",\"value\":\"set\"},"
        "{\"resource_id\":\"/r/1\",\"path\":\"new.path\",\"value\":\"z\"}]}]}");
    ck_assert_uint_eq(c->n, 1);
    char *got = change_str(&c->items[0]);
    ck_assert_str_eq(got, "evidence_changed|A|/r/1|q|(absent)|set");
    free(got);
    sb_changes_free(c);
}
END_TEST

START_TEST(test_sorted_deterministically)
{
    /* Input order does not matter: results listed in another order give the same changes. */
    const char *old_doc = "{\"generated\":\"a\",\"results\":[{\"id\":\"Z\",\"status\":\"pass\",\"resource_id\":\"/r/z\"},"
                          "{\"id\":\"A\",\"status\":\"pass\",\"resource_id\":\"/r/a\"}]}";
    struct sb_changes *c1 = diff_text(old_doc,
                                      "{\"generated\":\"b\",\"results\":[{\"id\":\"Z\",\"status\":\"fail\",\"resource_id\":\"/r/z\"},"
                                      "{\"id\":\"A\",\"status\":\"fail\",\"resource_id\":\"/r/a\"},"
                                      "{\"id\":\"M\",\"status\":\"fail\",\"resource_id\":\"/r/m\"}]}");
    struct sb_changes *c2 = diff_text(old_doc,
                                      "{\"generated\":\"b\",\"results\":[{\"id\":\"M\",\"status\":\"fail\",\"resource_id\":\"/r/m\"},"
                                      "{\"id\":\"A\",\"status\":\"fail\",\"resource_id\":\"/r/a\"},"
                                      "{\"id\":\"Z\",\"status\":\"fail\",\"resource_id\":\"/r/z\"}]}");
    ck_assert_uint_eq(c1->n, 4);
    ck_assert_uint_eq(c2->n, 4);
    const char *ids[] = {"A", "M", "Z"};
    for (size_t i = 0; i < 3; i++)
        ck_assert_str_eq(c1->items[i].finding_id, ids[i]);
    ck_assert_int_eq(c1->items[3].kind, SB_CHANGE_RESOURCE_ADDED);
    struct sb_buf j1 = {0}, j2 = {0};
    diff_render_json(c1, NULL, &j1);
    diff_render_json(c2, NULL, &j2);
    tu_assert_text_eq(j1.data, j2.data);
    sb_buf_free(&j1);
    sb_buf_free(&j2);
    sb_changes_free(c1);
    sb_changes_free(c2);
}
END_TEST

START_TEST(test_fail_on_new_with_exceptions)
{
    struct sb_changes *c = diff_text("{\"generated\":\"a\",\"results\":[]}",
                                     "{\"generated\":\"b\",\"results\":[{\"id\":\"F1\",\"status\":\"fail\"}]}");
    ck_assert_int_eq(diff_fail_on_new(c), 1);
    /* The current report excepts F1: --fail-on new does not trip. */
    struct sb_exception x = {.entry_id = "EX-1", .expires = "2099-12-31"};
    struct sb_result res = {.id = "F1", .status = SB_STATUS_FAIL, .exception = &x};
    struct sb_report r = {.results = &res, .nresults = 1};
    ck_assert_int_eq(diff_fail_on_new_report(c, &r), 0);
    res.exception = NULL;
    res.expired_exception = &x;
    ck_assert_int_eq(diff_fail_on_new_report(c, &r), 1);
    ck_assert_int_eq(diff_fail_on_new(NULL), 0);
    sb_changes_free(c);
}
END_TEST

/* Many results, in no id order: each new finding is looked up by id. */
START_TEST(test_fail_on_new_looks_up_each_finding)
{
    struct sb_changes *c = diff_text("{\"generated\":\"a\",\"results\":[{\"id\":\"Z\",\"status\":\"fail\"}]}",
                                     "{\"generated\":\"b\",\"results\":[{\"id\":\"M\",\"status\":\"fail\"},"
                                     "{\"id\":\"B\",\"status\":\"fail\"},{\"id\":\"Z\",\"status\":\"fail\"}]}");
    ck_assert_uint_eq(diff_count(c, SB_CHANGE_NEW_FINDING), 2);
    struct sb_exception x = {.entry_id = "EX-1", .expires = "2099-12-31"};
    struct sb_result res[] = {{.id = "Z", .status = SB_STATUS_FAIL}, {.id = "M", .status = SB_STATUS_FAIL, .exception = &x},
                              {.id = "Q", .status = SB_STATUS_PASS}, {.id = "B", .status = SB_STATUS_FAIL, .exception = &x}};
    struct sb_report r = {.results = res, .nresults = 4};
    ck_assert_int_eq(diff_fail_on_new_report(c, &r), 0); /* M and B are new, both excepted; Z is not new */
    res[3].exception = NULL;
    ck_assert_int_eq(diff_fail_on_new_report(c, &r), 1);
    res[3].exception = &x;
    res[1].exception = NULL;
    ck_assert_int_eq(diff_fail_on_new_report(c, &r), 1);
    r.nresults = 0; /* a new finding the report does not hold is not excepted */
    res[1].exception = &x;
    ck_assert_int_eq(diff_fail_on_new_report(c, &r), 1);
    sb_changes_free(c);
}
END_TEST

START_TEST(test_exception_expired_rules)
{
    struct sb_changes *c = diff_text(
        "{\"generated\":\"a\",\"results\":["
        "{\"id\":\"F1\",\"status\":\"fail\",\"exception\":{\"entry_id\":\"EX-1\",\"state\":\"applied\"}},"
        "{\"id\":\"F2\",\"status\":\"fail\",\"exception\":{\"entry_id\":\"EX-2\",\"state\":\"applied\"}},"
        "{\"id\":\"F3\",\"status\":\"fail\",\"exception\":{\"entry_id\":\"EX-3\",\"state\":\"applied\"}}]}",
        "{\"generated\":\"b\",\"results\":["
        "{\"id\":\"F1\",\"status\":\"fail\",\"expired_exception\":{\"entry_id\":\"EX-1\",\"state\":\"expired\","
        "\"expires\":\"2026-09-01\"}},"
        "{\"id\":\"F2\",\"status\":\"fail\",\"exception\":{\"entry_id\":\"EX-2\",\"state\":\"applied\"},"
        "\"expired_exception\":{\"entry_id\":\"EX-0\",\"state\":\"expired\"}},"
        "{\"id\":\"F3\",\"status\":\"fail\",\"exception\":{\"entry_id\":\"EX-3\",\"state\":\"applied\"}}]}");
    /* Only F1: F2 is still covered by EX-2 (EX-0 never covered it), F3 did not change. */
    ck_assert_uint_eq(c->n, 1);
    char *got = change_str(&c->items[0]);
    ck_assert_str_eq(got, "exception_expired|F1|-|-|EX-1: applied|EX-1: expired (valid through 2026-09-01)");
    free(got);
    ck_assert_int_eq(diff_fail_on_new(c), 0);
    sb_changes_free(c);
}
END_TEST

static void expect_bad(const char *rel, const char *want)
{
    cJSON *a = load("diff/old.json"), *b = load(rel);
    struct sb_changes *c = (struct sb_changes *)1;
    struct sb_err e = {0};
    ck_assert_int_eq(diff_reports_named(&c, a, b, "old.json", rel, &e), -1);
    ck_assert_ptr_null(c);
    ck_assert_int_eq(e.code, SB_EXIT_INPUT);
    ck_assert_str_eq(e.msg, want);
    cJSON_Delete(a);
    cJSON_Delete(b);
}

START_TEST(test_malformed_reports)
{
    expect_bad("diff/bad-status.json", "diff/bad-status.json: results[2].status: expected one of pass, fail, manual, "
                                       "not_applicable, not_assessed");
    expect_bad("diff/bad-results.json", "diff/bad-results.json: results: expected an array");
    expect_bad("diff/bad-evidence.json",
               "diff/bad-evidence.json: results[4].evidence[1].value: expected a string or null");
    struct sb_err e = {0};
    cJSON *doc = (cJSON *)1;
    char sha[65];
    char *p = tu_data("diff/truncated.json");
    ck_assert_int_eq(diff_load_report(&doc, sha, p, &e), -1);
    ck_assert_ptr_null(doc);
    ck_assert_int_eq(e.code, SB_EXIT_INPUT);
    ck_assert_ptr_nonnull(strstr(e.msg, "truncated.json:1:"));
    free(p);
    /* Duplicate finding ids, a missing generation time, a bad exception entry. */
    cJSON *ok = cJSON_Parse("{\"generated\":\"a\",\"results\":[]}");
    const char *bad[] = {
        "{\"generated\":\"b\",\"results\":[{\"id\":\"A\",\"status\":\"pass\"},{\"id\":\"A\",\"status\":\"fail\"}]}",
        "{\"results\":[]}",
        "{\"generated\":\"b\",\"results\":[],\"exceptions\":[{\"entry_id\":\"EX\",\"expired\":\"no\"}]}",
        "{\"generated\":\"b\",\"results\":[{\"id\":\"A\",\"status\":\"fail\",\"exception\":{\"entry_id\":\"E\","
        "\"state\":\"maybe\"}}]}",
        "{\"generated\":\"b\",\"results\":[{\"status\":\"fail\"}]}",
        "[]",
    };
    const char *msgs[] = {
        "new: results: finding id \"A\" appears twice",
        "new: generated: expected a string",
        "new: exceptions[0].expired: expected true or false",
        "new: results[0].exception.state: expected \"applied\" or \"expired\"",
        "new: results[0].id: expected a non-empty string",
        "new: expected a report.json object",
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        cJSON *b = cJSON_Parse(bad[i]);
        struct sb_changes *c = NULL;
        sb_err_clear(&e);
        ck_assert_int_eq(diff_reports_named(&c, ok, b, "old", "new", &e), -1);
        ck_assert_str_eq(e.msg, msgs[i]);
        cJSON_Delete(b);
    }
    cJSON_Delete(ok);
}
END_TEST

START_TEST(test_render_escaping)
{
    struct sb_changes *c = diff_text(
        "{\"generated\":\"a\",\"results\":[{\"id\":\"A\",\"status\":\"pass\",\"feature\":\"x|y\",\"evidence\":["
        "{\"path\":\"p\",\"value\":\"a,\\\"b\\\"\\nc\"}]}]}",
        "{\"generated\":\"b\",\"results\":[{\"id\":\"A\",\"status\":\"pass\",\"feature\":\"x|y\",\"evidence\":["
        "{\"path\":\"p\",\"value\":\"`tick` | pipe\"}]}]}");
    ck_assert_uint_eq(c->n, 1);
    struct sb_buf csv = {0}, md = {0}, js = {0};
    diff_render_csv(c, &csv);
    ck_assert_str_eq(csv.data, "kind,finding_id,control,feature,resource_id,path,old_value,new_value,reason\r\n"
                               "evidence_changed,A,,x|y,,p,\"a,\"\"b\"\"\nc\",`tick` | pipe,\r\n");
    diff_render_md_section(c, &md);
    ck_assert_ptr_nonnull(strstr(md.data, "| Evidence changed | `A` | \xe2\x80\x94 | x\\|y | \xe2\x80\x94 | `p` | "
                                          "`a,\"b\" c` | `` `tick` \\| pipe `` |\n"));
    ck_assert_ptr_nonnull(strstr(md.data, "**1 change**: Evidence changed 1\n"));
    struct sb_diff_current cur = {"new.json", NULL, "b"};
    diff_render_json(c, &cur, &js);
    cJSON *doc = cJSON_Parse(js.data);
    ck_assert_ptr_nonnull(doc);
    cJSON *ch = cJSON_GetArrayItem(cJSON_GetObjectItemCaseSensitive(doc, "changes"), 0);
    ck_assert_str_eq(cJSON_GetObjectItemCaseSensitive(ch, "old_value")->valuestring, "a,\"b\"\nc");
    ck_assert(cJSON_IsNull(cJSON_GetObjectItemCaseSensitive(ch, "resource_id")));
    cJSON *counts = cJSON_GetObjectItemCaseSensitive(doc, "counts");
    ck_assert_int_eq(cJSON_GetObjectItemCaseSensitive(counts, "evidence_changed")->valueint, 1);
    ck_assert_int_eq(cJSON_GetObjectItemCaseSensitive(counts, "new_finding")->valueint, 0);
    ck_assert_str_eq(cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(doc, "current"), "name")
                         ->valuestring,
                     "new.json");
    cJSON_Delete(doc);
    sb_buf_free(&csv);
    sb_buf_free(&md);
    sb_buf_free(&js);
    sb_changes_free(c);
}
END_TEST

/* The three ways in: a report.json tree, the same text read one result at a time, the assessment in memory. */

struct estate {
    struct sb_baseline *b;
    struct sb_report *r;
};

/* The sample estate with its exceptions (applied and expired ones). */
static struct estate estate_load(void)
{
    struct estate fx = {0};
    tu_sample_report(&fx.b, &fx.r, NULL);
    return fx;
}

static void estate_free(struct estate *fx)
{
    report_free(fx->r);
    baseline_free(fx->b);
}

static const cJSON *get(const cJSON *o, const char *k)
{
    return cJSON_GetObjectItemCaseSensitive(o, k);
}

static void set_str(cJSON *o, const char *k, const char *v)
{
    if (v)
        cJSON_ReplaceItemInObjectCaseSensitive(o, k, cJSON_CreateString(v));
    else
        cJSON_ReplaceItemInObjectCaseSensitive(o, k, cJSON_CreateNull());
}

/* The first result (from index `from`) with the given status and, when want_ev, evidence; -1 when none. */
static int find_result(const cJSON *results, int from, const char *status, bool want_ev)
{
    int n = cJSON_GetArraySize(results);
    for (int i = from; i < n; i++) {
        const cJSON *x = cJSON_GetArrayItem(results, i);
        if (strcmp(get(x, "status")->valuestring, status) == 0
            && (!want_ev || cJSON_GetArraySize(get(x, "evidence")) > 0))
            return i;
    }
    return -1;
}

/*
 * A previous report made from the current one with one of each kind of change: statuses both ways, an
 * evidence value, a failing finding and a resource that are gone now, a renamed resource, an exception
 * entry that is new now and one that was not yet expired.
 */
static cJSON *previous_of(const struct sb_report *r)
{
    cJSON *doc = report_to_json(r);
    set_str(doc, "generated", "2026-06-30T00:00:00Z");
    cJSON *res = (cJSON *)get(doc, "results");
    int pass = find_result(res, 0, "pass", true), fail = find_result(res, 0, "fail", false);
    ck_assert_int_ge(pass, 0);
    ck_assert_int_ge(fail, 0);
    set_str(cJSON_GetArrayItem(res, pass), "status", "fail");             /* resolved */
    set_str(cJSON_GetArrayItem(res, fail), "status", "pass");             /* new finding */
    int other = find_result(res, fail + 1, "fail", false);
    ck_assert_int_ge(other, 0);
    set_str(cJSON_GetArrayItem(res, other), "status", "not_applicable"); /* new finding (was not failing) */
    int ev = find_result(res, pass + 1, "pass", true);
    ck_assert_int_ge(ev, 0);
    set_str(cJSON_GetArrayItem(get(cJSON_GetArrayItem(res, ev), "evidence"), 0), "value", "old value");
    int manual = find_result(res, 0, "manual", false);
    if (manual >= 0)
        set_str(cJSON_GetArrayItem(res, manual), "status", "not_assessed"); /* status changed */
    /* Gone now: a failing finding on a resource of a subscription read completely, and one whose resource id
     * is not the current one's (resource removed and added). */
    cJSON *gone = cJSON_Duplicate(cJSON_GetArrayItem(res, fail), 1);
    set_str(gone, "id", "expressroute-NS-1-ffffffffffffffff");
    set_str(gone, "status", "fail");
    set_str(gone, "resource_id", "/subscriptions/00000000-0000-0000-0000-00000000dead/resourceGroups/rg/providers/"
                                 "Microsoft.Network/expressRouteCircuits/gone");
    set_str(gone, "subscription_id", NULL);
    cJSON_AddItemToArray(res, gone);
    int renamed = find_result(res, ev + 1, "pass", false);
    ck_assert_int_ge(renamed, 0);
    char *was = sb_xstrdup(get(cJSON_GetArrayItem(res, renamed), "resource_id")->valuestring);
    char *rid = sb_xasprintf("%s-old", was);
    for (cJSON *x = res->child; x; x = x->next)
        if (cJSON_IsString(get(x, "resource_id")) && sb_ieq(get(x, "resource_id")->valuestring, was))
            set_str(x, "resource_id", rid);
    free(rid);
    free(was);
    /* Exceptions: the first entry is new now; every expired one was not expired before. */
    cJSON *exc = (cJSON *)get(doc, "exceptions");
    ck_assert_int_gt(cJSON_GetArraySize(exc), 1);
    cJSON_DeleteItemFromArray(exc, 0);
    for (cJSON *x = exc->child; x; x = x->next)
        cJSON_ReplaceItemInObjectCaseSensitive(x, "expired", cJSON_CreateFalse());
    /* A finding with an expired exception now had it applied before. */
    for (cJSON *x = res->child; x; x = x->next) {
        cJSON *xe = (cJSON *)get(x, "expired_exception");
        if (xe && !get(x, "exception")) {
            cJSON *applied = cJSON_Duplicate(xe, 1);
            set_str(applied, "state", "applied");
            cJSON_AddItemToObject(x, "exception", applied);
            cJSON_DeleteItemFromObjectCaseSensitive(x, "expired_exception");
            break;
        }
    }
    return doc;
}

static char *change_full(const struct sb_change *x)
{
    return sb_xasprintf("%s|%s|%s|%s|%s|%s|%s|%s|%s", sb_change_kind_id(x->kind), nz(x->finding_id), nz(x->control),
                        nz(x->feature), nz(x->resource_id), nz(x->path), nz(x->old_value), nz(x->new_value),
                        nz(x->reason));
}

/* Every field of every change, and the header. */
static void assert_same_changes(const struct sb_changes *a, const struct sb_changes *b)
{
    ck_assert_str_eq(a->previous_name, b->previous_name);
    ck_assert_str_eq(a->previous_generated, b->previous_generated);
    ck_assert_uint_eq(a->n, b->n);
    for (size_t i = 0; i < a->n; i++) {
        char *x = change_full(&a->items[i]), *y = change_full(&b->items[i]);
        ck_assert_str_eq(x, y);
        free(x);
        free(y);
    }
}

static struct sb_changes *compare_views(struct diff_report *old, struct diff_report *cur)
{
    struct sb_changes *c = diff_compare(old, cur);
    diff_report_free(old);
    diff_report_free(cur);
    return c;
}

START_TEST(test_model_view_is_the_json_view)
{
    struct estate fx = estate_load();
    struct sb_report *r = fx.r;
    ck_assert_ptr_nonnull(r->strings);
    /* What report.json writes differently from the model: an evidence value NULL (null), an empty resource id
     * (read as absent), a result without evidence. */
    int touched = 0;
    for (size_t i = 0; i < r->nresults && touched < 3; i++) {
        struct sb_result *x = &r->results[i];
        if (x->nevidence < 2 || x->status != SB_STATUS_PASS)
            continue;
        if (touched == 0)
            x->evidence[0].value = NULL;
        else if (touched == 1)
            x->resource_id = sb_strpool_intern(r->strings, "");
        else
            x->nevidence = 0; /* the evidence stays owned by the pool */
        touched++;
    }
    ck_assert_int_eq(touched, 3);
    cJSON *prev = previous_of(r), *cur = report_to_json(r);
    struct sb_err e = {0};
    struct sb_changes *want = NULL;
    ck_assert_msg(diff_reports_named(&want, prev, cur, "q2/report.json", "current report", &e) == 0, "%s", e.msg);
    static const enum sb_change_kind kinds[] = {SB_CHANGE_NEW_FINDING, SB_CHANGE_RESOLVED, SB_CHANGE_RESOURCE_ADDED,
                                                SB_CHANGE_RESOURCE_REMOVED, SB_CHANGE_EVIDENCE,
                                                SB_CHANGE_EXCEPTION_EXPIRED, SB_CHANGE_EXCEPTION_ADDED,
                                                SB_CHANGE_NO_LONGER_ASSESSED};
    for (size_t k = 0; k < sizeof kinds / sizeof kinds[0]; k++)
        ck_assert_msg(diff_count(want, kinds[k]) > 0, "no %s change", sb_change_kind_id(kinds[k]));

    struct diff_report *old = NULL, *now = NULL;
    ck_assert_msg(diff_report_from_json(&old, prev, "q2/report.json", &e) == 0, "%s", e.msg);
    ck_assert_msg(diff_report_from_model(&now, r, "current report", &e) == 0, "%s", e.msg);
    ck_assert_str_eq(diff_report_generated(now), r->generated);
    struct sb_changes *got = compare_views(old, now);
    assert_same_changes(want, got);
    sb_changes_free(got);

    /* And the other way round (the model as the previous report): removed, resolved and gone swap places. */
    sb_changes_free(want);
    ck_assert_msg(diff_reports_named(&want, cur, prev, "current report", "q2", &e) == 0, "%s", e.msg);
    ck_assert_msg(diff_report_from_model(&old, r, "current report", &e) == 0, "%s", e.msg);
    ck_assert_msg(diff_report_from_json(&now, prev, "q2", &e) == 0, "%s", e.msg);
    got = compare_views(old, now);
    assert_same_changes(want, got);
    ck_assert_uint_gt(got->n, 5);
    sb_changes_free(got);
    sb_changes_free(want);
    cJSON_Delete(prev);
    cJSON_Delete(cur);
    estate_free(&fx);
}
END_TEST

/* text (a report.json) read one result at a time gives the changes the whole tree gives. */
static void stream_matches_tree(const cJSON *prev, const cJSON *cur, char *text)
{
    struct sb_err e = {0};
    struct sb_changes *want = NULL;
    ck_assert_msg(diff_reports_named(&want, prev, cur, "prev.json", "cur.json", &e) == 0, "%s", e.msg);
    struct diff_report *old = NULL, *now = NULL;
    char *copy = sb_xstrdup(text);
    ck_assert_msg(diff_report_parse(&old, text, strlen(text), "prev.json", &e) == 0, "%s", e.msg);
    ck_assert_str_eq(text, copy); /* the text is given back as it was */
    free(copy);
    ck_assert_msg(diff_report_from_json(&now, cur, "cur.json", &e) == 0, "%s", e.msg);
    struct sb_changes *got = compare_views(old, now);
    assert_same_changes(want, got);
    ck_assert_uint_gt(got->n, 5);
    sb_changes_free(got);
    sb_changes_free(want);
}

START_TEST(test_streamed_reader_is_the_tree_reader)
{
    struct estate fx = estate_load();
    cJSON *prev = previous_of(fx.r), *cur = report_to_json(fx.r);
    char *pretty = cJSON_Print(prev), *compact = cJSON_PrintUnformatted(prev);
    stream_matches_tree(prev, cur, pretty);
    stream_matches_tree(prev, cur, compact);

    /* From a file: the SHA-256 of its bytes, and the same changes as the file's tree. */
    char *dir = tu_tmpdir("diff-stream");
    char *path = sb_path_join(dir, "report.json");
    tu_write(path, pretty);
    struct sb_err e = {0};
    struct diff_report *old = NULL, *now = NULL;
    char sha[65], want_sha[65];
    sb_sha256_hex(pretty, strlen(pretty), want_sha);
    ck_assert_msg(diff_report_read(&old, sha, path, &e) == 0, "%s", e.msg);
    ck_assert_str_eq(sha, want_sha);
    ck_assert_str_eq(diff_report_generated(old), "2026-06-30T00:00:00Z");
    ck_assert_msg(diff_report_from_model(&now, fx.r, "current report", &e) == 0, "%s", e.msg);
    struct sb_changes *got = compare_views(old, now), *want = NULL;
    ck_assert_msg(diff_reports_named(&want, prev, cur, path, "current report", &e) == 0, "%s", e.msg);
    assert_same_changes(want, got);
    sb_changes_free(got);
    sb_changes_free(want);

    /* "results" need not come last, nor be the only array; a byte order mark is skipped as cJSON does. */
    static const char *const shapes[] = {
        "{\"results\": [ ], \"generated\": \"g\", \"exceptions\": []}",
        "\xEF\xBB\xBF{\"tool\": {\"results\": 1}, \"x\": [\"]\\\"\", {\"a\": \"[\"}], \"results\":[{\"id\":\"A\","
        "\"status\":\"fail\",\"evidence\":[{\"path\":\"p\",\"value\":\"v,]}\"}]}] ,\"generated\":\"g\"}",
        /* cJSON skips control bytes between elements: so must the pieces (found by fuzz_diff) */
        "{\"generated\":\"g\",\"results\":[\x01{\"id\":\"A\",\"status\":\"fail\"}\x08\x1f ]}",
    };
    for (size_t i = 0; i < sizeof shapes / sizeof shapes[0]; i++) {
        char *t = sb_xstrdup(shapes[i]);
        cJSON *doc = NULL;
        ck_assert_msg(sb_json_parse(&doc, t, strlen(t), "s", &e) == 0, "%s", e.msg);
        struct diff_report *a = NULL, *b = NULL;
        ck_assert_msg(diff_report_parse(&a, t, strlen(t), "s", &e) == 0, "%s", e.msg);
        ck_assert_msg(diff_report_from_json(&b, doc, "s", &e) == 0, "%s", e.msg);
        /* compared with an empty report: each finding of a shows up the same as each of b */
        cJSON *empty = cJSON_Parse("{\"generated\":\"e\",\"results\":[]}");
        struct diff_report *ea = NULL, *eb = NULL;
        ck_assert_int_eq(diff_report_from_json(&ea, empty, "e", &e), 0);
        ck_assert_int_eq(diff_report_from_json(&eb, empty, "e", &e), 0);
        struct sb_changes *ca = compare_views(ea, a), *cb = compare_views(eb, b);
        assert_same_changes(ca, cb);
        ck_assert_uint_eq(ca->n, i == 0 ? 0 : 1);
        sb_changes_free(ca);
        sb_changes_free(cb);
        cJSON_Delete(empty);
        cJSON_Delete(doc);
        free(t);
    }
    /* Only text[0..len) is read (a mapped file has no NUL after it): here, what follows would be refused. */
    const char *longer = "{\"generated\":\"g\",\"results\":[{\"id\":\"A\",\"status\":\"fail\"}]} trailing";
    struct diff_report *cut = NULL;
    ck_assert_msg(diff_report_parse(&cut, longer, strlen(longer) - 9, "s", &e) == 0, "%s", e.msg);
    diff_report_free(cut);
    ck_assert_int_eq(diff_report_parse(&cut, longer, strlen(longer), "s", &e), -1);
    ck_assert_str_eq(e.msg, "s:1:58: unexpected data after the JSON value");
    free(path);
    free(dir);
    cJSON_free(pretty);
    cJSON_free(compact);
    cJSON_Delete(prev);
    cJSON_Delete(cur);
    estate_free(&fx);
}
END_TEST

/* The streamed reader's error for text, as one line naming "old.json". */
static const char *stream_error(const char *text, struct sb_err *e)
{
    char *t = sb_xstrdup(text);
    struct diff_report *d = (struct diff_report *)1;
    sb_err_clear(e);
    ck_assert_int_eq(diff_report_parse(&d, t, strlen(t), "old.json", e), -1);
    ck_assert_ptr_null(d);
    ck_assert_int_eq(e->code, SB_EXIT_INPUT);
    ck_assert_ptr_null(strchr(e->msg, '\n'));
    free(t);
    return e->msg;
}

/* The position sb_json_parse gives for the whole text: "old.json:L:C" (a syntax error is found where it is). */
static char *whole_position(const char *text)
{
    struct sb_err e = {0};
    cJSON *doc = NULL;
    ck_assert_msg(sb_json_parse(&doc, text, strlen(text), "old.json", &e) == -1, "parses: %s", text);
    char *colon = strchr(strchr(strchr(e.msg, ':') + 1, ':') + 1, ':');
    return sb_xstrndup(e.msg, (size_t)(colon - e.msg));
}

static void expect_stream_error(const char *text, const char *want)
{
    struct sb_err e = {0};
    ck_assert_str_eq(stream_error(text, &e), want);
}

/* A syntax error: the message, with the position the whole file's parse gives. */
static void expect_syntax_error(const char *text, const char *what)
{
    struct sb_err e = {0};
    char *pos = whole_position(text);
    char *want = sb_xasprintf("%s: %s", pos, what);
    ck_assert_str_eq(stream_error(text, &e), want);
    free(want);
    free(pos);
}

#define HEAD "{\n  \"generated\": \"g\",\n  \"results\": [\n"
#define OK_RESULT "    {\"id\": \"A\", \"status\": \"pass\"}"

START_TEST(test_streamed_reader_errors)
{
    expect_stream_error("{\"generated\":\"g\",\"results\":{}}", "old.json: results: expected an array");
    expect_stream_error("{\"generated\":\"g\",\"results\":null}", "old.json: results: expected an array");
    expect_stream_error("{\"generated\":\"g\"}", "old.json: results: expected an array");
    expect_stream_error("[]", "old.json: expected a report.json object");
    expect_stream_error("", "old.json: empty file (expected JSON)");
    expect_stream_error("{\"results\":[]}", "old.json: generated: expected a string");
    expect_stream_error(HEAD OK_RESULT ",\n    3\n  ]\n}\n", "old.json: results[1]: expected an object");
    expect_stream_error(HEAD OK_RESULT ",\n    {\"id\": \"B\", \"status\": \"failed\"}\n  ]\n}\n",
                        "old.json: results[1].status: expected one of pass, fail, manual, not_applicable, "
                        "not_assessed");
    expect_stream_error(HEAD OK_RESULT ",\n" OK_RESULT "\n  ]\n}\n", "old.json: results: finding id \"A\" appears twice");
    expect_stream_error("{\"generated\":\"g\",\"results\":[],\"exceptions\":[{\"entry_id\":\"E\",\"expired\":1}]}",
                        "old.json: exceptions[0].expired: expected true or false");

    /* Syntax errors inside an element: the element, and the line and column in the whole file. */
    expect_syntax_error(HEAD OK_RESULT ",\n    {\"id\": \"B\" \"status\": \"pass\"}\n  ]\n}\n", "results[1]: malformed JSON");
    expect_stream_error(HEAD OK_RESULT ",\n    {\"id\": \"B\" \"status\": \"pass\"}\n  ]\n}\n",
                        "old.json:5:16: results[1]: malformed JSON");
    expect_syntax_error(HEAD OK_RESULT ",\n    {\"id\": \"B\", \"status\": \"pass\", \"id\": \"C\"}\n  ]\n}\n",
                        "results[1].id: duplicate key");
    expect_syntax_error(HEAD "    {\"id\": \"A\", \"status\": \"pass\", \"evidence\": [{\"path\": \"p\", \"path\": \"q\"}]}"
                        "\n  ]\n}\n",
                        "results[0].evidence[0].path: duplicate key");
    expect_syntax_error(HEAD OK_RESULT ",\n    {\"id\": \"B\", \"status\": \"pa\xffss\"}\n  ]\n}\n",
                        "results[1]: invalid UTF-8");
    expect_syntax_error(HEAD OK_RESULT ",\n    {\"id\": \"B\\u0000\", \"status\": \"pass\"}\n  ]\n}\n",
                        "results[1]: \\u0000 (NUL) in a JSON string");
    expect_stream_error(HEAD OK_RESULT ",\n  ]\n}\n", "old.json:5:3: results[1]: malformed JSON");
    expect_stream_error(HEAD OK_RESULT ",,\n" OK_RESULT "\n  ]\n}\n", "old.json:4:35: results[1]: malformed JSON");
    expect_stream_error("{\"generated\":\"g\",\"results\":[\xEF\xBB\xBF{\"id\":\"A\",\"status\":\"pass\"}]}",
                        "old.json:1:29: results[0]: malformed JSON");
    /* Cut short inside the results, and after them. */
    expect_syntax_error(HEAD OK_RESULT ",\n    {\"id\": \"B\", \"sta", "results[1]: malformed JSON");
    expect_syntax_error(HEAD OK_RESULT ",\n    {\"id\": \"B\", \"status\": \"pass\"",
                        "results[1]: malformed JSON (unexpected end of input)");
    expect_syntax_error(HEAD OK_RESULT ",\n", "results[1]: malformed JSON (unexpected end of input)");
    expect_syntax_error(HEAD OK_RESULT "\n  ],\n  \"exceptions\": [", "malformed JSON (unexpected end of input)");
    /* The document around the results: positions after them are the file's, not the skeleton's. */
    expect_syntax_error(HEAD OK_RESULT "\n  ]\n}\n  trailing", "unexpected data after the JSON value");
    expect_syntax_error(HEAD OK_RESULT "\n  ],\n  \"exceptions\": [,]\n}\n", "malformed JSON");
    expect_syntax_error(HEAD OK_RESULT "\n  ],\n  \"results\": []\n}\n", "results: duplicate key");
    expect_syntax_error("{\"generated\":\"g\",\"results\":[" OK_RESULT "], \"x\":\n tru}", "malformed JSON");

    /* Only a ']' closes the results (found by fuzz_diff: a '}' there once ended them). */
    expect_stream_error("{\"generated\": \"a\", \"results\": [}}", "old.json:1:32: results[0]: malformed JSON");
    expect_stream_error("{\"results\":[{\"id\":\"A\",\"status\":\"pass\"}}, \"generated\":\"g\"}",
                        "old.json:1:39: results[0]: unexpected data after the JSON value");
    /* Nesting: the whole file's limit, counted from the document (an element sits two levels down). */
    struct sb_buf deep = {0};
    sb_buf_puts(&deep, "{\"generated\":\"g\",\"results\":[{\"id\":\"A\",\"status\":\"pass\",\"x\":");
    for (int i = 0; i < SB_JSON_MAX_DEPTH - 2; i++)
        sb_buf_putc(&deep, '[');
    for (int i = 0; i < SB_JSON_MAX_DEPTH - 2; i++)
        sb_buf_putc(&deep, ']');
    sb_buf_puts(&deep, "}]}");
    expect_syntax_error(deep.data, "results[0]: JSON nested deeper than 512 levels");
    sb_buf_free(&deep);

    /* A file that cannot be read at all. */
    struct sb_err e = {0};
    struct diff_report *d = NULL;
    char sha[65];
    ck_assert_int_eq(diff_report_read(&d, sha, "/nonexistent/report.json", &e), -1);
    ck_assert_int_eq(e.code, SB_EXIT_INPUT);
    ck_assert_str_eq(e.msg, "/nonexistent/report.json: No such file or directory");
}
END_TEST

static Suite *diff_suite(void)
{
    Suite *s = suite_create("diff");
    TCase *tc = tcase_create("model");
    tcase_add_test(tc, test_fixture_every_kind);
    tcase_add_test(tc, test_identical_is_empty);
    tcase_add_test(tc, test_reverse_direction);
    tcase_add_test(tc, test_only_resolved_does_not_fail);
    tcase_add_test(tc, test_status_transitions);
    tcase_add_test(tc, test_no_longer_assessed);
    tcase_add_test(tc, test_evidence_matching);
    tcase_add_test(tc, test_sorted_deterministically);
    tcase_add_test(tc, test_fail_on_new_with_exceptions);
    tcase_add_test(tc, test_fail_on_new_looks_up_each_finding);
    tcase_add_test(tc, test_exception_expired_rules);
    tcase_add_test(tc, test_malformed_reports);
    suite_add_tcase(s, tc);
    tc = tcase_create("read");
    tcase_add_test(tc, test_model_view_is_the_json_view);
    tcase_add_test(tc, test_streamed_reader_is_the_tree_reader);
    tcase_add_test(tc, test_streamed_reader_errors);
    suite_add_tcase(s, tc);
    tc = tcase_create("render");
    tcase_add_test(tc, test_render_escaping);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(diff_suite());
    srunner_run_all(sr, CK_ENV);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
