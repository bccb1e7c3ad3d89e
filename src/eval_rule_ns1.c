/* NS-1: Virtual Network Integration and Network Security Group Support. */
#include "eval_ctx.h"

#include "util.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

static const char GW_TYPE[] = "Microsoft.Network/virtualNetworkGateways";
static const char SUBNET_TYPE[] = "Microsoft.Network/virtualNetworks/subnets";

/* The subnet named by a gateway IP configuration, judged by its id: ".../virtualNetworks/<v>/subnets/GatewaySubnet". */
static bool is_gateway_subnet_id(const char *sid)
{
    if (!sid)
        return false;
    char *parent = sb_id_parent(sid);
    char *name = NULL;
    sb_id_parts(sid, NULL, NULL, &name);
    bool ok = parent && name && strcasecmp(name, "GatewaySubnet") == 0;
    if (ok) {
        /* the parent must be a virtual network, not some other resource's "GatewaySubnet" child */
        char *lc = sb_lower(parent);
        ok = strstr(lc, "/providers/microsoft.network/virtualnetworks/") != NULL;
        free(lc);
    }
    free(parent);
    free(name);
    return ok;
}

static void vnet_gateway(struct eval_ctx *c, const struct sb_feature *f, const struct sb_resource *gw)
{
    struct sb_result *res = ev_result(c, f, gw->id, GW_TYPE, NULL);
    ev_evidence_json(res, gw, "properties.gatewayType", "ExpressRoute");
    const cJSON *ipc = sb_json_at(gw->json, "properties.ipConfigurations");
    int n = cJSON_IsArray(ipc) ? cJSON_GetArraySize(ipc) : 0;
    if (n == 0) {
        ev_evidence_json(res, gw, "properties.ipConfigurations", "IP configurations in a GatewaySubnet");
        ev_set(res, SB_STATUS_NOT_ASSESSED, SB_SEV_MEDIUM,
               "The gateway's IP configurations are not in the input, so its subnet cannot be checked");
        ev_remedy(res, "Collect the gateway with its properties (ARM GET or Resource Graph with properties).");
        return;
    }
    int bad = 0;
    const char *first_ok = NULL;
    for (int i = 0; i < n; i++) {
        char path[96];
        snprintf(path, sizeof path, "properties.ipConfigurations[%d].properties.subnet.id", i);
        const char *sid = sb_json_str(gw->json, path);
        ev_evidence_json(res, gw, path, "a subnet named GatewaySubnet of a virtual network");
        if (is_gateway_subnet_id(sid))
            first_ok = first_ok ? first_ok : sid;
        else
            bad++;
    }
    if (bad) {
        ev_set(res, SB_STATUS_FAIL, SB_SEV_MEDIUM,
               "%d of %d IP configuration(s) are not in a virtual network's GatewaySubnet", bad, n);
        ev_remedy(res, "Redeploy the ExpressRoute gateway into the virtual network's GatewaySubnet (a dedicated "
                  "subnet named GatewaySubnet, /27 or larger).");
        return;
    }
    char *vnet = sb_id_parent(first_ok);
    ev_evidence(res, gw->id, "virtual network (from the subnet id)", vnet, "the customer's virtual network");
    ev_set(res, SB_STATUS_PASS, SB_SEV_NONE, "Deployed into GatewaySubnet of %s", vnet);
    free(vnet);
}

static void vwan_gateway(struct eval_ctx *c, const struct sb_feature *f, const struct sb_resource *gw)
{
    struct sb_result *res = ev_result(c, f, gw->id, "Microsoft.Network/expressRouteGateways", NULL);
    const char *hub = sb_json_str(gw->json, "properties.virtualHub.id");
    ev_evidence_json(res, gw, "properties.virtualHub.id", "a Virtual WAN hub id");
    if (ev_unreadable(res, gw)) {
        /* the reason is set */
    } else if (hub) {
        ev_set(res, SB_STATUS_PASS, SB_SEV_NONE, "Deployed in virtual hub %s", hub);
    } else {
        ev_set(res, SB_STATUS_FAIL, SB_SEV_MEDIUM, "The Virtual WAN ExpressRoute gateway names no virtual hub");
        ev_remedy(res, "Deploy the ExpressRoute gateway in a Virtual WAN hub.");
    }
}

static void unknown_gateway(struct eval_ctx *c, const struct sb_feature *f, const struct sb_resource *gw)
{
    struct sb_result *res = ev_result(c, f, gw->id, GW_TYPE, NULL);
    if (ev_unreadable(res, gw))
        return;
    ev_evidence_json(res, gw, "properties.gatewayType", "ExpressRoute or Vpn");
    ev_set(res, SB_STATUS_NOT_ASSESSED, SB_SEV_MEDIUM,
           "properties.gatewayType is not in the input: cannot tell whether this is an ExpressRoute gateway");
    ev_remedy(res, "Collect the gateway with its properties (ARM GET or Resource Graph with properties).");
}

int rule_ns1_vnet_integration(struct eval_ctx *c, const struct sb_feature *f)
{
    const struct sb_resource **gws;
    size_t n = state_list_type(c->state, "microsoft.network/virtualnetworkgateways", &gws);
    size_t before = c->out->n;
    for (size_t i = 0; i < n; i++) {
        enum gw_kind k = ev_gateway_kind(gws[i]);
        if (k == GW_EXPRESSROUTE)
            vnet_gateway(c, f, gws[i]);
        else if (k == GW_UNKNOWN)
            unknown_gateway(c, f, gws[i]);
    }
    free(gws);
    n = state_list_type(c->state, "microsoft.network/expressroutegateways", &gws);
    for (size_t i = 0; i < n; i++)
        vwan_gateway(c, f, gws[i]);
    free(gws);
    ev_scope_gaps(c, f, false);
    if (c->out->n == before) {
        ev_nothing_in_scope(c, f, "No ExpressRoute gateway (virtual network gateway or Virtual WAN)");
    }
    return 0;
}

/* ---- Network Security Group Support ---- */

struct vnet_scope {
    char *vnet_id;    /* lower-cased */
    char *reason;     /* why it is in scope */
};

static void scope_add(struct vnet_scope **arr, size_t *n, const char *vnet_id, const char *reason)
{
    char *lc = sb_lower(vnet_id);
    for (size_t i = 0; i < *n; i++)
        if (strcmp((*arr)[i].vnet_id, lc) == 0) {
            free(lc);
            return;
        }
    *arr = sb_xrealloc(*arr, (*n + 1) * sizeof **arr);
    (*arr)[*n].vnet_id = lc;
    (*arr)[*n].reason = sb_xstrdup(reason);
    (*n)++;
}

static int cmp_scope(const void *a, const void *b)
{
    return strcmp(((const struct vnet_scope *)a)->vnet_id, ((const struct vnet_scope *)b)->vnet_id);
}

static const char *const platform_subnets[] = {"AzureFirewallSubnet", "AzureFirewallManagementSubnet",
                                               "RouteServerSubnet"};

static bool is_platform_subnet(const char *name)
{
    for (size_t i = 0; i < sizeof platform_subnets / sizeof *platform_subnets; i++)
        if (sb_ieq(name, platform_subnets[i]))
            return true;
    return false;
}

/* Any user route for 0.0.0.0/0 in the route table; -1 when the table is not in the input. */
static int default_route(const struct sb_state *st, const char *rt_id, const struct sb_resource **rt_out,
                         int *route_index)
{
    const struct sb_resource *rt = state_get(st, rt_id);
    *rt_out = rt;
    if (!rt || !sb_json_at(rt->json, "properties"))
        return -1;
    const cJSON *routes = sb_json_at(rt->json, "properties.routes");
    const cJSON *it;
    int i = 0;
    cJSON_ArrayForEach(it, routes)
    {
        const char *pfx = sb_json_str(it, "properties.addressPrefix");
        if (pfx && strcmp(pfx, "0.0.0.0/0") == 0) {
            *route_index = i;
            return 1;
        }
        i++;
    }
    return 0;
}

static void gateway_subnet(struct eval_ctx *c, struct sb_result *res,
                           const cJSON *subnet, const char *sid)
{
    const char *nsg = sb_json_str(subnet, "properties.networkSecurityGroup.id");
    const char *rt_id = sb_json_str(subnet, "properties.routeTable.id");
    ev_evidence(res, sid, "properties.networkSecurityGroup.id", nsg,
                "absent (Azure Policy 35f9c03a: Gateway subnets should not be configured with a network security group)");
    ev_evidence(res, sid, "properties.routeTable.id", rt_id, "absent, or a route table without a 0.0.0.0/0 route");
    const struct sb_resource *rt = NULL;
    int idx = -1;
    int dr = rt_id ? default_route(c->state, rt_id, &rt, &idx) : 0;
    if (dr == 1) {
        char path[64];
        snprintf(path, sizeof path, "properties.routes[%d].properties.addressPrefix", idx);
        ev_evidence_json(res, rt, path, "no user-defined route for 0.0.0.0/0 on GatewaySubnet");
        char hop[64];
        snprintf(hop, sizeof hop, "properties.routes[%d].properties.nextHopType", idx);
        ev_evidence_json(res, rt, hop, "(no default route)");
    }
    if (nsg && dr == 1) {
        ev_set(res, SB_STATUS_FAIL, SB_SEV_HIGH,
               "GatewaySubnet has a network security group and a user-defined default route (0.0.0.0/0)");
    } else if (nsg) {
        ev_set(res, SB_STATUS_FAIL, SB_SEV_HIGH, "GatewaySubnet has a network security group attached");
    } else if (dr == 1) {
        ev_set(res, SB_STATUS_FAIL, SB_SEV_HIGH, "GatewaySubnet's route table has a user-defined default route (0.0.0.0/0)");
    } else if (dr == -1) {
        ev_set(res, SB_STATUS_NOT_ASSESSED, SB_SEV_MEDIUM,
               "No NSG on GatewaySubnet, but its route table %s is not in the input, so a 0.0.0.0/0 route cannot be ruled out",
               rt_id);
        ev_remedy(res, "Include the route table (Microsoft.Network/routeTables) in the collection and assess again.");
        return;
    } else {
        ev_set(res, SB_STATUS_PASS, SB_SEV_NONE,
               rt_id ? "No NSG on GatewaySubnet; its route table has no default route"
                     : "No NSG and no route table on GatewaySubnet");
        return;
    }
    ev_remedy(res, "%s%s(the baseline: customers cannot configure a UDR with a default route or an NSG on the "
              "GatewaySubnet). Filter traffic on the workload subnets instead.",
              nsg ? "Dissociate the network security group from GatewaySubnet. " : "",
              dr == 1 ? "Remove the 0.0.0.0/0 route from the GatewaySubnet route table. " : "");
}

static void workload_subnet(struct sb_result *res, const cJSON *subnet, const char *sid)
{
    const char *nsg = sb_json_str(subnet, "properties.networkSecurityGroup.id");
    ev_evidence(res, sid, "properties.networkSecurityGroup.id", nsg,
                "a network security group (Azure Policy e71308d3: Subnets should be associated with a Network "
                "Security Group)");
    if (nsg) {
        ev_set(res, SB_STATUS_PASS, SB_SEV_NONE, "Network security group attached");
    } else {
        ev_set(res, SB_STATUS_FAIL, SB_SEV_MEDIUM, "Subnet has no network security group");
        ev_remedy(res, "Associate a network security group with the subnet and restrict its open ports (for example, "
                  "deny management ports from untrusted networks): az network vnet subnet update "
                  "--nsg <nsg> --vnet-name <vnet> --name <subnet> --resource-group <rg>.");
    }
}

/* One subnet (inline in its VNet, or given on its own): the subnet object has name, id, properties. */
static void judge_subnet(struct eval_ctx *c, const struct sb_feature *f, const struct vnet_scope *sc,
                         const char *vnet_id, const cJSON *sn)
{
    const char *name = sb_json_str(sn, "name");
    const char *sid = sb_json_str(sn, "id");
    char *built = NULL, *name_from_id = NULL, *vnet_name = NULL;
    if (!sid && name)
        sid = built = sb_xasprintf("%s/subnets/%s", vnet_id, name);
    if (sid && !name) {
        sb_id_parts(sid, NULL, NULL, &name_from_id);
        name = name_from_id;
    }
    if (!sid || !name)
        goto done;
    sb_id_parts(vnet_id, NULL, NULL, &vnet_name);
    char *disp = sb_xasprintf("%s/%s", vnet_name ? vnet_name : "?", name);
    struct sb_result *res = ev_result(c, f, sid, SUBNET_TYPE, disp);
    free(disp);
    ev_evidence(res, vnet_id, "in scope because", sc->reason, "a path to an ExpressRoute gateway");
    if (is_platform_subnet(name)) {
        ev_set(res, SB_STATUS_NOT_APPLICABLE, SB_SEV_NONE,
               "%s is a platform subnet that cannot take a network security group", name);
    } else if (!cJSON_IsObject(sb_json_at(sn, "properties"))) {
        /* Without properties (or az CLI properties) an absent NSG proves nothing: never a pass on GatewaySubnet. */
        ev_evidence(res, sid, "properties", NULL, "the subnet's properties (networkSecurityGroup, routeTable)");
        ev_set(res, SB_STATUS_NOT_ASSESSED, SB_SEV_MEDIUM,
               "The subnet's properties are not in the input (neither `properties` nor any known az CLI property)");
        ev_remedy(res, "Collect the virtual network with its subnets' properties (ARM GET, az network vnet show, or "
                  "az network vnet subnet list).");
    } else if (strcasecmp(name, "GatewaySubnet") == 0) {
        gateway_subnet(c, res, sn, sid);
    } else {
        workload_subnet(res, sn, sid);
    }
done:
    free(vnet_name);
    free(name_from_id);
    free(built);
}

/* Subnets given on their own (e.g. `az network vnet subnet list`) whose virtual network is not in the input. */
static size_t judge_orphan_subnets(struct eval_ctx *c, const struct sb_feature *f, const struct vnet_scope *sc)
{
    const struct sb_resource **subs;
    size_t n = state_list_type(c->state, "microsoft.network/virtualnetworks/subnets", &subs), judged = 0;
    for (size_t i = 0; i < n; i++) {
        char *parent = sb_id_parent(subs[i]->id);
        if (parent && sb_ieq(parent, sc->vnet_id)) {
            judge_subnet(c, f, sc, parent, subs[i]->json);
            judged++;
        }
        free(parent);
    }
    free(subs);
    return judged;
}

static void judge_vnet(struct eval_ctx *c, const struct sb_feature *f, const struct vnet_scope *sc)
{
    const struct sb_resource *vnet = state_get(c->state, sc->vnet_id);
    if (!vnet && judge_orphan_subnets(c, f, sc) > 0)
        return;
    if (!vnet || !sb_json_at(vnet->json, "properties.subnets")) {
        const char *id = vnet ? vnet->id : sc->vnet_id;
        struct sb_result *res = ev_result(c, f, id, "Microsoft.Network/virtualNetworks", NULL);
        ev_evidence(res, id, vnet ? "properties.subnets" : "(resource)", NULL,
                    vnet ? "the virtual network's subnets" : "the virtual network in the input");
        ev_set(res, SB_STATUS_NOT_ASSESSED, SB_SEV_MEDIUM, "%s, but %s", sc->reason,
               vnet ? "its subnets are not in the input" : "the virtual network is not in the input");
        ev_remedy(res, "Include the virtual network (Microsoft.Network/virtualNetworks) with its subnets in the "
                  "collection and assess again.");
        return;
    }
    const cJSON *sn;
    cJSON_ArrayForEach(sn, sb_json_at(vnet->json, "properties.subnets"))
        judge_subnet(c, f, sc, vnet->id, sn);
}

/* A hub that offers gateway transit to a VNet missing from the input: that VNet may be behind the
 * ExpressRoute boundary, and nothing can tell, so it is listed (and judged not assessed), never dropped. */
static void add_unknown_transit_spokes(struct vnet_scope **scope, size_t *nscope, size_t nhubs, const struct sb_state *st)
{
    for (size_t h = 0; h < nhubs; h++) {
        const struct sb_resource *hub = state_get(st, (*scope)[h].vnet_id);
        if (!hub)
            continue;
        const cJSON *p;
        cJSON_ArrayForEach(p, sb_json_at(hub->json, "properties.virtualNetworkPeerings"))
        {
            const char *remote = sb_json_str(p, "properties.remoteVirtualNetwork.id");
            if (!remote || sb_json_bool(p, "properties.allowGatewayTransit") != 1 || state_get(st, remote))
                continue;
            char *why = sb_xasprintf("peered with gateway transit from %s; the peered network's own peering (useRemoteGateways) "
                                     "is not in the input", hub->id);
            scope_add(scope, nscope, remote, why);
            free(why);
        }
    }
}

/* ---- Virtual WAN spokes ---- */

struct er_hub {
    const char *hub_id;   /* borrowed */
    char *name;           /* the hub's name (last id segment) */
    char *why;            /* "Virtual WAN hub h1 has ExpressRoute gateway g1" */
};

static void er_hub_add(struct er_hub **v, size_t *n, const char *hub_id, const char *gw)
{
    for (size_t i = 0; i < *n; i++)
        if (sb_ieq((*v)[i].hub_id, hub_id))
            return;
    *v = sb_xrealloc(*v, (*n + 1) * sizeof **v);
    struct er_hub *h = &(*v)[(*n)++];
    h->hub_id = hub_id;
    sb_id_parts(hub_id, NULL, NULL, &h->name);
    char *gname = NULL;
    sb_id_parts(gw, NULL, NULL, &gname);
    h->why = sb_xasprintf("Virtual WAN hub %s has ExpressRoute gateway %s", h->name ? h->name : hub_id,
                          gname ? gname : gw);
    free(gname);
}

/* Hubs known to have an ExpressRoute gateway: named by an expressRouteGateways resource or by the hub itself. */
static size_t er_hubs(struct er_hub **out, const struct sb_state *st)
{
    struct er_hub *v = NULL;
    size_t n = 0;
    const struct sb_resource **rs;
    size_t k = state_list_type(st, "microsoft.network/expressroutegateways", &rs);
    for (size_t i = 0; i < k; i++) {
        const char *hub = sb_json_str(rs[i]->json, "properties.virtualHub.id");
        if (hub)
            er_hub_add(&v, &n, hub, rs[i]->id);
    }
    free(rs);
    k = state_list_type(st, "microsoft.network/virtualhubs", &rs);
    for (size_t i = 0; i < k; i++) {
        const char *gw = sb_json_str(rs[i]->json, "properties.expressRouteGateway.id");
        if (gw)
            er_hub_add(&v, &n, rs[i]->id, gw);
    }
    free(rs);
    *out = v;
    return n;
}

static const struct er_hub *er_hub_by_id(const struct er_hub *v, size_t n, const char *hub_id)
{
    for (size_t i = 0; hub_id && i < n; i++)
        if (sb_ieq(v[i].hub_id, hub_id))
            return &v[i];
    return NULL;
}

/* A hub's managed virtual network is named "HV_<hub name>_<guid>". */
static bool hv_network_of(const char *remote_vnet_id, const char *hub_name)
{
    char *rname = NULL;
    sb_id_parts(remote_vnet_id, NULL, NULL, &rname);
    bool ok = false;
    if (rname && hub_name && sb_istarts(rname, "HV_")) {
        size_t hl = strlen(hub_name);
        ok = strlen(rname) > 3 + hl + 1 && strncasecmp(rname + 3, hub_name, hl) == 0 && rname[3 + hl] == '_';
    }
    free(rname);
    return ok;
}

static void hub_connection(struct vnet_scope **scope, size_t *nscope, const struct er_hub *h, const cJSON *conn)
{
    const char *spoke = sb_json_str(conn, "properties.remoteVirtualNetwork.id");
    if (!spoke || !h)
        return;
    const char *cname = sb_json_str(conn, "name");
    char *why = sb_xasprintf("connected to the Virtual WAN hub by hubVirtualNetworkConnections %s (%s)",
                             cname ? cname : "(unnamed)", h->why);
    scope_add(scope, nscope, spoke, why);
    free(why);
}

/* Spokes of Virtual WAN hubs with an ExpressRoute gateway reach on-premises through it like useRemoteGateways spokes.
 * A spoke peered to a hub network whose hub is not in the input is listed too (its results say why). */
static void add_vwan_spokes(struct vnet_scope **scope, size_t *nscope, struct vnet_scope **unknown, size_t *nunknown,
                            const struct sb_state *st)
{
    struct er_hub *hubs;
    size_t nh = er_hubs(&hubs, st);
    const struct sb_resource **rs;
    size_t k = state_list_type(st, "microsoft.network/virtualhubs", &rs);
    for (size_t i = 0; i < k; i++) {
        const struct er_hub *h = er_hub_by_id(hubs, nh, rs[i]->id);
        const char *const keys[] = {"properties.hubVirtualNetworkConnections", "properties.virtualNetworkConnections"};
        for (size_t j = 0; h && j < 2; j++) {
            const cJSON *conn;
            cJSON_ArrayForEach(conn, sb_json_at(rs[i]->json, keys[j]))
                hub_connection(scope, nscope, h, conn);
        }
    }
    free(rs);
    /* connections given on their own, whose hub is not in the input */
    k = state_list_type(st, "microsoft.network/virtualhubs/hubvirtualnetworkconnections", &rs);
    for (size_t i = 0; i < k; i++) {
        char *hub = sb_id_parent(rs[i]->id);
        hub_connection(scope, nscope, er_hub_by_id(hubs, nh, hub), rs[i]->json);
        free(hub);
    }
    free(rs);
    const struct sb_resource **vnets, **vhubs;
    size_t nv = state_list_type(st, "microsoft.network/virtualnetworks", &vnets);
    size_t nvh = state_list_type(st, "microsoft.network/virtualhubs", &vhubs);
    for (size_t i = 0; i < nv; i++) {
        const cJSON *p;
        cJSON_ArrayForEach(p, sb_json_at(vnets[i]->json, "properties.virtualNetworkPeerings"))
        {
            const char *remote = sb_json_str(p, "properties.remoteVirtualNetwork.id");
            const char *pname = sb_json_str(p, "name");
            char *rname = NULL;
            sb_id_parts(remote, NULL, NULL, &rname);
            bool to_hub = (pname && sb_istarts(pname, "RemoteVnetToHubPeering_")) || (rname && sb_istarts(rname, "HV_"));
            free(rname);
            if (!remote || !to_hub || sb_json_bool(p, "properties.useRemoteGateways") != 1)
                continue;
            const struct er_hub *h = NULL;
            for (size_t j = 0; j < nh && !h; j++)
                if (hv_network_of(remote, hubs[j].name))
                    h = &hubs[j];
            if (h) {
                char *why = sb_xasprintf("peered with useRemoteGateways to the Virtual WAN hub network %s (%s)", remote,
                                         h->why);
                scope_add(scope, nscope, vnets[i]->id, why);
                free(why);
                continue;
            }
            bool hub_known = false;
            for (size_t j = 0; j < nvh && !hub_known; j++)
                hub_known = hv_network_of(remote, vhubs[j]->name) && state_readable(vhubs[j]);
            if (!hub_known) {
                char *why = sb_xasprintf("peered with useRemoteGateways to the Virtual WAN hub network %s; whether that "
                                         "hub has an ExpressRoute gateway is not in the input", remote);
                scope_add(unknown, nunknown, vnets[i]->id, why);
                free(why);
            }
        }
    }
    free(vnets);
    free(vhubs);
    for (size_t i = 0; i < nh; i++) {
        free(hubs[i].name);
        free(hubs[i].why);
    }
    free(hubs);
}

int rule_ns1_nsg_support(struct eval_ctx *c, const struct sb_feature *f)
{
    struct vnet_scope *scope = NULL;
    size_t nscope = 0;
    size_t before = c->out->n;
    const struct sb_resource **gws;
    size_t n = state_list_type(c->state, "microsoft.network/virtualnetworkgateways", &gws);
    for (size_t i = 0; i < n; i++) {
        enum gw_kind k = ev_gateway_kind(gws[i]);
        char *vnet = ev_gateway_vnet_id(gws[i]);
        if (k == GW_EXPRESSROUTE && vnet) {
            char *why = sb_xasprintf("hosts ExpressRoute gateway %s", gws[i]->name ? gws[i]->name : gws[i]->id);
            scope_add(&scope, &nscope, vnet, why);
            free(why);
        } else if (k == GW_UNKNOWN || (k == GW_EXPRESSROUTE && !vnet)) {
            struct sb_result *res = ev_result(c, f, gws[i]->id, GW_TYPE, NULL);
            ev_evidence_json(res, gws[i], k == GW_UNKNOWN ? "properties.gatewayType" : "properties.ipConfigurations",
                             k == GW_UNKNOWN ? "ExpressRoute or Vpn" : "IP configurations naming the gateway's subnet");
            ev_set(res, SB_STATUS_NOT_ASSESSED, SB_SEV_MEDIUM,
                   "Cannot tell which virtual network this gateway serves: the subnets there are not assessed");
            ev_remedy(res, "Collect the gateway with its properties.");
        }
        free(vnet);
    }
    free(gws);
    /* Spokes that use a hub's ExpressRoute gateway (useRemoteGateways) are behind the same boundary. */
    size_t nhubs = nscope;
    const struct sb_resource **vnets;
    size_t nv = state_list_type(c->state, "microsoft.network/virtualnetworks", &vnets);
    for (size_t i = 0; i < nv; i++) {
        const cJSON *peerings = sb_json_at(vnets[i]->json, "properties.virtualNetworkPeerings");
        const cJSON *p;
        cJSON_ArrayForEach(p, peerings)
        {
            if (sb_json_bool(p, "properties.useRemoteGateways") != 1)
                continue;
            const char *remote = sb_json_str(p, "properties.remoteVirtualNetwork.id");
            for (size_t h = 0; remote && h < nhubs; h++)
                if (sb_ieq(remote, scope[h].vnet_id)) {
                    char *why = sb_xasprintf("peered with useRemoteGateways to %s (%s)", remote, scope[h].reason);
                    scope_add(&scope, &nscope, vnets[i]->id, why);
                    free(why);
                }
        }
    }
    free(vnets);
    add_unknown_transit_spokes(&scope, &nscope, nhubs, c->state);
    struct vnet_scope *unknown = NULL;
    size_t nunknown = 0;
    add_vwan_spokes(&scope, &nscope, &unknown, &nunknown, c->state);
    for (size_t i = 0; i < nunknown; i++) {
        bool in_scope = false;
        for (size_t k = 0; k < nscope && !in_scope; k++)
            in_scope = strcmp(scope[k].vnet_id, unknown[i].vnet_id) == 0;
        if (!in_scope) {
            const struct sb_resource *v = state_get(c->state, unknown[i].vnet_id);
            struct sb_result *res = ev_result(c, f, v ? v->id : unknown[i].vnet_id, "Microsoft.Network/virtualNetworks", NULL);
            ev_evidence(res, v ? v->id : unknown[i].vnet_id, "in scope because", unknown[i].reason,
                        "a path to an ExpressRoute gateway");
            ev_set(res, SB_STATUS_NOT_ASSESSED, SB_SEV_MEDIUM, "This virtual network is %s, so its subnets may be "
                   "behind the ExpressRoute boundary", unknown[i].reason);
            ev_remedy(res, "Include the Virtual WAN hubs (Microsoft.Network/virtualHubs) and their ExpressRoute "
                      "gateways (Microsoft.Network/expressRouteGateways) in the input and assess again.");
        }
        free(unknown[i].vnet_id);
        free(unknown[i].reason);
    }
    free(unknown);
    sb_sort(scope, nscope, sizeof *scope, cmp_scope);
    for (size_t i = 0; i < nscope; i++) {
        judge_vnet(c, f, &scope[i]);
        free(scope[i].vnet_id);
        free(scope[i].reason);
    }
    free(scope);
    ev_scope_gaps(c, f, false);
    if (c->out->n == before) {
        ev_nothing_in_scope(c, f, "No virtual network hosting an ExpressRoute gateway (or using one through peering)");
    }
    return 0;
}
