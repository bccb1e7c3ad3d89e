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


START_TEST(test_az_cli_shapes_normalised)
{
    struct sb_err e = {0};
    /* az network vnet subnet list / vnet-gateway list / express-route list / monitor diagnostic-settings list */
    const char *j =
        "[{\"id\":\"" VNET "/subnets/GatewaySubnet\",\"name\":\"GatewaySubnet\",\"addressPrefix\":\"10.0.0.0/27\","
        "\"networkSecurityGroup\":{\"id\":\"/nsg\",\"resourceGroup\":\"rg\"},\"resourceGroup\":\"rg\","
        "\"type\":\"Microsoft.Network/virtualNetworks/subnets\"},"
        "{\"id\":\"" RG "/virtualNetworkGateways/gw\",\"name\":\"gw\",\"gatewayType\":\"ExpressRoute\",\"sku\":{\"name\":\"ErGw1AZ\"},"
        "\"location\":\"westeurope\",\"tags\":{},\"ipConfigurations\":[{\"id\":\"" RG "/virtualNetworkGateways/gw/ipConfigurations/default\","
        "\"name\":\"default\",\"subnet\":{\"id\":\"" VNET "/subnets/GatewaySubnet\"}}],\"type\":\"Microsoft.Network/virtualNetworkGateways\"},"
        "{\"id\":\"" CKT "\",\"name\":\"c1\",\"sku\":{\"name\":\"Standard_MeteredData\"},\"serviceProviderProvisioningState\":\"Provisioned\","
        "\"type\":\"Microsoft.Network/expressRouteCircuits\"},"
        "{\"id\":\"" CKT "/providers/microsoft.insights/diagnosticSettings/d1\",\"name\":\"d1\",\"workspaceId\":\"/law\","
        "\"logs\":[{\"categoryGroup\":\"allLogs\",\"enabled\":true}],\"type\":\"Microsoft.Insights/diagnosticSettings\"},"
        "{\"id\":\"" RG "/virtualNetworkGateways/odd\",\"type\":\"Microsoft.Network/virtualNetworkGateways\",\"somethingElse\":1}]";
    struct sb_state *st = load("az.json", j, &e);
    ck_assert_ptr_nonnull(st);
    ck_assert_str_eq(st->inputs[0].kind, "az-cli");
    const struct sb_resource *sn = state_get(st, VNET "/subnets/GatewaySubnet");
    ck_assert_str_eq(sb_json_str(sn->json, "properties.networkSecurityGroup.id"), "/nsg");
    ck_assert_str_eq(sb_json_str(sn->json, "properties.addressPrefix"), "10.0.0.0/27");
    ck_assert_str_eq(sb_json_str(sn->json, "name"), "GatewaySubnet");
    ck_assert_ptr_null(cJSON_GetObjectItemCaseSensitive(sn->json, "networkSecurityGroup"));
    ck_assert(sn->origins & SB_ORIGIN_AZ_CLI);
    /* a gateway's sku is a property in ARM; children are normalised too; the envelope stays */
    const struct sb_resource *gw = state_get(st, RG "/virtualNetworkGateways/gw");
    ck_assert_str_eq(sb_json_str(gw->json, "properties.sku.name"), "ErGw1AZ");
    ck_assert_str_eq(sb_json_str(gw->json, "properties.ipConfigurations[0].properties.subnet.id"), VNET "/subnets/GatewaySubnet");
    ck_assert_str_eq(sb_json_str(gw->json, "location"), "westeurope");
    /* a circuit's sku stays at the top, as in ARM */
    const struct sb_resource *c = state_get(st, CKT);
    ck_assert_str_eq(sb_json_str(c->json, "sku.name"), "Standard_MeteredData");
    ck_assert_str_eq(sb_json_str(c->json, "properties.serviceProviderProvisioningState"), "Provisioned");
    ck_assert_uint_eq(c->ndiagnostic_settings, 1);
    ck_assert_str_eq(sb_json_str(c->diagnostic_settings[0]->json, "properties.workspaceId"), "/law");
    ck_assert(state_readable(c->diagnostic_settings[0]));
    /* a Resource Graph projection of properties as columns reads the same way, and stays a resource-graph input */
    struct sb_state *rg = load("arg.json", "{\"data\":[{\"id\":\"" RG "/virtualNetworkGateways/g2\",\"type\":"
                                           "\"microsoft.network/virtualnetworkgateways\",\"gatewayType\":\"Vpn\"}]}", &e);
    ck_assert_str_eq(rg->inputs[0].kind, "resource-graph");
    ck_assert_str_eq(sb_json_str(rg->resources[0]->json, "properties.gatewayType"), "Vpn");
    state_free(rg);
    /* no properties and nothing known: left alone, and unreadable */
    const struct sb_resource *odd = state_get(st, RG "/virtualNetworkGateways/odd");
    ck_assert(!state_readable(odd));
    ck_assert_ptr_nonnull(cJSON_GetObjectItemCaseSensitive(odd->json, "somethingElse"));
    state_free(st);
}
END_TEST

/* Load texts in order into a fresh state; returns the merged JSON of `id` printed, plus the inputs' names in order. */
static char *merged_after(const char *const *names, const char *const *texts, size_t n, const char *id)
{
    struct sb_err e = {0};
    struct sb_state *st = state_new();
    for (size_t i = 0; i < n; i++)
        ck_assert_msg(state_load_buffer(st, names[i], texts[i], strlen(texts[i]), &e) == 0, "%s", e.msg);
    ck_assert_int_eq(state_finalize(st, &e), 0);
    const struct sb_resource *r = state_get(st, id);
    ck_assert_ptr_nonnull(r);
    char *j = cJSON_PrintUnformatted(r->json);
    struct sb_buf b = {0};
    sb_buf_printf(&b, "%s|%s|%s|%s", r->id, r->type, r->name, j);
    for (size_t i = 0; i < st->ninputs; i++)
        sb_buf_printf(&b, "|%s:%s", st->inputs[i].name, st->inputs[i].kind);
    cJSON_free(j);
    state_free(st);
    return sb_buf_take(&b);
}

START_TEST(test_merge_property_by_property_any_order)
{
    /* an ARM body with the links' macSecConfig and identity, a partial Resource Graph row without them */
    const char *arm = "{\"id\":\"" PORT "\",\"type\":\"Microsoft.Network/expressRoutePorts\",\"identity\":{\"type\":\"SystemAssigned\"},"
                      "\"properties\":{\"links\":[{\"id\":\"" PORT "/links/link1\",\"name\":\"link1\",\"properties\":{\"adminState\":\"Enabled\","
                      "\"macSecConfig\":{\"cipher\":\"GcmAes256\"}}},{\"id\":\"" PORT "/links/link2\",\"name\":\"link2\",\"properties\":{}}]}}";
    const char *row = "{\"data\":[{\"id\":\"/SUBSCRIPTIONS/S1/resourceGroups/rg/providers/microsoft.network/expressrouteports/p1\","
                      "\"type\":\"microsoft.network/expressrouteports\",\"properties\":{\"mtu\":\"1500\",\"links\":["
                      "{\"id\":\"" PORT "/links/link2\",\"name\":\"link2\",\"properties\":{\"adminState\":\"Disabled\"}},"
                      "{\"id\":\"" PORT "/links/link1\",\"name\":\"link1\",\"properties\":{\"adminState\":\"Disabled\"}}]}}]}";
    const char *const n1[] = {"arm.json", "row.json"}, *const t1[] = {arm, row};
    const char *const n2[] = {"row.json", "arm.json"}, *const t2[] = {row, arm};
    char *a = merged_after(n1, t1, 2, PORT);
    char *b = merged_after(n2, t2, 2, PORT);
    ck_assert_str_eq(a, b);
    /* the row neither erased macSecConfig nor overwrote the ARM body's adminState; it added what it alone had */
    ck_assert_ptr_nonnull(strstr(a, "\"macSecConfig\":{\"cipher\":\"GcmAes256\"}"));
    ck_assert_ptr_nonnull(strstr(a, "\"mtu\":\"1500\""));
    ck_assert_ptr_nonnull(strstr(a, "\"name\":\"link1\",\"properties\":{\"adminState\":\"Enabled\""));
    ck_assert_ptr_nonnull(strstr(a, "\"name\":\"link2\",\"properties\":{\"adminState\":\"Disabled\"}"));
    /* one deterministic spelling of id and type; inputs listed by name */
    ck_assert_int_eq(strncmp(a, "/SUBSCRIPTIONS/S1/", 18), 0);
    ck_assert_ptr_nonnull(strstr(a, "|Microsoft.Network/expressRoutePorts|"));
    ck_assert_ptr_nonnull(strstr(a, "|arm.json:arm-resource|row.json:resource-graph"));
    free(a);
    free(b);
}
END_TEST

START_TEST(test_value_sources)
{
    struct sb_err e = {0};
    struct sb_state *st = state_new();
    const char *vnet = "[{\"id\":\"" VNET "\",\"properties\":{\"subnets\":[{\"id\":\"" VNET "/subnets/a\",\"name\":\"a\","
                       "\"properties\":{\"networkSecurityGroup\":{\"id\":\"/nsg1\"}}}]}}]";
    const char *sub = "[{\"id\":\"" VNET "/subnets/a\",\"name\":\"a\",\"addressPrefix\":\"10.0.0.0/24\",\"networkSecurityGroup\":{\"id\":\"/nsg2\"}}]";
    const char *row = "{\"data\":[{\"id\":\"" VNET "\",\"properties\":{}}]}";
    ck_assert_int_eq(state_load_buffer(st, "vnet.json", vnet, strlen(vnet), &e), 0);
    ck_assert_int_eq(state_load_buffer(st, "sub.json", sub, strlen(sub), &e), 0);
    ck_assert_int_eq(state_load_buffer(st, "row.json", row, strlen(row), &e), 0);
    ck_assert_int_eq(state_finalize(st, &e), 0);
    bool conflict;
    char *s = state_value_source(st, VNET "/subnets/a", "name", &conflict);
    ck_assert_str_eq(s, "from sub.json (az-cli), vnet.json (arm-array)");
    ck_assert(!conflict);
    free(s);
    /* a complete source without the key says it is absent: that disagrees too */
    s = state_value_source(st, VNET "/subnets/a", "properties.addressPrefix", &conflict);
    ck_assert(conflict);
    ck_assert_str_eq(s, "CONFLICT between complete sources: sub.json (az-cli) has 10.0.0.0/24, vnet.json (arm-array) has (absent)");
    free(s);
    s = state_value_source(st, VNET "/subnets/a", "properties.networkSecurityGroup.id", &conflict);
    ck_assert(conflict);
    ck_assert_str_eq(s, "CONFLICT between complete sources: sub.json (az-cli) has /nsg2, vnet.json (arm-array) has /nsg1");
    free(s);
    s = state_value_source(st, VNET, "identity.type", &conflict);
    ck_assert_str_eq(s, "absent in vnet.json (arm-array); not projected (unknown) in row.json (resource-graph)");
    free(s);
    ck_assert_ptr_null(state_value_source(st, VNET, "in scope because", &conflict));
    ck_assert_ptr_null(state_value_source(st, "/subscriptions/s9/x", "properties.a", &conflict));
    ck_assert(state_key_known(state_get(st, VNET), "identity"));
    state_free(st);
    st = load("row.json", row, &e);
    ck_assert(!state_key_known(state_get(st, VNET), "identity"));
    ck_assert(state_key_known(state_get(st, VNET), "properties"));
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
    tcase_add_test(tc, test_az_cli_shapes_normalised);
    tcase_add_test(tc, test_merge_property_by_property_any_order);
    tcase_add_test(tc, test_value_sources);
    tcase_add_test(tc, test_links_peerings_authorizations);
    tcase_add_test(tc, test_secrets_removed_everywhere);
    tcase_add_test(tc, test_missing_null_empty_alike);
    tcase_add_test(tc, test_id_helpers);
    tcase_add_test(tc, test_bad_input);
    tcase_add_test(tc, test_missing_file);
    suite_add_tcase(s, tc);
    return tu_run(s);
}
