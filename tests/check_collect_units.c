/* Pure helpers of the collector: URL policy, strict bodies with raw numbers, secret stripping, snapshot order. */
#include "err.h"
#include "http_multi.h"
#include "http_url.h"
#include "snapshot_write.h"
#include "util.h"

#include <check.h>
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
