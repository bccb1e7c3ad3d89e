#include "auth_token.h"

#include "err.h"
#include "http_multi.h"
#include "http_url.h"
#include "redact.h"
#include "util.h"

#include <curl/curl.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

enum auth_kind { AUTH_ENV_TOKEN, AUTH_TOKEN_FILE, AUTH_SECRET, AUTH_FEDERATED, AUTH_MI_APPSERVICE, AUTH_MI_IMDS };

static const char *const kind_names[] = {
    "access token (AZURE_ACCESS_TOKEN)", "access token (--token-file)", "client secret",
    "workload identity (federated token)", "managed identity (IDENTITY_ENDPOINT)", "managed identity (IMDS)",
};

#define IMDS_DEFAULT "http://169.254.169.254"
#define TOKEN_MAX_BYTES ((size_t)64 * 1024)
#define TOKEN_ATTEMPTS 3

struct auth {
    enum auth_kind kind;
    char *arm;            /* audience */
    char *token_url;      /* where tokens come from (not for static kinds) */
    char *token_origin;   /* secrets and assertions go to this origin only */
    char *tenant, *client_id;
    char *secret;         /* client secret (never printed) */
    char *federated_file; /* re-read on every request: the platform rotates it */
    char *identity_header;
    char *token_file;
    const char *ca_bundle;
    long timeout_ms;
    long long deadline;
    bool verbose;
    struct redact_set *redact;

    char *token;          /* current token */
    time_t refresh_at;    /* 0: never refresh by time */
    unsigned generation;
};

static char *env_dup(const char *name)
{
    const char *v = getenv(name);
    return sb_empty(v) ? NULL : sb_xstrdup(v);
}

static void wipe_free(char *s)
{
    if (s) {
        /* volatile stops the compiler dropping the wipe of memory about to be freed. */
        volatile char *p = s;
        while (*p)
            *p++ = 0;
        free(s);
    }
}

void auth_free(struct auth *a)
{
    if (!a)
        return;
    free(a->arm);
    free(a->token_url);
    free(a->token_origin);
    free(a->tenant);
    free(a->client_id);
    wipe_free(a->secret);
    free(a->federated_file);
    wipe_free(a->identity_header);
    free(a->token_file);
    wipe_free(a->token);
    free(a);
}

static char *trimmed(const char *s)
{
    while (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\r')
        s++;
    size_t n = strlen(s);
    while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\n' || s[n - 1] == '\r'))
        n--;
    return sb_xstrndup(s, n);
}

static int read_secret_file(char **out, const char *path, const char *what, struct sb_err *e)
{
    char *raw = NULL;
    size_t len = 0;
    struct sb_err fe = {0};
    if (sb_read_file(&raw, &len, path, TOKEN_MAX_BYTES, &fe) != 0)
        return sb_err_set(e, SB_EXIT_AUTH, "%s: %s", what, fe.msg);
    *out = trimmed(raw);
    wipe_free(raw);
    if (sb_empty(*out)) {
        free(*out);
        *out = NULL;
        return sb_err_set(e, SB_EXIT_AUTH, "%s %s is empty", what, path);
    }
    return 0;
}

/* Azure VMs (and Hyper-V) report "Microsoft Corporation" as the DMI system vendor. */
static bool looks_like_azure_vm(void)
{
    char buf[64] = "";
    FILE *f = fopen("/sys/class/dmi/id/sys_vendor", "r");
    if (!f)
        return false;
    bool ok = fgets(buf, sizeof buf, f) != NULL && strncmp(buf, "Microsoft Corporation", 21) == 0;
    fclose(f);
    return ok;
}

/* The token URL, built with curl's URL API on `endpoint`; its origin is where secrets may go. */
static int set_token_url(struct auth *a, const char *endpoint, const char *path, const char *query, const char *what,
                         struct sb_err *e)
{
    struct sb_err ue = {0};
    a->token_url = http_url_build(endpoint, path, query, &ue);
    if (!a->token_url)
        return sb_err_set(e, SB_EXIT_USAGE, "%s: %s", what, ue.msg);
    a->token_origin = http_url_origin(endpoint);
    return 0;
}

/* A tenant is a GUID or a domain name: nothing that could change the token URL's path. */
static bool tenant_ok(const char *t)
{
    size_t n = strlen(t);
    if (n == 0 || n > 256 || strcmp(t, ".") == 0 || strcmp(t, "..") == 0)
        return false;
    for (const char *p = t; *p; p++)
        if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') || *p == '-' ||
              *p == '.'))
            return false;
    return true;
}

static int setup_managed_identity(struct auth *a, bool forced, struct sb_err *e)
{
    char *endpoint = env_dup("IDENTITY_ENDPOINT");
    char *header = env_dup("IDENTITY_HEADER");
    char *res = curl_easy_escape(NULL, a->arm, 0);
    char *cid = a->client_id ? curl_easy_escape(NULL, a->client_id, 0) : NULL;
    int rc = 0;
    if (endpoint && header) {
        a->kind = AUTH_MI_APPSERVICE;
        a->identity_header = header;
        header = NULL;
        redact_add(a->redact, a->identity_header);
        if (http_url_check(endpoint, false, "IDENTITY_ENDPOINT", e) != 0) {
            rc = -1;
            goto done;
        }
        char *query = sb_xasprintf("api-version=2019-08-01&resource=%s%s%s", res, cid ? "&client_id=" : "",
                                   cid ? cid : "");
        rc = set_token_url(a, endpoint, NULL, query, "IDENTITY_ENDPOINT", e);
        free(query);
        if (rc != 0)
            goto done;
    } else {
        a->kind = AUTH_MI_IMDS;
        const char *base = getenv("MCSB_AUDIT_IMDS_ENDPOINT");
        if (sb_empty(base) && !forced && !looks_like_azure_vm()) {
            rc = sb_err_set(e, SB_EXIT_AUTH,
                            "no credential: set AZURE_ACCESS_TOKEN or --token-file (signed in with the Azure CLI: "
                            "AZURE_ACCESS_TOKEN=$(az account get-access-token --query accessToken -o tsv)); or "
                            "AZURE_TENANT_ID and AZURE_CLIENT_ID with AZURE_CLIENT_SECRET or "
                            "AZURE_FEDERATED_TOKEN_FILE; or use a managed identity (--managed-identity)");
            goto done;
        }
        if (!sb_empty(base)) {
            char *origin = http_url_origin(base);
            struct sb_err ue = {0};
            bool loop = origin && http_url_check(base, false, "MCSB_AUDIT_IMDS_ENDPOINT", &ue) == 0 &&
                        sb_istarts(origin, "http://");
            free(origin);
            if (!loop) {
                rc = sb_err_set(e, SB_EXIT_USAGE, "MCSB_AUDIT_IMDS_ENDPOINT: only a plain http loopback URL is allowed");
                goto done;
            }
        } else {
            base = IMDS_DEFAULT;
        }
        char *query = sb_xasprintf("api-version=2018-02-01&resource=%s%s%s", res, cid ? "&client_id=" : "",
                                   cid ? cid : "");
        rc = set_token_url(a, base, "/metadata/identity/oauth2/token", query, "MCSB_AUDIT_IMDS_ENDPOINT", e);
        free(query);
    }
done:
    free(endpoint);
    wipe_free(header);
    curl_free(res);
    curl_free(cid);
    return rc;
}

struct auth *auth_new(const struct auth_config *cfg, struct sb_err *e)
{
    struct auth *a = sb_xcalloc(1, sizeof *a);
    a->arm = http_trim_endpoint(cfg->arm_endpoint);
    a->ca_bundle = cfg->ca_bundle;
    a->timeout_ms = cfg->timeout_ms;
    a->deadline = cfg->deadline;
    a->verbose = cfg->verbose;
    a->redact = cfg->redact;
    a->tenant = env_dup("AZURE_TENANT_ID");
    a->client_id = env_dup("AZURE_CLIENT_ID");
    /* Whatever credential is used, the process knows these: none may reach a message. */
    redact_add(a->redact, getenv("AZURE_ACCESS_TOKEN"));
    redact_add(a->redact, getenv("AZURE_CLIENT_SECRET"));
    redact_add(a->redact, getenv("IDENTITY_HEADER"));
    if (a->tenant && !tenant_ok(a->tenant)) {
        sb_err_set(e, SB_EXIT_AUTH, "AZURE_TENANT_ID: not a tenant id or domain name");
        auth_free(a);
        return NULL;
    }

    if (cfg->managed_identity) {
        if (setup_managed_identity(a, true, e) != 0) {
            auth_free(a);
            return NULL;
        }
        return a;
    }
    char *env_token = env_dup("AZURE_ACCESS_TOKEN");
    char *secret = env_dup("AZURE_CLIENT_SECRET");
    char *fed = env_dup("AZURE_FEDERATED_TOKEN_FILE");
    if (env_token) {
        a->kind = AUTH_ENV_TOKEN;
        a->token = env_token;
        env_token = NULL;
        a->generation = 1;
    } else if (cfg->token_file) {
        a->kind = AUTH_TOKEN_FILE;
        a->token_file = sb_xstrdup(cfg->token_file);
        if (read_secret_file(&a->token, a->token_file, "--token-file", e) != 0)
            goto fail;
        redact_add(a->redact, a->token);
        a->generation = 1;
    } else if ((secret || fed) && a->tenant && a->client_id) {
        a->kind = secret ? AUTH_SECRET : AUTH_FEDERATED;
        if (secret) {
            a->secret = secret;
            secret = NULL;
        } else {
            a->federated_file = fed;
            fed = NULL;
        }
        if (http_url_check(cfg->authority_host, false, "authority host", e) != 0)
            goto fail;
        char *path = sb_xasprintf("/%s/oauth2/v2.0/token", a->tenant);
        int rc = set_token_url(a, cfg->authority_host, path, NULL, "authority host", e);
        free(path);
        if (rc != 0)
            goto fail;
    } else if (secret || fed) {
        sb_err_set(e, SB_EXIT_AUTH, "%s is set but AZURE_TENANT_ID and AZURE_CLIENT_ID are both required",
                   secret ? "AZURE_CLIENT_SECRET" : "AZURE_FEDERATED_TOKEN_FILE");
        goto fail;
    } else if (setup_managed_identity(a, false, e) != 0) {
        goto fail;
    }
    wipe_free(secret);
    free(fed);
    return a;
fail:
    wipe_free(env_token);
    wipe_free(secret);
    free(fed);
    auth_free(a);
    return NULL;
}

const char *auth_method(const struct auth *a)
{
    return kind_names[a->kind];
}

const char *auth_tenant(const struct auth *a)
{
    return a->tenant;
}

const char *auth_client_id(const struct auth *a)
{
    return a->client_id;
}

static size_t collect_body(char *ptr, size_t size, size_t nmemb, void *userdata)
{
    struct sb_buf *b = userdata;
    size_t n = size * nmemb;
    if (b->len + n > TOKEN_MAX_BYTES)
        return 0;
    sb_buf_add(b, ptr, n);
    return n;
}

static char *form_field(const char *name, const char *value)
{
    char *v = curl_easy_escape(NULL, value, 0);
    char *s = sb_xasprintf("%s=%s", name, v);
    /* The escaped copy may hold a secret. */
    volatile char *p = v;
    while (*p)
        *p++ = 0;
    curl_free(v);
    return s;
}

static char *form_body(struct auth *a, struct sb_err *e)
{
    struct sb_buf b = {0};
    char *scope = sb_xasprintf("%s/.default", a->arm);
    char *parts[4] = {form_field("client_id", a->client_id), form_field("scope", scope),
                      form_field("grant_type", "client_credentials"), NULL};
    free(scope);
    if (a->kind == AUTH_SECRET) {
        parts[3] = form_field("client_secret", a->secret);
    } else {
        char *assertion = NULL;
        if (read_secret_file(&assertion, a->federated_file, "AZURE_FEDERATED_TOKEN_FILE", e) != 0) {
            for (int i = 0; i < 3; i++)
                free(parts[i]);
            return NULL;
        }
        redact_add(a->redact, assertion); /* rotated by the platform: each new one joins the set */
        char *f = form_field("client_assertion", assertion);
        wipe_free(assertion);
        parts[3] = sb_xasprintf("client_assertion_type=%s&%s",
                                "urn%3Aietf%3Aparams%3Aoauth%3Aclient-assertion-type%3Ajwt-bearer", f);
        wipe_free(f);
    }
    for (int i = 0; i < 4; i++) {
        if (i)
            sb_buf_putc(&b, '&');
        sb_buf_puts(&b, parts[i]);
        wipe_free(parts[i]);
    }
    return sb_buf_take(&b);
}

/* Lifetime in seconds from expires_in / expires_on (numbers or numeric strings). */
static long token_lifetime(const cJSON *j, time_t now)
{
    const cJSON *in = cJSON_GetObjectItemCaseSensitive(j, "expires_in");
    const cJSON *on = cJSON_GetObjectItemCaseSensitive(j, "expires_on");
    const char *text = NULL;
    if (cJSON_IsRaw(in) || cJSON_IsString(in))
        text = in->valuestring;
    if (text) {
        long v = strtol(text, NULL, 10);
        if (v > 0)
            return v;
    }
    text = (cJSON_IsRaw(on) || cJSON_IsString(on)) ? on->valuestring : NULL;
    if (text) {
        long long v = strtoll(text, NULL, 10);
        if (v > (long long)now)
            return (long)(v - (long long)now);
    }
    return 3600;
}


static int token_request(struct auth *a, struct sb_err *e)
{
    bool is_mi = a->kind == AUTH_MI_APPSERVICE || a->kind == AUTH_MI_IMDS;
    /* Secrets travel only to the endpoint they were configured for. */
    if (!a->token_origin || !http_url_same_origin(a->token_url, a->token_origin))
        return sb_err_set(e, SB_EXIT_AUTH, "token request (%s): the token URL left its endpoint; not sent",
                          kind_names[a->kind]);
    char *body = NULL;
    if (!is_mi && !(body = form_body(a, e)))
        return -1;
    char *label = http_request_label(is_mi ? "GET" : "POST", a->token_url);
    int rc = -1;
    long status = 0;
    char errbuf[CURL_ERROR_SIZE];
    char *failure = NULL;
    for (int attempt = 0; attempt < TOKEN_ATTEMPTS && rc != 0; attempt++) {
        long limit = a->timeout_ms;
        if (a->deadline) {
            long long left = a->deadline - http_now_ms() - (attempt > 0 ? attempt * 1000LL : 0);
            if (left <= 0) {
                free(failure);
                failure = sb_xstrdup(attempt ? "no time left before the collection deadline (--deadline) to retry"
                                             : "the collection deadline (--deadline) was reached");
                break;
            }
            if (left < limit)
                limit = (long)left;
        }
        if (attempt > 0) {
            struct timespec ts = {attempt, 0};
            nanosleep(&ts, NULL);
        }
        CURL *h = curl_easy_init();
        if (!h) {
            free(failure);
            failure = sb_xstrdup("cannot create a curl handle");
            break;
        }
        struct sb_buf resp = {0};
        struct curl_slist *hdr = NULL;
        errbuf[0] = '\0';
        http_easy_common(h, a->token_url, a->ca_bundle, limit);
        curl_easy_setopt(h, CURLOPT_ERRORBUFFER, errbuf);
        curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, collect_body);
        curl_easy_setopt(h, CURLOPT_WRITEDATA, &resp);
        if (a->kind == AUTH_MI_IMDS) {
            hdr = curl_slist_append(hdr, "Metadata: true");
            /* Off Azure nothing answers there: fail fast instead of hanging the run. */
            curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT_MS, 3000L);
        } else if (a->kind == AUTH_MI_APPSERVICE) {
            char *line = sb_xasprintf("X-IDENTITY-HEADER: %s", a->identity_header);
            hdr = curl_slist_append(hdr, line);
            wipe_free(line);
        } else {
            hdr = curl_slist_append(hdr, "Content-Type: application/x-www-form-urlencoded");
            curl_easy_setopt(h, CURLOPT_POSTFIELDS, body);
        }
        hdr = curl_slist_append(hdr, "Accept: application/json");
        curl_easy_setopt(h, CURLOPT_HTTPHEADER, hdr);
        CURLcode cc = curl_easy_perform(h);
        curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &status);
        curl_slist_free_all(hdr);
        curl_easy_cleanup(h);
        cJSON *j = cc == CURLE_OK ? http_parse_json(resp.data ? resp.data : "", resp.len) : NULL;
        const cJSON *tok = cJSON_GetObjectItemCaseSensitive(j, "access_token");
        free(failure);
        failure = NULL;
        if (cc != CURLE_OK) {
            failure = redact_text(a->redact, errbuf[0] ? errbuf : curl_easy_strerror(cc), 300);
        } else if (status == 200 && cJSON_IsString(tok) && !sb_empty(tok->valuestring)) {
            wipe_free(a->token);
            a->token = sb_xstrdup(tok->valuestring);
            redact_add(a->redact, a->token);
            time_t now = time(NULL);
            long life = token_lifetime(j, now);
            long margin = life / 2 < 300 ? life / 2 : 300;
            a->refresh_at = now + life - margin;
            a->generation++;
            rc = 0;
        } else {
            const cJSON *err = cJSON_GetObjectItemCaseSensitive(j, "error");
            const cJSON *desc = cJSON_GetObjectItemCaseSensitive(j, "error_description");
            /* The identity platform's text is server text: it may echo what we sent. */
            char *d = redact_text(a->redact, cJSON_GetStringValue(desc), 300);
            char *code = redact_text(a->redact, cJSON_GetStringValue(err), 100);
            failure = sb_xasprintf("HTTP %ld%s%s%s%s", status, code[0] ? " " : "", code, d[0] ? ": " : "", d);
            free(d);
            free(code);
        }
        cJSON_Delete(j);
        /* The body holds a token: wipe before freeing. */
        if (resp.data)
            memset(resp.data, 0, resp.len);
        sb_buf_free(&resp);
        if (a->verbose)
            fprintf(stderr, "mcsb-audit: %s %ld (%s)\n", label, status, rc == 0 ? "token issued" : "token refused");
        /* An instance metadata service that does not answer is not there: do not wait for it thrice. */
        bool absent = a->kind == AUTH_MI_IMDS && (cc == CURLE_COULDNT_CONNECT || cc == CURLE_OPERATION_TIMEDOUT);
        bool retryable = !absent && (cc != CURLE_OK || status == 429 || status >= 500);
        if (rc != 0 && !retryable)
            break;
    }
    if (rc != 0)
        sb_err_set(e, SB_EXIT_AUTH, "token request (%s) %s failed: %s", kind_names[a->kind], label,
                   failure ? failure : "unknown error");
    free(failure);
    free(label);
    wipe_free(body);
    return rc;
}

int auth_get(struct auth *a, bool force, unsigned seen_generation, const char **out_token,
             unsigned *out_generation, struct sb_err *e)
{
    bool stale = a->token == NULL || (a->refresh_at != 0 && time(NULL) >= a->refresh_at) ||
                 (force && a->generation <= seen_generation);
    if (stale) {
        if (a->kind == AUTH_ENV_TOKEN) {
            if (!a->token)
                return sb_err_set(e, SB_EXIT_AUTH, "AZURE_ACCESS_TOKEN is empty");
        } else if (a->kind == AUTH_TOKEN_FILE) {
            /* Someone else may have refreshed the file; use it only if it changed. */
            char *fresh = NULL;
            if (read_secret_file(&fresh, a->token_file, "--token-file", e) != 0)
                return -1;
            if (strcmp(fresh, a->token) != 0) {
                wipe_free(a->token);
                a->token = fresh;
                a->generation++;
            } else {
                wipe_free(fresh);
            }
        } else if (token_request(a, e) != 0) {
            return -1;
        }
    }
    *out_token = a->token;
    *out_generation = a->generation;
    return 0;
}
