/* Exceptions and attestations: matching, expiry, kinds, validation. */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "err.h"
#include "exceptions.h"
#include "testutil.h"
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
    for (size_t i = 0; i < n; i++) {
        free(x[i].entry_id), free(x[i].finding_id), free(x[i].control), free(x[i].feature);
        free(x[i].resource_pattern), free(x[i].justification), free(x[i].approver), free(x[i].ticket);
        free(x[i].expires);
    }
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
                     "ex.json: exceptions[0].kind: expected \"accepted_risk\", \"compensating_control\" or \"attestation\"");
    ck_assert_str_eq(load_err("[{\"finding_id\":\"F\",\"kind\":\"attestation\",\"approver\":\"a\",\"expires\":\"2027-01-01\"}]"),
                     "ex.json: exceptions[0].justification: missing");
    ck_assert_str_eq(load_err("[{\"finding_id\":\"F\",\"kind\":\"attestation\",\"justification\":\"j\",\"approver\":\"a\",\"expires\":\"2027-02-30\"}]"),
                     "ex.json: exceptions[0].expires: expected a date YYYY-MM-DD");
    ck_assert_str_eq(load_err("[{\"kind\":\"attestation\",\"justification\":\"j\",\"approver\":\"a\",\"expires\":\"2027-01-01\"}]"),
                     "ex.json: exceptions[0]: needs \"finding_id\", or \"control\" (with optional \"feature\" and \"resource\")");
    ck_assert_str_eq(load_err("[{\"finding_id\":\"F\",\"kind\":\"attestation\",\"justification\":\"j\",\"approver\":\"a\",\"expires\":\"2027-01-01\",\"note\":1}]"),
                     "ex.json: exceptions[0]: unknown key \"note\"");
    ck_assert_str_eq(load_err("[{\"finding_id\":7,\"kind\":\"attestation\",\"justification\":\"j\",\"approver\":\"a\",\"expires\":\"2027-01-01\"}]"),
                     "ex.json: exceptions[0].finding_id: expected a string");
    ck_assert_str_eq(load_err("{\"exceptions\":{}}"), "ex.json: exceptions: expected an array");
    ck_assert_ptr_nonnull(strstr(load_err("{\"exceptions\":["), "malformed JSON"));
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
    suite_add_tcase(s, tc);
    return tu_run(s);
}
