#include "eval.h"

#include "err.h"
#include "eval_ctx.h"
#include "strpool.h"
#include "util.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static const struct {
    const char *id;
    int (*fn)(struct eval_ctx *c, const struct sb_feature *f);
    const char *method;
} rules[] = {
    {"ns1_vnet_integration", rule_ns1_vnet_integration,
     "Reads every virtual network gateway with properties.gatewayType = ExpressRoute and every Virtual WAN "
     "expressRouteGateways resource. Pass: each IP configuration's properties.subnet.id names a subnet called "
     "GatewaySubnet (VNet gateways), or properties.virtualHub.id names a virtual hub (Virtual WAN). Fail otherwise. "
     "Not assessed when gatewayType or the IP configurations are not in the input, or the gateway has neither "
     "properties nor a known az CLI property. Sources: an ARM body, az network vnet-gateway list/show output "
     "(flattened properties, normalised on reading) and a snapshot prove both values; a Resource Graph row proves them "
     "when it carries properties."},
    {"ns1_nsg_support", rule_ns1_nsg_support,
     "Scope: every subnet (properties.subnets[], or subnets given on their own) of a virtual network hosting an "
     "ExpressRoute gateway, of virtual networks peered to it with properties.useRemoteGateways = true, and of Virtual "
     "WAN spokes of a hub with an ExpressRoute gateway (a hubVirtualNetworkConnections entry whose "
     "remoteVirtualNetwork.id is the spoke, or the spoke's RemoteVnetToHubPeering_* peering with useRemoteGateways to "
     "the hub's HV_<hub>_* network). GatewaySubnet passes only with no properties.networkSecurityGroup.id and no "
     "0.0.0.0/0 route in the route table named by properties.routeTable.id (Azure Policy 35f9c03a; baseline note); the "
     "route table must be in the input, else not assessed. Other subnets pass only with properties.networkSecurityGroup.id "
     "set (Azure Policy e71308d3). AzureFirewallSubnet, AzureFirewallManagementSubnet and RouteServerSubnet cannot take "
     "an NSG: not applicable. Sources: an ARM body, az network vnet show/list or vnet subnet list output (flattened, "
     "normalised) and a snapshot prove an NSG's absence; a Resource Graph row does when it carries the subnet's "
     "properties. A subnet with neither properties nor a known property, a spoke peered to a hub network whose hub is "
     "not in the input, and a virtual network missing from the input are not assessed. When complete sources "
     "disagree on a value, the result is not assessed and the evidence shows both."},
    {"im8_key_vault", rule_im8_key_vault,
     "Reads every ExpressRoute Direct port (Microsoft.Network/expressRoutePorts). Pass: every link "
     "(properties.links[]) has properties.macSecConfig.cknSecretIdentifier and cakSecretIdentifier that are Azure "
     "Key Vault secret URIs (https://<vault>.vault.azure.net/secrets/<name>[/<version>], sovereign suffixes too), and "
     "the port has a managed identity (identity.type SystemAssigned or UserAssigned with an identity) to read them. "
     "Sources: an ARM body, az network express-route port show/list output and a snapshot (whose collector completes "
     "ports by ARM GET) prove both: a link without macSecConfig there has MACsec off (fail), a port without identity "
     "has none (fail). A Resource Graph row may not carry macSecConfig (not assessed) and a row without an identity "
     "key is a projection (not assessed); a row with identity null proves there is none. Inputs are merged link by "
     "link, so a partial row never erases an ARM body's macSecConfig. Evidence names vaults and secret names, never "
     "values."},
    {"dp3_transit_encryption", rule_dp3_transit_encryption,
     "Not supported by ExpressRoute (not applicable). The evidence lists compensating controls found: MACsec "
     "cipher, SCI state and secret configuration per ExpressRoute Direct link, and IPsec connections "
     "(connectionType IPsec, useLocalAzureIpAddress = true) from VPN gateways with enablePrivateIpAddress = true, "
     "i.e. IPsec over ExpressRoute private peering. Any source shape is read; the list is informative, never a verdict."},
    {"lt4_resource_logs", rule_lt4_resource_logs,
     "Reads the diagnostic settings (Microsoft.Insights/diagnosticSettings) of every ExpressRoute circuit and every "
     "ExpressRoute virtual network gateway. Pass: one setting has a destination (workspaceId, storageAccountId, "
     "eventHubAuthorizationRuleId, serviceBusRuleId or marketplacePartnerId) and enables logs: circuits category "
     "PeeringRouteLog or category group allLogs; ExpressRoute gateways GatewayDiagnosticLog or RouteDiagnosticLog "
     "(the categories an ExpressRoute gateway emits) or allLogs. TunnelDiagnosticLog, IKEDiagnosticLog and "
     "P2SDiagnosticLog carry VPN events only and do not count; the audit group does not count. Fail when settings "
     "exist and none qualifies (the summary names what is enabled and what is missing), or a snapshot records that "
     "the settings were collected and none exist. Sources: an ARM list of settings, az monitor diagnostic-settings "
     "list output (logs and workspaceId at the top level, normalised) and a snapshot prove what is configured; a "
     "setting present proves the resource's settings were read, but only a snapshot's collected record proves that "
     "none exist. Resource Graph does not hold diagnostic settings. Not assessed when the settings were not collected, "
     "their collection failed, or a setting's shape is not understood. Virtual WAN ExpressRoute gateways and "
     "ExpressRoute Direct ports are not judged: no resource-log categories are documented for them."},
    {"br1_native_backup", rule_br1_native_backup,
     "Reads every virtual network hosting an ExpressRoute gateway (and every virtual hub with a Virtual WAN "
     "ExpressRoute gateway). Pass: the same VNet hosts a route-based, non-Basic VPN gateway with an IPsec connection "
     "whose useLocalAzureIpAddress is not true (so it does not ride the private peering) and whose connectionStatus, "
     "when present, is Connected; or the hub's VPN gateway has a connection with a vpnLinkConnection that is not "
     "useLocalAzureIpAddress (and not reported down). A connection that is NotConnected (or any status but Connected) "
     "is no evidence of a working path: manual, with the status. Otherwise manual: Microsoft gives no guidance, the "
     "organisation decides. Sources: ARM bodies, az network vpn-connection list / vnet-gateway list output and "
     "snapshots prove the configuration; connectionStatus is the state when the input was exported, so a pass is "
     "only as current as the input. A connection missing from the input is not counted (never a pass)."},
};

static int cmp_str_ptr(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

int eval_rule_known(const char *rule)
{
    for (size_t i = 0; i < sizeof rules / sizeof *rules; i++)
        if (strcmp(rules[i].id, rule) == 0)
            return 1;
    return 0;
}

const char *eval_rule_method(const char *rule)
{
    for (size_t i = 0; rule && i < sizeof rules / sizeof *rules; i++)
        if (strcmp(rules[i].id, rule) == 0)
            return rules[i].method;
    return NULL;
}

char *eval_finding_id(const char *baseline_id, const char *control_id, const char *feature_name,
                      const char *resource_id)
{
    char *lc = sb_lower(resource_id ? resource_id : "");
    char *key = sb_xasprintf("%s|%s|%s|%s", baseline_id, control_id, feature_name, lc);
    char hex[65];
    sb_sha256_hex(key, strlen(key), hex);
    hex[16] = '\0';
    char *id = sb_xasprintf("%s-%s-%s", baseline_id, control_id, hex);
    free(lc);
    free(key);
    return id;
}

struct sb_result *ev_result(struct eval_ctx *c, const struct sb_feature *f, const char *resource_id,
                            const char *resource_type, const char *display_name)
{
    void *arr = c->out->items;
    sb_grow(&arr, &c->out->cap, c->out->n + 1, sizeof *c->out->items);
    c->out->items = arr;
    struct sb_result *res = &c->out->items[c->out->n++];
    memset(res, 0, sizeof *res);
    res->control = f->control;
    res->feature = f;
    struct sb_strpool *p = res->strings = c->out->strings;
    char *id = eval_finding_id(c->baseline->id, f->control->id, f->name, resource_id);
    res->id = sb_strpool_intern(p, id);
    free(id);
    if (!sb_empty(resource_id)) {
        res->resource_id = sb_strpool_intern(p, resource_id);
        char *sub, *rg, *name;
        sb_id_parts(resource_id, &sub, &rg, &name);
        res->subscription_id = sb_strpool_intern(p, sub);
        res->resource_group = sb_strpool_intern(p, rg);
        res->resource_name = sb_strpool_intern(p, display_name ? display_name : name);
        free(sub);
        free(rg);
        free(name);
        res->resource_type = sb_strpool_intern(p, resource_type);
    }
    res->status = SB_STATUS_NOT_ASSESSED;
    return res;
}

void ev_set(struct sb_result *res, enum sb_status st, enum sb_severity sev, const char *fmt, ...)
{
    res->status = st;
    res->severity = (st == SB_STATUS_FAIL || st == SB_STATUS_NOT_ASSESSED) ? sev : SB_SEV_NONE;
    va_list ap;
    va_start(ap, fmt);
    char buf[2048];
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    res->summary = sb_strpool_intern(res->strings, buf);
}

void ev_remedy(struct sb_result *res, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char buf[2048];
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    res->remediation = sb_strpool_intern(res->strings, buf);
}

void ev_evidence(struct sb_result *res, const char *resource_id, const char *path, const char *value,
                 const char *expected)
{
    res->evidence = sb_xrealloc(res->evidence, (res->nevidence + 1) * sizeof *res->evidence);
    struct sb_evidence *ev = &res->evidence[res->nevidence++];
    struct sb_strpool *p = res->strings;
    ev->resource_id = sb_strpool_intern(p, resource_id);
    ev->path = sb_strpool_intern(p, path);
    ev->value = sb_strpool_intern(p, sb_empty(value) ? "(absent)" : value);
    ev->expected = sb_strpool_intern(p, expected);
    ev->source = NULL;
}

void ev_evidence_json(struct sb_result *res, const struct sb_resource *r, const char *path, const char *expected)
{
    char *v = sb_json_text(sb_json_at(r->json, path));
    ev_evidence(res, r->id, path, v, expected);
    free(v);
}

enum gw_kind ev_gateway_kind(const struct sb_resource *gw)
{
    const char *t = sb_json_str(gw->json, "properties.gatewayType");
    if (!t)
        return GW_UNKNOWN;
    if (strcasecmp(t, "ExpressRoute") == 0)
        return GW_EXPRESSROUTE;
    if (strcasecmp(t, "Vpn") == 0)
        return GW_VPN;
    return GW_OTHER;
}

char *ev_gateway_vnet_id(const struct sb_resource *gw)
{
    const cJSON *ipc = sb_json_at(gw->json, "properties.ipConfigurations");
    const cJSON *it;
    cJSON_ArrayForEach(it, ipc)
    {
        const char *sid = sb_json_str(it, "properties.subnet.id");
        if (sid) {
            char *vnet = sb_id_parent(sid);
            if (vnet)
                return vnet;
        }
    }
    return NULL;
}

char *ev_gap_text(const struct sb_gap *g)
{
    struct sb_buf b = {0};
    if (g->http_status)
        sb_buf_printf(&b, "HTTP %d", g->http_status);
    if (g->error_code)
        sb_buf_printf(&b, "%s%s", b.len ? " " : "", g->error_code);
    if (g->message)
        sb_buf_printf(&b, "%s%s", b.len ? ": " : "", g->message);
    if (!b.len)
        sb_buf_puts(&b, "not collected");
    return sb_buf_take(&b);
}

/* How a gap's scope is named in reports: "subscription Prod", "management group mg-contoso", or the resource name. */
static char *scope_display(const struct sb_state *st, const char *scope_id)
{
    if (!scope_id)
        return sb_xstrdup("(whole scope)");
    if (sb_istarts(scope_id, "/subscriptions/") && !strchr(scope_id + 15, '/')) {
        const char *sub = scope_id + 15;
        for (size_t k = 0; k < st->nsubscriptions; k++)
            if (sb_ieq(st->subscriptions[k].id, sub) && st->subscriptions[k].name)
                return sb_xasprintf("subscription %s", st->subscriptions[k].name);
        return sb_xasprintf("subscription %s", sub);
    }
    char *name = NULL;
    sb_id_parts(scope_id, NULL, NULL, &name);
    char *display = sb_icontains(scope_id, "/managementGroups/") ? sb_xasprintf("management group %s", name ? name : scope_id)
                                                                 : sb_xstrdup(name ? name : scope_id);
    free(name);
    return display;
}

size_t ev_scope_gaps(struct eval_ctx *c, const struct sb_feature *f, bool diag_only)
{
    const struct sb_state *st = c->state;
    size_t added = 0;
    for (size_t i = 0; i < st->ngaps; i++) {
        const struct sb_gap *g = &st->gaps[i];
        if (state_get(st, g->scope))
            continue; /* resource-level gaps are handled by the rule reading that resource */
        bool is_diag = g->collection && strcasecmp(g->collection, "diagnosticSettings") == 0;
        if (is_diag && !diag_only)
            continue;
        /* One result per scope and feature: several gaps on one scope become several evidence items. */
        const char *scope_id = strcmp(g->scope, "/") == 0 ? NULL : g->scope;
        struct sb_result *res = NULL;
        char *fid = eval_finding_id(c->baseline->id, f->control->id, f->name, scope_id);
        for (size_t k = 0; k < c->out->n; k++)
            if (strcmp(c->out->items[k].id, fid) == 0)
                res = &c->out->items[k];
        free(fid);
        if (!res) {
            char *display = scope_display(st, scope_id);
            bool is_sub = scope_id && sb_istarts(scope_id, "/subscriptions/") && !strchr(scope_id + 15, '/');
            res = ev_result(c, f, scope_id, is_sub ? "Microsoft.Resources/subscriptions" : NULL, display);
            free(display);
            ev_set(res, SB_STATUS_NOT_ASSESSED, SB_SEV_MEDIUM,
                   "Part of the estate could not be collected (%s): resources there are not assessed",
                   scope_id ? scope_id : "whole scope");
            /* An input file that is one page of a longer listing needs the rest of the listing, not a permission. */
            if (g->request && sb_istarts(g->request, "input "))
                ev_remedy(res, "Complete the input: %s", g->message ? g->message : g->request);
            else
                ev_remedy(res, "Grant the collecting identity Reader on %s (and Monitoring Reader for diagnostic "
                          "settings), then collect again.", scope_id ? scope_id : "the scope");
            added++;
        }
        char *val = ev_gap_text(g);
        ev_evidence(res, g->scope, g->request ? g->request : (g->collection ? g->collection : "collection"), val,
                    "collected without error");
        free(val);
    }
    return added;
}

/* Lower-case types of the top-level resources read, with counts: "microsoft.network/routetables (2), ...". */
static char *types_read(const struct sb_state *st)
{
    struct sb_buf b = {0};
    const char *prev = NULL;
    /* resources are sorted by id, not type: count each distinct type once, in type order */
    char **types = sb_xcalloc(st->nresources ? st->nresources : 1, sizeof *types);
    size_t nt = 0;
    for (size_t i = 0; i < st->nresources; i++)
        if (!st->resources[i]->parent && st->resources[i]->type_lc)
            types[nt++] = st->resources[i]->type_lc;
    sb_sort(types, nt, sizeof *types, cmp_str_ptr);
    for (size_t i = 0; i < nt;) {
        size_t j = i;
        while (j < nt && strcmp(types[j], types[i]) == 0)
            j++;
        sb_buf_printf(&b, "%s%s (%zu)", prev ? ", " : "", types[i], j - i);
        prev = types[i];
        i = j;
    }
    free(types);
    return b.len ? sb_buf_take(&b) : sb_xstrdup("none");
}

void ev_nothing_in_scope(struct eval_ctx *c, const struct sb_feature *f, const char *what)
{
    struct sb_result *res = ev_result(c, f, NULL, NULL, NULL);
    if (c->state->nresources == 0) {
        ev_evidence(res, NULL, "resources in the inputs", "0", "the resources of the assessed estate");
        ev_set(res, SB_STATUS_NOT_ASSESSED, SB_SEV_MEDIUM, "the inputs hold no resources");
        ev_remedy(res, "Check that the input files are the intended exports (an empty list or a filtered query gives "
                  "no resources), then assess again.");
        return;
    }
    char *types = types_read(c->state);
    ev_evidence(res, NULL, "resource types read", types, what);
    ev_set(res, SB_STATUS_NOT_APPLICABLE, SB_SEV_NONE, "%s in the input; resource types read: %s", what, types);
    free(types);
}

bool ev_unreadable(struct sb_result *res, const struct sb_resource *r)
{
    if (state_readable(r))
        return false;
    bool bare = true;
    const cJSON *it;
    cJSON_ArrayForEach(it, r->json)
    {
        if (it->string && strcasecmp(it->string, "id") && strcasecmp(it->string, "name") && strcasecmp(it->string, "type") &&
            strcasecmp(it->string, "location") && strcasecmp(it->string, "tags") && strcasecmp(it->string, "resourceGroup") &&
            strcasecmp(it->string, "subscriptionId") && strcasecmp(it->string, "tenantId"))
            bare = false;
    }
    ev_evidence(res, r->id, "properties", NULL, "the resource's properties (ARM `properties`, or az CLI properties)");
    if (bare)
        ev_set(res, SB_STATUS_NOT_ASSESSED, SB_SEV_MEDIUM,
               "The input gives this %s with its id, name and type only (no properties): nothing can be read",
               r->type ? r->type : "resource");
    else
        ev_set(res, SB_STATUS_NOT_ASSESSED, SB_SEV_MEDIUM,
               "The input gives this %s with neither `properties` nor any property this tool knows for its type: "
               "the shape is not understood, so nothing is read from it", r->type ? r->type : "resource");
    ev_remedy(res, "Export the resource as ARM returns it (az rest, az resource show, or az ... show/list -o json) "
              "or collect it with mcsb-audit collect, then assess again.");
    return true;
}

/* Fill each new evidence item's source; a verdict resting on a value complete sources disagree on is not a pass. */
static void add_sources(struct eval_ctx *c, size_t from)
{
    for (size_t i = from; i < c->out->n; i++) {
        struct sb_result *res = &c->out->items[i];
        const char *conflict_path = NULL;
        for (size_t k = 0; k < res->nevidence; k++) {
            struct sb_evidence *ev = &res->evidence[k];
            if (ev->source)
                continue;
            bool conflict = false;
            char *source = state_value_source(c->state, ev->resource_id, ev->path, &conflict);
            ev->source = sb_strpool_intern(res->strings, source);
            free(source);
            if (conflict && !conflict_path)
                conflict_path = ev->path;
        }
        if (conflict_path && res->status == SB_STATUS_PASS) {
            const char *was = res->summary; /* pooled: stays valid */
            ev_set(res, SB_STATUS_NOT_ASSESSED, SB_SEV_MEDIUM,
                   "The inputs disagree on %s (see the evidence), so the verdict cannot be trusted; with the first "
                   "input's value it would pass: %s", conflict_path, was ? was : "");
            ev_remedy(res, "Export the resource once, from one point in time, and assess again.");
        }
    }
}

/* Controls and features live in arrays owned by the baseline, so pointer order is baseline order. */
static int cmp_results(const void *a, const void *b)
{
    const struct sb_result *x = a, *y = b;
    if (x->control != y->control)
        return x->control < y->control ? -1 : 1;
    if (x->feature != y->feature)
        return x->feature < y->feature ? -1 : 1;
    if (!x->resource_id || !y->resource_id) {
        int d = (x->resource_id != NULL) - (y->resource_id != NULL);
        if (d)
            return d;
    } else {
        int c = strcasecmp(x->resource_id, y->resource_id);
        if (c)
            return c;
    }
    return strcmp(x->id, y->id);
}

static void not_supported(struct eval_ctx *c, const struct sb_feature *f)
{
    struct sb_result *res = ev_result(c, f, NULL, NULL, NULL);
    if (f->notes)
        ev_set(res, SB_STATUS_NOT_APPLICABLE, SB_SEV_NONE, "not supported by the service. %s", f->notes);
    else
        ev_set(res, SB_STATUS_NOT_APPLICABLE, SB_SEV_NONE, "not supported by the service");
}

static void no_rule(struct eval_ctx *c, const struct sb_feature *f)
{
    struct sb_result *res = ev_result(c, f, NULL, NULL, NULL);
    ev_set(res, SB_STATUS_MANUAL, SB_SEV_NONE,
           "No automated check exists for this feature: review the configuration against the guidance and attest");
    ev_remedy(res, "%s", f->guidance ? f->guidance : "Review the feature's configuration and record an attestation.");
}

void eval_results_free(struct sb_results *out)
{
    for (size_t i = 0; i < out->n; i++)
        free(out->items[i].evidence); /* the strings are the pool's */
    free(out->items);
    sb_strpool_free(out->strings);
    memset(out, 0, sizeof *out);
}

int eval_baseline(struct sb_results *out, const struct sb_baseline *b, const struct sb_state *st, struct sb_err *e)
{
    struct eval_ctx c = {b, st, out};
    if (!out->strings)
        out->strings = sb_strpool_new();
    for (size_t i = 0; i < b->ncontrols; i++) {
        const struct sb_control *ctl = &b->controls[i];
        for (size_t k = 0; k < ctl->nfeatures; k++) {
            const struct sb_feature *f = &ctl->features[k];
            size_t before = out->n;
            if (f->rule) {
                size_t r;
                for (r = 0; r < sizeof rules / sizeof *rules; r++)
                    if (strcmp(rules[r].id, f->rule) == 0)
                        break;
                if (r == sizeof rules / sizeof *rules)
                    return sb_err_set(e, SB_EXIT_INPUT, "%s: %s \"%s\": unknown rule \"%s\"", b->path ? b->path : "baseline",
                                      ctl->id, f->name, f->rule);
                if (rules[r].fn(&c, f) != 0)
                    return -1;
                add_sources(&c, before);
            } else if (f->supported != SB_TRI_TRUE) {
                not_supported(&c, f);
            } else {
                no_rule(&c, f);
            }
            /* Every feature is listed, even when nothing could be checked. */
            if (out->n == before)
                no_rule(&c, f);
        }
    }
    sb_sort(out->items, out->n, sizeof *out->items, cmp_results);
    return 0;
}
