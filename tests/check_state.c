/* State loading: every input shape, merging, parenting by id, secrets, and bad input. */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "err.h"
#include "state.h"
#include "testutil.h"
#include "util.h"

#define RG "/subscriptions/s1/resourceGroups/rg/providers/Microsoft.Network"
#define VNET RG "/virtualNetworks/vnet1"
#define CKT RG "/expressRouteCircuits/c1"
#define PORT RG "/expressRoutePorts/p1"

static struct sb_state *load(const char *name, const char *json, struct sb_err *e)
{
    struct sb_state *st = state_new();
    sb_err_clear(e);
    if (state_load_buffer(st, name, json, strlen(json), e) != 0) {
        state_free(st);
        return NULL;
    }
    ck_assert_int_eq(state_finalize(st, e), 0);
    return st;
}

/* Load text that must be rejected; returns the message. */
static const char *reject(const char *name, const char *json, size_t len, struct sb_err *e)
{
    struct sb_state *st = state_new();
    sb_err_clear(e);
    ck_assert_int_eq(state_load_buffer(st, name, json, len, e), -1);
    ck_assert_int_eq(e->code, SB_EXIT_INPUT);
    state_free(st);
    return e->msg;
}

/* Literal inputs may hold NUL bytes, so their length comes from sizeof. */
#define REJECT(name, lit) reject((name), (lit), sizeof(lit) - 1, &e)

START_TEST(test_arm_list)
{
    struct sb_err e = {0};
    struct sb_state *st = load("list.json", "{\"value\":[{\"id\":\"" VNET "\",\"type\":\"Microsoft.Network/virtualNetworks\"}],"
                                            "\"nextLink\":\"https://example.invalid/next\"}", &e);
    ck_assert_ptr_nonnull(st);
    ck_assert_uint_eq(st->nresources, 1);
    ck_assert_str_eq(st->inputs[0].kind, "arm-list");
    ck_assert_str_eq(st->resources[0]->subscription_id, "s1");
    ck_assert_str_eq(st->resources[0]->resource_group, "rg");
    ck_assert_str_eq(st->resources[0]->name, "vnet1");
    ck_assert_uint_eq(st->nsubscriptions, 1);
    state_free(st);
}
END_TEST

START_TEST(test_bare_array_and_single)
{
    struct sb_err e = {0};
    struct sb_state *st = load("a.json", "[{\"id\":\"" CKT "\",\"type\":\"Microsoft.Network/expressRouteCircuits\"}]", &e);
    ck_assert_ptr_nonnull(st);
    ck_assert_str_eq(st->inputs[0].kind, "arm-array");
    state_free(st);
    st = load("r.json", "{\"id\":\"" CKT "\",\"name\":\"c1\"}", &e);
    ck_assert_ptr_nonnull(st);
    ck_assert_str_eq(st->inputs[0].kind, "arm-resource");
    /* the type is implied by the id when absent */
    ck_assert_str_eq(st->resources[0]->type_lc, "microsoft.network/expressroutecircuits");
    state_free(st);
}
END_TEST

START_TEST(test_resource_graph_rows_and_table)
{
    struct sb_err e = {0};
    struct sb_state *st = load("arg.json", "{\"totalRecords\":1,\"count\":1,\"resultTruncated\":\"false\",\"data\":[{\"id\":\""
                                           CKT "\",\"type\":\"microsoft.network/expressroutecircuits\",\"tenantId\":\"T1\"}]}", &e);
    ck_assert_ptr_nonnull(st);
    ck_assert_str_eq(st->inputs[0].kind, "resource-graph");
    ck_assert_uint_eq(st->ngaps, 0);
    ck_assert_uint_eq(st->ntenants, 1);
    ck_assert_str_eq(st->tenants[0], "t1");
    const struct sb_resource **rs;
    ck_assert_uint_eq(state_list_type(st, "Microsoft.Network/expressRouteCircuits", &rs), 1);
    free(rs);
    state_free(st);
    st = load("table.json", "{\"resultTruncated\":\"true\",\"data\":{\"columns\":[{\"name\":\"id\",\"type\":\"string\"},"
                            "{\"name\":\"type\",\"type\":\"string\"}],\"rows\":[[\"" CKT "\",\"microsoft.network/expressroutecircuits\"]]}}", &e);
    ck_assert_ptr_nonnull(st);
    ck_assert_uint_eq(st->nresources, 1);
    /* a truncated answer is a recorded gap, never silently complete */
    ck_assert_uint_eq(st->ngaps, 1);
    ck_assert_str_eq(st->gaps[0].collection, "resources");
    state_free(st);
}
END_TEST

START_TEST(test_snapshot)
{
    struct sb_err e = {0};
    const char *snap =
        "{\"format\":\"mcsb-audit-snapshot\",\"formatVersion\":1,\"futureKey\":{},"
        "\"collection\":{\"startedAt\":\"2026-01-01T00:00:00Z\",\"finishedAt\":\"2026-01-01T00:01:00Z\",\"cloud\":\"AzureCloud\",\"tenantId\":\"TT\"},"
        "\"subscriptions\":[{\"subscriptionId\":\"S9\",\"displayName\":\"Prod\"}],"
        "\"resources\":[{\"id\":\"" CKT "\",\"type\":\"Microsoft.Network/expressRouteCircuits\"}],"
        "\"collected\":[{\"resourceId\":\"" CKT "\",\"collection\":\"diagnosticSettings\",\"count\":0}],"
        "\"gaps\":[{\"scope\":\"/subscriptions/s2\",\"collection\":\"resources\",\"httpStatus\":403,"
        "\"errorCode\":\"AuthorizationFailed\",\"message\":\"no\"}]}";
    struct sb_state *st = load("snap.json", snap, &e);
    ck_assert_ptr_nonnull(st);
    ck_assert_str_eq(st->inputs[0].kind, "snapshot");
    /* "collected, none exist" is recorded on the resource */
    ck_assert_uint_eq(st->resources[0]->collected & SB_COLLECTED_DIAGNOSTIC_SETTINGS, SB_COLLECTED_DIAGNOSTIC_SETTINGS);
    ck_assert_uint_eq(st->resources[0]->ndiagnostic_settings, 0);
    ck_assert_str_eq(st->cloud, "AzureCloud");
    ck_assert_str_eq(st->collection_started, "2026-01-01T00:00:00Z");
    ck_assert_uint_eq(st->ngaps, 1);
    ck_assert_ptr_nonnull(state_subscription_gap(st, "S2"));
    ck_assert_ptr_null(state_subscription_gap(st, "s1"));
    /* subscriptions: the snapshot's (with its name) and the one seen in the id */
    ck_assert_uint_eq(st->nsubscriptions, 2);
    ck_assert_str_eq(st->subscriptions[0].id, "s1");
    ck_assert_str_eq(st->subscriptions[1].id, "s9");
    ck_assert_str_eq(st->subscriptions[1].name, "Prod");
    state_free(st);

    REJECT("v2.json", "{\"format\":\"mcsb-audit-snapshot\",\"formatVersion\":2,\"resources\":[]}");
    ck_assert_ptr_nonnull(strstr(e.msg, "formatVersion"));
}
END_TEST

START_TEST(test_merge_case_insensitive_and_children)
{
    struct sb_err e = {0};
    struct sb_state *st = state_new();
    /* ARG row (lower-case type, partial), then an ARM GET with a differently cased id */
    const char *a = "{\"data\":[{\"id\":\"" VNET "\",\"type\":\"microsoft.network/virtualnetworks\","
                    "\"properties\":{\"subnets\":[{\"name\":\"GatewaySubnet\",\"id\":\"" VNET "/subnets/GatewaySubnet\"}]}}]}";
    const char *b = "{\"id\":\"/SUBSCRIPTIONS/S1/resourcegroups/RG/providers/microsoft.network/VIRTUALNETWORKS/VNET1\","
                    "\"type\":\"Microsoft.Network/virtualNetworks\",\"properties\":{\"addressSpace\":{\"addressPrefixes\":[\"10.0.0.0/16\"]}}}";
    /* a subnet given separately refines the inline copy; a second one is appended */
    const char *c = "[{\"id\":\"" VNET "/subnets/gatewaysubnet\",\"name\":\"GatewaySubnet\",\"properties\":{\"networkSecurityGroup\":{\"id\":\"/nsg\"}}},"
                    "{\"id\":\"" VNET "/subnets/app\",\"name\":\"app\",\"properties\":{}},"
                    "{\"id\":\"" VNET "/providers/Microsoft.Insights/diagnosticSettings/d1\",\"type\":\"Microsoft.Insights/diagnosticSettings\",\"properties\":{}}]";
    ck_assert_int_eq(state_load_buffer(st, "a", a, strlen(a), &e), 0);
    ck_assert_int_eq(state_load_buffer(st, "b", b, strlen(b), &e), 0);
    ck_assert_int_eq(state_load_buffer(st, "c", c, strlen(c), &e), 0);
    ck_assert_int_eq(state_finalize(st, &e), 0);
    const struct sb_resource *v = state_get(st, VNET);
    ck_assert_ptr_nonnull(v);
    ck_assert_ptr_eq(v, state_get(st, "/subscriptions/S1/RESOURCEGROUPS/rg/providers/Microsoft.Network/virtualNetworks/vnet1/"));
    ck_assert_str_eq(sb_json_str(v->json, "properties.addressSpace.addressPrefixes[0]"), "10.0.0.0/16");
    ck_assert_int_eq(cJSON_GetArraySize(sb_json_at(v->json, "properties.subnets")), 2);
    ck_assert_str_eq(sb_json_str(v->json, "properties.subnets[0].properties.networkSecurityGroup.id"), "/nsg");
    ck_assert_str_eq(sb_json_str(v->json, "properties.subnets[1].name"), "app");
    ck_assert_uint_eq(v->ndiagnostic_settings, 1);
    ck_assert_uint_eq(v->collected & SB_COLLECTED_DIAGNOSTIC_SETTINGS, SB_COLLECTED_DIAGNOSTIC_SETTINGS);
    /* top-level resource count: the vnet, two subnets and the setting are all indexed */
    ck_assert_uint_eq(st->nresources, 4);
    state_free(st);
}
END_TEST

START_TEST(test_links_peerings_authorizations)
{
    struct sb_err e = {0};
    const char *j = "[{\"id\":\"" PORT "\",\"properties\":{\"links\":[{\"id\":\"" PORT "/links/link1\",\"name\":\"link1\",\"properties\":{}}]}},"
                    "{\"id\":\"" PORT "/links/link1\",\"properties\":{\"macSecConfig\":{\"cipher\":\"GcmAes256\"}}},"
                    "{\"id\":\"" CKT "\"},{\"id\":\"" CKT "/peerings/AzurePrivatePeering\",\"properties\":{\"peeringType\":\"AzurePrivatePeering\"}},"
                    "{\"id\":\"" CKT "/authorizations/a1\",\"properties\":{\"authorizationKey\":\"SECRET-AUTH\"}}]";
    struct sb_state *st = load("c.json", j, &e);
    ck_assert_ptr_nonnull(st);
    const struct sb_resource *p = state_get(st, PORT);
    ck_assert_str_eq(sb_json_str(p->json, "properties.links[0].properties.macSecConfig.cipher"), "GcmAes256");
    const struct sb_resource *c = state_get(st, CKT);
    ck_assert_str_eq(sb_json_str(c->json, "properties.peerings[0].properties.peeringType"), "AzurePrivatePeering");
    ck_assert_int_eq(cJSON_GetArraySize(sb_json_at(c->json, "properties.authorizations")), 1);
    char *all = cJSON_PrintUnformatted(c->json);
    ck_assert_ptr_null(strstr(all, "SECRET-AUTH"));
    cJSON_free(all);
    state_free(st);
}
END_TEST

START_TEST(test_secrets_removed_everywhere)
{
    struct sb_err e = {0};
    const char *j = "{\"id\":\"" CKT "\",\"properties\":{\"serviceKey\":\"SK-1\",\"ServiceKey\":\"SK-2\","
                    "\"peerings\":[{\"properties\":{\"sharedKey\":\"SH-1\",\"x\":[{\"authorizationKey\":\"AK-1\"}]}}]}}";
    struct sb_state *st = load("s.json", j, &e);
    ck_assert_ptr_nonnull(st);
    char *all = cJSON_PrintUnformatted(st->resources[0]->json);
    ck_assert_ptr_null(strstr(all, "SK-1"));
    ck_assert_ptr_null(strstr(all, "SK-2"));
    ck_assert_ptr_null(strstr(all, "SH-1"));
    ck_assert_ptr_null(strstr(all, "AK-1"));
    cJSON_free(all);
    state_free(st);
}
END_TEST

START_TEST(test_missing_null_empty_alike)
{
    struct sb_err e = {0};
    struct sb_state *st = load("n.json", "{\"id\":\"" CKT "\",\"properties\":{\"a\":null,\"b\":\"\",\"c\":\"x\",\"t\":\"TRUE\","
                                         "\"n\":3,\"expressRouteConnection\":\"\"}}", &e);
    const cJSON *j = st->resources[0]->json;
    ck_assert_ptr_null(sb_json_str(j, "properties.a"));
    ck_assert_ptr_null(sb_json_str(j, "properties.b"));
    ck_assert_ptr_null(sb_json_str(j, "properties.zz"));
    ck_assert_ptr_null(sb_json_str(j, "properties.expressRouteConnection.id"));
    ck_assert_str_eq(sb_json_str(j, "properties.c"), "x");
    ck_assert_int_eq(sb_json_bool(j, "properties.t"), 1);
    ck_assert_int_eq(sb_json_bool(j, "properties.a"), -1);
    char *t = sb_json_text(sb_json_at(j, "properties.n"));
    ck_assert_str_eq(t, "3");
    free(t);
    t = sb_json_text(sb_json_at(j, "properties.a"));
    ck_assert_str_eq(t, "(absent)");
    free(t);
    state_free(st);
}
END_TEST

START_TEST(test_id_helpers)
{
    char *p = sb_id_parent(VNET "/subnets/s");
    ck_assert_str_eq(p, VNET);
    free(p);
    p = sb_id_parent(CKT "/providers/microsoft.insights/diagnosticSettings/x");
    ck_assert_str_eq(p, CKT);
    free(p);
    ck_assert_ptr_null(sb_id_parent(VNET));
    ck_assert_ptr_null(sb_id_parent("/subscriptions/s1"));
}
END_TEST

START_TEST(test_bad_input)
{
    struct sb_err e = {0};
    const char *m = REJECT("bad.json", "{\n  \"value\": [\n    {\"id\": }\n]}");
    ck_assert_msg(strncmp(m, "bad.json:3:", 11) == 0, "%s", m);
    m = REJECT("empty.json", "  \n");
    ck_assert_str_eq(m, "empty.json: empty file (expected JSON)");
    m = reject("t.json", "{\"id\":\"" CKT "\"} trailing", strlen("{\"id\":\"" CKT "\"} trailing"), &e);
    ck_assert_ptr_nonnull(strstr(m, "unexpected data after the JSON value"));
    m = REJECT("u.json", "{\"id\":\"/a\xff\"}");
    ck_assert_str_eq(m, "u.json:1:10: invalid UTF-8");
    m = REJECT("nul.json", "{\"id\":\"/a\0\"}");
    ck_assert_ptr_nonnull(strstr(m, "NUL byte"));
    m = REJECT("noid.json", "{\"value\":[{\"name\":\"x\"}]}");
    ck_assert_str_eq(m, "noid.json: value[0]: resource has no \"id\" string");
    m = REJECT("type.json", "{\"value\":[{\"id\":\"/x\",\"properties\":[]}]}");
    ck_assert_str_eq(m, "type.json: value[0].properties: expected an object");
    m = REJECT("idnum.json", "[{\"id\":5}]");
    ck_assert_ptr_nonnull(strstr(m, "has no \"id\" string"));
    m = REJECT("num.json", "42");
    ck_assert_ptr_nonnull(strstr(m, "expected a JSON object or array"));
    m = REJECT("other.json", "{\"foo\":1}");
    ck_assert_ptr_nonnull(strstr(m, "not a recognised input"));
    m = REJECT("err.json", "{\"error\":{\"code\":\"AuthorizationFailed\",\"message\":\"x\"}}");
    ck_assert_ptr_nonnull(strstr(m, "AuthorizationFailed"));

    /* hostile nesting: refused with our message, never a crash */
    size_t depth = 1000;
    char *deep = sb_xmalloc(2 * depth + 1);
    memset(deep, '[', depth);
    memset(deep + depth, ']', depth);
    deep[2 * depth] = '\0';
    m = reject("deep.json", deep, 2 * depth, &e);
    ck_assert_ptr_nonnull(strstr(m, "nested deeper than"));
    free(deep);
}
END_TEST

START_TEST(test_missing_file)
{
    struct sb_err e = {0};
    struct sb_state *st = state_new();
    ck_assert_int_eq(state_load_file(st, "/nonexistent/x.json", &e), -1);
    ck_assert_int_eq(e.code, SB_EXIT_INPUT);
    ck_assert_str_eq(e.msg, "/nonexistent/x.json: No such file or directory");
    state_free(st);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("state");
    TCase *tc = tcase_create("core");
    tcase_add_test(tc, test_arm_list);
    tcase_add_test(tc, test_bare_array_and_single);
    tcase_add_test(tc, test_resource_graph_rows_and_table);
    tcase_add_test(tc, test_snapshot);
    tcase_add_test(tc, test_merge_case_insensitive_and_children);
    tcase_add_test(tc, test_links_peerings_authorizations);
    tcase_add_test(tc, test_secrets_removed_everywhere);
    tcase_add_test(tc, test_missing_null_empty_alike);
    tcase_add_test(tc, test_id_helpers);
    tcase_add_test(tc, test_bad_input);
    tcase_add_test(tc, test_missing_file);
    suite_add_tcase(s, tc);
    return tu_run(s);
}
