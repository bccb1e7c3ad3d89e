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

/* A resource keyed by a lower-cased id it points at (gateway -> its VNet, connection -> its gateway, ...).
 * Sorted by key, so every lookup is a binary search: estates have thousands of each. */
struct keyed {
    char *key;
    const struct sb_resource *r;
};

static int cmp_keyed(const void *a, const void *b)
{
    const struct keyed *x = a, *y = b;
    int c = strcmp(x->key, y->key);
    return c ? c : strcmp(x->r->id_lc, y->r->id_lc);
}

static size_t build_index(struct keyed **out, const struct sb_state *st, const char *type,
                          char *(*key_of)(const struct sb_resource *))
{
    const struct sb_resource **rs;
    size_t n = state_list_type(st, type, &rs), k = 0;
    struct keyed *v = sb_xcalloc(n ? n : 1, sizeof *v);
    for (size_t i = 0; i < n; i++) {
        char *key = key_of(rs[i]);
        if (!key)
            continue;
        v[k].key = sb_lower(key);
        v[k].r = rs[i];
        free(key);
        k++;
    }
    free(rs);
    sb_sort(v, k, sizeof *v, cmp_keyed);
    *out = v;
    return k;
}

static void free_index(struct keyed *v, size_t n)
{
    for (size_t i = 0; i < n; i++)
        free(v[i].key);
    free(v);
}

/* [first, last) of the entries whose key equals `key` (lower-case). */
static size_t range(const struct keyed *v, size_t n, const char *key, size_t *first)
{
    size_t lo = 0, hi = n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (strcmp(v[mid].key, key) < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    *first = lo;
    size_t end = lo;
    while (end < n && strcmp(v[end].key, key) == 0)
        end++;
    return end - lo;
}

static char *gateway1_of(const struct sb_resource *cn)
{
    return sb_xstrdup(sb_json_str(cn->json, "properties.virtualNetworkGateway1.id"));
}

static char *hub_of(const struct sb_resource *r)
{
    return sb_xstrdup(sb_json_str(r->json, "properties.virtualHub.id"));
}

/* What the connections offer: counted backups, and connections that would count but are not Connected. */
struct backup_count {
    int ok;
    int down;            /* IPsec, independent of the private peering, but connectionStatus present and not Connected */
    struct sb_buf statuses;
};

/* connectionStatus when present must be Connected: a configured but broken tunnel is no working backup. */
static bool status_ok(const char *status)
{
    return !status || sb_ieq(status, "Connected");
}

/* IPsec connections of a VPN gateway that do not ride the private peering. */
static void backup_connections(struct sb_result *res, const struct keyed *conns, size_t nconns,
                               const struct sb_resource *vpn, struct backup_count *bc)
{
    size_t first, n = range(conns, nconns, vpn->id_lc, &first);
    for (size_t i = first; i < first + n; i++) {
        const struct sb_resource *cn = conns[i].r;
        const char *ctype = sb_json_str(cn->json, "properties.connectionType");
        const char *status = sb_json_str(cn->json, "properties.connectionStatus");
        int over_er = sb_json_bool(cn->json, "properties.useLocalAzureIpAddress");
        char *v = sb_xasprintf("connectionType %s, useLocalAzureIpAddress %s",
                               ctype ? ctype : "(absent)", over_er == 1 ? "true" : over_er == 0 ? "false" : "(absent)");
        ev_evidence(res, cn->id, "properties.connectionType", v,
                    "IPsec, useLocalAzureIpAddress not true (independent of the private peering)");
        free(v);
        ev_evidence(res, cn->id, "properties.connectionStatus", status, "Connected (or not reported)");
        if (!sb_ieq(ctype, "IPsec") || over_er == 1)
            continue;
        if (status_ok(status)) {
            bc->ok++;
        } else {
            bc->down++;
            sb_buf_printf(&bc->statuses, "%s%s %s", bc->statuses.len ? ", " : "", cn->name ? cn->name : cn->id, status);
        }
    }
}

/* One VNet hosting an ExpressRoute gateway: gws[0..n) are every gateway in it. */
static void judge_vnet(struct eval_ctx *c, const struct sb_feature *f, const char *vnet_lc, const struct keyed *gws,
                       size_t n, const struct keyed *conns, size_t nconns)
{
    const struct sb_resource *vnet = state_get(c->state, vnet_lc);
    char *vnet_id = ev_gateway_vnet_id(gws[0].r); /* original case, for display */
    struct sb_result *res = ev_result(c, f, vnet ? vnet->id : vnet_id ? vnet_id : vnet_lc,
                                      "Microsoft.Network/virtualNetworks", NULL);
    free(vnet_id);
    int backups = 0, vpns = 0;
    struct backup_count bc = {0};
    for (size_t i = 0; i < n; i++) {
        const struct sb_resource *gw = gws[i].r;
        enum gw_kind k = ev_gateway_kind(gw);
        if (k == GW_EXPRESSROUTE) {
            ev_evidence_json(res, gw, "properties.gatewayType", "ExpressRoute gateway in this VNet");
            continue;
        }
        if (k != GW_VPN)
            continue;
        vpns++;
        const char *vpntype = sb_json_str(gw->json, "properties.vpnType");
        const char *sku = sb_json_str(gw->json, "properties.sku.name");
        char *v = sb_xasprintf("vpnType %s, sku %s", vpntype ? vpntype : "(absent)", sku ? sku : "(absent)");
        ev_evidence(res, gw->id, "properties.vpnType", v, "RouteBased, not Basic SKU (coexistence)");
        free(v);
        bool eligible = sb_ieq(vpntype, "RouteBased") && !sb_ieq(sku, "Basic");
        struct backup_count one = {0};
        backup_connections(res, conns, nconns, gw, &one);
        if (eligible) {
            backups += one.ok;
            bc.down += one.down;
            if (one.statuses.len)
                sb_buf_printf(&bc.statuses, "%s%s", bc.statuses.len ? ", " : "", one.statuses.data);
        }
        sb_buf_free(&one.statuses);
    }
    if (backups == 0 && bc.down > 0) {
        ev_set(res, SB_STATUS_MANUAL, SB_SEV_NONE,
               "A route-based VPN gateway has %d IPsec connection(s) independent of the private peering, but none is "
               "Connected (%s): not evidence of a working backup path; check the tunnel and attest", bc.down,
               bc.statuses.data);
        ev_remedy(res, "%s", REMEDY);
    } else if (backups > 0) {
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
    sb_buf_free(&bc.statuses);
}

/* A hub with an ExpressRoute gateway, and the resource that says so (the gateway, or the hub itself). */
struct er_hub {
    char *hub_lc;
    const char *hub_id;
    const struct sb_resource *said_by;
    const char *path;
};

static int cmp_er_hub(const void *a, const void *b)
{
    const struct er_hub *x = a, *y = b;
    int c = strcmp(x->hub_lc, y->hub_lc);
    return c ? c : strcmp(x->path, y->path);
}

static void judge_hub(struct eval_ctx *c, const struct sb_feature *f, const struct er_hub *h,
                      const struct keyed *vpngws, size_t nvpn)
{
    const char *hub_id = h->hub_id;
    struct sb_result *res = ev_result(c, f, hub_id, "Microsoft.Network/virtualHubs", NULL);
    ev_evidence_json(res, h->said_by, h->path, "an ExpressRoute gateway in this hub");
    char *lc = sb_lower(hub_id);
    size_t first, n = range(vpngws, nvpn, lc, &first);
    free(lc);
    int backups = 0, down = 0, over_er = 0;
    struct sb_buf statuses = {0};
    for (size_t i = first; i < first + n; i++) {
        const struct sb_resource *vpn = vpngws[i].r;
        const cJSON *conns = sb_json_at(vpn->json, "properties.connections");
        int nc = cJSON_IsArray(conns) ? cJSON_GetArraySize(conns) : 0;
        char *v = sb_xasprintf("%d site-to-site connection(s)", nc);
        ev_evidence(res, vpn->id, "properties.connections", v, "a VPN connection in the same hub");
        free(v);
        const cJSON *cn;
        cJSON_ArrayForEach(cn, conns)
        {
            const char *cid = sb_json_str(cn, "id");
            const char *cname = sb_json_str(cn, "name");
            const char *status = sb_json_str(cn, "properties.connectionStatus");
            /* A link connection with useLocalAzureIpAddress runs IPsec over the ExpressRoute private peering: it
             * fails with ExpressRoute, so it is no independent path. */
            int links = 0, independent = 0, independent_up = 0;
            const cJSON *lk;
            cJSON_ArrayForEach(lk, sb_json_at(cn, "properties.vpnLinkConnections"))
            {
                links++;
                if (sb_json_bool(lk, "properties.useLocalAzureIpAddress") == 1)
                    continue;
                independent++;
                independent_up += status_ok(sb_json_str(lk, "properties.connectionStatus"));
            }
            char *lv = sb_xasprintf("%d link connection(s), %d not useLocalAzureIpAddress (%d of them not reported "
                                    "down); connectionStatus %s", links, independent, independent_up,
                                    status ? status : "(absent)");
            ev_evidence(res, cid ? cid : vpn->id, "properties.vpnLinkConnections", lv,
                        "a link connection not over the private peering (useLocalAzureIpAddress not true), Connected");
            free(lv);
            if (independent_up > 0 && status_ok(status)) {
                backups++;
            } else if (independent > 0) {
                down++;
                sb_buf_printf(&statuses, "%s%s %s", statuses.len ? ", " : "", cname ? cname : (cid ? cid : "?"),
                              status ? status : "links not Connected");
            } else if (links > 0) {
                over_er++;
            }
        }
    }
    if (backups > 0) {
        ev_set(res, SB_STATUS_PASS, SB_SEV_NONE,
               "The hub's VPN gateway has %d connection(s) with a link independent of the private peering that can "
               "back up ExpressRoute", backups);
    } else {
        if (down > 0)
            ev_set(res, SB_STATUS_MANUAL, SB_SEV_NONE,
                   "The hub's VPN connection(s) independent of the private peering are not Connected (%s): not "
                   "evidence of a working backup path; check them and attest", statuses.data);
        else if (over_er > 0)
            ev_set(res, SB_STATUS_MANUAL, SB_SEV_NONE,
                   "The hub's VPN connection(s) run only over the ExpressRoute private peering (useLocalAzureIpAddress): "
                   "no independent backup path; decide and attest whether one is needed");
        else
            ev_set(res, SB_STATUS_MANUAL, SB_SEV_NONE,
                   "No VPN connection with a link independent of the private peering backs up ExpressRoute in this "
                   "Virtual WAN hub: decide and attest whether one is needed");
        ev_remedy(res, "%s", REMEDY);
    }
    sb_buf_free(&statuses);
}

int rule_br1_native_backup(struct eval_ctx *c, const struct sb_feature *f)
{
    size_t before = c->out->n;
    struct keyed *gws, *conns, *vpngws;
    size_t ngw = build_index(&gws, c->state, "microsoft.network/virtualnetworkgateways", ev_gateway_vnet_id);
    size_t nconn = build_index(&conns, c->state, "microsoft.network/connections", gateway1_of);
    size_t nvpn = build_index(&vpngws, c->state, "microsoft.network/vpngateways", hub_of);
    /* gateways are grouped by their VNet: judge each VNet that hosts an ExpressRoute gateway */
    for (size_t i = 0; i < ngw;) {
        size_t j = i;
        bool has_er = false;
        while (j < ngw && strcmp(gws[j].key, gws[i].key) == 0)
            has_er |= ev_gateway_kind(gws[j++].r) == GW_EXPRESSROUTE;
        if (has_er)
            judge_vnet(c, f, gws[i].key, &gws[i], j - i, conns, nconn);
        i = j;
    }
    /* Hubs named by a Virtual WAN ExpressRoute gateway, or naming one themselves: each judged once. */
    struct er_hub *hubs = NULL;
    size_t nh = 0;
    const struct sb_resource **rs;
    size_t n = state_list_type(c->state, "microsoft.network/expressroutegateways", &rs);
    for (size_t i = 0; i < n; i++) {
        const char *hub = sb_json_str(rs[i]->json, "properties.virtualHub.id");
        if (hub) {
            hubs = sb_xrealloc(hubs, (nh + 1) * sizeof *hubs);
            hubs[nh++] = (struct er_hub){sb_lower(hub), hub, rs[i], "properties.virtualHub.id"};
        }
    }
    free(rs);
    n = state_list_type(c->state, "microsoft.network/virtualhubs", &rs);
    for (size_t i = 0; i < n; i++)
        if (sb_json_str(rs[i]->json, "properties.expressRouteGateway.id")) {
            hubs = sb_xrealloc(hubs, (nh + 1) * sizeof *hubs);
            hubs[nh++] = (struct er_hub){sb_xstrdup(rs[i]->id_lc), rs[i]->id, rs[i], "properties.expressRouteGateway.id"};
        }
    free(rs);
    sb_sort(hubs, nh, sizeof *hubs, cmp_er_hub);
    for (size_t i = 0; i < nh; i++) {
        if (i == 0 || strcmp(hubs[i].hub_lc, hubs[i - 1].hub_lc) != 0)
            judge_hub(c, f, &hubs[i], vpngws, nvpn);
    }
    for (size_t i = 0; i < nh; i++)
        free(hubs[i].hub_lc);
    free(hubs);
    free_index(gws, ngw);
    free_index(conns, nconn);
    free_index(vpngws, nvpn);
    ev_scope_gaps(c, f, false);
    if (c->out->n == before) {
        ev_nothing_in_scope(c, f, "No virtual network or hub hosting an ExpressRoute gateway");
    }
    return 0;
}
