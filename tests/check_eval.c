/* The evaluator: every rule's pass / fail / manual / not_applicable / not_assessed paths, ids, coverage. */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "baseline.h"
#include "err.h"
#include "eval.h"
#include "eval_ctx.h"
#include "state.h"
#include "testutil.h"
#include "util.h"

#define S "/subscriptions/s1/resourceGroups/rg/providers/Microsoft.Network"
#define VNET S "/virtualNetworks/hub"
#define SPOKE S "/virtualNetworks/spoke"
#define ERGW S "/virtualNetworkGateways/ergw"
#define VPNGW S "/virtualNetworkGateways/vpngw"
#define CKT S "/expressRouteCircuits/c1"
#define PORT S "/expressRoutePorts/p1"
#define NSG S "/networkSecurityGroups/nsg1"
#define RT S "/routeTables/rt1"

#define GW(id, type, vnet, extra) \
    "{\"id\":\"" id "\",\"type\":\"Microsoft.Network/virtualNetworkGateways\",\"properties\":{\"gatewayType\":\"" type "\"," \
    "\"ipConfigurations\":[{\"properties\":{\"subnet\":{\"id\":\"" vnet "/subnets/GatewaySubnet\"}}}]" extra "}}"

static struct sb_baseline *bl;
static struct sb_results res;

static void setup(void)
{
    struct sb_err e = {0};
    char *p = sb_path_join(tu_src_dir(), "templates/baselines/expressroute.json");
    ck_assert_msg(baseline_load(&bl, p, &e) == 0, "%s", e.msg);
    free(p);
    memset(&res, 0, sizeof res);
}

static void teardown(void)
{
    eval_results_free(&res);
    baseline_free(bl);
}

/* Evaluate a JSON array of resources (any input shape). */
static void run(const char *json)
{
    struct sb_err e = {0};
    struct sb_state *st = state_new();
    ck_assert_msg(state_load_buffer(st, "t.json", json, strlen(json), &e) == 0, "%s", e.msg);
    ck_assert_int_eq(state_finalize(st, &e), 0);
    ck_assert_msg(eval_baseline(&res, bl, st, &e) == 0, "%s", e.msg);
    state_free(st);
}

/* The result of a feature for a resource (NULL resource: the feature's resource-less result). */
static const struct sb_result *find(const char *control, const char *feature_prefix, const char *resource_id)
{
    for (size_t i = 0; i < res.n; i++) {
        const struct sb_result *r = &res.items[i];
        if (strcmp(r->control->id, control) || strncmp(r->feature->name, feature_prefix, strlen(feature_prefix)))
            continue;
        if (resource_id ? (r->resource_id && sb_ieq(r->resource_id, resource_id)) : !r->resource_id)
            return r;
    }
    ck_abort_msg("no result %s %s %s", control, feature_prefix, resource_id ? resource_id : "(none)");
    return NULL;
}

static bool has_evidence(const struct sb_result *r, const char *path_part, const char *value_part)
{
    for (size_t i = 0; i < r->nevidence; i++)
        if (strstr(r->evidence[i].path, path_part) && (!value_part || strstr(r->evidence[i].value, value_part)))
            return true;
    return false;
}


/* Evaluate files of tests/data/verdicts in the given order. */
static void run_files(const char *const *names, size_t n)
{
    struct sb_err e = {0};
    struct sb_state *st = state_new();
    for (size_t i = 0; i < n; i++) {
        char *rel = sb_xasprintf("verdicts/%s", names[i]);
        char *p = tu_data(rel);
        ck_assert_msg(state_load_file(st, p, &e) == 0, "%s", e.msg);
        free(p);
        free(rel);
    }
    ck_assert_int_eq(state_finalize(st, &e), 0);
    ck_assert_msg(eval_baseline(&res, bl, st, &e) == 0, "%s", e.msg);
    state_free(st);
}

static bool has_source(const struct sb_result *r, const char *path_part, const char *source_part)
{
    for (size_t i = 0; i < r->nevidence; i++)
        if (strstr(r->evidence[i].path, path_part) && r->evidence[i].source && strstr(r->evidence[i].source, source_part))
            return true;
    return false;
}

/* Every result as one line (id, status, summary, evidence with sources): equal lines mean equal reports. */
static char *results_text(void)
{
    struct sb_buf b = {0};
    for (size_t i = 0; i < res.n; i++) {
        const struct sb_result *r = &res.items[i];
        sb_buf_printf(&b, "%s %d %s\n", r->id, (int)r->status, r->summary ? r->summary : "");
        for (size_t k = 0; k < r->nevidence; k++) {
            char *line = sb_evidence_line(&r->evidence[k]);
            sb_buf_printf(&b, "  %s\n", line);
            free(line);
        }
    }
    return sb_buf_take(&b);
}

static void reset(void)
{
    teardown();
    setup();
}

START_TEST(test_every_feature_listed_on_empty_input)
{
    run("[]");
    size_t features = baseline_feature_count(bl);
    ck_assert_uint_eq(res.n, features);
    for (size_t i = 0; i < res.n; i++) {
        const struct sb_result *r = &res.items[i];
        if (r->feature->supported == SB_TRI_FALSE) {
            ck_assert_int_eq(r->status, SB_STATUS_NOT_APPLICABLE);
            ck_assert_ptr_nonnull(strstr(r->summary, "not supported by the service"));
        }
        ck_assert_ptr_null(r->resource_id);
    }
    /* no resources at all is not a clean bill: every resource-bound feature is not assessed */
    const char *const bound[][2] = {{"NS-1", "Virtual Network Integration"}, {"NS-1", "Network Security Group"},
                                    {"IM-8", "Service Credential"}, {"LT-4", "Azure Resource Logs"},
                                    {"BR-1", "Service Native Backup"}};
    for (size_t i = 0; i < 5; i++) {
        const struct sb_result *r = find(bound[i][0], bound[i][1], NULL);
        ck_assert_int_eq(r->status, SB_STATUS_NOT_ASSESSED);
        ck_assert_str_eq(r->summary, "the inputs hold no resources");
    }
    /* DP-3 reports its compensating-control evidence even when there is none */
    const struct sb_result *dp3 = find("DP-3", "Data in Transit", NULL);
    ck_assert_int_eq(dp3->status, SB_STATUS_NOT_APPLICABLE);
    ck_assert_uint_ge(dp3->nevidence, 1);
    ck_assert_ptr_nonnull(strstr(dp3->summary, "IPsec"));
}
END_TEST

START_TEST(test_nothing_in_scope_names_types)
{
    /* resources, but none in a feature's scope: not applicable, naming what was read */
    run("[{\"id\":\"" S "/routeTables/rt9\",\"properties\":{}},{\"id\":\"" S "/routeTables/rt8\",\"properties\":{}},"
        "{\"id\":\"" NSG "\",\"properties\":{}}]");
    const char *const bound[][2] = {{"NS-1", "Virtual Network Integration"}, {"NS-1", "Network Security Group"},
                                    {"IM-8", "Service Credential"}, {"LT-4", "Azure Resource Logs"},
                                    {"BR-1", "Service Native Backup"}};
    for (size_t i = 0; i < 5; i++) {
        const struct sb_result *r = find(bound[i][0], bound[i][1], NULL);
        ck_assert_int_eq(r->status, SB_STATUS_NOT_APPLICABLE);
        ck_assert_msg(strstr(r->summary, "microsoft.network/networksecuritygroups (1), microsoft.network/routetables (2)"),
                      "%s", r->summary);
        ck_assert(has_evidence(r, "resource types read", "microsoft.network/routetables (2)"));
    }
}
END_TEST

START_TEST(test_ns1_vnet_integration)
{
    run("[" GW(ERGW, "ExpressRoute", VNET, "") ","
        "{\"id\":\"" S "/virtualNetworkGateways/bad\",\"type\":\"Microsoft.Network/virtualNetworkGateways\",\"properties\":{"
        "\"gatewayType\":\"ExpressRoute\",\"ipConfigurations\":[{\"properties\":{\"subnet\":{\"id\":\"" VNET "/subnets/app\"}}}]}},"
        "{\"id\":\"" S "/virtualNetworkGateways/unknown\",\"type\":\"Microsoft.Network/virtualNetworkGateways\"},"
        "{\"id\":\"" S "/expressRouteGateways/vwan\",\"properties\":{\"virtualHub\":{\"id\":\"/hub\"}}},"
        GW(VPNGW, "Vpn", VNET, "") "]");
    const struct sb_result *r = find("NS-1", "Virtual Network Integration", ERGW);
    ck_assert_int_eq(r->status, SB_STATUS_PASS);
    ck_assert(has_evidence(r, "properties.ipConfigurations[0].properties.subnet.id", "/subnets/GatewaySubnet"));
    ck_assert(has_evidence(r, "virtual network", VNET));
    ck_assert_int_eq(find("NS-1", "Virtual Network Integration", S "/virtualNetworkGateways/bad")->status, SB_STATUS_FAIL);
    ck_assert_int_eq(find("NS-1", "Virtual Network Integration", S "/virtualNetworkGateways/unknown")->status,
                     SB_STATUS_NOT_ASSESSED);
    ck_assert_int_eq(find("NS-1", "Virtual Network Integration", S "/expressRouteGateways/vwan")->status, SB_STATUS_PASS);
    /* VPN gateways are not ExpressRoute gateways: no NS-1 result */
    for (size_t i = 0; i < res.n; i++)
        ck_assert(!res.items[i].resource_id || !sb_ieq(res.items[i].resource_id, VPNGW) ||
                  strcmp(res.items[i].control->id, "BR-1") == 0 || strcmp(res.items[i].control->id, "NS-1") != 0);
}
END_TEST

START_TEST(test_ns1_nsg_support)
{
    run("[" GW(ERGW, "ExpressRoute", VNET, "") ","
        "{\"id\":\"" VNET "\",\"properties\":{\"subnets\":["
        "{\"name\":\"GatewaySubnet\",\"id\":\"" VNET "/subnets/GatewaySubnet\",\"properties\":{\"routeTable\":{\"id\":\"" RT "\"}}},"
        "{\"name\":\"app\",\"id\":\"" VNET "/subnets/app\",\"properties\":{\"networkSecurityGroup\":{\"id\":\"" NSG "\"}}},"
        "{\"name\":\"db\",\"id\":\"" VNET "/subnets/db\",\"properties\":{\"networkSecurityGroup\":null}},"
        "{\"name\":\"AzureFirewallSubnet\",\"id\":\"" VNET "/subnets/AzureFirewallSubnet\",\"properties\":{}}]}},"
        "{\"id\":\"" RT "\",\"properties\":{\"routes\":[{\"properties\":{\"addressPrefix\":\"10.0.0.0/8\",\"nextHopType\":\"VirtualAppliance\"}}]}},"
        "{\"id\":\"" SPOKE "\",\"properties\":{\"virtualNetworkPeerings\":[{\"properties\":{\"useRemoteGateways\":true,"
        "\"remoteVirtualNetwork\":{\"id\":\"" VNET "\"}}}],\"subnets\":[{\"name\":\"web\",\"id\":\"" SPOKE "/subnets/web\",\"properties\":{}}]}},"
        "{\"id\":\"" S "/virtualNetworks/island\",\"properties\":{\"subnets\":[{\"name\":\"x\",\"id\":\"" S "/virtualNetworks/island/subnets/x\",\"properties\":{}}]}}"
        "]");
    const struct sb_result *gs = find("NS-1", "Network Security Group", VNET "/subnets/GatewaySubnet");
    ck_assert_int_eq(gs->status, SB_STATUS_PASS);
    ck_assert(has_evidence(gs, "properties.networkSecurityGroup.id", "(absent)"));
    ck_assert_int_eq(find("NS-1", "Network Security Group", VNET "/subnets/app")->status, SB_STATUS_PASS);
    const struct sb_result *db = find("NS-1", "Network Security Group", VNET "/subnets/db");
    ck_assert_int_eq(db->status, SB_STATUS_FAIL);
    ck_assert_ptr_nonnull(db->remediation);
    ck_assert_int_eq(find("NS-1", "Network Security Group", VNET "/subnets/AzureFirewallSubnet")->status,
                     SB_STATUS_NOT_APPLICABLE);
    /* a spoke using the hub's gateway is in scope */
    ck_assert_int_eq(find("NS-1", "Network Security Group", SPOKE "/subnets/web")->status, SB_STATUS_FAIL);
    /* a VNet with no path to an ExpressRoute gateway is not judged */
    for (size_t i = 0; i < res.n; i++)
        ck_assert(!res.items[i].resource_id || !strstr(res.items[i].resource_id, "island"));
}
END_TEST

START_TEST(test_ns1_gateway_subnet_faults)
{
    run("[" GW(ERGW, "ExpressRoute", VNET, "") ","
        "{\"id\":\"" VNET "\",\"properties\":{\"subnets\":[{\"name\":\"GatewaySubnet\",\"id\":\"" VNET "/subnets/GatewaySubnet\","
        "\"properties\":{\"networkSecurityGroup\":{\"id\":\"" NSG "\"}}}]}}]");
    const struct sb_result *gs = find("NS-1", "Network Security Group", VNET "/subnets/GatewaySubnet");
    ck_assert_int_eq(gs->status, SB_STATUS_FAIL);
    ck_assert_int_eq(gs->severity, SB_SEV_HIGH);
    ck_assert(has_evidence(gs, "networkSecurityGroup.id", NSG));
    teardown();
    setup();
    /* default route: fail; route table missing from the input: not assessed */
    run("[" GW(ERGW, "ExpressRoute", VNET, "") ","
        "{\"id\":\"" VNET "\",\"properties\":{\"subnets\":[{\"name\":\"GatewaySubnet\",\"id\":\"" VNET "/subnets/GatewaySubnet\","
        "\"properties\":{\"routeTable\":{\"id\":\"" RT "\"}}}]}},"
        "{\"id\":\"" RT "\",\"properties\":{\"routes\":[{\"properties\":{\"addressPrefix\":\"0.0.0.0/0\",\"nextHopType\":\"Internet\"}}]}}]");
    ck_assert_int_eq(find("NS-1", "Network Security Group", VNET "/subnets/GatewaySubnet")->status, SB_STATUS_FAIL);
    teardown();
    setup();
    run("[" GW(ERGW, "ExpressRoute", VNET, "") ","
        "{\"id\":\"" VNET "\",\"properties\":{\"subnets\":[{\"name\":\"GatewaySubnet\",\"id\":\"" VNET "/subnets/GatewaySubnet\","
        "\"properties\":{\"routeTable\":{\"id\":\"" RT "\"}}}]}}]");
    ck_assert_int_eq(find("NS-1", "Network Security Group", VNET "/subnets/GatewaySubnet")->status, SB_STATUS_NOT_ASSESSED);
    teardown();
    setup();
    /* the hosting VNet itself is missing: not assessed, never silently skipped */
    run("[" GW(ERGW, "ExpressRoute", VNET, "") "]");
    ck_assert_int_eq(find("NS-1", "Network Security Group", VNET)->status, SB_STATUS_NOT_ASSESSED);
}
END_TEST

START_TEST(test_ns1_orphan_subnets_and_unknown_spokes)
{
    /* subnets exported on their own (no VNet object) are still judged; a hub offering gateway transit
     * to a VNet missing from the input lists that VNet as not assessed */
    run("[" GW(ERGW, "ExpressRoute", VNET, "") ","
        "{\"id\":\"" VNET "/subnets/GatewaySubnet\",\"name\":\"GatewaySubnet\",\"properties\":{}},"
        "{\"id\":\"" VNET "/subnets/app\",\"name\":\"app\",\"properties\":{}}]");
    ck_assert_int_eq(find("NS-1", "Network Security Group", VNET "/subnets/GatewaySubnet")->status, SB_STATUS_PASS);
    ck_assert_int_eq(find("NS-1", "Network Security Group", VNET "/subnets/app")->status, SB_STATUS_FAIL);
    teardown();
    setup();
    run("[" GW(ERGW, "ExpressRoute", VNET, "") ",{\"id\":\"" VNET "\",\"properties\":{\"subnets\":[],"
        "\"virtualNetworkPeerings\":[{\"properties\":{\"allowGatewayTransit\":true,\"remoteVirtualNetwork\":{\"id\":\"" SPOKE "\"}}}]}}]");
    const struct sb_result *r = find("NS-1", "Network Security Group", SPOKE);
    ck_assert_int_eq(r->status, SB_STATUS_NOT_ASSESSED);
    ck_assert_ptr_nonnull(strstr(r->summary, "gateway transit"));
}
END_TEST

#define LINK(n, ckn, cak) \
    "{\"id\":\"" PORT "/links/link" #n "\",\"name\":\"link" #n "\",\"properties\":{\"macSecConfig\":{\"cipher\":\"GcmAes256\",\"sciState\":\"Enabled\"" ckn cak "}}}"
#define KV(field, uri) ",\"" field "\":\"" uri "\""

START_TEST(test_im8_key_vault)
{
    run("[{\"id\":\"" PORT "\",\"identity\":{\"type\":\"UserAssigned\",\"userAssignedIdentities\":{\"/subscriptions/s1/x/uami1\":{}}},"
        "\"properties\":{\"links\":[" LINK(1, KV("cknSecretIdentifier", "https://kv-one.vault.azure.net/secrets/ckn"),
                                          KV("cakSecretIdentifier", "https://kv-one.vault.azure.net/secrets/cak/0123abcd")) ","
        LINK(2, KV("cknSecretIdentifier", "https://kv-two.vault.usgovcloudapi.net/secrets/ckn"),
             KV("cakSecretIdentifier", "https://kv-two.vault.usgovcloudapi.net/secrets/cak")) "]}}]");
    const struct sb_result *r = find("IM-8", "Service Credential", PORT);
    ck_assert_int_eq(r->status, SB_STATUS_PASS);
    ck_assert_ptr_nonnull(strstr(r->summary, "kv-one"));
    ck_assert_ptr_nonnull(strstr(r->summary, "kv-two"));
    teardown();
    setup();
    /* a raw key instead of a Key Vault reference: fail, and the value is never echoed */
    run("[{\"id\":\"" PORT "\",\"identity\":{\"type\":\"SystemAssigned\",\"principalId\":\"p\"},\"properties\":{\"links\":["
        LINK(1, KV("cknSecretIdentifier", "0123456789ABCDEF-RAW-CKN"), KV("cakSecretIdentifier", "http://kv-one.vault.azure.net/secrets/cak")) "]}}]");
    r = find("IM-8", "Service Credential", PORT);
    ck_assert_int_eq(r->status, SB_STATUS_FAIL);
    for (size_t i = 0; i < r->nevidence; i++)
        ck_assert_ptr_null(strstr(r->evidence[i].value, "RAW-CKN"));
    teardown();
    setup();
    /* secrets in Key Vault but no identity to read them: fail */
    run("[{\"id\":\"" PORT "\",\"properties\":{\"links\":[" LINK(1, KV("cknSecretIdentifier", "https://kv1.vault.azure.net/secrets/a"),
        KV("cakSecretIdentifier", "https://kv1.vault.azure.net/secrets/b")) "]}}]");
    ck_assert_int_eq(find("IM-8", "Service Credential", PORT)->status, SB_STATUS_FAIL);
    teardown();
    setup();
    /* a link without macSecConfig: an ARM body omits it when MACsec is off (fail) ... */
    run("[{\"id\":\"" PORT "\",\"identity\":{\"type\":\"SystemAssigned\"},\"properties\":{\"links\":[{\"id\":\"" PORT
        "/links/link1\",\"properties\":{\"adminState\":\"Enabled\"}}]}}]");
    const struct sb_result *arm = find("IM-8", "Service Credential", PORT);
    ck_assert_int_eq(arm->status, SB_STATUS_FAIL);
    ck_assert(has_evidence(arm, "properties.macSecConfig", "MACsec is not configured"));
    teardown();
    setup();
    /* ... but a Resource Graph row may just not carry it: not assessed, never a false fail */
    run("{\"data\":[{\"id\":\"" PORT "\",\"type\":\"microsoft.network/expressrouteports\",\"identity\":{\"type\":\"SystemAssigned\"},"
        "\"properties\":{\"links\":[{\"id\":\"" PORT "/links/link1\",\"properties\":{\"adminState\":\"Enabled\"}}]}}]}");
    ck_assert_int_eq(find("IM-8", "Service Credential", PORT)->status, SB_STATUS_NOT_ASSESSED);
}
END_TEST

START_TEST(test_kv_uri_parser)
{
    char *v, *s;
    static const char *const good[] = {"https://kv-1.vault.azure.net/secrets/name", "https://KV1.VAULT.AZURE.NET/secrets/n/ver1",
                                       "https://kv1.vault.azure.cn/secrets/n/", "https://kv1.vault.azure.net:443/secrets/n"};
    static const char *const bad[] = {"http://kv1.vault.azure.net/secrets/n", "https://kv1.vault.azure.net/keys/n",
                                      "https://kv1.evil.net/secrets/n", "https://vault.azure.net/secrets/n",
                                      "https://kv1.vault.azure.net/secrets/", "https://kv1.vault.azure.net.evil.com/secrets/n",
                                      "https://kv1.vault.azure.net/secrets/n/v/extra", "", "https://1kv.vault.azure.net/secrets/n"};
    for (size_t i = 0; i < sizeof good / sizeof *good; i++) {
        ck_assert_msg(ev_parse_kv_secret_uri(good[i], &v, &s) == 0, "%s", good[i]);
        free(v), free(s);
    }
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++)
        ck_assert_msg(ev_parse_kv_secret_uri(bad[i], &v, &s) == -1, "%s", bad[i]);
}
END_TEST

#define DIAG(parent, name, body) \
    "{\"id\":\"" parent "/providers/microsoft.insights/diagnosticSettings/" name "\",\"type\":\"Microsoft.Insights/diagnosticSettings\",\"properties\":" body "}"

START_TEST(test_lt4_resource_logs)
{
    run("[{\"id\":\"" CKT "\"},{\"id\":\"" S "/expressRouteCircuits/c2\"},{\"id\":\"" S "/expressRouteCircuits/c3\"},"
        GW(ERGW, "ExpressRoute", VNET, "") ","
        DIAG(CKT, "d1", "{\"workspaceId\":\"/law\",\"logs\":[{\"category\":\"PeeringRouteLog\",\"enabled\":true}]}") ","
        DIAG(S "/expressRouteCircuits/c2", "d1", "{\"workspaceId\":\"\",\"storageAccountId\":null,\"logs\":[{\"categoryGroup\":\"allLogs\",\"enabled\":true}]}") ","
        DIAG(S "/expressRouteCircuits/c3", "d1", "{\"eventHubAuthorizationRuleId\":\"/eh\",\"logs\":[{\"categoryGroup\":\"audit\",\"enabled\":true},"
                                                "{\"category\":\"PeeringRouteLog\",\"enabled\":false}]}") ","
        DIAG(ERGW, "d1", "{\"storageAccountId\":\"/sa\",\"logs\":[{\"category\":\"GatewayDiagnosticLog\",\"enabled\":true}]}") "]");
    const struct sb_result *r = find("LT-4", "Azure Resource Logs", CKT);
    ck_assert_int_eq(r->status, SB_STATUS_PASS);
    ck_assert(has_evidence(r, "properties.workspaceId", "/law"));
    ck_assert_int_eq(find("LT-4", "Azure Resource Logs", S "/expressRouteCircuits/c2")->status, SB_STATUS_FAIL);
    ck_assert_int_eq(find("LT-4", "Azure Resource Logs", S "/expressRouteCircuits/c3")->status, SB_STATUS_FAIL);
    ck_assert_int_eq(find("LT-4", "Azure Resource Logs", ERGW)->status, SB_STATUS_PASS);
}
END_TEST

START_TEST(test_lt4_collected_vs_not)
{
    run("{\"format\":\"mcsb-audit-snapshot\",\"formatVersion\":1,\"resources\":[{\"id\":\"" CKT "\"},{\"id\":\"" S "/expressRouteCircuits/c2\"},"
        "{\"id\":\"" S "/expressRouteCircuits/c3\"}],\"collected\":[{\"resourceId\":\"" CKT "\",\"collection\":\"diagnosticSettings\",\"count\":0}],"
        "\"gaps\":[{\"scope\":\"" S "/expressRouteCircuits/c3\",\"collection\":\"diagnosticSettings\",\"httpStatus\":403,"
        "\"errorCode\":\"AuthorizationFailed\",\"message\":\"denied\"}]}");
    ck_assert_int_eq(find("LT-4", "Azure Resource Logs", CKT)->status, SB_STATUS_FAIL);
    ck_assert_int_eq(find("LT-4", "Azure Resource Logs", S "/expressRouteCircuits/c2")->status, SB_STATUS_NOT_ASSESSED);
    const struct sb_result *r = find("LT-4", "Azure Resource Logs", S "/expressRouteCircuits/c3");
    ck_assert_int_eq(r->status, SB_STATUS_NOT_ASSESSED);
    ck_assert(has_evidence(r, "diagnosticSettings", "HTTP 403 AuthorizationFailed"));
}
END_TEST

START_TEST(test_subscription_gap_not_assessed)
{
    run("{\"format\":\"mcsb-audit-snapshot\",\"formatVersion\":1,\"resources\":[],"
        "\"gaps\":[{\"scope\":\"/subscriptions/s9\",\"collection\":\"resources\",\"httpStatus\":403,\"errorCode\":\"AuthorizationFailed\"}]}");
    const char *const features[][2] = {{"NS-1", "Virtual Network Integration"}, {"NS-1", "Network Security Group"},
                                       {"IM-8", "Service Credential"}, {"LT-4", "Azure Resource Logs"},
                                       {"BR-1", "Service Native Backup"}};
    for (size_t i = 0; i < 5; i++) {
        const struct sb_result *r = find(features[i][0], features[i][1], "/subscriptions/s9");
        ck_assert_int_eq(r->status, SB_STATUS_NOT_ASSESSED);
        ck_assert(has_evidence(r, "", "HTTP 403"));
    }
    ck_assert_str_eq(find("NS-1", "Virtual Network Integration", "/subscriptions/s9")->resource_name, "subscription s9");
    teardown();
    setup();
    /* management-group and odd scopes are named, never mistaken for subscriptions */
    run("{\"format\":\"mcsb-audit-snapshot\",\"formatVersion\":1,\"resources\":[],\"gaps\":["
        "{\"scope\":\"/providers/Microsoft.Management/managementGroups/mg1\",\"collection\":\"resources\",\"httpStatus\":403},"
        "{\"scope\":\"/x\",\"collection\":\"resources\"}]}");
    const struct sb_result *mg = find("IM-8", "Service Credential", "/providers/Microsoft.Management/managementGroups/mg1");
    ck_assert_int_eq(mg->status, SB_STATUS_NOT_ASSESSED);
    ck_assert_str_eq(mg->resource_name, "management group mg1");
    ck_assert_int_eq(find("IM-8", "Service Credential", "/x")->status, SB_STATUS_NOT_ASSESSED);
}
END_TEST

START_TEST(test_br1_native_backup)
{
    run("[" GW(ERGW, "ExpressRoute", VNET, "") "," GW(VPNGW, "Vpn", VNET, ",\"vpnType\":\"RouteBased\",\"sku\":{\"name\":\"VpnGw1\"}") ","
        GW(S "/virtualNetworkGateways/er2", "ExpressRoute", SPOKE, "") ","
        "{\"id\":\"" S "/connections/s2s\",\"properties\":{\"connectionType\":\"IPsec\",\"virtualNetworkGateway1\":{\"id\":\"" VPNGW "\"},"
        "\"useLocalAzureIpAddress\":false}}]");
    const struct sb_result *r = find("BR-1", "Service Native Backup", VNET);
    ck_assert_int_eq(r->status, SB_STATUS_PASS);
    ck_assert_int_eq(find("BR-1", "Service Native Backup", SPOKE)->status, SB_STATUS_MANUAL);
    teardown();
    setup();
    /* the only IPsec connection rides the private peering: not a backup */
    run("[" GW(ERGW, "ExpressRoute", VNET, "") "," GW(VPNGW, "Vpn", VNET, ",\"vpnType\":\"RouteBased\",\"enablePrivateIpAddress\":true") ","
        "{\"id\":\"" S "/connections/over-er\",\"properties\":{\"connectionType\":\"IPsec\",\"virtualNetworkGateway1\":{\"id\":\"" VPNGW "\"},"
        "\"useLocalAzureIpAddress\":true}}]");
    ck_assert_int_eq(find("BR-1", "Service Native Backup", VNET)->status, SB_STATUS_MANUAL);
    /* and DP-3 reports it as a compensating control */
    const struct sb_result *dp3 = find("DP-3", "Data in Transit", NULL);
    ck_assert(has_evidence(dp3, "useLocalAzureIpAddress", "enablePrivateIpAddress = true"));
}
END_TEST


#define AZ "/subscriptions/5c2a7d0e-1f3b-4e6a-9d2c-7b8e9f0a1b2c/resourceGroups/rg-conn-weu/providers/Microsoft.Network"
#define HUBV AZ "/virtualNetworks/vnet-hub-weu"

START_TEST(test_az_cli_exports)
{
    /* the ordinary az exports of an estate: gateways, subnets (flattened), circuits, diagnostic settings, connections */
    static const char *const files[] = {"az-vnet-gateway-list.json", "az-vnet-subnet-list.json", "az-express-route-list.json",
                                        "az-diagnostic-settings-circuit.json", "az-diagnostic-settings-ergw.json",
                                        "az-vpn-connection-list.json"};
    run_files(files, 6);
    const struct sb_result *r = find("NS-1", "Virtual Network Integration", AZ "/virtualNetworkGateways/ergw-hub-weu");
    ck_assert_int_eq(r->status, SB_STATUS_PASS);
    ck_assert(has_source(r, "properties.gatewayType", "az-vnet-gateway-list.json (az-cli)"));
    /* a flattened GatewaySubnet with an NSG fails; a flattened workload subnet with one passes */
    r = find("NS-1", "Network Security Group", HUBV "/subnets/GatewaySubnet");
    ck_assert_int_eq(r->status, SB_STATUS_FAIL);
    ck_assert(has_evidence(r, "properties.networkSecurityGroup.id", "nsg-gateway"));
    ck_assert(has_source(r, "properties.networkSecurityGroup.id", "from ") &&
           has_source(r, "properties.networkSecurityGroup.id", "/az-vnet-subnet-list.json (az-cli)"));
    ck_assert_int_eq(find("NS-1", "Network Security Group", HUBV "/subnets/snet-shared")->status, SB_STATUS_PASS);
    r = find("NS-1", "Network Security Group", HUBV "/subnets/snet-mgmt");
    ck_assert_int_eq(r->status, SB_STATUS_FAIL);
    ck_assert(has_source(r, "properties.networkSecurityGroup.id", "absent in ") &&
           has_source(r, "properties.networkSecurityGroup.id", "/az-vnet-subnet-list.json (az-cli)"));
    /* a circuit whose setting came from az monitor diagnostic-settings list with allLogs to a workspace passes */
    r = find("LT-4", "Azure Resource Logs", AZ "/expressRouteCircuits/erc-weu-primary");
    ck_assert_int_eq(r->status, SB_STATUS_PASS);
    ck_assert(has_evidence(r, "properties.workspaceId", "law-sec"));
    /* an ExpressRoute gateway sending only VPN categories fails, naming what is on and what is missing */
    r = find("LT-4", "Azure Resource Logs", AZ "/virtualNetworkGateways/ergw-hub-weu");
    ck_assert_int_eq(r->status, SB_STATUS_FAIL);
    ck_assert_msg(strstr(r->summary, "IKEDiagnosticLog (VPN events only)") && strstr(r->summary, "TunnelDiagnosticLog") &&
                  strstr(r->summary, "missing: GatewayDiagnosticLog, RouteDiagnosticLog"), "%s", r->summary);
    /* BR-1: the only independent IPsec connection is NotConnected: manual, with the status, never pass */
    r = find("BR-1", "Service Native Backup", HUBV);
    ck_assert_int_eq(r->status, SB_STATUS_MANUAL);
    ck_assert_ptr_nonnull(strstr(r->summary, "NotConnected"));
    ck_assert(has_evidence(r, "properties.connectionStatus", "NotConnected"));
}
END_TEST

START_TEST(test_port_sources_and_order)
{
    /* an ARM body and a partial Resource Graph row of one port: pass in either order, identical results */
    static const char *const ab[] = {"arm-expressrouteport.json", "arg-expressrouteport-partial.json"};
    static const char *const ba[] = {"arg-expressrouteport-partial.json", "arm-expressrouteport.json"};
    const char *port = AZ "/expressRoutePorts/erport-ams";
    run_files(ab, 2);
    const struct sb_result *r = find("IM-8", "Service Credential", port);
    ck_assert_int_eq(r->status, SB_STATUS_PASS);
    ck_assert(has_source(r, "macSecConfig.cknSecretIdentifier", "/arm-expressrouteport.json (arm-resource)"));
    ck_assert(has_source(r, "identity.type", "not projected (unknown) in ") &&
           has_source(r, "identity.type", "/arg-expressrouteport-partial.json (resource-graph)"));
    char *first = results_text();
    reset();
    run_files(ba, 2);
    char *second = results_text();
    ck_assert_str_eq(first, second);
    free(first);
    free(second);
    reset();
    /* a row with the links' macSecConfig but no identity key: unknown, not "no managed identity" */
    static const char *const row[] = {"arg-expressrouteport-no-identity.json"};
    run_files(row, 1);
    r = find("IM-8", "Service Credential", port);
    ck_assert_int_eq(r->status, SB_STATUS_NOT_ASSESSED);
    ck_assert_ptr_nonnull(strstr(r->summary, "identity is not in the input"));
    reset();
    /* ... and the ARM body of the same port supplies it */
    static const char *const both[] = {"arg-expressrouteport-no-identity.json", "arm-expressrouteport.json"};
    run_files(both, 2);
    ck_assert_int_eq(find("IM-8", "Service Credential", port)->status, SB_STATUS_PASS);
    reset();
    /* a row that projects identity as null says there is none: fail */
    run("{\"data\":[{\"id\":\"" PORT "\",\"identity\":null,\"properties\":{\"links\":[" LINK(1, KV("cknSecretIdentifier",
        "https://kv1.vault.azure.net/secrets/a"), KV("cakSecretIdentifier", "https://kv1.vault.azure.net/secrets/b")) "]}}]}");
    ck_assert_int_eq(find("IM-8", "Service Credential", PORT)->status, SB_STATUS_FAIL);
}
END_TEST

#define VW "/subscriptions/0b1c2d3e-4f50-4617-8283-94a5b6c7d8e9/resourceGroups/rg-spokes/providers/Microsoft.Network"

START_TEST(test_vwan_spokes_and_backup)
{
    static const char *const files[] = {"arm-vwan-list.json", "az-vhub-connection-list.json", "az-vnet-list-spokes.json"};
    run_files(files, 3);
    /* connected by hubVirtualNetworkConnections (and by its HV_ peering): in scope */
    const struct sb_result *r = find("NS-1", "Network Security Group", VW "/virtualNetworks/vnet-spoke-app/subnets/snet-web");
    ck_assert_int_eq(r->status, SB_STATUS_PASS);
    ck_assert(has_evidence(r, "in scope because", "hubVirtualNetworkConnections conn-spoke-app"));
    ck_assert_int_eq(find("NS-1", "Network Security Group", VW "/virtualNetworks/vnet-spoke-app/subnets/snet-batch")->status,
                     SB_STATUS_FAIL);
    /* only the RemoteVnetToHubPeering_ peering to HV_vhub-weu_...: in scope too */
    r = find("NS-1", "Network Security Group", VW "/virtualNetworks/vnet-spoke-data/subnets/snet-sql");
    ck_assert_int_eq(r->status, SB_STATUS_FAIL);
    ck_assert(has_evidence(r, "in scope because", "HV_vhub-weu_"));
    /* the hub's only VPN connection runs over the private peering: no independent backup */
    r = find("BR-1", "Service Native Backup", "/subscriptions/0b1c2d3e-4f50-4617-8283-94a5b6c7d8e9/resourceGroups/rg-vwan/"
                                              "providers/Microsoft.Network/virtualHubs/vhub-weu");
    ck_assert_int_eq(r->status, SB_STATUS_MANUAL);
    ck_assert(has_evidence(r, "vpnLinkConnections", "0 not useLocalAzureIpAddress"));
    reset();
    /* the hub is not in the input: a spoke peered to its HV_ network is listed as not assessed, never dropped */
    static const char *const spokes[] = {"az-vnet-list-spokes.json"};
    run_files(spokes, 1);
    r = find("NS-1", "Network Security Group", VW "/virtualNetworks/vnet-spoke-data");
    ck_assert_int_eq(r->status, SB_STATUS_NOT_ASSESSED);
    ck_assert_ptr_nonnull(strstr(r->summary, "whether that hub has an ExpressRoute gateway is not in the input"));
}
END_TEST

#define VWAN "/subscriptions/s1/resourceGroups/rg/providers/Microsoft.Network"
#define HUB_ER "{\"id\":\"" VWAN "/expressRouteGateways/erg\",\"properties\":{\"virtualHub\":{\"id\":\"" VWAN "/virtualHubs/h1\"}}}"
#define HUB_VPN(status, linkstatus, local) \
    "{\"id\":\"" VWAN "/vpnGateways/v1\",\"properties\":{\"virtualHub\":{\"id\":\"" VWAN "/virtualHubs/h1\"},\"connections\":[" \
    "{\"id\":\"" VWAN "/vpnGateways/v1/vpnConnections/c1\",\"name\":\"c1\",\"properties\":{\"connectionStatus\":\"" status "\"," \
    "\"vpnLinkConnections\":[{\"name\":\"l1\",\"properties\":{\"connectionStatus\":\"" linkstatus "\",\"useLocalAzureIpAddress\":" local "}}]}}]}}"

START_TEST(test_br1_statuses)
{
    /* Virtual WAN: a Connected link connection over the internet backs up ExpressRoute */
    run("[" HUB_ER "," HUB_VPN("Connected", "Connected", "false") "]");
    ck_assert_int_eq(find("BR-1", "Service Native Backup", VWAN "/virtualHubs/h1")->status, SB_STATUS_PASS);
    reset();
    run("[" HUB_ER "," HUB_VPN("NotConnected", "NotConnected", "false") "]");
    const struct sb_result *r = find("BR-1", "Service Native Backup", VWAN "/virtualHubs/h1");
    ck_assert_int_eq(r->status, SB_STATUS_MANUAL);
    ck_assert_ptr_nonnull(strstr(r->summary, "not Connected (c1 NotConnected)"));
    reset();
    run("[" HUB_ER "," HUB_VPN("Connected", "Connected", "true") "]");
    r = find("BR-1", "Service Native Backup", VWAN "/virtualHubs/h1");
    ck_assert_int_eq(r->status, SB_STATUS_MANUAL);
    ck_assert_ptr_nonnull(strstr(r->summary, "only over the ExpressRoute private peering"));
    reset();
    /* the hub names its ExpressRoute gateway itself (the gateway resource is not in the input): judged once */
    run("[{\"id\":\"" VWAN "/virtualHubs/h1\",\"properties\":{\"expressRouteGateway\":{\"id\":\"" VWAN "/expressRouteGateways/erg\"}}},"
        HUB_VPN("Connected", "Connected", "false") "]");
    ck_assert_int_eq(find("BR-1", "Service Native Backup", VWAN "/virtualHubs/h1")->status, SB_STATUS_PASS);
    reset();
    run("[{\"id\":\"" VWAN "/virtualHubs/h1\",\"properties\":{\"expressRouteGateway\":{\"id\":\"" VWAN "/expressRouteGateways/erg\"}}},"
        HUB_ER "]");
    size_t hubs = 0;
    for (size_t i = 0; i < res.n; i++)
        hubs += strcmp(res.items[i].control->id, "BR-1") == 0 && res.items[i].resource_id != NULL;
    ck_assert_uint_eq(hubs, 1);
    reset();
    /* a hub VPN gateway with no connections at all */
    run("[" HUB_ER ",{\"id\":\"" VWAN "/vpnGateways/v1\",\"properties\":{\"virtualHub\":{\"id\":\"" VWAN "/virtualHubs/h1\"}}}]");
    ck_assert_int_eq(find("BR-1", "Service Native Backup", VWAN "/virtualHubs/h1")->status, SB_STATUS_MANUAL);
    reset();
    /* VNet gateways: Connected passes, any other status present is manual */
    run("[" GW(ERGW, "ExpressRoute", VNET, "") "," GW(VPNGW, "Vpn", VNET, ",\"vpnType\":\"RouteBased\",\"sku\":{\"name\":\"VpnGw1\"}") ","
        "{\"id\":\"" S "/connections/s2s\",\"properties\":{\"connectionType\":\"IPsec\",\"virtualNetworkGateway1\":{\"id\":\"" VPNGW "\"},"
        "\"useLocalAzureIpAddress\":false,\"connectionStatus\":\"Connected\"}}]");
    ck_assert_int_eq(find("BR-1", "Service Native Backup", VNET)->status, SB_STATUS_PASS);
    reset();
    run("[" GW(ERGW, "ExpressRoute", VNET, "") "," GW(VPNGW, "Vpn", VNET, ",\"vpnType\":\"RouteBased\",\"sku\":{\"name\":\"VpnGw1\"}") ","
        "{\"id\":\"" S "/connections/s2s\",\"properties\":{\"connectionType\":\"IPsec\",\"virtualNetworkGateway1\":{\"id\":\"" VPNGW "\"},"
        "\"useLocalAzureIpAddress\":false,\"connectionStatus\":\"Connecting\"}}]");
    r = find("BR-1", "Service Native Backup", VNET);
    ck_assert_int_eq(r->status, SB_STATUS_MANUAL);
    ck_assert_ptr_nonnull(strstr(r->summary, "s2s Connecting"));
}
END_TEST

START_TEST(test_lt4_gateway_categories)
{
    /* allLogs passes an ExpressRoute gateway; RouteDiagnosticLog alone too */
    run("[" GW(ERGW, "ExpressRoute", VNET, "") "," GW(S "/virtualNetworkGateways/er2", "ExpressRoute", SPOKE, "") ","
        GW(S "/virtualNetworkGateways/er3", "ExpressRoute", S "/virtualNetworks/v3", "") ","
        DIAG(ERGW, "d1", "{\"workspaceId\":\"/law\",\"logs\":[{\"categoryGroup\":\"allLogs\",\"enabled\":true}]}") ","
        DIAG(S "/virtualNetworkGateways/er2", "d1", "{\"workspaceId\":\"/law\",\"logs\":[{\"category\":\"RouteDiagnosticLog\",\"enabled\":true}]}") ","
        DIAG(S "/virtualNetworkGateways/er3", "d1", "{\"logs\":[{\"category\":\"GatewayDiagnosticLog\",\"enabled\":true}]}") "]");
    ck_assert_int_eq(find("LT-4", "Azure Resource Logs", ERGW)->status, SB_STATUS_PASS);
    ck_assert_int_eq(find("LT-4", "Azure Resource Logs", S "/virtualNetworkGateways/er2")->status, SB_STATUS_PASS);
    /* the right log, but nowhere to go */
    const struct sb_result *r = find("LT-4", "Azure Resource Logs", S "/virtualNetworkGateways/er3");
    ck_assert_int_eq(r->status, SB_STATUS_FAIL);
    ck_assert_ptr_nonnull(strstr(r->summary, "no setting that enables it has a destination"));
    reset();
    /* a setting whose shape is not understood: not assessed, never a fail or a pass */
    run("[" GW(ERGW, "ExpressRoute", VNET, "") ",{\"id\":\"" ERGW "/providers/microsoft.insights/diagnosticSettings/odd\","
        "\"type\":\"Microsoft.Insights/diagnosticSettings\",\"destinations\":{\"law\":\"/law\"}}]");
    r = find("LT-4", "Azure Resource Logs", ERGW);
    ck_assert_int_eq(r->status, SB_STATUS_NOT_ASSESSED);
    ck_assert_ptr_nonnull(strstr(r->summary, "neither `properties` nor any known az CLI member"));
}
END_TEST

START_TEST(test_unreadable_shapes)
{
    /* a GatewaySubnet with neither properties nor any known property: never a pass */
    run("[" GW(ERGW, "ExpressRoute", VNET, "") ",{\"id\":\"" VNET "/subnets/GatewaySubnet\",\"name\":\"GatewaySubnet\","
        "\"nsg\":\"" NSG "\"}]");
    const struct sb_result *r = find("NS-1", "Network Security Group", VNET "/subnets/GatewaySubnet");
    ck_assert_int_eq(r->status, SB_STATUS_NOT_ASSESSED);
    ck_assert_ptr_nonnull(strstr(r->summary, "not in the input"));
    reset();
    /* a gateway in an unknown shape, and one with id, name and type only */
    run("[{\"id\":\"" ERGW "\",\"type\":\"Microsoft.Network/virtualNetworkGateways\",\"kindOfGateway\":\"ER\"},"
        "{\"id\":\"" VPNGW "\",\"name\":\"vpngw\",\"type\":\"Microsoft.Network/virtualNetworkGateways\"}]");
    r = find("NS-1", "Virtual Network Integration", ERGW);
    ck_assert_int_eq(r->status, SB_STATUS_NOT_ASSESSED);
    ck_assert_ptr_nonnull(strstr(r->summary, "shape is not understood"));
    r = find("NS-1", "Virtual Network Integration", VPNGW);
    ck_assert_int_eq(r->status, SB_STATUS_NOT_ASSESSED);
    ck_assert_ptr_nonnull(strstr(r->summary, "id, name and type only"));
    ck_assert_int_eq(find("LT-4", "Azure Resource Logs", ERGW)->status, SB_STATUS_NOT_ASSESSED);
    reset();
    /* a Direct port and a Virtual WAN gateway exported with id, name and type only */
    run("{\"data\":[{\"id\":\"" PORT "\",\"name\":\"p1\",\"type\":\"microsoft.network/expressrouteports\"},"
        "{\"id\":\"" S "/expressRouteGateways/vw\",\"name\":\"vw\",\"type\":\"microsoft.network/expressroutegateways\"}]}");
    r = find("IM-8", "Service Credential", PORT);
    ck_assert_int_eq(r->status, SB_STATUS_NOT_ASSESSED);
    ck_assert_ptr_nonnull(strstr(r->summary, "id, name and type only"));
    ck_assert_int_eq(find("NS-1", "Virtual Network Integration", S "/expressRouteGateways/vw")->status, SB_STATUS_NOT_ASSESSED);
}
END_TEST

/* One VNet exported twice (complete sources) that disagree on a subnet's NSG. */
static const char conflict_a[] = "{\"id\":\"" VNET "\",\"properties\":{\"subnets\":[{\"name\":\"app\",\"id\":\"" VNET "/subnets/app\","
                                 "\"properties\":{\"networkSecurityGroup\":{\"id\":\"" NSG "\"}}}]}}";
static const char conflict_b[] = "{\"id\":\"" VNET "\",\"properties\":{\"subnets\":[{\"name\":\"app\",\"id\":\"" VNET "/subnets/app\","
                                 "\"properties\":{\"networkSecurityGroup\":null}}]}}";

static void run_two(const char *n1, const char *j1, const char *n2, const char *j2)
{
    struct sb_err e = {0};
    struct sb_state *st = state_new();
    const char *gw = GW(ERGW, "ExpressRoute", VNET, "");
    ck_assert_int_eq(state_load_buffer(st, "gw.json", gw, strlen(gw), &e), 0);
    ck_assert_int_eq(state_load_buffer(st, n1, j1, strlen(j1), &e), 0);
    ck_assert_int_eq(state_load_buffer(st, n2, j2, strlen(j2), &e), 0);
    ck_assert_int_eq(state_finalize(st, &e), 0);
    ck_assert_msg(eval_baseline(&res, bl, st, &e) == 0, "%s", e.msg);
    state_free(st);
}

START_TEST(test_conflicting_complete_sources)
{
    run_two("a.json", conflict_a, "b.json", conflict_b);
    const struct sb_result *r = find("NS-1", "Network Security Group", VNET "/subnets/app");
    ck_assert_int_eq(r->status, SB_STATUS_NOT_ASSESSED);
    ck_assert_ptr_nonnull(strstr(r->summary, "inputs disagree"));
    ck_assert(has_source(r, "properties.networkSecurityGroup.id", "CONFLICT between complete sources: a.json (arm-resource) has"));
    char *first = results_text();
    reset();
    run_two("b.json", conflict_b, "a.json", conflict_a);
    char *second = results_text();
    ck_assert_str_eq(first, second);
    free(first);
    free(second);
}
END_TEST

START_TEST(test_finding_ids_stable)
{
    char *a = eval_finding_id("expressroute", "NS-1", "Network Security Group Support", "/Subscriptions/S1/X");
    char *b = eval_finding_id("expressroute", "NS-1", "Network Security Group Support", "/subscriptions/s1/x");
    char *c = eval_finding_id("expressroute", "NS-1", "Virtual Network Integration", "/subscriptions/s1/x");
    ck_assert_str_eq(a, b);
    ck_assert_str_ne(a, c);
    ck_assert_int_eq(strncmp(a, "expressroute-NS-1-", 18), 0);
    ck_assert_uint_eq(strlen(a), 18 + 16);
    free(a), free(b), free(c);
    /* unique per result */
    run("[" GW(ERGW, "ExpressRoute", VNET, "") ",{\"id\":\"" CKT "\"}]");
    for (size_t i = 0; i < res.n; i++)
        for (size_t k = i + 1; k < res.n; k++)
            ck_assert_str_ne(res.items[i].id, res.items[k].id);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("eval");
    TCase *tc = tcase_create("rules");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, test_every_feature_listed_on_empty_input);
    tcase_add_test(tc, test_nothing_in_scope_names_types);
    tcase_add_test(tc, test_ns1_vnet_integration);
    tcase_add_test(tc, test_ns1_nsg_support);
    tcase_add_test(tc, test_ns1_gateway_subnet_faults);
    tcase_add_test(tc, test_ns1_orphan_subnets_and_unknown_spokes);
    tcase_add_test(tc, test_im8_key_vault);
    tcase_add_test(tc, test_kv_uri_parser);
    tcase_add_test(tc, test_lt4_resource_logs);
    tcase_add_test(tc, test_lt4_collected_vs_not);
    tcase_add_test(tc, test_subscription_gap_not_assessed);
    tcase_add_test(tc, test_br1_native_backup);
    tcase_add_test(tc, test_az_cli_exports);
    tcase_add_test(tc, test_port_sources_and_order);
    tcase_add_test(tc, test_vwan_spokes_and_backup);
    tcase_add_test(tc, test_br1_statuses);
    tcase_add_test(tc, test_lt4_gateway_categories);
    tcase_add_test(tc, test_unreadable_shapes);
    tcase_add_test(tc, test_conflicting_complete_sources);
    tcase_add_test(tc, test_finding_ids_stable);
    suite_add_tcase(s, tc);
    return tu_run(s);
}
