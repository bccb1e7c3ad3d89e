/* LT-4: Azure Resource Logs of circuits and ExpressRoute gateways. */
#include "eval_ctx.h"

#include "util.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

static const char *const circuit_categories[] = {"PeeringRouteLog"};
/* An ExpressRoute gateway emits GatewayDiagnosticLog and RouteDiagnosticLog (ExpressRoute monitoring data reference);
 * the other categories of Microsoft.Network/virtualNetworkGateways carry VPN events only. */
static const char *const gateway_categories[] = {"GatewayDiagnosticLog", "RouteDiagnosticLog"};
static const char *const vpn_only_categories[] = {"TunnelDiagnosticLog", "IKEDiagnosticLog", "P2SDiagnosticLog"};

static const char *const destinations[] = {"properties.workspaceId", "properties.storageAccountId",
                                           "properties.eventHubAuthorizationRuleId", "properties.serviceBusRuleId",
                                           "properties.marketplacePartnerId"};

struct log_kind {
    const char *const *categories;
    size_t ncategories;
    const char *what;
    const char *noun;
    const char *what_short;
};

static bool in_list(const char *s, const char *const *list, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (sb_ieq(s, list[i]))
            return true;
    return false;
}

/* Which of the resource's logs a setting enables: "allLogs" or matching categories. Caller frees; NULL if none.
 * Every other enabled log is listed in *other (caller frees; NULL if none), so a fail can say what is on. */
static char *enabled_logs(const cJSON *setting, const struct log_kind *k, char **other)
{
    struct sb_buf b = {0}, o = {0};
    const cJSON *log;
    cJSON_ArrayForEach(log, sb_json_at(setting, "properties.logs"))
    {
        if (sb_json_bool(log, "enabled") != 1)
            continue;
        const char *cat = sb_json_str(log, "category");
        const char *grp = sb_json_str(log, "categoryGroup");
        /* The "audit" group is not known to carry PeeringRouteLog or gateway logs; only allLogs covers them. */
        if (sb_ieq(grp, "allLogs"))
            sb_buf_printf(&b, "%scategoryGroup allLogs", b.len ? ", " : "");
        else if (cat && in_list(cat, k->categories, k->ncategories))
            sb_buf_printf(&b, "%scategory %s", b.len ? ", " : "", cat);
        else if (cat || grp)
            sb_buf_printf(&o, "%s%s %s%s", o.len ? ", " : "", cat ? "category" : "categoryGroup", cat ? cat : grp,
                          cat && in_list(cat, vpn_only_categories, 3) ? " (VPN events only)" : "");
    }
    *other = o.len ? sb_buf_take(&o) : NULL;
    return b.len ? sb_buf_take(&b) : NULL;
}

static const char *destination_of(const cJSON *setting, const char **path)
{
    for (size_t i = 0; i < sizeof destinations / sizeof *destinations; i++) {
        const char *d = sb_json_str(setting, destinations[i]);
        if (d) {
            *path = destinations[i];
            return d;
        }
    }
    *path = "properties.workspaceId";
    return NULL;
}

static void remedy(struct sb_result *res, const struct log_kind *k)
{
    ev_remedy(res,
              "Create a diagnostic setting on the %s that sends %s (or the allLogs category group) to a Log Analytics "
              "workspace, storage account or event hub; Azure Policy can deploy it at scale.",
              k->noun, k->what);
}

static void judge(struct eval_ctx *c, const struct sb_feature *f, const struct sb_resource *r, const char *type,
                  const struct log_kind *k)
{
    struct sb_result *res = ev_result(c, f, r->id, type, NULL);
    char expected[256];
    snprintf(expected, sizeof expected, "a destination and enabled logs (%s%s or categoryGroup allLogs)",
             k->ncategories > 1 ? "one of " : "category ", k->what);
    bool pass = false;
    size_t unreadable = 0;
    bool logs_no_dest = false;
    struct sb_buf on = {0};
    for (size_t i = 0; i < r->ndiagnostic_settings; i++) {
        const struct sb_resource *ds = r->diagnostic_settings[i];
        if (!state_readable(ds)) {
            /* neither `properties` nor a known az CLI member: the setting's content is unknown, not empty */
            ev_evidence(res, ds->id, "properties", NULL, "the setting's logs and destination (ARM or az CLI shape)");
            unreadable++;
            continue;
        }
        const char *dpath;
        const char *dest = destination_of(ds->json, &dpath);
        char *other = NULL;
        char *logs = enabled_logs(ds->json, k, &other);
        ev_evidence(res, ds->id, dpath, dest, "a Log Analytics workspace, storage account, event hub or partner");
        ev_evidence(res, ds->id, "properties.logs[enabled]", logs ? logs : "(no qualifying log enabled)", expected);
        if (other)
            ev_evidence(res, ds->id, "properties.logs[enabled, other]", other, "(not counted for this resource)");
        if (logs || other)
            sb_buf_printf(&on, "%s%s%s%s", on.len ? "; " : "", logs ? logs : "", logs && other ? ", " : "",
                          other ? other : "");
        pass |= dest && logs;
        logs_no_dest |= logs && !dest;
        free(logs);
        free(other);
    }
    if (pass) {
        sb_buf_free(&on);
        ev_set(res, SB_STATUS_PASS, SB_SEV_NONE, "Resource logs are sent to a destination by a diagnostic setting");
        return;
    }
    if (unreadable) {
        sb_buf_free(&on);
        ev_set(res, SB_STATUS_NOT_ASSESSED, SB_SEV_MEDIUM,
               "%zu diagnostic setting(s) have neither `properties` nor any known az CLI member: their logs and "
               "destinations cannot be read, and no other setting qualifies", unreadable);
        ev_remedy(res, "Export the settings with az monitor diagnostic-settings list --resource <id> -o json (or "
                  "GET {id}/providers/Microsoft.Insights/diagnosticSettings) and assess again.");
        return;
    }
    if (r->ndiagnostic_settings > 0 && logs_no_dest) {
        ev_set(res, SB_STATUS_FAIL, SB_SEV_MEDIUM,
               "%zu diagnostic setting(s): %s is enabled (%s) but no setting that enables it has a destination",
               r->ndiagnostic_settings, k->what_short, on.data);
        sb_buf_free(&on);
        remedy(res, k);
    } else if (r->ndiagnostic_settings > 0) {
        ev_set(res, SB_STATUS_FAIL, SB_SEV_MEDIUM,
               "%zu diagnostic setting(s), but none sends %s to a destination (enabled: %s; missing: %s or categoryGroup "
               "allLogs)", r->ndiagnostic_settings, k->what_short, on.len ? on.data : "none", k->what);
        sb_buf_free(&on);
        remedy(res, k);
    } else if (r->collected & SB_COLLECTED_DIAGNOSTIC_SETTINGS) {
        ev_evidence(res, r->id, "providers/Microsoft.Insights/diagnosticSettings", "[] (collected: none exist)", expected);
        ev_set(res, SB_STATUS_FAIL, SB_SEV_MEDIUM, "No diagnostic setting exists: resource logs are not collected");
        remedy(res, k);
    } else {
        bool gap = false;
        for (size_t i = 0; i < r->ngaps; i++) {
            char *t = ev_gap_text(r->gaps[i]);
            ev_evidence(res, r->id, r->gaps[i]->request ? r->gaps[i]->request : "diagnosticSettings", t,
                        "diagnostic settings collected");
            free(t);
            gap = true;
        }
        if (!gap)
            ev_evidence(res, r->id, "providers/Microsoft.Insights/diagnosticSettings", "(not in the input)",
                        "diagnostic settings collected");
        ev_set(res, SB_STATUS_NOT_ASSESSED, SB_SEV_MEDIUM,
               gap ? "The diagnostic settings could not be collected" : "The diagnostic settings are not in the input");
        ev_remedy(res, "Collect the resource's diagnostic settings (GET {id}/providers/Microsoft.Insights/"
                  "diagnosticSettings; needs Monitoring Reader or Reader) and assess again.");
    }
}

int rule_lt4_resource_logs(struct eval_ctx *c, const struct sb_feature *f)
{
    static const struct log_kind circuit = {circuit_categories, 1, "PeeringRouteLog", "circuit",
                                            "the circuit's PeeringRouteLog"};
    static const struct log_kind gateway = {gateway_categories, 2, "GatewayDiagnosticLog, RouteDiagnosticLog",
                                            "ExpressRoute gateway", "the ExpressRoute gateway's logs"};
    size_t before = c->out->n;
    const struct sb_resource **rs;
    size_t n = state_list_type(c->state, "microsoft.network/expressroutecircuits", &rs);
    for (size_t i = 0; i < n; i++)
        judge(c, f, rs[i], "Microsoft.Network/expressRouteCircuits", &circuit);
    free(rs);
    n = state_list_type(c->state, "microsoft.network/virtualnetworkgateways", &rs);
    for (size_t i = 0; i < n; i++) {
        enum gw_kind k = ev_gateway_kind(rs[i]);
        if (k == GW_EXPRESSROUTE) {
            judge(c, f, rs[i], "Microsoft.Network/virtualNetworkGateways", &gateway);
        } else if (k == GW_UNKNOWN) {
            struct sb_result *res = ev_result(c, f, rs[i]->id, "Microsoft.Network/virtualNetworkGateways", NULL);
            if (ev_unreadable(res, rs[i]))
                continue;
            ev_evidence_json(res, rs[i], "properties.gatewayType", "ExpressRoute or Vpn");
            ev_set(res, SB_STATUS_NOT_ASSESSED, SB_SEV_MEDIUM,
                   "properties.gatewayType is not in the input: cannot tell whether this is an ExpressRoute gateway");
            ev_remedy(res, "Collect the gateway with its properties.");
        }
    }
    free(rs);
    ev_scope_gaps(c, f, true);
    if (c->out->n == before) {
        ev_nothing_in_scope(c, f, "No ExpressRoute circuit or ExpressRoute virtual network gateway");
    }
    return 0;
}
