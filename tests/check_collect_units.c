/* Pure helpers of the collector: URL policy, strict bodies with raw numbers, secret stripping, snapshot order. */
#include "collect_run.h"
#include "err.h"
#include "http_multi.h"
#include "http_url.h"
#include "redact.h"
#include "snapshot_write.h"
#include "testutil.h"
#include "util.h"

#include <check.h>
#include <curl/curl.h>
#include <stdlib.h>
#include <string.h>

START_TEST(test_loopback)
{
    ck_assert(http_host_is_loopback("127.0.0.1"));
    ck_assert(http_host_is_loopback("127.10.20.30"));
    ck_assert(http_host_is_loopback("localhost"));
    ck_assert(http_host_is_loopback("[::1]"));
    ck_assert(!http_host_is_loopback("127.0.0.1.evil.example"));
    ck_assert(!http_host_is_loopback("128.0.0.1"));
    ck_assert(!http_host_is_loopback("10.0.0.1"));
    ck_assert(!http_host_is_loopback(NULL));
}
END_TEST

START_TEST(test_url_policy)
{
    struct sb_err e = {0};
    ck_assert_int_eq(http_url_check("https://management.azure.com", false, "x", &e), 0);
    ck_assert_int_eq(http_url_check("http://127.0.0.1:8080", false, "x", &e), 0);
    ck_assert_int_eq(http_url_check("http://[::1]:8080/", false, "x", &e), 0);
    ck_assert_int_eq(http_url_check("http://169.254.169.254", true, "x", &e), 0);
    ck_assert_int_eq(http_url_check("http://169.254.169.254", false, "--arm-endpoint", &e), -1);
    ck_assert_str_eq(e.msg, "--arm-endpoint: plain http is allowed only to loopback addresses");
    ck_assert_int_eq(e.code, SB_EXIT_USAGE);
    sb_err_clear(&e);
    ck_assert_int_eq(http_url_check("ftp://127.0.0.1", false, "x", &e), -1);
    sb_err_clear(&e);
    ck_assert_int_eq(http_url_check("not a url", false, "x", &e), -1);
}
END_TEST

START_TEST(test_origin_and_label)
{
    char *o = http_url_origin("https://Management.Azure.com/subscriptions?api-version=1");
    ck_assert_str_eq(o, "https://management.azure.com:443");
    ck_assert(http_url_same_origin("https://management.azure.com:443/x?$skipToken=a", o));
    ck_assert(!http_url_same_origin("https://management.azure.com.evil.example/x", o));
    ck_assert(!http_url_same_origin("http://management.azure.com/x", o));
    free(o);
    char *l = http_request_label("GET", "https://h/subscriptions/1/providers/x?api-version=2&sig=SECRET");
    ck_assert_str_eq(l, "GET /subscriptions/1/providers/x");
    free(l);
    char *p = http_path_escape("/subscriptions/1/resourceGroups/rg (1)/x y%");
    ck_assert_str_eq(p, "/subscriptions/1/resourceGroups/rg%20(1)/x%20y%25");
    free(p);
    char *t = http_trim_endpoint("https://h//");
    ck_assert_str_eq(t, "https://h");
    free(t);
}
END_TEST

static cJSON *parse(const char *s)
{
    return http_parse_json(s, strlen(s));
}

START_TEST(test_strict_body_raw_numbers)
{
    cJSON *j = parse("{\"a\": 0.0, \"b\": [10, -1.5e3, 9007199254740993], \"s\": \"1.0 \\\" 2\", \"c\": {\"d\": 1E2}}");
    ck_assert_ptr_nonnull(j);
    char *out = cJSON_PrintUnformatted(j);
    ck_assert_str_eq(out, "{\"a\":0.0,\"b\":[10,-1.5e3,9007199254740993],\"s\":\"1.0 \\\" 2\",\"c\":{\"d\":1E2}}");
    cJSON_free(out);
    cJSON_Delete(j);
    ck_assert_ptr_null(parse("{\"a\": 1} trailing"));
    ck_assert_ptr_null(parse("{\"a\": 01}"));
    ck_assert_ptr_null(parse("{\"a\": 1.}"));
    ck_assert_ptr_null(parse("{\"a\": [1, 2"));
    ck_assert_ptr_null(parse(""));
}
END_TEST

START_TEST(test_error_fields)
{
    const char *code, *msg;
    cJSON *j = parse("{\"error\": {\"code\": \"AuthorizationFailed\", \"message\": \"no\"}}");
    http_error_fields(j, &code, &msg);
    ck_assert_str_eq(code, "AuthorizationFailed");
    ck_assert_str_eq(msg, "no");
    cJSON_Delete(j);
    j = parse("{\"code\": \"ResourceNotFound\", \"message\": \"gone\"}");
    http_error_fields(j, &code, &msg);
    ck_assert_str_eq(code, "ResourceNotFound");
    ck_assert_str_eq(msg, "gone");
    cJSON_Delete(j);
    http_error_fields(NULL, &code, &msg);
    ck_assert_ptr_null(code);
    ck_assert_ptr_null(msg);
}
END_TEST

START_TEST(test_secret_keys)
{
    const char *secret[] = {"serviceKey", "authorizationKey", "sharedKey", "primaryKey", "adminPassword",
                            "radiusServerSecret", "primaryConnectionString", "accessToken", "storageAccountKeys"};
    const char *kept[] = {"cknSecretIdentifier", "cakSecretIdentifier", "keyVaultId", "sku", "peerASN",
                          "/subscriptions/1/providers/Microsoft.ManagedIdentity/userAssignedIdentities/my-key",
                          "routingRegistryName", "authorizationUseStatus"};
    for (size_t i = 0; i < sizeof secret / sizeof secret[0]; i++)
        ck_assert_msg(snapshot_is_secret_key(secret[i]), "%s should be removed", secret[i]);
    for (size_t i = 0; i < sizeof kept / sizeof kept[0]; i++)
        ck_assert_msg(!snapshot_is_secret_key(kept[i]), "%s should be kept", kept[i]);
    cJSON *j = parse("{\"properties\": {\"serviceKey\": \"x\", \"peerings\": [{\"properties\": {\"sharedKey\": \"y\","
                     " \"vlanId\": 100}}], \"authorizationUseStatus\": \"InUse\"}}");
    snapshot_strip_secrets(j);
    char *out = cJSON_PrintUnformatted(j);
    ck_assert_str_eq(out, "{\"properties\":{\"peerings\":[{\"properties\":{\"vlanId\":100}}],\"authorizationUseStatus\":\"InUse\"}}");
    cJSON_free(out);
    cJSON_Delete(j);
}
END_TEST

START_TEST(test_snapshot_order_and_dedup)
{
    struct snapshot s = {0};
    snapshot_add_resource(&s, parse("{\"id\": \"/B\", \"type\": \"t2\", \"v\": 1}"), 0);
    snapshot_add_resource(&s, parse("{\"id\": \"/a\", \"type\": \"T1\"}"), 0);
    snapshot_add_resource(&s, parse("{\"id\": \"/b\", \"type\": \"t2\", \"v\": 2}"), 1);
    snapshot_add_resource(&s, parse("{\"name\": \"no id\"}"), 0);
    snapshot_add_gap(&s, "/subscriptions/z", "resources", "POST /x", 403, "AuthorizationFailed", "m");
    snapshot_add_gap(&s, "/subscriptions/a", "resources", "POST /x", 0, "Timeout", "m");
    snapshot_add_gap(&s, "/subscriptions/z", "resources", "POST /x", 403, "AuthorizationFailed", "m");
    snapshot_add_collected(&s, "/b", "diagnosticSettings", 0);
    snapshot_add_collected(&s, "/A", "diagnosticSettings", 2);
    snapshot_add_subscription(&s, "2", "two", "Enabled", "t");
    snapshot_add_subscription(&s, "1", "one", NULL, NULL);
    s.started = 0;
    s.finished = 60;
    cJSON *doc = snapshot_to_json(&s);
    cJSON *res = cJSON_GetObjectItem(doc, "resources");
    ck_assert_int_eq(cJSON_GetArraySize(res), 2);
    ck_assert_str_eq(cJSON_GetStringValue(cJSON_GetObjectItem(cJSON_GetArrayItem(res, 0), "id")), "/a");
    /* The higher-priority copy (an ARM GET) wins over the Resource Graph row. */
    cJSON *v = cJSON_GetObjectItem(cJSON_GetArrayItem(res, 1), "v");
    ck_assert(cJSON_IsRaw(v)); /* numbers stay raw text until written */
    ck_assert_str_eq(v->valuestring, "2");
    cJSON *gaps = cJSON_GetObjectItem(doc, "gaps");
    ck_assert_int_eq(cJSON_GetArraySize(gaps), 2);
    ck_assert_str_eq(cJSON_GetStringValue(cJSON_GetObjectItem(cJSON_GetArrayItem(gaps, 0), "scope")), "/subscriptions/a");
    cJSON *col = cJSON_GetObjectItem(doc, "collected");
    ck_assert_str_eq(cJSON_GetStringValue(cJSON_GetObjectItem(cJSON_GetArrayItem(col, 0), "resourceId")), "/A");
    cJSON *subs = cJSON_GetObjectItem(doc, "subscriptions");
    ck_assert_str_eq(cJSON_GetStringValue(cJSON_GetObjectItem(cJSON_GetArrayItem(subs, 0), "subscriptionId")), "1");
    ck_assert(cJSON_IsNull(cJSON_GetObjectItem(cJSON_GetArrayItem(subs, 0), "state")));
    cJSON *c = cJSON_GetObjectItem(doc, "collection");
    ck_assert(cJSON_IsFalse(cJSON_GetObjectItem(c, "complete")));
    ck_assert_str_eq(cJSON_GetStringValue(cJSON_GetObjectItem(c, "finishedAt")), "1970-01-01T00:01:00Z");
    cJSON *counts = cJSON_GetObjectItem(c, "countsByType");
    ck_assert_str_eq(counts->child->string, "t1");
    ck_assert_int_eq((int)cJSON_GetNumberValue(cJSON_GetObjectItem(counts, "t2")), 1);
    cJSON_Delete(doc);
    snapshot_clear(&s);
}
END_TEST

START_TEST(test_resource_id_policy)
{
    const char *good[] = {"/subscriptions/1/resourceGroups/rg/providers/Microsoft.Network/expressRouteCircuits/c",
                          "/providers/Microsoft.Management/managementGroups/mg", "/SUBSCRIPTIONS/1",
                          "/subscriptions/1/resourceGroups/rg (1)/providers/x/y/na.me..", "/subscriptions/1/x/%41"};
    for (size_t i = 0; i < sizeof good / sizeof good[0]; i++)
        ck_assert_msg(http_resource_id_problem(good[i]) == NULL, "%s rejected: %s", good[i],
                      http_resource_id_problem(good[i]));
    const char *bad[] = {"", "@127.0.0.2:9/subscriptions/1", "/subscriptions/1@127.0.0.2", "//h/subscriptions/1",
                         "/subscriptions//1", "http://h/subscriptions/1", "/subscriptions/1/x://y",
                         "/subscriptions/1?x", "/subscriptions/1#x", "/subscriptions/1\\x", "/subscriptions/1/../2",
                         "/subscriptions/1/./2", "/subscriptions/1/..", "/subscriptions/1/x\ny",
                         "/subscriptions/1/\x1b[2J", "/subscriptions/1/\x7f", "subscriptions/1", "/resourceGroups/rg",
                         "https://management.azure.com/subscriptions/1"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        ck_assert_msg(http_resource_id_problem(bad[i]) != NULL, "accepted: %s", bad[i]);
}
END_TEST

START_TEST(test_url_build)
{
    struct sb_err e = {0};
    char *u = http_url_build("https://management.azure.com/", "/subscriptions/1/resourceGroups/rg 1/x",
                             "api-version=2024-05-01", &e);
    ck_assert_str_eq(u, "https://management.azure.com/subscriptions/1/resourceGroups/rg%201/x?api-version=2024-05-01");
    free(u);
    /* An endpoint with a path prefix keeps it. */
    u = http_url_build("http://127.0.0.1:8080/arm/", "/subscriptions", "api-version=1", &e);
    ck_assert_str_eq(u, "http://127.0.0.1:8080/arm/subscriptions?api-version=1");
    free(u);
    /* Whatever a path holds, it stays a path on the endpoint: the authority cannot change. */
    u = http_url_build("http://127.0.0.1:8080", "@127.0.0.2:9/subscriptions/1?x#y", NULL, &e);
    ck_assert_str_eq(u, "http://127.0.0.1:8080/@127.0.0.2:9/subscriptions/1%3fx%23y");
    free(u);
    u = http_url_build("http://127.0.0.1:8080/msi/token", NULL, "resource=x", &e);
    ck_assert_str_eq(u, "http://127.0.0.1:8080/msi/token?resource=x");
    free(u);
    ck_assert_ptr_null(http_url_build("not a url", "/x", NULL, &e));
    ck_assert_int_eq(e.code, SB_EXIT_INPUT);
    /* User info in an endpoint or a link: no origin, so never a token destination. */
    ck_assert_ptr_null(http_url_origin("http://u:p@127.0.0.1:8080/x"));
    ck_assert(!http_url_same_origin("http://u@127.0.0.1:8080/x", "http://127.0.0.1:8080"));
    sb_err_clear(&e);
    ck_assert_int_eq(http_url_check("https://u@management.azure.com", false, "x", &e), -1);
}
END_TEST

START_TEST(test_retry_after)
{
    time_t now = 1790726400; /* 2026-09-30T00:00:00Z */
    ck_assert_int_eq(http_retry_after_ms("5", now), 5000);
    ck_assert_int_eq(http_retry_after_ms("0", now), 0);
    ck_assert_int_eq(http_retry_after_ms("120", now), 120000);
    ck_assert_int_eq(http_retry_after_ms("121", now), HTTP_MAX_WAIT_MS);
    ck_assert_int_eq(http_retry_after_ms("1000000000", now), HTTP_MAX_WAIT_MS);
    ck_assert_int_eq(http_retry_after_ms("99999999999999999999999999", now), HTTP_MAX_WAIT_MS);
    ck_assert_int_eq(http_retry_after_ms("Fri, 31 Dec 9999 23:59:59 GMT", now), HTTP_MAX_WAIT_MS);
    ck_assert_int_eq(http_retry_after_ms("Wed, 30 Sep 2026 00:00:30 GMT", now), 30000);
    ck_assert_int_eq(http_retry_after_ms("Wed, 21 Oct 2015 07:28:00 GMT", now), 0);
    ck_assert_int_eq(http_retry_after_ms("soon", now), -1);
    ck_assert_int_eq(http_retry_after_ms("", now), -1);
    ck_assert_int_eq(http_retry_after_ms(NULL, now), -1);
}
END_TEST

START_TEST(test_durations)
{
    long long ms;
    ck_assert_int_eq(collect_parse_duration("90s", &ms), 0);
    ck_assert_int_eq(ms, 90000);
    ck_assert_int_eq(collect_parse_duration("30m", &ms), 0);
    ck_assert_int_eq(ms, 1800000);
    ck_assert_int_eq(collect_parse_duration("2h", &ms), 0);
    ck_assert_int_eq(ms, 7200000);
    ck_assert_int_eq(collect_parse_duration("1h30m", &ms), 0);
    ck_assert_int_eq(ms, 5400000);
    ck_assert_int_eq(collect_parse_duration("45", &ms), 0);
    ck_assert_int_eq(ms, 45000);
    ck_assert_int_eq(collect_parse_duration("7d", &ms), 0);
    const char *bad[] = {"", "0", "0s", "8d", "1h30", "-5s", "5x", "s", "1.5h", "99999999999999999999s", "5 s"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        ck_assert_msg(collect_parse_duration(bad[i], &ms) != 0, "accepted '%s'", bad[i]);
}
END_TEST

START_TEST(test_redaction)
{
    struct redact_set *r = redact_set_new();
    redact_add(r, "s3cr3t+/=value");
    redact_add(r, "tok-ABCDEFGH");
    redact_add(r, "tok-ABCDEFGH"); /* once */
    redact_add(r, "");
    char *t = redact_text(r, "secret s3cr3t+/=value, encoded s3cr3t%2B%2F%3Dvalue; token tok-ABCDEFGH!", 0);
    ck_assert_str_eq(t, "secret [REDACTED], encoded [REDACTED]; token [REDACTED]!");
    free(t);
    /* Tokens nobody told us about: JWT shapes and whatever follows "Bearer ". */
    t = redact_text(r, "jwt eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiIxIn0.sig-_x and Authorization: Bearer opaque-123456789, ok", 0);
    ck_assert_str_eq(t, "jwt [REDACTED] and Authorization: Bearer [REDACTED], ok");
    free(t);
    /* Control, C1 and bidi characters are escaped; ordinary UTF-8 is kept. */
    t = redact_text(NULL, "a\x1b[31m\r\n\tb\x7f \xc2\x9b \xe2\x80\xae caf\xc3\xa9 \xff", 0);
    ck_assert_str_eq(t, "a\\x1B[31m\\x0D\\x0A\\x09b\\x7F \\u{009B} \\u{202E} caf\xc3\xa9 \\xFF");
    free(t);
    /* A cut never leaves the start of a secret behind; the marker says text was cut. */
    char longtext[400];
    memset(longtext, 'x', sizeof longtext);
    memcpy(longtext + 60, "tok-ABCDEFGH", 12);
    longtext[sizeof longtext - 1] = '\0';
    t = redact_text(r, longtext, 64);
    ck_assert_int_le(strlen(t), 64);
    ck_assert_ptr_null(strstr(t, "tok-"));
    ck_assert_ptr_nonnull(strstr(t, "...[truncated]"));
    free(t);
    char cutme[] = "yyyyyyyyyytok-ABCDEFGH";
    t = redact_text(r, cutme, 14); /* input limit falls inside the secret */
    ck_assert_ptr_null(strstr(t, "tok-A"));
    free(t);
    t = redact_text(r, NULL, 10);
    ck_assert_str_eq(t, "");
    free(t);
    /* Known secrets only, nothing else touched (resource bodies are evidence). */
    t = redact_known(r, "a\x1b tok-ABCDEFGH eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiIxIn0.sig");
    ck_assert_str_eq(t, "a\x1b [REDACTED] eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiIxIn0.sig");
    free(t);
    ck_assert_ptr_null(redact_known(r, "nothing here"));
    ck_assert_ptr_null(redact_known(NULL, "tok-ABCDEFGH"));
    char buf[32] = "x tok-ABCDEFGH\n";
    redact_buf(r, buf, sizeof buf);
    ck_assert_str_eq(buf, "x [REDACTED]\\x0A");
    redact_set_free(r);
}
END_TEST

START_TEST(test_text_diff)
{
    ck_assert_ptr_null(tu_text_diff("same\ntext", "same\ntext"));
    char *d = tu_text_diff("line1\nline2 abc", "line1\nline2 abd");
    ck_assert_str_eq(d, "first difference at byte 14 (line 2, column 9; lengths 15 and 15): \"line1\\nline2 abc\" vs "
                        "\"line1\\nline2 abd\"");
    free(d);
    d = tu_text_diff("short", NULL);
    ck_assert_ptr_nonnull(strstr(d, "\"(null)\""));
    free(d);
}
END_TEST

static Suite *units_suite(void)
{
    Suite *s = suite_create("collect_units");
    TCase *tc = tcase_create("helpers");
    tcase_add_test(tc, test_loopback);
    tcase_add_test(tc, test_url_policy);
    tcase_add_test(tc, test_origin_and_label);
    tcase_add_test(tc, test_strict_body_raw_numbers);
    tcase_add_test(tc, test_error_fields);
    tcase_add_test(tc, test_secret_keys);
    tcase_add_test(tc, test_snapshot_order_and_dedup);
    tcase_add_test(tc, test_resource_id_policy);
    tcase_add_test(tc, test_url_build);
    tcase_add_test(tc, test_retry_after);
    tcase_add_test(tc, test_durations);
    tcase_add_test(tc, test_redaction);
    tcase_add_test(tc, test_text_diff);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(units_suite());
    srunner_run_all(sr, CK_ENV);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
