/* Tests for quarter-over-quarter changes (src/diff.c, src/diff_render.c). */
#include "diff.h"
#include "err.h"
#include "report.h"
#include "util.h"

#include "testutil.h"

#include <check.h>
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
    tcase_add_test(tc, test_exception_expired_rules);
    tcase_add_test(tc, test_malformed_reports);
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
