/* IM-8 (MACsec secrets in Key Vault) and DP-3 (encryption in transit: compensating controls). */
#include "eval_ctx.h"

#include "util.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static const char PORT_TYPE[] = "Microsoft.Network/expressRoutePorts";

/* Key Vault DNS suffixes: public, China, US Government, Germany (legacy). */
static const char *const vault_suffixes[] = {".vault.azure.net", ".vault.azure.cn", ".vault.usgovcloudapi.net",
                                             ".vault.microsoftazure.de"};

static bool valid_vault_name(const char *s, size_t n)
{
    /* 3-24 characters, letters, digits and hyphens, starting with a letter. */
    if (n < 3 || n > 24 || !isalpha((unsigned char)s[0]) || s[n - 1] == '-')
        return false;
    for (size_t i = 0; i < n; i++)
        if (!isalnum((unsigned char)s[i]) && s[i] != '-')
            return false;
    return true;
}

static bool valid_object_name(const char *s, size_t n)
{
    if (n < 1 || n > 127)
        return false;
    for (size_t i = 0; i < n; i++)
        if (!isalnum((unsigned char)s[i]) && s[i] != '-')
            return false;
    return true;
}

int ev_parse_kv_secret_uri(const char *uri, char **vault, char **secret)
{
    *vault = *secret = NULL;
    if (!uri || strncasecmp(uri, "https://", 8) != 0)
        return -1;
    const char *host = uri + 8;
    size_t hl = strcspn(host, "/:?#");
    const char *after = host + hl;
    if (*after == ':') { /* an explicit :443 is the same endpoint */
        if (strncmp(after, ":443/", 5) != 0)
            return -1;
        after += 4;
    }
    size_t label = 0;
    bool suffix_ok = false;
    for (size_t i = 0; i < sizeof vault_suffixes / sizeof *vault_suffixes; i++) {
        size_t sl = strlen(vault_suffixes[i]);
        if (hl > sl && strncasecmp(host + hl - sl, vault_suffixes[i], sl) == 0) {
            label = hl - sl;
            suffix_ok = true;
        }
    }
    if (!suffix_ok || !valid_vault_name(host, label) || strncasecmp(after, "/secrets/", 9) != 0)
        return -1;
    const char *name = after + 9;
    size_t nl = strcspn(name, "/?#");
    if (!valid_object_name(name, nl))
        return -1;
    const char *rest = name + nl;
    if (*rest == '/') {
        rest++;
        size_t vl = strcspn(rest, "/?#");
        if (vl && !valid_object_name(rest, vl))
            return -1;
        rest += vl;
        if (*rest == '/')
            rest++;
    }
    if (*rest)
        return -1;
    *vault = sb_xstrndup(host, label);
    *secret = sb_xstrndup(name, nl);
    return 0;
}

/* Evidence for one secret identifier: the vault and secret name, never anything that might be key material. */
static bool secret_evidence(struct sb_result *res, const char *link_id, const cJSON *link, const char *field,
                            char ***vaults, size_t *nvaults)
{
    char path[96];
    snprintf(path, sizeof path, "properties.macSecConfig.%s", field);
    const char *uri = sb_json_str(link, path);
    char *vault = NULL, *secret = NULL;
    bool ok = ev_parse_kv_secret_uri(uri, &vault, &secret) == 0;
    char *shown;
    if (ok) {
        shown = sb_xasprintf("Key Vault secret '%s' in vault '%s'", secret, vault);
        bool seen = false;
        for (size_t i = 0; i < *nvaults; i++)
            seen |= strcasecmp((*vaults)[i], vault) == 0;
        if (!seen) {
            *vaults = sb_xrealloc(*vaults, (*nvaults + 1) * sizeof **vaults);
            (*vaults)[(*nvaults)++] = sb_xstrdup(vault);
        }
    } else {
        shown = sb_xstrdup(uri ? "(set, but not an Azure Key Vault secret URI; value withheld)" : "(absent)");
    }
    ev_evidence(res, link_id, path, shown, "an Azure Key Vault secret URI https://<vault>.vault.azure.net/secrets/<name>");
    free(shown);
    free(vault);
    free(secret);
    return ok;
}

/* identity.type SystemAssigned, or UserAssigned with at least one identity. */
static bool port_identity(struct sb_result *res, const struct sb_resource *port)
{
    const char *type = sb_json_str(port->json, "identity.type");
    const cJSON *uai = sb_json_at(port->json, "identity.userAssignedIdentities");
    int nuai = cJSON_IsObject(uai) ? cJSON_GetArraySize(uai) : 0;
    bool system = sb_icontains(type, "SystemAssigned");
    bool user = sb_icontains(type, "UserAssigned") && nuai > 0;
    ev_evidence_json(res, port, "identity.type", "SystemAssigned or UserAssigned");
    if (nuai > 0) {
        /* The identity ids are keys of the object; name them (no secrets there). */
        struct sb_buf b = {0};
        const cJSON *it;
        cJSON_ArrayForEach(it, uai)
        {
            char *nm = NULL;
            sb_id_parts(it->string, NULL, NULL, &nm);
            sb_buf_printf(&b, "%s%s", b.len ? ", " : "", nm ? nm : it->string);
            free(nm);
        }
        ev_evidence(res, port->id, "identity.userAssignedIdentities", b.data, "a user-assigned identity with Key Vault access");
        sb_buf_free(&b);
    }
    return system || user;
}

static void judge_port(struct eval_ctx *c, const struct sb_feature *f, const struct sb_resource *port)
{
    struct sb_result *res = ev_result(c, f, port->id, PORT_TYPE, NULL);
    if (ev_unreadable(res, port))
        return;
    const cJSON *links = sb_json_at(port->json, "properties.links");
    int nlinks = cJSON_IsArray(links) ? cJSON_GetArraySize(links) : 0;
    if (nlinks == 0) {
        ev_evidence_json(res, port, "properties.links", "the port's links with their macSecConfig");
        ev_set(res, SB_STATUS_NOT_ASSESSED, SB_SEV_HIGH, "The port's links are not in the input");
        ev_remedy(res, "Collect the ExpressRoute Direct port with an ARM GET (it returns the links and their macSecConfig).");
        return;
    }
    char **vaults = NULL;
    size_t nvaults = 0;
    int configured = 0, missing_config = 0;
    const cJSON *link;
    cJSON_ArrayForEach(link, links)
    {
        const char *lid = sb_json_str(link, "id");
        char *fallback = NULL;
        if (!lid) {
            const char *ln = sb_json_str(link, "name");
            lid = fallback = sb_xasprintf("%s/links/%s", port->id, ln ? ln : "?");
        }
        if (!sb_json_at(link, "properties.macSecConfig")) {
            /* An ARM body (or a snapshot, whose collector completes ports by ARM GET) omits macSecConfig when
             * MACsec is not configured; a Resource Graph row may simply not carry it. */
            const struct sb_resource *lr = state_get(c->state, lid);
            unsigned origins = port->origins | (lr ? lr->origins : 0);
            bool authoritative = (origins & (SB_ORIGIN_ARM | SB_ORIGIN_SNAPSHOT)) && port->ngaps == 0;
            ev_evidence(res, lid, "properties.macSecConfig",
                        authoritative ? "(absent: MACsec is not configured on this link)" : NULL,
                        "CKN and CAK secret identifiers in Azure Key Vault");
            if (!authoritative)
                missing_config++;
        } else {
            bool ckn = secret_evidence(res, lid, link, "cknSecretIdentifier", &vaults, &nvaults);
            bool cak = secret_evidence(res, lid, link, "cakSecretIdentifier", &vaults, &nvaults);
            configured += ckn && cak;
        }
        free(fallback);
    }
    bool identity = port_identity(res, port);
    for (size_t k = 0; k < port->ngaps; k++) {
        char *t = ev_gap_text(port->gaps[k]);
        ev_evidence(res, port->id, port->gaps[k]->request ? port->gaps[k]->request : "GET port", t, "collected without error");
        free(t);
    }
    struct sb_buf vb = {0};
    for (size_t k = 0; k < nvaults; k++) {
        sb_buf_printf(&vb, "%s%s", k ? ", " : "", vaults[k]);
        free(vaults[k]);
    }
    free(vaults);
    int judged = nlinks - missing_config;
    if (configured < judged) {
        ev_set(res, SB_STATUS_FAIL, SB_SEV_HIGH,
               "%d of %d link(s) lack MACsec CKN/CAK secrets stored as Azure Key Vault secret identifiers",
               judged - configured, nlinks);
        ev_remedy(res, "Store the MACsec CKN and CAK as Key Vault secrets, grant the port's user-assigned managed "
                  "identity get access to them, and set each link's macSecConfig.cknSecretIdentifier and "
                  "cakSecretIdentifier (Configure MACsec encryption for ExpressRoute Direct).");
    } else if (missing_config) {
        ev_set(res, SB_STATUS_NOT_ASSESSED, SB_SEV_HIGH,
               "%d link(s) have no macSecConfig in the input: MACsec secret storage cannot be checked", missing_config);
        ev_remedy(res, "Collect the port with an ARM GET of Microsoft.Network/expressRoutePorts (Resource Graph may "
                  "omit macSecConfig) and assess again.");
    } else if (!identity && !state_key_known(port, "identity")) {
        /* A Resource Graph row without the identity column says nothing about the identity. */
        ev_set(res, SB_STATUS_NOT_ASSESSED, SB_SEV_HIGH,
               "MACsec secrets are Key Vault references (%s), but the port's identity is not in the input (a Resource "
               "Graph row without identity is a projection): whether it can read them is unknown", vb.data);
        ev_remedy(res, "Collect the port with an ARM GET of Microsoft.Network/expressRoutePorts (or project identity in "
                  "the Resource Graph query) and assess again.");
    } else if (!identity) {
        ev_set(res, SB_STATUS_FAIL, SB_SEV_HIGH,
               "MACsec secrets are Key Vault references (%s), but the port has no managed identity to read them", vb.data);
        ev_remedy(res, "Assign a user-assigned managed identity to the ExpressRoute Direct port and grant it get "
                  "access to the MACsec secrets in Key Vault.");
    } else {
        ev_set(res, SB_STATUS_PASS, SB_SEV_NONE,
               "All %d link(s) read MACsec CKN/CAK from Key Vault (%s) through the port's managed identity", nlinks,
               vb.data);
    }
    sb_buf_free(&vb);
}

int rule_im8_key_vault(struct eval_ctx *c, const struct sb_feature *f)
{
    const struct sb_resource **ports;
    size_t n = state_list_type(c->state, "microsoft.network/expressrouteports", &ports);
    size_t before = c->out->n;
    for (size_t i = 0; i < n; i++)
        judge_port(c, f, ports[i]);
    free(ports);
    ev_scope_gaps(c, f, false);
    if (c->out->n == before) {
        ev_nothing_in_scope(c, f, "No ExpressRoute Direct port (MACsec secrets exist only on ExpressRoute Direct)");
    }
    return 0;
}

/* ---- DP-3 ---- */

static int macsec_evidence(struct sb_result *res, const struct sb_state *st)
{
    const struct sb_resource **ports;
    size_t n = state_list_type(st, "microsoft.network/expressrouteports", &ports);
    int found = 0;
    for (size_t i = 0; i < n; i++) {
        const cJSON *link;
        cJSON_ArrayForEach(link, sb_json_at(ports[i]->json, "properties.links"))
        {
            const char *lid = sb_json_str(link, "id");
            if (!lid)
                continue;
            const cJSON *cfg = sb_json_at(link, "properties.macSecConfig");
            char *cipher = sb_json_text(sb_json_at(cfg, "cipher"));
            char *sci = sb_json_text(sb_json_at(cfg, "sciState"));
            char *vault = NULL, *secret = NULL;
            bool keys = ev_parse_kv_secret_uri(sb_json_str(cfg, "cakSecretIdentifier"), &vault, &secret) == 0 &&
                        sb_json_str(cfg, "cknSecretIdentifier");
            free(vault);
            free(secret);
            char *v = sb_xasprintf("cipher %s, SCI %s, CKN/CAK %s", cipher, sci, keys ? "configured" : "not configured");
            ev_evidence(res, lid, "properties.macSecConfig", v, "MACsec on ExpressRoute Direct (optional compensating control)");
            found += keys;
            free(v);
            free(cipher);
            free(sci);
        }
    }
    free(ports);
    return found;
}

static int ipsec_evidence(struct sb_result *res, const struct sb_state *st)
{
    const struct sb_resource **conns;
    size_t n = state_list_type(st, "microsoft.network/connections", &conns);
    int found = 0;
    for (size_t i = 0; i < n; i++) {
        const struct sb_resource *cn = conns[i];
        if (!sb_ieq(sb_json_str(cn->json, "properties.connectionType"), "IPsec") ||
            sb_json_bool(cn->json, "properties.useLocalAzureIpAddress") != 1)
            continue;
        const struct sb_resource *gw = state_get(st, sb_json_str(cn->json, "properties.virtualNetworkGateway1.id"));
        int priv = gw ? sb_json_bool(gw->json, "properties.enablePrivateIpAddress") : -1;
        char *v = sb_xasprintf("IPsec connection with useLocalAzureIpAddress = true; gateway enablePrivateIpAddress = %s",
                               priv == 1 ? "true" : priv == 0 ? "false" : "(gateway not in input)");
        ev_evidence(res, cn->id, "properties.useLocalAzureIpAddress", v,
                    "IPsec over ExpressRoute private peering (optional compensating control)");
        free(v);
        found += priv == 1;
    }
    free(conns);
    return found;
}

int rule_dp3_transit_encryption(struct eval_ctx *c, const struct sb_feature *f)
{
    struct sb_result *res = ev_result(c, f, NULL, NULL, NULL);
    int macsec = macsec_evidence(res, c->state);
    int ipsec = ipsec_evidence(res, c->state);
    if (res->nevidence == 0)
        ev_evidence(res, NULL, "(estate)", "no ExpressRoute Direct links and no IPsec-over-private-peering connections found",
                    "optional compensating controls: MACsec (ExpressRoute Direct) or IPsec over private peering");
    ev_set(res, SB_STATUS_NOT_APPLICABLE, SB_SEV_NONE,
           "not supported by the service: ExpressRoute does not encrypt in transit. Compensating controls found: "
           "%d ExpressRoute Direct link(s) with MACsec keys in Key Vault, %d IPsec connection(s) over private peering. %s",
           macsec, ipsec, f->notes ? f->notes : "");
    return 0;
}
