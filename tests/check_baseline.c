/* Tests for the baseline loader (src/baseline.c) and the `baseline show` matrix. */
#include "baseline.h"
#include "err.h"
#include "util.h"

#include "testutil.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- helpers ---- */

static char *real_baseline_path(void)
{
    return sb_path_join(tu_src_dir(), "templates/baselines/expressroute.json");
}

static struct sb_baseline *load_ok(const char *path)
{
    struct sb_err e = {0};
    struct sb_baseline *b = NULL;
    int rc = baseline_load(&b, path, &e);
    ck_assert_msg(rc == 0, "load %s failed: %s", path, e.msg);
    ck_assert_ptr_nonnull(b);
    ck_assert_int_eq(e.code, 0);
    return b;
}

static struct sb_baseline *load_real(void)
{
    char *p = real_baseline_path();
    struct sb_baseline *b = load_ok(p);
    free(p);
    return b;
}

/* Load `path`, expect failure with exit code 3 and exactly "<path>: <tail>" (or "<path><tail>"
 * when tail starts with ':', for FILE:LINE:COL messages). */
static void expect_error(const char *path, const char *tail)
{
    struct sb_err e = {0};
    struct sb_baseline *b = (struct sb_baseline *)1;
    int rc = baseline_load(&b, path, &e);
    ck_assert_int_eq(rc, -1);
    ck_assert_ptr_null(b);
    ck_assert_int_eq(e.code, SB_EXIT_INPUT);
    char *want = sb_xasprintf("%s%s%s", path, tail[0] == ':' ? "" : ": ", tail);
    ck_assert_str_eq(e.msg, want);
    ck_assert_ptr_null(strchr(e.msg, '\n'));
    free(want);
}

static char *tmp_file(const char *name)
{
    char *dir = tu_tmpdir("check_baseline");
    char *p = sb_path_join(dir, name);
    free(dir);
    return p;
}

/* The minimal fixture with the first `from` replaced by `to`, loaded; must fail with `tail`. */
static void expect_mutation_error(const char *from, const char *to, const char *tail)
{
    char *src = tu_data("baseline/minimal.json");
    char *text = tu_slurp(src, NULL);
    ck_assert_ptr_nonnull(text);
    char *at = strstr(text, from);
    ck_assert_msg(at != NULL, "fixture lacks \"%s\"", from);
    struct sb_buf b = {0};
    sb_buf_add(&b, text, (size_t)(at - text));
    sb_buf_puts(&b, to);
    sb_buf_puts(&b, at + strlen(from));
    char *path = tmp_file("b.json");
    tu_write(path, b.data);
    expect_error(path, tail);
    sb_buf_free(&b);
    free(path);
    free(text);
    free(src);
}

static void expect_text_error(const char *text, size_t len, const char *tail)
{
    char *path = tmp_file("t.json");
    FILE *f = fopen(path, "wb");
    ck_assert_ptr_nonnull(f);
    ck_assert_uint_eq(fwrite(text, 1, len, f), len);
    fclose(f);
    expect_error(path, tail);
    free(path);
}

/* ---- the real ExpressRoute baseline, checked against a table typed from the spec text ---- */

struct want_control {
    const char *id, *domain, *title;
};

static const struct want_control WANT_CONTROLS[] = {
    {"NS-1", "Network security", "Establish network segmentation boundaries"},
    {"IM-1", "Identity management", "Use centralized identity and authentication system"},
    {"IM-3", "Identity management", "Manage application identities securely and automatically"},
    {"IM-7", "Identity management", "Restrict resource access based on conditions"},
    {"IM-8", "Identity management", "Restrict the exposure of credential and secrets"},
    {"PA-1", "Privileged access", "Separate and limit highly privileged/administrative users"},
    {"PA-7", "Privileged access", "Follow just enough administration (least privilege) principle"},
    {"PA-8", "Privileged access", "Determine access process for cloud provider support"},
    {"DP-1", "Data protection", "Discover, classify, and label sensitive data"},
    {"DP-2", "Data protection", "Monitor anomalies and threats targeting sensitive data"},
    {"DP-3", "Data protection", "Encrypt sensitive data in transit"},
    {"DP-7", "Data protection", "Use a secure certificate management process"},
    {"AM-2", "Asset management", "Use only approved services"},
    {"LT-1", "Logging and threat detection", "Enable threat detection capabilities"},
    {"LT-4", "Logging and threat detection", "Enable logging for security investigation"},
    {"BR-1", "Backup and recovery", "Ensure regular automated backups"},
};

struct want_feature {
    const char *control, *name, *supported, *enabled, *resp, *rule;
};

#define NA "Not Applicable"
static const struct want_feature WANT_FEATURES[] = {
    {"NS-1", "Virtual Network Integration", "True", "True", "Microsoft", "ns1_vnet_integration"},
    {"NS-1", "Network Security Group Support", "True", "False", "Customer", "ns1_nsg_support"},
    {"IM-1", "Azure AD Authentication Required for Data Plane Access", "False", NA, NA, NULL},
    {"IM-1", "Local Authentication Methods for Data Plane Access", "False", NA, NA, NULL},
    {"IM-3", "Managed Identities", "False", NA, NA, NULL},
    {"IM-3", "Service Principals", "False", NA, NA, NULL},
    {"IM-7", "Conditional Access for Data Plane", "False", NA, NA, NULL},
    {"IM-8", "Service Credential and Secrets Support Integration and Storage in Azure Key Vault",
     "True", "False", "Customer", "im8_key_vault"},
    {"PA-1", "Local Admin Accounts", "False", NA, NA, NULL},
    {"PA-7", "Azure RBAC for Data Plane", "False", NA, NA, NULL},
    {"PA-8", "Customer Lockbox", "False", NA, NA, NULL},
    {"DP-1", "Sensitive Data Discovery and Classification", "False", NA, NA, NULL},
    {"DP-2", "Data Leakage/Loss Prevention", "False", NA, NA, NULL},
    {"DP-3", "Data in Transit Encryption", "False", NA, NA, "dp3_transit_encryption"},
    {"DP-7", "Certificate Management in Azure Key Vault", "False", NA, NA, NULL},
    {"AM-2", "Azure Policy Support", "False", NA, NA, NULL},
    {"LT-1", "Microsoft Defender for Service / Product Offering", "False", NA, NA, NULL},
    {"LT-4", "Azure Resource Logs", "True", "False", "Customer", "lt4_resource_logs"},
    {"BR-1", "Azure Backup", "False", NA, NA, NULL},
    {"BR-1", "Service Native Backup Capability", "True", "False", "Customer", "br1_native_backup"},
};
#undef NA

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

START_TEST(test_real_header)
{
    char *p = real_baseline_path();
    struct sb_baseline *b = load_ok(p);
    ck_assert_str_eq(b->id, "expressroute");
    ck_assert_str_eq(b->service, "ExpressRoute");
    ck_assert_str_eq(b->title, "Azure security baseline for ExpressRoute");
    ck_assert_str_eq(b->mcsb_version, "1.0");
    ck_assert_str_eq(b->source, "https://learn.microsoft.com/security/benchmark/azure/baselines/"
                                "expressroute-security-baseline");
    ck_assert_str_eq(b->path, p);

    size_t len = 0;
    char *text = tu_slurp(p, &len);
    char hex[65];
    sb_sha256_hex(text, len, hex);
    ck_assert_str_eq(b->sha256, hex);
    free(text);
    baseline_free(b);
    free(p);
}
END_TEST

START_TEST(test_real_controls_in_order)
{
    struct sb_baseline *b = load_real();
    ck_assert_uint_eq(b->ncontrols, COUNT(WANT_CONTROLS));
    for (size_t i = 0; i < COUNT(WANT_CONTROLS); i++) {
        ck_assert_str_eq(b->controls[i].id, WANT_CONTROLS[i].id);
        ck_assert_str_eq(b->controls[i].domain, WANT_CONTROLS[i].domain);
        ck_assert_str_eq(b->controls[i].title, WANT_CONTROLS[i].title);
    }
    baseline_free(b);
}
END_TEST

/* Every feature, in document order, with its three matrix columns and rule id. */
START_TEST(test_real_features_table)
{
    struct sb_baseline *b = load_real();
    ck_assert_uint_eq(baseline_feature_count(b), 20);
    ck_assert_uint_eq(baseline_feature_count(b), COUNT(WANT_FEATURES));
    size_t k = 0;
    for (size_t i = 0; i < b->ncontrols; i++) {
        const struct sb_control *c = &b->controls[i];
        for (size_t j = 0; j < c->nfeatures; j++, k++) {
            const struct sb_feature *f = &c->features[j];
            const struct want_feature *w = &WANT_FEATURES[k];
            ck_assert_ptr_eq(f->control, c);
            ck_assert_str_eq(c->id, w->control);
            ck_assert_str_eq(f->name, w->name);
            ck_assert_msg(strcmp(sb_tri_str(f->supported), w->supported) == 0, "%s supported", w->name);
            ck_assert_msg(strcmp(sb_tri_str(f->enabled_by_default), w->enabled) == 0, "%s enabled",
                          w->name);
            ck_assert_msg(strcmp(sb_resp_str(f->responsibility), w->resp) == 0, "%s resp", w->name);
            if (w->rule)
                ck_assert_pstr_eq(f->rule, w->rule);
            else
                ck_assert_msg(f->rule == NULL, "%s: unexpected rule %s", w->name, f->rule);
            ck_assert_ptr_eq(baseline_find_feature(b, w->control, w->name), f);
            ck_assert_ptr_nonnull(f->description);
            ck_assert_ptr_nonnull(f->guidance);
            /* Unsupported features all carry the same sentence in the baseline. */
            if (f->supported == SB_TRI_FALSE)
                ck_assert_str_eq(f->guidance, "This feature is not supported to secure this service.");
        }
    }
    baseline_free(b);
}
END_TEST

START_TEST(test_real_profile)
{
    struct sb_baseline *b = load_real();
    ck_assert_uint_eq(b->nprofile, 4);
    ck_assert_str_eq(b->profile[0].name, "Product Category");
    ck_assert_str_eq(b->profile[0].value, "Hybrid/Multi-Cloud, Networking");
    ck_assert_str_eq(b->profile[1].name, "Customer can access HOST / OS");
    ck_assert_str_eq(b->profile[1].value, "No Access");
    ck_assert_str_eq(b->profile[2].name, "Service can be deployed into customer's virtual network");
    ck_assert_str_eq(b->profile[2].value, "True");
    ck_assert_str_eq(b->profile[3].name, "Stores customer content at rest");
    ck_assert_str_eq(b->profile[3].value, "False");
    baseline_free(b);
}
END_TEST

START_TEST(test_real_nsg_policy_and_texts)
{
    struct sb_baseline *b = load_real();
    const struct sb_feature *f = baseline_find_feature(b, "NS-1", "Network Security Group Support");
    ck_assert_ptr_nonnull(f);
    ck_assert_uint_eq(f->npolicies, 1);
    const struct sb_policy *p = &f->policies[0];
    ck_assert_str_eq(p->name, "Subnets should be associated with a Network Security Group");
    ck_assert_str_eq(p->description,
                     "Protect your subnet from potential threats by restricting access to it with a "
                     "Network Security Group (NSG). NSGs contain a list of Access Control List (ACL) "
                     "rules that allow or deny network traffic to your subnet.");
    ck_assert_str_eq(p->effects, "AuditIfNotExists, Disabled");
    ck_assert_str_eq(p->version, "3.0.0");
    ck_assert_pstr_eq(p->definition_id, "/providers/Microsoft.Authorization/policyDefinitions/"
                                        "e71308d3-144b-4262-b144-efdc3cc90517");
    ck_assert_pstr_eq(f->notes, "Customers cannot configure a UDR with a default route or an NSG "
                                "on the GatewaySubnet.");
    ck_assert_ptr_null(f->reference);
    ck_assert_str_eq(f->description, "Service network traffic respects Network Security Groups rule "
                                     "assignment on its subnets. Learn more.");

    /* No other feature lists a policy. */
    size_t npol = 0;
    for (size_t i = 0; i < b->ncontrols; i++)
        for (size_t j = 0; j < b->controls[i].nfeatures; j++)
            npol += b->controls[i].features[j].npolicies;
    ck_assert_uint_eq(npol, 1);

    f = baseline_find_feature(b, "DP-3", "Data in Transit Encryption");
    ck_assert_ptr_nonnull(f);
    ck_assert_pstr_eq(f->notes,
                      "With IPsec over ExpressRoute Private Peering, customers may configure a VPN "
                      "connection and manage the configuration so that the ExpressRoute and VPN gateways "
                      "exchange routes. However, encryption is still only supported on the VPN "
                      "connection \xE2\x80\x93 not on ExpressRoute.");
    f = baseline_find_feature(b, "IM-3", "Managed Identities");
    ck_assert_ptr_nonnull(f);
    ck_assert_pstr_eq(f->notes, "Although authentication to ExpressRoute is not supported via managed "
                                "identity, the service does leverage managed identity to authenticate "
                                "to Key Vault to retrieve MACsec secrets.");
    f = baseline_find_feature(b, "IM-8",
                              "Service Credential and Secrets Support Integration and Storage in "
                              "Azure Key Vault");
    ck_assert_ptr_nonnull(f);
    ck_assert_pstr_eq(f->reference, "Configure MACsec encryption for ExpressRoute Direct.");
    f = baseline_find_feature(b, "BR-1", "Service Native Backup Capability");
    ck_assert_ptr_nonnull(f);
    ck_assert_pstr_eq(f->reference, "Using S2S VPN as a backup for ExpressRoute private peering");
    ck_assert_str_eq(f->guidance, "There is no current Microsoft guidance for this feature "
                                  "configuration. Please review and determine if your organization "
                                  "wants to configure this security feature.");
    f = baseline_find_feature(b, "LT-4", "Azure Resource Logs");
    ck_assert_ptr_nonnull(f);
    ck_assert_pstr_eq(f->reference, "Monitoring Azure ExpressRoute");
    ck_assert_ptr_null(f->notes);
    baseline_free(b);
}
END_TEST

/*
 * The links behind the baseline page's "Learn more." (per feature), "Reference:" text and the
 * domain's "For more information, see the Microsoft cloud security benchmark: ..." line, typed
 * from their sources (docs/baseline-format.md, "Where the links come from").
 */
#define LEARN "https://learn.microsoft.com/"
static const struct {
    const char *control, *feature, *learn_more, *reference_url;
} WANT_LINKS[] = {
    {"NS-1", "Virtual Network Integration",
     LEARN "azure/virtual-network/virtual-network-for-azure-services#services-that-can-be-deployed-into-a-virtual-network",
     LEARN "azure/expressroute/expressroute-about-virtual-network-gateways"},
    {"NS-1", "Network Security Group Support", LEARN "azure/virtual-network/network-security-groups-overview", NULL},
    {"IM-1", "Azure AD Authentication Required for Data Plane Access",
     LEARN "azure/active-directory/authentication/overview-authentication", NULL},
    {"IM-1", "Local Authentication Methods for Data Plane Access",
     LEARN "azure/app-service/overview-authentication-authorization", NULL},
    {"IM-3", "Managed Identities", LEARN "azure/active-directory/managed-identities-azure-resources/overview", NULL},
    {"IM-3", "Service Principals", LEARN "powershell/azure/create-azure-service-principal-azureps", NULL},
    {"IM-7", "Conditional Access for Data Plane", LEARN "azure/active-directory/conditional-access/overview", NULL},
    {"IM-8", "Service Credential and Secrets Support Integration and Storage in Azure Key Vault",
     LEARN "azure/key-vault/secrets/about-secrets", LEARN "azure/expressroute/expressroute-howto-macsec"},
    {"PA-1", "Local Admin Accounts",
     LEARN "security/benchmark/azure/security-controls-v3-privileged-access"
           "#pa-1-separate-and-limit-highly-privilegedadministrative-users",
     NULL},
    {"PA-7", "Azure RBAC for Data Plane", LEARN "azure/role-based-access-control/overview", NULL},
    {"PA-8", "Customer Lockbox", LEARN "azure/security/fundamentals/customer-lockbox-overview", NULL},
    {"DP-1", "Sensitive Data Discovery and Classification",
     LEARN "security/benchmark/azure/security-controls-v3-data-protection#dp-1-discover-classify-and-label-sensitive-data",
     NULL},
    {"DP-2", "Data Leakage/Loss Prevention",
     LEARN "security/benchmark/azure/security-controls-v3-data-protection"
           "#dp-2-monitor-anomalies-and-threats-targeting-sensitive-data",
     NULL},
    {"DP-3", "Data in Transit Encryption", LEARN "azure/security/fundamentals/double-encryption#data-in-transit", NULL},
    {"DP-7", "Certificate Management in Azure Key Vault", LEARN "azure/key-vault/certificates/certificate-scenarios",
     NULL},
    {"AM-2", "Azure Policy Support", LEARN "azure/governance/policy/tutorials/create-and-manage", NULL},
    {"LT-1", "Microsoft Defender for Service / Product Offering", LEARN "azure/security-center/azure-defender", NULL},
    {"LT-4", "Azure Resource Logs", LEARN "azure/azure-monitor/platform/platform-logs-overview",
     LEARN "azure/expressroute/monitor-expressroute"},
    {"BR-1", "Azure Backup", LEARN "azure/backup/backup-overview", NULL},
    {"BR-1", "Service Native Backup Capability",
     LEARN "security/benchmark/azure/security-controls-v3-backup-recovery#br-1-ensure-regular-automated-backups",
     LEARN "azure/expressroute/use-s2s-vpn-as-backup-for-expressroute-privatepeering"},
};

static const struct {
    const char *domain, *url;
} WANT_DOMAIN_LINKS[] = {
    {"Network security", LEARN "security/benchmark/azure/mcsb-network-security"},
    {"Identity management", LEARN "security/benchmark/azure/mcsb-identity-management"},
    {"Privileged access", LEARN "security/benchmark/azure/mcsb-privileged-access"},
    {"Data protection", LEARN "security/benchmark/azure/mcsb-data-protection"},
    {"Asset management", LEARN "security/benchmark/azure/mcsb-asset-management"},
    {"Logging and threat detection", LEARN "security/benchmark/azure/mcsb-logging-threat-detection"},
    {"Backup and recovery", LEARN "security/benchmark/azure/mcsb-backup-recovery"},
};
#undef LEARN

START_TEST(test_real_links)
{
    struct sb_baseline *b = load_real();
    ck_assert_uint_eq(COUNT(WANT_LINKS), baseline_feature_count(b));
    size_t k = 0;
    for (size_t i = 0; i < b->ncontrols; i++)
        for (size_t j = 0; j < b->controls[i].nfeatures; j++, k++) {
            const struct sb_feature *f = &b->controls[i].features[j];
            ck_assert_str_eq(b->controls[i].id, WANT_LINKS[k].control);
            ck_assert_str_eq(f->name, WANT_LINKS[k].feature);
            ck_assert_pstr_eq(f->learn_more_url, WANT_LINKS[k].learn_more);
            ck_assert_pstr_eq(f->reference_url, WANT_LINKS[k].reference_url);
            /* A link only where the page has link text: every description ends in "Learn more.",
             * and a reference URL goes with a "Reference:" line. */
            size_t n = strlen(f->description);
            ck_assert_msg(n > 11 && strcmp(f->description + n - 11, "Learn more.") == 0, "%s", f->name);
            ck_assert_int_eq(f->reference != NULL, f->reference_url != NULL);
        }
    for (size_t i = 0; i < b->ncontrols; i++) {
        const char *want = NULL;
        for (size_t d = 0; d < COUNT(WANT_DOMAIN_LINKS); d++)
            if (strcmp(WANT_DOMAIN_LINKS[d].domain, b->controls[i].domain) == 0)
                want = WANT_DOMAIN_LINKS[d].url;
        ck_assert_msg(want != NULL, "no domain link typed for %s", b->controls[i].domain);
        ck_assert_pstr_eq(b->controls[i].domain_url, want);
    }
    baseline_free(b);
}
END_TEST

START_TEST(test_find_and_strings)
{
    struct sb_baseline *b = load_real();
    ck_assert_ptr_eq(baseline_find_control(b, "LT-4"), &b->controls[14]);
    ck_assert_ptr_null(baseline_find_control(b, "lt-4")); /* ids are exact */
    ck_assert_ptr_null(baseline_find_control(b, "NS-2"));
    ck_assert_ptr_null(baseline_find_control(b, NULL));
    ck_assert_ptr_null(baseline_find_feature(b, "NS-1", "virtual network integration"));
    ck_assert_ptr_null(baseline_find_feature(b, "IM-1", "Virtual Network Integration"));
    ck_assert_ptr_null(baseline_find_feature(b, "XX-1", "Virtual Network Integration"));
    ck_assert_ptr_null(baseline_find_control(NULL, "NS-1"));
    ck_assert_uint_eq(baseline_feature_count(NULL), 0);
    baseline_free(b);
    baseline_free(NULL);

    ck_assert_str_eq(sb_tri_str(SB_TRI_TRUE), "True");
    ck_assert_str_eq(sb_tri_str(SB_TRI_FALSE), "False");
    ck_assert_str_eq(sb_tri_str(SB_TRI_NA), "Not Applicable");
    ck_assert_str_eq(sb_resp_str(SB_RESP_MICROSOFT), "Microsoft");
    ck_assert_str_eq(sb_resp_str(SB_RESP_CUSTOMER), "Customer");
    ck_assert_str_eq(sb_resp_str(SB_RESP_SHARED), "Shared");
    ck_assert_str_eq(sb_resp_str(SB_RESP_NA), "Not Applicable");
}
END_TEST

START_TEST(test_minimal_fixture)
{
    char *p = tu_data("baseline/minimal.json");
    struct sb_baseline *b = load_ok(p);
    ck_assert_uint_eq(b->ncontrols, 2);
    ck_assert_uint_eq(baseline_feature_count(b), 3);
    const struct sb_feature *f = baseline_find_feature(b, "DP-3", "Customer Lockbox");
    ck_assert_ptr_nonnull(f);
    ck_assert_int_eq(f->supported, SB_TRI_TRUE);
    ck_assert_int_eq(f->enabled_by_default, SB_TRI_FALSE);
    ck_assert_int_eq(f->responsibility, SB_RESP_CUSTOMER);
    ck_assert_ptr_null(f->notes);
    ck_assert_ptr_null(f->reference);
    ck_assert_uint_eq(f->npolicies, 0);
    baseline_free(b);
    free(p);
}
END_TEST

/* A policy's definition_id may be left out (or null). */
START_TEST(test_optional_definition_id)
{
    char *src = tu_data("baseline/minimal.json");
    char *text = tu_slurp(src, NULL);
    const char *from = ",\n              \"definition_id\": \"/providers/Microsoft.Authorization/"
                       "policyDefinitions/e71308d3-144b-4262-b144-efdc3cc90517\"";
    char *at = strstr(text, from);
    ck_assert_ptr_nonnull(at);
    memmove(at, at + strlen(from), strlen(at + strlen(from)) + 1);
    char *path = tmp_file("b.json");
    tu_write(path, text);
    struct sb_baseline *b = load_ok(path);
    ck_assert_uint_eq(b->controls[0].features[0].npolicies, 1);
    ck_assert_ptr_null(b->controls[0].features[0].policies[0].definition_id);
    baseline_free(b);
    free(path);
    free(text);
    free(src);
}
END_TEST

/* The link fields are optional: the minimal fixture has none, and they load when given. */
START_TEST(test_links_load)
{
    char *src = tu_data("baseline/minimal.json");
    char *text = tu_slurp(src, NULL);
    struct sb_buf b = {0};
    sb_buf_puts(&b, text);
    static const struct {
        const char *from, *to;
    } edits[] = {
        {"\"reference\": \"Example gateway\",",
         "\"reference\": \"Example gateway\", \"reference_url\": \"https://learn.example.test/gw?x=1#top\","},
        {"\"description\": \"Service supports deployment into a virtual network.\",",
         "\"description\": \"Service supports deployment into a virtual network.\", "
         "\"learn_more_url\": \"https://learn.example.test:8443/vnet\","},
        {"\"domain\": \"Data protection\",", "\"domain\": \"Data protection\", \"domain_url\": null,"},
        {"\"domain\": \"Network security\",",
         "\"domain\": \"Network security\", \"domain_url\": \"https://learn.example.test/ns\","},
    };
    for (size_t i = 0; i < COUNT(edits); i++) {
        char *at = strstr(b.data, edits[i].from);
        ck_assert_msg(at != NULL, "fixture lacks %s", edits[i].from);
        struct sb_buf n = {0};
        sb_buf_add(&n, b.data, (size_t)(at - b.data));
        sb_buf_puts(&n, edits[i].to);
        sb_buf_puts(&n, at + strlen(edits[i].from));
        sb_buf_free(&b);
        b = n;
    }
    char *path = tmp_file("links.json");
    tu_write(path, b.data);
    struct sb_baseline *bl = load_ok(path);
    const struct sb_feature *f = &bl->controls[0].features[0];
    ck_assert_pstr_eq(f->learn_more_url, "https://learn.example.test:8443/vnet");
    ck_assert_pstr_eq(f->reference_url, "https://learn.example.test/gw?x=1#top");
    ck_assert_pstr_eq(bl->controls[0].domain_url, "https://learn.example.test/ns");
    ck_assert_ptr_null(bl->controls[1].domain_url);
    ck_assert_ptr_null(bl->controls[1].features[1].learn_more_url);
    ck_assert_ptr_null(bl->controls[1].features[1].reference_url);
    baseline_free(bl);
    free(path);
    sb_buf_free(&b);
    free(text);
    free(src);
}
END_TEST

/* ---- validation errors: one line naming the file and the JSON path, exit code 3 ---- */

START_TEST(test_err_unknown_key)
{
    /* Keys are case-sensitive: "Rule" next to "rule" is unknown, not a duplicate. */
    expect_mutation_error("\"rule\": \"ns1_vnet_integration\"",
                          "\"rule\": \"ns1_vnet_integration\", \"Rule\": \"x\"",
                          "controls[0].features[0].Rule: unknown key");
    expect_mutation_error("\"mcsb_version\": \"1.0\",", "\"mcsb_version\": \"1.0\", \"extra\": 1,",
                          "extra: unknown key");
    expect_mutation_error("\"version\": \"3.0.0\",", "\"version\": \"3.0.0\", \"category\": \"x\",",
                          "controls[0].features[0].policies[0].category: unknown key");
}
END_TEST

START_TEST(test_err_duplicate_key)
{
    /* Refused by the JSON parser (every input), which names the line and column as well. */
    expect_mutation_error("\"notes\": null,", "\"notes\": null, \"notes\": \"second\",",
                          ":26:26: controls[0].features[0].notes: duplicate key");
    expect_mutation_error("\"id\": \"example\",", "\"id\": \"example\", \"id\": \"other\",",
                          ":3:20: id: duplicate key");
}
END_TEST

START_TEST(test_err_missing_field)
{
    expect_mutation_error("\"guidance\": \"Nothing to configure.\",", "",
                          "controls[0].features[0].guidance: missing required field");
    /* Nullable is not optional: notes must be stated, as null if there are none. */
    expect_mutation_error("\"notes\": null,", "", "controls[0].features[0].notes: missing required field");
    expect_mutation_error("\"schema\": \"mcsb-audit-baseline/1\",", "", "schema: missing required field");
    expect_mutation_error("\"title\": \"Encrypt sensitive data in transit\",", "",
                          "controls[1].title: missing required field");
}
END_TEST

START_TEST(test_err_wrong_type)
{
    expect_mutation_error("\"version\": \"3.0.0\"", "\"version\": 3",
                          "controls[0].features[0].policies[0].version: expected a string");
    expect_mutation_error("\"reference\": \"Example gateway\"", "\"reference\": 5",
                          "controls[0].features[0].reference: expected a string or null");
    expect_mutation_error("\"guidance\": \"Nothing to configure.\"", "\"guidance\": null",
                          "controls[0].features[0].guidance: expected a string");
    expect_mutation_error("\"policies\": [],", "\"policies\": {},",
                          "controls[1].features[0].policies: expected an array");
    expect_mutation_error("{\n      \"name\": \"Product Category\",\n      \"value\": \"Networking\"\n    }",
                          "\"Networking\"", "profile[0]: expected an object");
    expect_text_error("[]", 2, "top level: expected a JSON object");
}
END_TEST

START_TEST(test_err_bad_enum)
{
    expect_mutation_error("\"supported\": \"False\"", "\"supported\": \"false\"",
                          "controls[1].features[0].supported: expected \"True\", \"False\" or "
                          "\"Not Applicable\"");
    expect_mutation_error("\"supported\": \"False\"", "\"supported\": false",
                          "controls[1].features[0].supported: expected \"True\", \"False\" or "
                          "\"Not Applicable\"");
    expect_mutation_error("\"responsibility\": \"Customer\"", "\"responsibility\": \"Partner\"",
                          "controls[1].features[1].responsibility: expected \"Microsoft\", "
                          "\"Customer\", \"Shared\" or \"Not Applicable\"");
    expect_mutation_error("\"enabled_by_default\": \"False\"", "\"enabled_by_default\": \"N/A\"",
                          "controls[1].features[1].enabled_by_default: expected \"True\", \"False\" or "
                          "\"Not Applicable\"");
}
END_TEST

START_TEST(test_err_schema_and_formats)
{
    expect_mutation_error("\"mcsb-audit-baseline/1\"", "\"mcsb-audit-baseline/2\"",
                          "schema: unsupported schema \"mcsb-audit-baseline/2\" (expected "
                          "\"mcsb-audit-baseline/1\")");
    expect_mutation_error("\"id\": \"NS-1\"", "\"id\": \"ns-1\"",
                          "controls[0].id: expected a control id such as \"NS-1\"");
    expect_mutation_error("\"id\": \"example\"", "\"id\": \"Example Baseline\"",
                          "id: expected a baseline id of a-z, 0-9 and '-'");
    expect_mutation_error("\"rule\": \"dp3_lockbox\"", "\"rule\": \"DP3 lockbox\"",
                          "controls[1].features[1].rule: expected a rule id of a-z, 0-9 and '_'");
    expect_mutation_error("/providers/Microsoft.Authorization/policyDefinitions/e71308d3",
                          "e71308d3",
                          "controls[0].features[0].policies[0].definition_id: expected "
                          "\"/providers/Microsoft.Authorization/policyDefinitions/<name>\"");
}
END_TEST

/* A link must be an absolute https URL a viewer cannot take for anything else. */
START_TEST(test_err_links)
{
    static const char ref[] = "\"reference\": \"Example gateway\",";
    static const struct {
        const char *url, *why;
    } bad[] = {
        {"http://learn.microsoft.com/azure", "expected an absolute https URL (\"https://host/path\")"},
        {"/azure/expressroute/monitor-expressroute", "expected an absolute https URL (\"https://host/path\")"},
        {"javascript:alert(1)", "expected an absolute https URL (\"https://host/path\")"},
        {"HTTPS://learn.microsoft.com/", "expected an absolute https URL (\"https://host/path\")"},
        {"https:///azure", "expected a host name after \"https://\""},
        {"https://learn.microsoft.com@example.test/", "the host may hold only letters, digits, '-', '.' and a ':port'"},
        {"https://learn.microsoft.com/a b", "a URL must be printable ASCII without spaces, quotes, '<', '>', "
                                            "'\\', '^', '`', '{', '|' or '}'"},
        {"https://learn.microsoft.com/\\\"x", "a URL must be printable ASCII without spaces, quotes, '<', '>', "
                                              "'\\', '^', '`', '{', '|' or '}'"},
        {"https://learn.microsoft.com/d\xC3\xA9", "a URL must be printable ASCII without spaces, quotes, '<', '>', "
                                               "'\\', '^', '`', '{', '|' or '}'"},
    };
    for (size_t i = 0; i < COUNT(bad); i++) {
        char *to = sb_xasprintf("%s \"reference_url\": \"%s\",", ref, bad[i].url);
        char *tail = sb_xasprintf("controls[0].features[0].reference_url: %s", bad[i].why);
        expect_mutation_error(ref, to, tail);
        free(tail);
        free(to);
    }
    expect_mutation_error("\"description\": \"Customer Lockbox can be used for Microsoft support access.\",",
                          "\"description\": \"Customer Lockbox can be used for Microsoft support access.\", "
                          "\"learn_more_url\": \"ftp://example.test/lockbox\",",
                          "controls[1].features[1].learn_more_url: expected an absolute https URL "
                          "(\"https://host/path\")");
    expect_mutation_error("\"domain\": \"Data protection\",", "\"domain\": \"Data protection\", \"domain_url\": \"\",",
                          "controls[1].domain_url: must not be empty (use null)");
    expect_mutation_error("\"domain\": \"Data protection\",", "\"domain\": \"Data protection\", \"domain_url\": 7,",
                          "controls[1].domain_url: expected a string or null");
    /* A URL without the text it belongs to. */
    expect_mutation_error("\"reference\": null,\n          \"policies\": [],\n          \"rule\": \"dp3_lockbox\"",
                          "\"reference\": null, \"reference_url\": \"https://learn.example.test/x\",\n"
                          "          \"policies\": [],\n          \"rule\": \"dp3_lockbox\"",
                          "controls[1].features[1].reference_url: set without a \"reference\" text to link");
    /* Two controls of one domain pointing at different benchmark pages. */
    expect_mutation_error("\"id\": \"DP-3\",\n      \"domain\": \"Data protection\",",
                          "\"id\": \"DP-3\",\n      \"domain\": \"Network security\", "
                          "\"domain_url\": \"https://learn.example.test/other\",",
                          "controls[1].domain_url: differs from controls[0].domain_url of the same domain "
                          "\"Network security\"");
}
END_TEST

START_TEST(test_err_empty_and_space)
{
    expect_mutation_error("\"name\": \"Customer Lockbox\"", "\"name\": \"\"",
                          "controls[1].features[1].name: must not be empty");
    expect_mutation_error("\"name\": \"Product Category\"", "\"name\": \"\"",
                          "profile[0].name: must not be empty");
    expect_mutation_error("\"reference\": \"Example gateway\"", "\"reference\": \"\"",
                          "controls[0].features[0].reference: must not be empty (use null)");
    expect_mutation_error("\"name\": \"Customer Lockbox\"", "\"name\": \"Customer Lockbox \"",
                          "controls[1].features[1].name: must not begin or end with white space");
    expect_mutation_error("\"name\": \"Customer Lockbox\"", "\"name\": \"Customer\\nLockbox\"",
                          "controls[1].features[1].name: must be one line without control characters");
}
END_TEST

START_TEST(test_err_duplicates)
{
    expect_mutation_error("\"id\": \"DP-3\"", "\"id\": \"NS-1\"",
                          "controls[1].id: duplicate control id \"NS-1\" (also controls[0])");
    expect_mutation_error("\"name\": \"Customer Lockbox\"",
                          "\"name\": \"Chiffrement des donn\xC3\xA9" "es en transit\"",
                          "controls[1].features[1].name: duplicate feature \"Chiffrement des "
                          "donn\xC3\xA9" "es en transit\" in DP-3 (also features[0])");
    expect_mutation_error("\"rule\": \"dp3_lockbox\"", "\"rule\": \"ns1_vnet_integration\"",
                          "controls[1].features[1].rule: rule \"ns1_vnet_integration\" is already "
                          "used by controls[0].features[0]");
    expect_mutation_error("\"value\": \"Networking\"\n    }",
                          "\"value\": \"Networking\"\n    }, {\"name\": \"Product Category\", "
                          "\"value\": \"x\"}",
                          "profile[1].name: duplicate attribute \"Product Category\" (also profile[0])");
}
END_TEST

START_TEST(test_err_unsupported_consistency)
{
    expect_mutation_error("\"enabled_by_default\": \"Not Applicable\"", "\"enabled_by_default\": \"False\"",
                          "controls[1].features[0].enabled_by_default: must be \"Not Applicable\" when "
                          "supported is \"False\"");
    expect_mutation_error("\"responsibility\": \"Not Applicable\"", "\"responsibility\": \"Customer\"",
                          "controls[1].features[0].responsibility: must be \"Not Applicable\" when "
                          "supported is \"False\"");
}
END_TEST

START_TEST(test_err_empty_lists)
{
    const char *head = "{\"schema\": \"mcsb-audit-baseline/1\", \"id\": \"x\", \"service\": \"X\", "
                       "\"title\": \"T\", \"mcsb_version\": \"1.0\", \"source\": \"s\", \"profile\": [], ";
    char *t = sb_xasprintf("%s\"controls\": []}", head);
    expect_text_error(t, strlen(t), "controls: must list at least one control");
    free(t);
    t = sb_xasprintf("%s\"controls\": [{\"id\": \"NS-1\", \"domain\": \"D\", \"title\": \"T\", "
                     "\"features\": []}]}",
                     head);
    expect_text_error(t, strlen(t), "controls[0].features: must list at least one feature");
    free(t);
}
END_TEST

/* ---- errors in the text itself: FILE:LINE:COL ---- */

/* Fixtures in tests/data/baseline/ and the message each must produce after the file name. */
static const struct {
    const char *file, *tail;
} TEXT_FIXTURES[] = {
    {"syntax-error.json", ":3:9: malformed JSON"},
    {"truncated.json", ":4:1: malformed JSON (unexpected end of input)"},
    {"invalid-utf8.json", ":3:41: invalid UTF-8"},
    {"empty.json", "empty file (expected JSON)"},
    {"trailing-garbage.json", ":5:1: unexpected data after the JSON value"},
};

START_TEST(test_err_text_fixture)
{
    char *rel = sb_path_join("baseline", TEXT_FIXTURES[_i].file);
    char *p = tu_data(rel);
    expect_error(p, TEXT_FIXTURES[_i].tail);
    free(p);
    free(rel);
}
END_TEST

START_TEST(test_err_text_inline)
{
    /* An overlong encoding of '/' inside an otherwise valid file. */
    expect_text_error("{\"schema\": \"a\xC0\xAF\"}", 17, ":1:14: invalid UTF-8");
    expect_text_error(" \n\t\n", 4, "empty file (expected JSON)");
}
END_TEST

START_TEST(test_err_nul_byte)
{
    static const char t[] = "{\"schema\": \"mcsb-audit-baseline/1\0\"}";
    expect_text_error(t, sizeof t - 1, ":1:34: NUL byte in JSON text");
}
END_TEST

static char *nested(int depth)
{
    struct sb_buf b = {0};
    sb_buf_puts(&b, "{\"schema\": ");
    for (int i = 0; i < depth; i++)
        sb_buf_putc(&b, '[');
    for (int i = 0; i < depth; i++)
        sb_buf_putc(&b, ']');
    sb_buf_puts(&b, "}");
    return sb_buf_take(&b);
}

START_TEST(test_err_deep_nesting)
{
    /* 1000 levels (cJSON's own limit) must be refused cleanly, never crash. */
    char *t = nested(1000);
    struct sb_err e = {0};
    char *path = tmp_file("deep.json");
    tu_write(path, t);
    struct sb_baseline *b = (struct sb_baseline *)1;
    ck_assert_int_eq(baseline_load(&b, path, &e), -1);
    ck_assert_ptr_null(b);
    ck_assert_int_eq(e.code, SB_EXIT_INPUT);
    char *prefix = sb_xasprintf("%s:1:", path);
    ck_assert_msg(strncmp(e.msg, prefix, strlen(prefix)) == 0, "got: %s", e.msg);
    ck_assert_msg(strstr(e.msg, "nested deeper than") != NULL, "got: %s", e.msg);
    free(prefix);
    free(path);
    free(t);
    /* Moderate nesting parses, and the schema check then names the field. */
    t = nested(100);
    expect_text_error(t, strlen(t), "schema: expected a string");
    free(t);
}
END_TEST

START_TEST(test_err_missing_file)
{
    expect_error("/nonexistent/baseline.json", "No such file or directory");
}
END_TEST

/* ---- `baseline show` ---- */

static char *matrix_of(const struct sb_baseline *b)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    ck_assert_ptr_nonnull(f);
    ck_assert_int_eq(baseline_print_matrix(b, f), 0);
    fclose(f);
    return buf;
}

START_TEST(test_matrix_golden_minimal)
{
    char *p = tu_data("baseline/minimal.json");
    struct sb_baseline *b = load_ok(p);
    char *out = matrix_of(b);
    /* "données" is 7 characters but 8 bytes: the columns after it must still line up. */
    static const char want[] =
        "Azure security baseline for Example\n"
        "Microsoft cloud security benchmark version 1.0\n"
        "Baseline: example (2 controls, 3 features)\n"
        "Source: tests/data/baseline/minimal.json\n"
        "\n"
        "Control  Feature                             Supported  Enabled by default  Responsibility\n"
        "-------  ----------------------------------  ---------  ------------------  --------------\n"
        "\n"
        "NS-1: Establish network segmentation boundaries (Network security)\n"
        "NS-1     Virtual Network Integration         True       True                Microsoft\n"
        "\n"
        "DP-3: Encrypt sensitive data in transit (Data protection)\n"
        "DP-3     Chiffrement des donn\xC3\xA9" "es en transit  False      Not Applicable      Not Applicable\n"
        "DP-3     Customer Lockbox                    True       False               Customer\n";
    tu_assert_text_eq(out, want);
    free(out);
    baseline_free(b);
    free(p);
}
END_TEST

START_TEST(test_matrix_real)
{
    struct sb_baseline *b = load_real();
    char *out = matrix_of(b);
    ck_assert_ptr_nonnull(strstr(out, "Azure security baseline for ExpressRoute\n"
                                      "Microsoft cloud security benchmark version 1.0\n"
                                      "Baseline: expressroute (16 controls, 20 features)\n"));
    ck_assert_ptr_nonnull(strstr(out, "\nNS-1: Establish network segmentation boundaries (Network security)\n"));
    ck_assert_ptr_nonnull(strstr(out, "\nBR-1: Ensure regular automated backups (Backup and recovery)\n"));
    /* The IM-8 feature is the longest name, so it sets the Feature column width. */
    ck_assert_ptr_nonnull(strstr(out, "\nIM-8     Service Credential and Secrets Support Integration and "
                                      "Storage in Azure Key Vault  True       False               "
                                      "Customer\n"));
    ck_assert_ptr_nonnull(strstr(out, "\nNS-1     Network Security Group Support" ));
    ck_assert_ptr_nonnull(strstr(out, "\nDP-3     Data in Transit Encryption"));
    /* Every feature has its row, under its control, in document order. */
    const char *at = out;
    for (size_t i = 0; i < COUNT(WANT_FEATURES); i++) {
        char *row = sb_xasprintf("\n%s     %s  ", WANT_FEATURES[i].control, WANT_FEATURES[i].name);
        const char *hit = strstr(at, row);
        ck_assert_msg(hit != NULL, "no row after the previous one: %s", row + 1);
        at = hit + 1;
        free(row);
    }
    ck_assert_ptr_null(strstr(out, " \n")); /* no trailing blanks */
    free(out);
    baseline_free(b);
}
END_TEST

START_TEST(test_matrix_write_error)
{
    struct sb_baseline *b = load_real();
    FILE *f = fopen("/dev/full", "w");
    ck_assert_ptr_nonnull(f);
    ck_assert_int_eq(baseline_print_matrix(b, f), -1);
    fclose(f);
    baseline_free(b);
}
END_TEST

static Suite *baseline_suite(void)
{
    Suite *s = suite_create("baseline");
    TCase *tc = tcase_create("expressroute");
    tcase_add_test(tc, test_real_header);
    tcase_add_test(tc, test_real_controls_in_order);
    tcase_add_test(tc, test_real_features_table);
    tcase_add_test(tc, test_real_profile);
    tcase_add_test(tc, test_real_nsg_policy_and_texts);
    tcase_add_test(tc, test_real_links);
    tcase_add_test(tc, test_find_and_strings);
    suite_add_tcase(s, tc);

    tc = tcase_create("schema");
    tcase_add_test(tc, test_minimal_fixture);
    tcase_add_test(tc, test_optional_definition_id);
    tcase_add_test(tc, test_links_load);
    tcase_add_test(tc, test_err_links);
    tcase_add_test(tc, test_err_unknown_key);
    tcase_add_test(tc, test_err_duplicate_key);
    tcase_add_test(tc, test_err_missing_field);
    tcase_add_test(tc, test_err_wrong_type);
    tcase_add_test(tc, test_err_bad_enum);
    tcase_add_test(tc, test_err_schema_and_formats);
    tcase_add_test(tc, test_err_empty_and_space);
    tcase_add_test(tc, test_err_duplicates);
    tcase_add_test(tc, test_err_unsupported_consistency);
    tcase_add_test(tc, test_err_empty_lists);
    suite_add_tcase(s, tc);

    tc = tcase_create("text");
    tcase_add_loop_test(tc, test_err_text_fixture, 0, (int)COUNT(TEXT_FIXTURES));
    tcase_add_test(tc, test_err_text_inline);
    tcase_add_test(tc, test_err_nul_byte);
    tcase_add_test(tc, test_err_deep_nesting);
    tcase_add_test(tc, test_err_missing_file);
    suite_add_tcase(s, tc);

    tc = tcase_create("matrix");
    tcase_add_test(tc, test_matrix_golden_minimal);
    tcase_add_test(tc, test_matrix_real);
    tcase_add_test(tc, test_matrix_write_error);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(baseline_suite());
    srunner_run_all(sr, CK_ENV);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
