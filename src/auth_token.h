/**
 * @file auth_token.h
 * @brief Bearer tokens for ARM: a given token (env or file), client secret, workload identity
 * (federated token file) or managed identity (App Service endpoint, else IMDS).
 *
 * The first method whose inputs are present wins. Tokens are cached and refreshed before
 * they expire, and once more on demand (after a 401). No token or secret is ever printed:
 * error messages carry HTTP status and the identity platform's error code/description only, with
 * every known secret redacted and control characters escaped. Secrets go only to the origin of
 * the token endpoint they were configured for.
 */
#ifndef SB_AUTH_TOKEN_H
#define SB_AUTH_TOKEN_H

#include <stdbool.h>

struct sb_err;
struct redact_set;

struct auth_config {
    const char *arm_endpoint;   /**< e.g. https://management.azure.com (the token audience) */
    const char *authority_host; /**< e.g. https://login.microsoftonline.com */
    const char *token_file;     /**< --token-file, or NULL */
    const char *ca_bundle;      /**< NULL: system default */
    long timeout_ms;            /**< limit of each token request attempt */
    long long deadline;         /**< http_now_ms() value after which no token request starts; 0: none */
    bool verbose;
    bool managed_identity;      /**< --managed-identity: skip 1-3, use the managed identity */
    struct redact_set *redact;  /**< every secret and token auth learns is added here (borrowed; may be NULL) */
};

struct auth;

/**
 * Pick the credential from the configuration and the environment (AZURE_ACCESS_TOKEN,
 * AZURE_TENANT_ID, AZURE_CLIENT_ID, AZURE_CLIENT_SECRET, AZURE_FEDERATED_TOKEN_FILE,
 * IDENTITY_ENDPOINT, IDENTITY_HEADER, MCSB_AUDIT_IMDS_ENDPOINT). Does not contact anything yet.
 * The instance metadata service is used only when asked (--managed-identity), when
 * MCSB_AUDIT_IMDS_ENDPOINT is set, or when the machine reports a Microsoft hypervisor (DMI):
 * elsewhere 169.254.169.254 is nobody we should talk to, and waiting for it only delays the error.
 * Errors are SB_EXIT_AUTH (unusable input) or SB_EXIT_USAGE (bad endpoint). Caller frees.
 */
struct auth *auth_new(const struct auth_config *cfg, struct sb_err *e);
void auth_free(struct auth *a);

/**
 * A valid token (borrowed; valid until the next auth_get or auth_free) and its generation
 * number, which changes whenever a new token is fetched. `force` fetches a new one unless
 * the cached one is already newer than `seen_generation`. Errors are SB_EXIT_AUTH.
 */
int auth_get(struct auth *a, bool force, unsigned seen_generation, const char **out_token,
             unsigned *out_generation, struct sb_err *e);

/** Human name of the method in use ("client secret", "managed identity (IMDS)", ...). */
const char *auth_method(const struct auth *a);

/** The tenant the credential names (AZURE_TENANT_ID), or NULL. Borrowed. */
const char *auth_tenant(const struct auth *a);
/** The application or managed identity client id the credential names (AZURE_CLIENT_ID), or NULL. Borrowed. */
const char *auth_client_id(const struct auth *a);

#endif
