/* BR-1: Service Native Backup Capability — a site-to-site VPN as backup for ExpressRoute private peering. */
#include "eval_ctx.h"

#include "util.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

static const char REMEDY[] =
    "Decide whether the organisation needs a backup path. If so, deploy a route-based VPN gateway (not Basic SKU) in "
    "the same virtual network's GatewaySubnet with an IPsec site-to-site connection over the internet, so traffic "
    "fails over when ExpressRoute private peering is down (Using S2S VPN as a backup for ExpressRoute private "
    "peering); otherwise attest the decision as an exception.";

/* IPsec connections of a VPN gateway that do not ride the private peering. */
static int backup_connections(struct sb_result *res, const struct sb_state *st, const struct sb_resource *vpn)
{
    const struct sb_resource **conns;
    size_t n = state_list_type(st, "microsoft.network/connections", &conns);
    int ok = 0;
    for (size_t i = 0; i < n; i++) {
        const struct sb_resource *cn = conns[i];
        if (!sb_ieq(sb_json_str(cn->json, "properties.virtualNetworkGateway1.id"), vpn->id))
            continue;
        const char *ctype = sb_json_str(cn->json, "properties.connectionType");
        int over_er = sb_json_bool(cn->json, "properties.useLocalAzureIpAddress");
        char *v = sb_xasprintf("connectionType %s, useLocalAzureIpAddress %s, connectionStatus %s",
                               ctype ? ctype : "(absent)", over_er == 1 ? "true" : over_er == 0 ? "false" : "(absent)",
                               sb_json_str(cn->json, "properties.connectionStatus")
                                   ? sb_json_str(cn->json, "properties.connectionStatus") : "(absent)");
        ev_evidence(res, cn->id, "properties.connectionType", v,
                    "IPsec, useLocalAzureIpAddress not true (independent of the private peering)");
        free(v);
        ok += sb_ieq(ctype, "IPsec") && over_er != 1;
    }
    free(conns);
    return ok;
}

static void judge_vnet(struct eval_ctx *c, const struct sb_feature *f, const char *vnet_id,
                       const struct sb_resource *const *gws, size_t ngws)
{
    const struct sb_resource *vnet = state_get(c->state, vnet_id);
    struct sb_result *res = ev_result(c, f, vnet ? vnet->id : vnet_id, "Microsoft.Network/virtualNetworks", NULL);
    int backups = 0, vpns = 0;
    for (size_t i = 0; i < ngws; i++) {
        char *v = ev_gateway_vnet_id(gws[i]);
        bool same = v && sb_ieq(v, vnet_id);
        free(v);
        if (!same)
            continue;
        enum gw_kind k = ev_gateway_kind(gws[i]);
        if (k == GW_EXPRESSROUTE) {
            ev_evidence_json(res, gws[i], "properties.gatewayType", "ExpressRoute gateway in this VNet");
            continue;
        }
        if (k != GW_VPN)
            continue;
        vpns++;
        const char *vpntype = sb_json_str(gws[i]->json, "properties.vpnType");
        const char *sku = sb_json_str(gws[i]->json, "properties.sku.name");
        char *v2 = sb_xasprintf("vpnType %s, sku %s", vpntype ? vpntype : "(absent)", sku ? sku : "(absent)");
        ev_evidence(res, gws[i]->id, "properties.vpnType", v2, "RouteBased, not Basic SKU (coexistence)");
        free(v2);
        bool eligible = sb_ieq(vpntype, "RouteBased") && !sb_ieq(sku, "Basic");
        int b = backup_connections(res, c->state, gws[i]);
        backups += eligible ? b : 0;
    }
    if (backups > 0) {
        ev_set(res, SB_STATUS_PASS, SB_SEV_NONE,
               "A route-based VPN gateway with %d IPsec connection(s) independent of the private peering backs up ExpressRoute",
               backups);
    } else {
        ev_set(res, SB_STATUS_MANUAL, SB_SEV_NONE,
               vpns ? "A VPN gateway exists, but no route-based IPsec connection independent of the private peering: "
                      "decide and attest whether a backup path is needed"
                    : "No site-to-site VPN backs up ExpressRoute here: decide and attest whether a backup path is needed");
        ev_remedy(res, "%s", REMEDY);
    }
}

static void judge_hub(struct eval_ctx *c, const struct sb_feature *f, const struct sb_resource *ergw, const char *hub_id)
{
    struct sb_result *res = ev_result(c, f, hub_id, "Microsoft.Network/virtualHubs", NULL);
    ev_evidence_json(res, ergw, "properties.virtualHub.id", "ExpressRoute gateway in this hub");
    const struct sb_resource **vpngws;
    size_t n = state_list_type(c->state, "microsoft.network/vpngateways", &vpngws);
    int backups = 0;
    for (size_t i = 0; i < n; i++) {
        if (!sb_ieq(sb_json_str(vpngws[i]->json, "properties.virtualHub.id"), hub_id))
            continue;
        const cJSON *conns = sb_json_at(vpngws[i]->json, "properties.connections");
        int nc = cJSON_IsArray(conns) ? cJSON_GetArraySize(conns) : 0;
        char *v = sb_xasprintf("%d site-to-site connection(s)", nc);
        ev_evidence(res, vpngws[i]->id, "properties.connections", v, "a VPN connection in the same hub");
        free(v);
        backups += nc;
    }
    free(vpngws);
    if (backups > 0) {
        ev_set(res, SB_STATUS_PASS, SB_SEV_NONE, "The hub's VPN gateway has %d connection(s) that can back up ExpressRoute",
               backups);
    } else {
        ev_set(res, SB_STATUS_MANUAL, SB_SEV_NONE,
               "No VPN connection in this Virtual WAN hub backs up ExpressRoute: decide and attest whether one is needed");
        ev_remedy(res, "%s", REMEDY);
    }
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

int rule_br1_native_backup(struct eval_ctx *c, const struct sb_feature *f)
{
    size_t before = c->out->n;
    const struct sb_resource **gws;
    size_t n = state_list_type(c->state, "microsoft.network/virtualnetworkgateways", &gws);
    char **vnets = NULL;
    size_t nv = 0;
    for (size_t i = 0; i < n; i++) {
        if (ev_gateway_kind(gws[i]) != GW_EXPRESSROUTE)
            continue;
        char *v = ev_gateway_vnet_id(gws[i]);
        if (!v)
            continue;
        char *lc = sb_lower(v);
        free(v);
        bool seen = false;
        for (size_t k = 0; k < nv && !seen; k++)
            seen = strcmp(vnets[k], lc) == 0;
        if (seen) {
            free(lc);
            continue;
        }
        vnets = sb_xrealloc(vnets, (nv + 1) * sizeof *vnets);
        vnets[nv++] = lc;
    }
    sb_sort(vnets, nv, sizeof *vnets, cmp_str);
    for (size_t k = 0; k < nv; k++) {
        judge_vnet(c, f, vnets[k], gws, n);
        free(vnets[k]);
    }
    free(vnets);
    free(gws);
    n = state_list_type(c->state, "microsoft.network/expressroutegateways", &gws);
    for (size_t i = 0; i < n; i++) {
        const char *hub = sb_json_str(gws[i]->json, "properties.virtualHub.id");
        if (hub)
            judge_hub(c, f, gws[i], hub);
    }
    free(gws);
    ev_scope_gaps(c, f, false);
    if (c->out->n == before) {
        struct sb_result *res = ev_result(c, f, NULL, NULL, NULL);
        ev_set(res, SB_STATUS_NOT_APPLICABLE, SB_SEV_NONE, "No virtual network or hub hosting an ExpressRoute gateway in the input");
    }
    return 0;
}
