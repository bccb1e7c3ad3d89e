/* Exceptions and attestations: matching, expiry, kinds, validation. */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "err.h"
#include "exceptions.h"
#include "testutil.h"
#include "report.h"
#include "util.h"

static struct sb_control ctl = {.id = "NS-1", .domain = "Network security", .title = "t"};
static struct sb_feature feat = {.control = &ctl, .name = "Network Security Group Support"};

static struct sb_result result(const char *id, const char *rid, enum sb_status st)
{
    struct sb_result r = {0};
    r.id = (char *)id;
    r.control = &ctl;
    r.feature = &feat;
    r.resource_id = (char *)rid;
    r.status = st;
    return r;
}

static void free_entries(struct sb_exception *x, size_t n)
{
    for (size_t i = 0; i < n; i++)
        sb_exception_clear(&x[i]);
    free(x);
}

static const char *load_err(const char *json)
{
    static struct sb_err e;
    struct sb_exception *x;
    size_t n;
    sb_err_clear(&e);
    ck_assert_int_eq(exceptions_load(&x, &n, "ex.json", json, strlen(json), 0, &e), -1);
    ck_assert_int_eq(e.code, SB_EXIT_INPUT);
    return e.msg;
}

START_TEST(test_match_and_expiry)
{
    const char *json =
        "{\"exceptions\":["
        "{\"id\":\"E1\",\"control\":\"ns-1\",\"feature\":\"Network Security Group Support\",\"resource\":\"*/vnet-a/subnets/*\","
        " \"kind\":\"accepted_risk\",\"justification\":\"j\",\"approver\":\"a\",\"ticket\":\"T-1\",\"expires\":\"2027-03-31\"},"
        "{\"id\":\"E2\",\"finding_id\":\"F-2\",\"kind\":\"compensating_control\",\"justification\":\"j\",\"approver\":\"a\",\"expires\":\"2026-06-30\"},"
        "{\"finding_id\":\"F-3\",\"kind\":\"attestation\",\"justification\":\"j\",\"approver\":\"a\",\"expires\":\"2027-01-01\"},"
        "{\"finding_id\":\"F-4\",\"kind\":\"attestation\",\"justification\":\"j\",\"approver\":\"a\",\"expires\":\"2027-01-01\"}]}";
    struct sb_exception *x;
    size_t n;
    struct sb_err e = {0};
    time_t now;
    ck_assert_int_eq(sb_parse_date("2026-09-30", &now), 0);
    ck_assert_msg(exceptions_load(&x, &n, "ex.json", json, strlen(json), now, &e) == 0, "%s", e.msg);
    ck_assert_uint_eq(n, 4);
    ck_assert(!x[0].expired);
    ck_assert(x[1].expired);
    ck_assert_str_eq(x[2].entry_id, "#3");
    struct sb_result rs[] = {
        result("F-1", "/subscriptions/s/x/virtualNetworks/VNET-A/subnets/db", SB_STATUS_FAIL),
        result("F-2", "/subscriptions/s/x/virtualNetworks/vnet-b/subnets/db", SB_STATUS_FAIL),
        result("F-3", "/subscriptions/s/x/virtualNetworks/vnet-c", SB_STATUS_MANUAL),
        result("F-4", "/subscriptions/s/x/virtualNetworks/vnet-d", SB_STATUS_FAIL),
        result("F-5", "/subscriptions/s/x/virtualNetworks/vnet-a/subnets/web", SB_STATUS_PASS),
    };
    exceptions_apply(x, n, rs, 5);
    ck_assert_ptr_eq(rs[0].exception, &x[0]);          /* pattern, case-insensitive */
    ck_assert_ptr_null(rs[1].exception);                /* expired: not applied ... */
    ck_assert_ptr_eq(rs[1].expired_exception, &x[1]);   /* ... but reported */
    ck_assert_ptr_eq(rs[2].exception, &x[2]);          /* attestation of a manual result */
    ck_assert_ptr_null(rs[3].exception);                /* an attestation cannot excuse a fail */
    ck_assert_ptr_null(rs[4].exception);                /* a pass needs no exception */
    ck_assert_uint_eq(x[0].matched, 1);
    ck_assert_uint_eq(x[1].matched, 1);
    free_entries(x, n);
}
END_TEST

START_TEST(test_expiry_day_inclusive)
{
    const char *json = "[{\"finding_id\":\"F\",\"kind\":\"accepted_risk\",\"justification\":\"j\",\"approver\":\"a\",\"expires\":\"2026-09-30\"}]";
    struct sb_exception *x;
    size_t n;
    struct sb_err e = {0};
    time_t day;
    sb_parse_date("2026-09-30", &day);
    ck_assert_int_eq(exceptions_load(&x, &n, "ex.json", json, strlen(json), day + 86399, &e), 0);
    ck_assert(!x[0].expired);
    free_entries(x, n);
    ck_assert_int_eq(exceptions_load(&x, &n, "ex.json", json, strlen(json), day + 86400, &e), 0);
    ck_assert(x[0].expired);
    free_entries(x, n);
}
END_TEST

START_TEST(test_validation)
{
    ck_assert_str_eq(load_err("{\"exceptions\":[{\"finding_id\":\"F\",\"kind\":\"waiver\",\"justification\":\"j\",\"approver\":\"a\",\"expires\":\"2027-01-01\"}]}"),
                     "ex.json: entry #1: \"kind\": expected \"accepted_risk\", \"compensating_control\" or \"attestation\"");
    ck_assert_str_eq(load_err("[{\"finding_id\":\"F\",\"kind\":\"attestation\",\"approver\":\"a\",\"expires\":\"2027-01-01\"}]"),
                     "ex.json: entry #1: \"justification\" is missing");
    ck_assert_str_eq(load_err("[{\"finding_id\":\"F\",\"kind\":\"attestation\",\"justification\":\"j\",\"approver\":\"a\",\"expires\":\"2027-02-30\"}]"),
                     "ex.json: entry #1: \"expires\": expected a date YYYY-MM-DD");
    ck_assert_str_eq(load_err("[{\"kind\":\"attestation\",\"justification\":\"j\",\"approver\":\"a\",\"expires\":\"2027-01-01\"}]"),
                     "ex.json: entry #1: needs \"finding_id\", or \"control\" (with optional \"feature\" and \"resource\")");
    ck_assert_str_eq(load_err("[{\"finding_id\":\"F\",\"kind\":\"attestation\",\"justification\":\"j\",\"approver\":\"a\",\"expires\":\"2027-01-01\",\"note\":1}]"),
                     "ex.json: entry #1: unknown key \"note\"");
    ck_assert_str_eq(load_err("[{\"finding_id\":7,\"kind\":\"attestation\",\"justification\":\"j\",\"approver\":\"a\",\"expires\":\"2027-01-01\"}]"),
                     "ex.json: entry #1: \"finding_id\": expected a string");
    ck_assert_str_eq(load_err("{\"exceptions\":{}}"), "ex.json: exceptions: expected an array");
    ck_assert_ptr_nonnull(strstr(load_err("{\"exceptions\":["), "malformed JSON"));
    /* One numbering everywhere: the third entry is "#3" in errors as in the default id. */
    ck_assert_str_eq(load_err("[{\"id\":\"A\",\"finding_id\":\"F\",\"kind\":\"attestation\",\"justification\":\"j\",\"expires\":\"2027-01-01\"},"
                              "{\"finding_id\":\"G\",\"kind\":\"attestation\",\"justification\":\"j\",\"expires\":\"2027-01-01\"},"
                              "{\"id\":\"A\",\"finding_id\":\"H\",\"kind\":\"attestation\",\"justification\":\"j\",\"expires\":\"2027-01-01\"}]"),
                     "ex.json: entry #3: duplicate id \"A\" (also entry #1)");
    ck_assert_str_eq(load_err("[{\"finding_id\":\"F\",\"kind\":\"attestation\",\"justification\":\"j\",\"approver\":\"a\","
                              "\"approved_by\":\"b\",\"expires\":\"2027-01-01\"}]"),
                     "ex.json: entry #1: give \"approved_by\" or its older name \"approver\", not both");
    ck_assert_str_eq(load_err("[{\"finding_id\":\"F\",\"kind\":\"attestation\",\"justification\":\"j\",\"approved_on\":\"2026-13-01\","
                              "\"expires\":\"2027-01-01\"}]"),
                     "ex.json: entry #1: \"approved_on\": expected a date YYYY-MM-DD");
    ck_assert_str_eq(load_err("[{\"finding_id\":\"F\",\"kind\":\"attestation\",\"justification\":\"j\",\"approved_on\":\"2027-02-01\","
                              "\"expires\":\"2027-01-01\"}]"),
                     "ex.json: entry #1: approved on 2027-02-01, after it expires (2027-01-01)");
}
END_TEST

START_TEST(test_approval_trail)
{
    const char *json =
        "[{\"finding_id\":\"F-1\",\"kind\":\"accepted_risk\",\"justification\":\"j\",\"approved_by\":\"J. Smith\","
        "\"approved_on\":\"2026-09-01\",\"owner\":\"Network team\",\"evidence\":\"https://wiki.example/ev\",\"expires\":\"2027-01-01\"},"
        " {\"finding_id\":\"F-2\",\"kind\":\"accepted_risk\",\"justification\":\"j\",\"approver\":\"Old Name\",\"expires\":\"2027-01-01\"}]";
    struct sb_exception *x;
    size_t n;
    struct sb_err e = {0};
    ck_assert_msg(exceptions_load(&x, &n, "ex.json", json, strlen(json), 0, &e) == 0, "%s", e.msg);
    ck_assert_str_eq(x[0].approved_by, "J. Smith");
    ck_assert_str_eq(x[0].approved_on, "2026-09-01");
    ck_assert_str_eq(x[0].owner, "Network team");
    ck_assert_str_eq(x[0].evidence, "https://wiki.example/ev");
    ck_assert_str_eq(x[1].approved_by, "Old Name"); /* the older key is an alias */
    ck_assert_int_eq(x[1].number, 2);
    ck_assert_ptr_null(x[1].owner);
    free_entries(x, n);
}
END_TEST

START_TEST(test_baseline_ids)
{
    struct sb_feature feats[1] = {{.name = "Network Security Group Support"}};
    struct sb_control ctls[1] = {{.id = "NS-1", .features = feats, .nfeatures = 1}};
    struct sb_baseline b = {.id = "expressroute", .controls = ctls, .ncontrols = 1};
    const char *json =
        "[{\"id\":\"OK\",\"control\":\"ns-1\",\"feature\":\"network security group support\",\"kind\":\"accepted_risk\","
        "\"justification\":\"j\",\"approver\":\"a\",\"expires\":\"2027-01-01\"},"
        " {\"finding_id\":\"gone\",\"control\":\"XX-9\",\"kind\":\"accepted_risk\",\"justification\":\"j\",\"approver\":\"a\",\"expires\":\"2027-01-01\"},"
        " {\"id\":\"BAD\",\"control\":\"NS-1\",\"feature\":\"NSG Support\",\"kind\":\"accepted_risk\",\"justification\":\"j\","
        "\"approver\":\"a\",\"expires\":\"2027-01-01\"}]";
    struct sb_exception *x;
    size_t n;
    struct sb_err e = {0};
    ck_assert_msg(exceptions_load(&x, &n, "ex.json", json, strlen(json), 0, &e) == 0, "%s", e.msg);
    ck_assert_int_eq(exceptions_check_baseline(x, n, &b, "ex.json", &e), -1);
    ck_assert_int_eq(e.code, SB_EXIT_INPUT);
    ck_assert_str_eq(e.msg, "ex.json: entry #3 (BAD): feature \"NSG Support\" is not a feature of control NS-1 "
                            "(the names are listed by 'mcsb-audit baseline show')");
    free(x[2].control);
    x[2].control = sb_xstrdup("NS-2");
    sb_err_clear(&e);
    ck_assert_int_eq(exceptions_check_baseline(x, n, &b, "ex.json", &e), -1);
    ck_assert_str_eq(e.msg, "ex.json: entry #3 (BAD): control \"NS-2\" is not in the baseline (expressroute)");
    ck_assert_int_eq(exceptions_check_baseline(x, 2, &b, "ex.json", &e), 0); /* a finding id is not checked */
    free_entries(x, n);
}
END_TEST

START_TEST(test_governance_warnings)
{
    const char *json =
        "[{\"id\":\"WHOLE\",\"control\":\"NS-1\",\"kind\":\"accepted_risk\",\"justification\":\"j\",\"approver\":\"a\",\"expires\":\"2027-01-01\"},"
        " {\"id\":\"STAR\",\"control\":\"NS-1\",\"feature\":\"f\",\"resource\":\"**\",\"kind\":\"accepted_risk\",\"justification\":\"j\","
        "\"approver\":\"a\",\"expires\":\"2027-01-01\"},"
        " {\"id\":\"LONG\",\"finding_id\":\"F\",\"kind\":\"accepted_risk\",\"justification\":\"j\",\"expires\":\"2028-01-01\"},"
        " {\"id\":\"FINE\",\"control\":\"NS-1\",\"feature\":\"f\",\"resource\":\"*/vnet-a\",\"kind\":\"accepted_risk\","
        "\"justification\":\"j\",\"approver\":\"a\",\"expires\":\"2027-09-30\"},"
        " {\"id\":\"OLD\",\"control\":\"NS-1\",\"kind\":\"accepted_risk\",\"justification\":\"j\",\"expires\":\"2026-01-01\"}]";
    struct sb_exception *x;
    size_t n;
    struct sb_err e = {0};
    time_t now;
    ck_assert_int_eq(sb_parse_date("2026-09-30", &now), 0);
    now += 3600; /* the time of day does not change the day count */
    ck_assert_msg(exceptions_load(&x, &n, "ex.json", json, strlen(json), now, &e) == 0, "%s", e.msg);
    exceptions_review(x, n, now, 365);
    ck_assert_uint_eq(x[0].nwarnings, 1);
    ck_assert_str_eq(x[0].warnings[0], "blanket scope: covers every feature of control NS-1 (no \"feature\")");
    ck_assert_uint_eq(x[1].nwarnings, 1);
    ck_assert_str_eq(x[1].warnings[0], "blanket scope: covers every resource of NS-1 \xc2\xb7 f (\"resource\" is only *)");
    ck_assert_uint_eq(x[2].nwarnings, 2);
    ck_assert_str_eq(x[2].warnings[0], "expires 2028-01-01, 458 days after the report date (more than the 365 days "
                                       "of --max-exception-days)");
    ck_assert_str_eq(x[2].warnings[1], "no approver (\"approved_by\")");
    ck_assert_uint_eq(x[3].nwarnings, 0); /* 365 days exactly is within the limit */
    ck_assert_uint_eq(x[4].nwarnings, 0); /* expired: not applied, nothing to review */
    free_entries(x, n);
}
END_TEST

START_TEST(test_matched_ids)
{
    const char *json = "[{\"control\":\"NS-1\",\"kind\":\"accepted_risk\",\"justification\":\"j\",\"approver\":\"a\",\"expires\":\"2027-01-01\"},"
                       " {\"finding_id\":\"nope\",\"kind\":\"accepted_risk\",\"justification\":\"j\",\"approver\":\"a\",\"expires\":\"2027-01-01\"}]";
    struct sb_exception *x;
    size_t n;
    struct sb_err e = {0};
    ck_assert_int_eq(exceptions_load(&x, &n, "ex.json", json, strlen(json), 0, &e), 0);
    struct sb_result rs[] = {result("F-1", "/a", SB_STATUS_FAIL), result("F-2", "/b", SB_STATUS_PASS),
                             result("F-3", "/c", SB_STATUS_NOT_ASSESSED)};
    exceptions_apply(x, n, rs, 3);
    ck_assert_uint_eq(x[0].matched, 2);
    ck_assert_str_eq(x[0].matched_ids[0], "F-1");
    ck_assert_str_eq(x[0].matched_ids[1], "F-3");
    ck_assert_uint_eq(x[1].matched, 0); /* unmatched: reported as such */
    free_entries(x, n);
}
END_TEST

START_TEST(test_glob)
{
    ck_assert(sb_glob_match("*", ""));
    ck_assert(sb_glob_match("/a/*/c", "/A/b/C"));
    ck_assert(sb_glob_match("*x?z", "aaxyz"));
    ck_assert(!sb_glob_match("/a/*/c", "/a/b/d"));
    ck_assert(!sb_glob_match("abc", "abcd"));
    /* many stars on a long text stays fast (no exponential backtracking) */
    char text[4096];
    memset(text, 'a', sizeof text - 1);
    text[sizeof text - 1] = '\0';
    ck_assert(!sb_glob_match("*a*a*a*a*a*a*a*a*a*a*a*b", text));
}
END_TEST

int main(void)
{
    Suite *s = suite_create("exceptions");
    TCase *tc = tcase_create("core");
    tcase_add_test(tc, test_match_and_expiry);
    tcase_add_test(tc, test_expiry_day_inclusive);
    tcase_add_test(tc, test_validation);
    tcase_add_test(tc, test_glob);
    tcase_add_test(tc, test_approval_trail);
    tcase_add_test(tc, test_baseline_ids);
    tcase_add_test(tc, test_governance_warnings);
    tcase_add_test(tc, test_matched_ids);
    suite_add_tcase(s, tc);
    return tu_run(s);
}
