/* `collect` against the fake Azure (tests/fake-azure/server.py) on loopback: content, faults, exit codes. */
#include "auth_token.h"
#include "collect.h"
#include "collect_run.h"
#include "err.h"
#include "http_multi.h"
#include "http_url.h"
#include "redact.h"
#include "testutil.h"
#include "util.h"

#include <check.h>
#include <cjson/cJSON.h>
#include <curl/curl.h>
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define SECRET "fake-secret-value-123"
#define SUB1 "11111111-1111-1111-1111-111111111111"
#define SUB2 "22222222-2222-2222-2222-222222222222"
#define SUB3 "33333333-3333-3333-3333-333333333333"
#define CIRCUIT1 "/subscriptions/" SUB1 "/resourceGroups/rg-er/providers/Microsoft.Network/expressRouteCircuits/er-provider"
#define CIRCUIT2 "/subscriptions/" SUB1 "/resourceGroups/rg-er/providers/Microsoft.Network/expressRouteCircuits/er-direct"
#define PORT1 "/subscriptions/" SUB1 "/resourceGroups/rg-er/providers/Microsoft.Network/expressRoutePorts/port1"
#define ERGW "/subscriptions/" SUB1 "/resourceGroups/rg-hub/providers/Microsoft.Network/virtualNetworkGateways/ergw"
#define VWANGW "/subscriptions/" SUB2 "/resourceGroups/rg-vwan/providers/Microsoft.Network/expressRouteGateways/vwan-ergw"

struct fake {
    pid_t pid;
    int port;
    char *dir, *log, *out, *err;
    char base[64];
    char sink[64]; /* HOST:PORT of the fake's "other host" */
};

/* Start the fake with the test estate, `faults` (a JSON array) and extra top-level members. */
static void fake_start(struct fake *f, const char *faults, const char *extra)
{
    memset(f, 0, sizeof *f);
    f->dir = tu_tmpdir("collect");
    char *cfg = sb_path_join(f->dir, "config.json");
    char *estate = tu_data("collect/estate.json");
    char *text = sb_xasprintf("{\"estate_file\": \"%s\", \"credentials\": {\"client_id\": \"app-id\", "
                              "\"client_secret\": \"" SECRET "\", \"federated_assertion\": \"fed-assertion-jwt\", "
                              "\"identity_header\": \"id-header-value\"}, \"static_tokens\": [\"static-token-abc\"], "
                              "\"page_size\": {\"subscriptions\": 1, \"arg\": 4}, \"faults\": %s%s%s}",
                              estate, faults ? faults : "[]", extra ? ", " : "", extra ? extra : "");
    tu_write(cfg, text);
    free(text);
    free(estate);
    char *portfile = sb_path_join(f->dir, "port");
    f->log = sb_path_join(f->dir, "requests.jsonl");
    f->out = sb_path_join(f->dir, "snapshot.json");
    f->err = sb_path_join(f->dir, "stderr.txt");
    char *server = sb_xasprintf("%s/tests/fake-azure/server.py", tu_src_dir());
    f->pid = fork();
    ck_assert_int_ge(f->pid, 0);
    if (f->pid == 0) {
        execl("/usr/bin/python3", "python3", server, "--config", cfg, "--port-file", portfile, "--log", f->log,
              "--idle-timeout", "600", (char *)NULL);
        _exit(127);
    }
    /* Python may take seconds to start on a loaded machine: wait for the port file as long as the
     * server lives (the tcase timeout bounds a hang). */
    bool alive = true;
    while (!f->port && alive) {
        char *p = tu_slurp(portfile, NULL);
        if (p)
            f->port = atoi(p);
        free(p);
        if (!f->port) {
            alive = waitpid(f->pid, NULL, WNOHANG) == 0;
            struct timespec ts = {0, 25 * 1000000L};
            nanosleep(&ts, NULL);
        }
    }
    if (!alive)
        f->pid = 0;
    ck_assert_msg(f->port > 0, "fake Azure exited before it listened");
    snprintf(f->base, sizeof f->base, "http://127.0.0.1:%d", f->port);
    char *sinkfile = sb_xasprintf("%s.sink", portfile);
    char *sink = tu_slurp(sinkfile, NULL); /* written before the port file */
    ck_assert_ptr_nonnull(sink);
    sink[strcspn(sink, "\n")] = '\0';
    snprintf(f->sink, sizeof f->sink, "%s", sink);
    free(sink);
    free(sinkfile);
    setenv("AZURE_AUTHORITY_HOST", f->base, 1);
    setenv("MCSB_AUDIT_IMDS_ENDPOINT", f->base, 1);
    setenv("AZURE_TENANT_ID", "72f988bf-0000-0000-0000-000000000001", 1);
    setenv("AZURE_CLIENT_ID", "app-id", 1);
    setenv("AZURE_CLIENT_SECRET", SECRET, 1);
    unsetenv("AZURE_ACCESS_TOKEN");
    unsetenv("AZURE_FEDERATED_TOKEN_FILE");
    unsetenv("IDENTITY_ENDPOINT");
    unsetenv("IDENTITY_HEADER");
    free(cfg);
    free(portfile);
    free(server);
}

static void fake_stop(struct fake *f)
{
    if (f->pid > 0) {
        kill(f->pid, SIGTERM);
        waitpid(f->pid, NULL, 0);
    }
    free(f->dir);
    free(f->log);
    free(f->out);
    free(f->err);
}

/* collect_command with stderr captured into f->err. Arguments end with NULL. */
static int run(struct fake *f, ...)
{
    char *argv[64];
    int argc = 0;
    argv[argc++] = "collect";
    argv[argc++] = "--arm-endpoint";
    argv[argc++] = f->base;
    argv[argc++] = "--output";
    argv[argc++] = f->out;
    argv[argc++] = "--max-retries";
    argv[argc++] = "3";
    va_list ap;
    va_start(ap, f);
    char *a;
    while ((a = va_arg(ap, char *)) && argc < 63)
        argv[argc++] = a;
    va_end(ap);
    argv[argc] = NULL;
    fflush(stderr);
    int saved = dup(2);
    int fd = open(f->err, O_WRONLY | O_CREAT | O_TRUNC, 0600);
    dup2(fd, 2);
    close(fd);
    int rc = collect_command(argc, argv);
    fflush(stderr);
    dup2(saved, 2);
    close(saved);
    return rc;
}

static cJSON *snapshot(const struct fake *f)
{
    char *text = tu_slurp(f->out, NULL);
    ck_assert_msg(text != NULL, "no snapshot written");
    cJSON *j = cJSON_Parse(text);
    free(text);
    ck_assert_ptr_nonnull(j);
    return j;
}

static cJSON *find_resource(cJSON *snap, const char *id)
{
    cJSON *r;
    cJSON_ArrayForEach(r, cJSON_GetObjectItem(snap, "resources"))
    {
        if (strcasecmp(cJSON_GetStringValue(cJSON_GetObjectItem(r, "id")), id) == 0)
            return r;
    }
    return NULL;
}

static cJSON *find_gap(cJSON *snap, const char *scope, const char *collection)
{
    cJSON *g;
    cJSON_ArrayForEach(g, cJSON_GetObjectItem(snap, "gaps"))
    {
        if (strcasecmp(cJSON_GetStringValue(cJSON_GetObjectItem(g, "scope")), scope) == 0 &&
            strcmp(cJSON_GetStringValue(cJSON_GetObjectItem(g, "collection")), collection) == 0)
            return g;
    }
    return NULL;
}

static long collected_count(cJSON *snap, const char *id)
{
    cJSON *c;
    cJSON_ArrayForEach(c, cJSON_GetObjectItem(snap, "collected"))
    {
        if (strcasecmp(cJSON_GetStringValue(cJSON_GetObjectItem(c, "resourceId")), id) == 0)
            return (long)cJSON_GetNumberValue(cJSON_GetObjectItem(c, "count"));
    }
    return -1;
}

/* Log lines (JSON objects) of the fake whose path contains `needle`, in order. Caller deletes. */
static cJSON *requests_matching(const struct fake *f, const char *needle)
{
    cJSON *out = cJSON_CreateArray();
    char *text = tu_slurp(f->log, NULL);
    ck_assert_ptr_nonnull(text);
    for (char *line = strtok(text, "\n"); line; line = strtok(NULL, "\n")) {
        cJSON *j = cJSON_Parse(line);
        const char *path = cJSON_GetStringValue(cJSON_GetObjectItem(j, "path"));
        if (path && strstr(path, needle))
            cJSON_AddItemToArray(out, j);
        else
            cJSON_Delete(j);
    }
    free(text);
    return out;
}

/* Requests that reached the sink (the host that must never be contacted); with_auth: only those
 * that carried an Authorization header. */
static int sink_hits(const struct fake *f, bool with_auth)
{
    int n = 0;
    char *text = tu_slurp(f->log, NULL);
    for (char *line = text ? strtok(text, "\n") : NULL; line; line = strtok(NULL, "\n")) {
        cJSON *j = cJSON_Parse(line);
        if (cJSON_IsTrue(cJSON_GetObjectItem(j, "sink")) &&
            (!with_auth || cJSON_IsTrue(cJSON_GetObjectItem(j, "authorization"))))
            n++;
        cJSON_Delete(j);
    }
    free(text);
    return n;
}

/* Gaps of the snapshot with this errorCode. */
static int gaps_with_code(cJSON *snap, const char *code)
{
    int n = 0;
    cJSON *g;
    cJSON_ArrayForEach(g, cJSON_GetObjectItem(snap, "gaps"))
    {
        n += strcmp(cJSON_GetStringValue(cJSON_GetObjectItem(g, "errorCode")), code) == 0;
    }
    return n;
}

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

/* No raw control byte (ESC, CR, BEL...) in a file we wrote; newlines and tabs of our own layout aside. */
static void assert_no_control_bytes(const char *path)
{
    size_t n = 0;
    char *text = tu_slurp(path, &n);
    for (size_t i = 0; text && i < n; i++) {
        unsigned char c = (unsigned char)text[i];
        ck_assert_msg(c >= 0x20 || c == '\n' || c == '\t', "%s: control byte 0x%02X at offset %zu", path, c, i);
    }
    free(text);
}

static void assert_absent(const char *path, const char *needle)
{
    char *text = tu_slurp(path, NULL);
    ck_assert_msg(text && !strstr(text, needle), "%s contains %s", path, needle);
    free(text);
}

static void assert_no_secrets(const struct fake *f)
{
    char *snap = tu_slurp(f->out, NULL);
    char *err = tu_slurp(f->err, NULL);
    const char *bad[] = {SECRET, "fake-token-", "static-token-abc", "fed-assertion-jwt", "id-header-value",
                         "SHOULD-NOT-APPEAR", "Bearer"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        ck_assert_msg(!snap || !strstr(snap, bad[i]), "snapshot contains %s", bad[i]);
        ck_assert_msg(!err || !strstr(err, bad[i]), "stderr contains %s", bad[i]);
    }
    free(snap);
    free(err);
}

START_TEST(test_full_estate)
{
    struct fake f;
    fake_start(&f, NULL, NULL);
    ck_assert_int_eq(run(&f, "--quiet", NULL), SB_EXIT_OK);
    cJSON *s = snapshot(&f);
    ck_assert_str_eq(cJSON_GetStringValue(cJSON_GetObjectItem(s, "format")), "mcsb-audit-snapshot");
    cJSON *col = cJSON_GetObjectItem(s, "collection");
    ck_assert(cJSON_IsTrue(cJSON_GetObjectItem(col, "complete")));
    ck_assert_int_eq(cJSON_GetArraySize(cJSON_GetObjectItem(s, "gaps")), 0);
    ck_assert_int_eq(cJSON_GetArraySize(cJSON_GetObjectItem(s, "subscriptions")), 3);
    ck_assert_int_eq(cJSON_GetArraySize(cJSON_GetObjectItem(cJSON_GetObjectItem(col, "scopes"), "subscriptions")), 3);
    /* 14 estate resources of the queried types (the VM is not one) + 2 diagnostic settings. */
    ck_assert_int_eq(cJSON_GetArraySize(cJSON_GetObjectItem(s, "resources")), 16);
    ck_assert_ptr_null(find_resource(s, "/subscriptions/" SUB2 "/resourceGroups/rg-spoke/providers/Microsoft.Compute/virtualMachines/vm1"));
    /* Sorted by lower-cased id. */
    char prev[512] = "";
    cJSON *r;
    cJSON_ArrayForEach(r, cJSON_GetObjectItem(s, "resources"))
    {
        char *id = sb_lower(cJSON_GetStringValue(cJSON_GetObjectItem(r, "id")));
        ck_assert_msg(strcmp(prev, id) < 0, "resources not sorted at %s", id);
        snprintf(prev, sizeof prev, "%s", id);
        free(id);
    }
    /* Port without MACsec in Resource Graph came from an ARM GET. */
    cJSON *port = find_resource(s, PORT1);
    ck_assert_ptr_nonnull(port);
    ck_assert_str_eq(cJSON_GetStringValue(cJSON_GetObjectItem(port, "type")), "Microsoft.Network/expressRoutePorts");
    ck_assert_ptr_nonnull(cJSON_GetObjectItem(port, "identity"));
    /* A port whose row already has identity and MACsec settings is not fetched again. */
    port = find_resource(s, "/subscriptions/" SUB1 "/resourceGroups/rg-er/providers/Microsoft.Network/expressRoutePorts/port2");
    ck_assert_str_eq(cJSON_GetStringValue(cJSON_GetObjectItem(port, "type")), "microsoft.network/expressrouteports");
    /* Diagnostic settings: resources + collected entries, including count 0. */
    ck_assert_int_eq(collected_count(s, CIRCUIT1), 1);
    ck_assert_int_eq(collected_count(s, CIRCUIT2), 0);
    ck_assert_int_eq(collected_count(s, ERGW), 1);
    ck_assert_int_eq(collected_count(s, VWANGW), 0);
    ck_assert_int_eq(cJSON_GetArraySize(cJSON_GetObjectItem(s, "collected")), 4);
    ck_assert_ptr_nonnull(find_resource(s, ERGW "/providers/microsoft.insights/diagnosticSettings/gw-logs"));
    cJSON *counts = cJSON_GetObjectItem(col, "countsByType");
    ck_assert_int_eq((int)cJSON_GetNumberValue(cJSON_GetObjectItem(counts, "microsoft.network/expressroutecircuits")), 2);
    ck_assert_int_eq((int)cJSON_GetNumberValue(cJSON_GetObjectItem(counts, "microsoft.insights/diagnosticsettings")), 2);
    ck_assert_str_eq(cJSON_GetStringValue(cJSON_GetObjectItem(col, "tenantId")), "72f988bf-0000-0000-0000-000000000001");
    cJSON_Delete(s);
    /* Secrets removed; numbers kept as they came; identity ids named "...-key" kept. */
    char *text = tu_slurp(f.out, NULL);
    ck_assert_ptr_null(strstr(text, "serviceKey"));
    ck_assert_ptr_null(strstr(text, "authorizationKey"));
    ck_assert_ptr_null(strstr(text, "sharedKey"));
    ck_assert_ptr_nonnull(strstr(text, "\"provisionedBandwidthInGbps\":\t0.0"));
    ck_assert_ptr_nonnull(strstr(text, "\"bandwidthInGbps\":\t10.0"));
    ck_assert_ptr_nonnull(strstr(text, "userAssignedIdentities/macsec-key"));
    ck_assert_ptr_nonnull(strstr(text, "cknSecretIdentifier"));
    free(text);
    assert_no_secrets(&f);
    /* Paging was exercised: subscriptions 1 per page, Resource Graph 4 rows per page. */
    cJSON *subs = requests_matching(&f, "/subscriptions");
    int listing_pages = 0;
    cJSON_ArrayForEach(r, subs)
    {
        listing_pages += strcmp(cJSON_GetStringValue(cJSON_GetObjectItem(r, "path")), "/subscriptions") == 0;
    }
    ck_assert_int_eq(listing_pages, 3);
    cJSON *arg = requests_matching(&f, "Microsoft.ResourceGraph");
    ck_assert_int_eq(cJSON_GetArraySize(arg), 4); /* 14 rows, 4 per page */
    cJSON_Delete(subs);
    cJSON_Delete(arg);
    fake_stop(&f);
}
END_TEST

/* doc with the value after `key` (up to the next ',' or line end) replaced by "X". */
static char *mask_member(const char *doc, const char *key)
{
    const char *p = strstr(doc, key);
    ck_assert_msg(p != NULL, "no %s in the snapshot", key);
    p += strlen(key);
    size_t value = strcspn(p, ",\n");
    return sb_xasprintf("%.*sX%s", (int)(p - doc), doc, p + value);
}

START_TEST(test_stable_output)
{
    struct fake f;
    fake_start(&f, NULL, NULL);
    ck_assert_int_eq(run(&f, "--quiet", "--max-parallel", "1", NULL), SB_EXIT_OK);
    char *a = tu_slurp(f.out, NULL);
    ck_assert_int_eq(run(&f, "--quiet", "--max-parallel", "8", NULL), SB_EXIT_OK);
    char *b = tu_slurp(f.out, NULL);
    /* Replace the values of the three time members, whatever their length, then compare byte for byte. */
    const char *keys[] = {"\"startedAt\":", "\"finishedAt\":", "\"durationMs\":"};
    char *docs[] = {a, b};
    for (int d = 0; d < 2; d++)
        for (int k = 0; k < 3; k++) {
            char *m = mask_member(docs[d], keys[k]);
            free(docs[d]);
            docs[d] = m;
        }
    tu_assert_text_eq(docs[0], docs[1]);
    free(docs[0]);
    free(docs[1]);
    fake_stop(&f);
}
END_TEST

/* True when the log lines hold a `first_status` answer followed (later) by a `next_status` one. */
static bool status_then(cJSON *reqs, int first_status, int next_status)
{
    bool seen_first = false;
    cJSON *r;
    cJSON_ArrayForEach(r, reqs)
    {
        int st = (int)cJSON_GetNumberValue(cJSON_GetObjectItem(r, "status"));
        if (!seen_first && st == first_status)
            seen_first = true;
        else if (seen_first && st == next_status)
            return true;
    }
    return false;
}

/* Waits are checked on the client's clock, as lower bounds only: a busy machine makes a run
 * slower, never faster, so these cannot fail under load. */
START_TEST(test_retry_after_honoured)
{
    struct fake f;
    fake_start(&f,
               "[{\"match\": \"er-provider/providers/Microsoft.Insights\", \"kind\": \"throttle\", \"retry_after\": 1},"
               " {\"match\": \"ResourceGraph\", \"kind\": \"throttle\", \"resets_after\": \"00:00:01\"}]",
               NULL);
    double t0 = now_s();
    ck_assert_int_eq(run(&f, "--quiet", NULL), SB_EXIT_OK);
    double took = now_s() - t0;
    ck_assert_msg(took >= 1.0, "the collection took %.3f s although the server asked to wait 1 s", took);
    cJSON *diag = requests_matching(&f, "er-provider/providers/Microsoft.Insights");
    ck_assert_msg(status_then(diag, 429, 200), "the throttled ARM request was not retried after its 429");
    cJSON *arg = requests_matching(&f, "ResourceGraph");
    ck_assert_msg(status_then(arg, 429, 200), "the throttled Resource Graph request was not retried after its 429");
    cJSON_Delete(diag);
    cJSON_Delete(arg);
    cJSON *s = snapshot(&f);
    ck_assert_int_eq(collected_count(s, CIRCUIT1), 1);
    cJSON_Delete(s);
    fake_stop(&f);
}
END_TEST

START_TEST(test_quota_and_token_lifetime)
{
    struct fake f;
    /* Resource Graph says its quota is spent for 1 s: the next page must wait. Tokens live 2 s:
     * the collector must fetch a fresh one before the old one expires (no 401 needed). */
    fake_start(&f,
               "[{\"match\": \"ResourceGraph\", \"kind\": \"headers\", \"headers\":"
               " {\"x-ms-user-quota-remaining\": \"0\", \"x-ms-user-quota-resets-after\": \"00:00:01\"}}]",
               "\"token_lifetime\": 2");
    double t0 = now_s();
    ck_assert_int_eq(run(&f, "--quiet", NULL), SB_EXIT_OK);
    double took = now_s() - t0;
    ck_assert_msg(took >= 1.0, "the collection took %.3f s although Resource Graph's quota reset after 1 s", took);
    cJSON *arg = requests_matching(&f, "ResourceGraph");
    ck_assert_int_eq(cJSON_GetArraySize(arg), 4);
    cJSON_Delete(arg);
    cJSON *tok = requests_matching(&f, "/oauth2/v2.0/token");
    ck_assert_int_ge(cJSON_GetArraySize(tok), 2);
    cJSON_Delete(tok);
    cJSON *all = requests_matching(&f, "/");
    cJSON *r;
    cJSON_ArrayForEach(r, all)
    {
        ck_assert_int_ne((int)cJSON_GetNumberValue(cJSON_GetObjectItem(r, "status")), 401);
    }
    cJSON_Delete(all);
    fake_stop(&f);
}
END_TEST

START_TEST(test_transient_faults_recovered)
{
    struct fake f;
    /* 503 burst on Resource Graph, a reset, a truncated body, a slow response past --timeout. */
    fake_start(&f,
               "[{\"match\": \"ResourceGraph\", \"kind\": \"status\", \"status\": 503, \"code\": \"ServiceUnavailable\", \"count\": 2},"
               " {\"match\": \"ergw/providers/Microsoft.Insights\", \"kind\": \"reset\"},"
               " {\"match\": \"vwan-ergw/providers/Microsoft.Insights\", \"kind\": \"truncate\"},"
               " {\"match\": \"er-direct/providers/Microsoft.Insights\", \"kind\": \"slow\", \"delay\": 6}]",
               NULL);
    /* 2 s leaves a loaded machine room for the answers that are not meant to be slow. */
    ck_assert_int_eq(run(&f, "--timeout", "2", NULL), SB_EXIT_OK);
    cJSON *s = snapshot(&f);
    ck_assert_int_eq(collected_count(s, ERGW), 1);
    ck_assert_int_eq(collected_count(s, VWANGW), 0);
    ck_assert_int_eq(collected_count(s, CIRCUIT2), 0);
    ck_assert_int_eq(cJSON_GetArraySize(cJSON_GetObjectItem(s, "resources")), 16);
    cJSON_Delete(s);
    cJSON *arg = requests_matching(&f, "ResourceGraph");
    ck_assert_int_ge(cJSON_GetArraySize(arg), 6); /* 4 pages + 2 failed attempts */
    cJSON_Delete(arg);
    assert_no_secrets(&f);
    fake_stop(&f);
}
END_TEST

START_TEST(test_forbidden_subscription_is_a_gap)
{
    struct fake f;
    fake_start(&f,
               "[{\"match\": \"" SUB3 "\", \"kind\": \"status\", \"status\": 403, \"code\": \"AuthorizationFailed\","
               " \"message\": \"no read access\", \"count\": -1},"
               " {\"match\": \"vwan-ergw/providers/Microsoft.Insights\", \"kind\": \"truncate\", \"count\": -1}]",
               NULL);
    ck_assert_int_eq(run(&f, "--quiet", NULL), SB_EXIT_INCOMPLETE);
    cJSON *s = snapshot(&f);
    ck_assert(cJSON_IsFalse(cJSON_GetObjectItem(cJSON_GetObjectItem(s, "collection"), "complete")));
    cJSON *g = find_gap(s, "/subscriptions/" SUB3, "resources");
    ck_assert_ptr_nonnull(g);
    ck_assert_int_eq((int)cJSON_GetNumberValue(cJSON_GetObjectItem(g, "httpStatus")), 403);
    ck_assert_str_eq(cJSON_GetStringValue(cJSON_GetObjectItem(g, "errorCode")), "AuthorizationFailed");
    ck_assert_str_eq(cJSON_GetStringValue(cJSON_GetObjectItem(g, "message")), "no read access");
    ck_assert_str_eq(cJSON_GetStringValue(cJSON_GetObjectItem(g, "request")),
                     "POST /providers/Microsoft.ResourceGraph/resources");
    /* The other subscriptions were still collected. */
    ck_assert_ptr_nonnull(find_resource(s, CIRCUIT1));
    ck_assert_ptr_nonnull(find_resource(s, VWANGW));
    ck_assert_ptr_null(find_gap(s, "/subscriptions/" SUB1, "resources"));
    /* A body that never parses: retried, then a gap. */
    g = find_gap(s, VWANGW, "diagnosticSettings");
    ck_assert_ptr_nonnull(g);
    ck_assert_str_eq(cJSON_GetStringValue(cJSON_GetObjectItem(g, "errorCode")), "InvalidResponse");
    ck_assert_int_eq((int)cJSON_GetNumberValue(cJSON_GetObjectItem(g, "httpStatus")), 200);
    ck_assert_int_eq(collected_count(s, VWANGW), -1);
    cJSON_Delete(s);
    fake_stop(&f);
}
END_TEST

START_TEST(test_resource_gaps)
{
    struct fake f;
    /* Flat Monitor error on one diagnostic-settings GET, exhausted 503s on another, a looping nextLink, a looping $skipToken. */
    fake_start(&f,
               "[{\"match\": \"er-provider/providers/Microsoft.Insights\", \"kind\": \"status\", \"status\": 404, \"flat\": true,"
               " \"code\": \"ResourceNotFound\", \"message\": \"gone\"},"
               " {\"match\": \"er-direct/providers/Microsoft.Insights\", \"kind\": \"status\", \"status\": 503, \"count\": -1},"
               " {\"match\": \"ergw/providers/Microsoft.Insights\", \"kind\": \"loop_nextlink\", \"count\": -1},"
               " {\"match\": \"port1?\", \"kind\": \"status\", \"status\": 404, \"code\": \"NotFound\"},"
               " {\"match\": \"ResourceGraph\", \"kind\": \"loop_skiptoken\", \"after\": 1, \"count\": -1}]",
               NULL);
    ck_assert_int_eq(run(&f, "--quiet", "--max-retries", "1", NULL), SB_EXIT_INCOMPLETE);
    cJSON *s = snapshot(&f);
    cJSON *g = find_gap(s, CIRCUIT1, "diagnosticSettings");
    ck_assert_ptr_nonnull(g);
    ck_assert_str_eq(cJSON_GetStringValue(cJSON_GetObjectItem(g, "errorCode")), "ResourceNotFound");
    ck_assert_str_eq(cJSON_GetStringValue(cJSON_GetObjectItem(g, "message")), "gone");
    ck_assert_int_eq(collected_count(s, CIRCUIT1), -1);
    g = find_gap(s, CIRCUIT2, "diagnosticSettings");
    ck_assert_ptr_nonnull(g);
    ck_assert_int_eq((int)cJSON_GetNumberValue(cJSON_GetObjectItem(g, "httpStatus")), 503);
    ck_assert_int_eq(collected_count(s, CIRCUIT2), -1);
    /* The looping $skipToken stopped discovery after two pages: subscription 2 was never reached. */
    ck_assert_ptr_null(find_resource(s, VWANGW));
    g = find_gap(s, ERGW, "diagnosticSettings");
    ck_assert_ptr_nonnull(g);
    ck_assert_str_eq(cJSON_GetStringValue(cJSON_GetObjectItem(g, "errorCode")), "PagingLoop");
    g = find_gap(s, PORT1, "expressRoutePorts");
    ck_assert_ptr_nonnull(g);
    /* The Resource Graph row of the port is kept. */
    ck_assert_ptr_nonnull(find_resource(s, PORT1));
    int loops = 0;
    cJSON *x;
    cJSON_ArrayForEach(x, cJSON_GetObjectItem(s, "gaps"))
    {
        if (strcmp(cJSON_GetStringValue(cJSON_GetObjectItem(x, "errorCode")), "PagingLoop") == 0 &&
            strcmp(cJSON_GetStringValue(cJSON_GetObjectItem(x, "collection")), "resources") == 0)
            loops++;
    }
    ck_assert_int_eq(loops, 3);
    cJSON_Delete(s);
    /* Bounded: the looping token was followed once, not forever. */
    cJSON *arg = requests_matching(&f, "ResourceGraph");
    ck_assert_int_le(cJSON_GetArraySize(arg), 3);
    cJSON_Delete(arg);
    fake_stop(&f);
}
END_TEST

START_TEST(test_token_expires_mid_run)
{
    struct fake f;
    fake_start(&f, "[{\"match\": \"Microsoft.Insights\", \"kind\": \"expire_tokens\", \"count\": 1}]", NULL);
    ck_assert_int_eq(run(&f, "--quiet", "--max-parallel", "1", NULL), SB_EXIT_OK);
    cJSON *tok = requests_matching(&f, "/oauth2/v2.0/token");
    ck_assert_int_eq(cJSON_GetArraySize(tok), 2);
    cJSON_Delete(tok);
    cJSON *diag = requests_matching(&f, "Microsoft.Insights");
    ck_assert_int_eq((int)cJSON_GetNumberValue(cJSON_GetObjectItem(cJSON_GetArrayItem(diag, 0), "status")), 401);
    cJSON_Delete(diag);
    cJSON *s = snapshot(&f);
    ck_assert_int_eq(cJSON_GetArraySize(cJSON_GetObjectItem(s, "collected")), 4);
    cJSON_Delete(s);
    assert_no_secrets(&f);
    fake_stop(&f);
}
END_TEST

START_TEST(test_auth_failure)
{
    struct fake f;
    fake_start(&f, NULL, NULL);
    setenv("AZURE_CLIENT_SECRET", "wrong-" SECRET, 1);
    ck_assert_int_eq(run(&f, NULL), SB_EXIT_AUTH);
    ck_assert_int_ne(access(f.out, F_OK), 0);
    char *err = tu_slurp(f.err, NULL);
    ck_assert_ptr_nonnull(strstr(err, "invalid_client"));
    ck_assert_ptr_null(strstr(err, SECRET));
    free(err);
    /* A static token the server refuses: 401 everywhere -> 6. */
    unsetenv("AZURE_CLIENT_SECRET");
    setenv("AZURE_ACCESS_TOKEN", "not-a-valid-token", 1);
    ck_assert_int_eq(run(&f, NULL), SB_EXIT_AUTH);
    err = tu_slurp(f.err, NULL);
    ck_assert_ptr_null(strstr(err, "not-a-valid-token"));
    free(err);
    fake_stop(&f);
}
END_TEST

START_TEST(test_credential_kinds)
{
    struct fake f;
    fake_start(&f, NULL, NULL);
    char *tokfile = sb_path_join(f.dir, "token.txt");
    char *fedfile = sb_path_join(f.dir, "federated.jwt");
    tu_write(tokfile, "static-token-abc\n");
    tu_write(fedfile, "fed-assertion-jwt");

    /* --managed-identity wins over a client secret in the environment. */
    ck_assert_int_eq(run(&f, "--quiet", "--subscription", SUB1, "--managed-identity", NULL), SB_EXIT_OK);
    setenv("AZURE_ACCESS_TOKEN", "static-token-abc", 1);
    ck_assert_int_eq(run(&f, "--quiet", "--subscription", SUB1, NULL), SB_EXIT_OK);
    unsetenv("AZURE_ACCESS_TOKEN");
    unsetenv("AZURE_CLIENT_SECRET");
    ck_assert_int_eq(run(&f, "--quiet", "--subscription", SUB1, "--token-file", tokfile, NULL), SB_EXIT_OK);

    setenv("AZURE_FEDERATED_TOKEN_FILE", fedfile, 1);
    ck_assert_int_eq(run(&f, "--quiet", "--subscription", SUB1, NULL), SB_EXIT_OK);
    unsetenv("AZURE_FEDERATED_TOKEN_FILE");

    char *msi = sb_xasprintf("%s/msi/token", f.base);
    setenv("IDENTITY_ENDPOINT", msi, 1);
    setenv("IDENTITY_HEADER", "id-header-value", 1);
    ck_assert_int_eq(run(&f, "--quiet", "--subscription", SUB1, NULL), SB_EXIT_OK);
    unsetenv("IDENTITY_ENDPOINT");
    unsetenv("IDENTITY_HEADER");
    unsetenv("AZURE_CLIENT_ID");
    ck_assert_int_eq(run(&f, "--quiet", "--subscription", SUB1, NULL), SB_EXIT_OK); /* IMDS */

    cJSON *tok = requests_matching(&f, "token");
    const char *want[] = {"imds", "federated", "appservice", "imds"};
    ck_assert_int_eq(cJSON_GetArraySize(tok), 4);
    for (int i = 0; i < 4; i++)
        ck_assert_str_eq(cJSON_GetStringValue(cJSON_GetObjectItem(cJSON_GetArrayItem(tok, i), "auth")), want[i]);
    cJSON_Delete(tok);
    cJSON *s = snapshot(&f);
    ck_assert_int_eq(cJSON_GetArraySize(cJSON_GetObjectItem(s, "subscriptions")), 1);
    ck_assert_ptr_nonnull(find_resource(s, CIRCUIT1));
    ck_assert_ptr_null(find_resource(s, VWANGW));
    cJSON_Delete(s);
    assert_no_secrets(&f);
    free(msi);
    free(tokfile);
    free(fedfile);
    fake_stop(&f);
}
END_TEST

START_TEST(test_no_credential)
{
    struct fake f;
    fake_start(&f, NULL, NULL);
    unsetenv("AZURE_CLIENT_SECRET");
    unsetenv("MCSB_AUDIT_IMDS_ENDPOINT");
    /* Off Azure, with nothing configured: a clear message at once, no probe of 169.254.169.254
     * (a probe would end in "token request (managed identity (IMDS)) ... failed"). */
    ck_assert_int_eq(run(&f, NULL), SB_EXIT_AUTH);
    char *err = tu_slurp(f.err, NULL);
    ck_assert_ptr_null(strstr(err, "token request"));
    ck_assert_ptr_nonnull(strstr(err, "mcsb-audit: no credential: set AZURE_ACCESS_TOKEN"));
    ck_assert_ptr_nonnull(strstr(err, "AZURE_ACCESS_TOKEN=$(az account get-access-token --query accessToken -o tsv)"));
    free(err);
    /* A secret without tenant and client id is a configuration error, not a fallback to IMDS. */
    setenv("AZURE_CLIENT_SECRET", SECRET, 1);
    unsetenv("AZURE_TENANT_ID");
    ck_assert_int_eq(run(&f, NULL), SB_EXIT_AUTH);
    err = tu_slurp(f.err, NULL);
    ck_assert_ptr_nonnull(strstr(err, "AZURE_CLIENT_SECRET is set but AZURE_TENANT_ID and AZURE_CLIENT_ID"));
    ck_assert_ptr_null(strstr(err, SECRET));
    free(err);
    fake_stop(&f);
}
END_TEST

START_TEST(test_management_group_scope)
{
    struct fake f;
    fake_start(&f, NULL, NULL);
    ck_assert_int_eq(run(&f, "--quiet", "--management-group", "mg-network", NULL), SB_EXIT_OK);
    cJSON *s = snapshot(&f);
    ck_assert_ptr_nonnull(find_resource(s, VWANGW));
    ck_assert_ptr_null(find_resource(s, "/subscriptions/" SUB3 "/resourceGroups/rg-r/providers/Microsoft.Network/virtualNetworks/restricted"));
    ck_assert_int_eq(cJSON_GetArraySize(cJSON_GetObjectItem(s, "subscriptions")), 2);
    cJSON *mgs = cJSON_GetObjectItem(cJSON_GetObjectItem(cJSON_GetObjectItem(s, "collection"), "scopes"), "managementGroups");
    ck_assert_str_eq(cJSON_GetStringValue(cJSON_GetArrayItem(mgs, 0)), "mg-network");
    cJSON_Delete(s);
    fake_stop(&f);
}
END_TEST

/* A subscription of the group without any resource is in scope (read, nothing found), and one the identity sees
 * outside the group is not: the report's "subscriptions visible" must not undercount the group. */
START_TEST(test_management_group_keeps_empty_member_subscriptions)
{
    struct fake f;
    fake_start(&f, NULL,
               "\"extra_subscriptions\": [{\"subscriptionId\": \"44444444-4444-4444-8444-444444444444\", "
               "\"displayName\": \"empty member\", \"state\": \"Enabled\"}, "
               "{\"subscriptionId\": \"55555555-5555-4555-8555-555555555555\", \"displayName\": \"outside\", "
               "\"state\": \"Enabled\"}], "
               "\"management_groups\": {\"mg-network\": [\"11111111-1111-1111-1111-111111111111\", "
               "\"22222222-2222-2222-2222-222222222222\", \"44444444-4444-4444-8444-444444444444\"]}");
    ck_assert_int_eq(run(&f, "--quiet", "--management-group", "mg-network", NULL), SB_EXIT_OK);
    cJSON *s = snapshot(&f);
    cJSON *subs = cJSON_GetObjectItem(s, "subscriptions");
    ck_assert_int_eq(cJSON_GetArraySize(subs), 3);
    char *text = cJSON_PrintUnformatted(subs);
    ck_assert_ptr_nonnull(strstr(text, "44444444-4444-4444-8444-444444444444"));
    ck_assert_ptr_null(strstr(text, "55555555-5555-4555-8555-555555555555"));
    ck_assert_ptr_null(strstr(text, SUB3));
    cJSON_free(text);
    /* The snapshot records both queries it ran. */
    cJSON *q = cJSON_GetObjectItem(cJSON_GetObjectItem(s, "collection"), "queries");
    ck_assert_int_eq(cJSON_GetArraySize(q), 2);
    cJSON_Delete(s);
    fake_stop(&f);
}
END_TEST

START_TEST(test_nothing_collected)
{
    struct fake f;
    fake_start(&f, "[{\"match\": \"ResourceGraph\", \"kind\": \"status\", \"status\": 500, \"count\": -1}]", NULL);
    ck_assert_int_eq(run(&f, "--quiet", "--max-retries", "0", NULL), SB_EXIT_COLLECT);
    ck_assert_int_ne(access(f.out, F_OK), 0);
    /* An unreachable ARM endpoint: nothing collected either. */
    char *dead = "http://127.0.0.1:1";
    char *argv[] = {"collect", "--arm-endpoint", dead, "--output", f.out, "--max-retries", "0", "--quiet", NULL};
    ck_assert_int_eq(collect_command(8, argv), SB_EXIT_COLLECT); /* token fine, ARM unreachable */
    fake_stop(&f);
}
END_TEST

START_TEST(test_usage)
{
    char *a1[] = {"collect", NULL};
    ck_assert_int_eq(collect_command(1, a1), SB_EXIT_USAGE);
    char *a2[] = {"collect", "--output", "x.json", "--max-parallel", "0", NULL};
    ck_assert_int_eq(collect_command(5, a2), SB_EXIT_USAGE);
    char *a3[] = {"collect", "--output", "x.json", "--arm-endpoint", "http://example.com", NULL};
    ck_assert_int_eq(collect_command(5, a3), SB_EXIT_USAGE);
    char *a4[] = {"collect", "--output", "x.json", "--cloud", "Mars", NULL};
    ck_assert_int_eq(collect_command(5, a4), SB_EXIT_USAGE);
    char *a5[] = {"collect", "--output", "x.json", "--subscription", "a/../b", NULL};
    ck_assert_int_eq(collect_command(5, a5), SB_EXIT_USAGE);
    char *a6[] = {"collect", "--bogus", NULL};
    ck_assert_int_eq(collect_command(2, a6), SB_EXIT_USAGE);
    char *a7[] = {"collect", "--output", "/nonexistent-dir/x.json", NULL};
    ck_assert_int_eq(collect_command(3, a7), SB_EXIT_OUTPUT);
    char *a8[] = {"collect", "--help", NULL};
    ck_assert_int_eq(collect_command(2, a8), SB_EXIT_OK);
    /* The option table ends with a zero entry and names --output. */
    const struct option *o = collect_long_options();
    bool has_output = false;
    for (; o->name; o++)
        has_output |= strcmp(o->name, "output") == 0;
    ck_assert(has_output);
}
END_TEST

/* Issue 11.1: Resource Graph rows whose ids are not clean ARM paths. Each would have been joined
 * onto the endpoint ("http://127.0.0.1:P" + "@127.0.0.2:Q/..." sends the token to Q). */
START_TEST(test_hostile_resource_ids)
{
    struct fake f;
    fake_start(&f,
               "[{\"match\": \"ResourceGraph\", \"kind\": \"evil_rows\", \"ids\": ["
               "\"@{sink}/subscriptions/" SUB1 "/resourceGroups/rg/providers/Microsoft.Network/expressRouteCircuits/e1\","
               "\"/subscriptions/" SUB1 "/resourceGroups/rg/providers/Microsoft.Network/expressRouteCircuits/e2@{sink}\","
               "\"//{sink}/subscriptions/" SUB1 "/resourceGroups/rg/providers/Microsoft.Network/expressRouteCircuits/e3\","
               "\"http://{sink}/subscriptions/" SUB1 "/providers/Microsoft.Network/expressRouteCircuits/e4\","
               "\"/subscriptions/" SUB1 "/resourceGroups/rg/../../../x/expressRouteCircuits/e5\","
               "\"/subscriptions/" SUB1 "/resourceGroups/rg/providers/Microsoft.Network/expressRouteCircuits/e6?x=#y\","
               "\"/subscriptions/" SUB1 "/resourceGroups/rg\\\\providers/Microsoft.Network/expressRouteCircuits/e7\","
               "\"/subscriptions/" SUB1 "/resourceGroups/rg/providers/Microsoft.Network/expressRouteCircuits/\\u001b[2Je8\","
               "\"/subscriptions/" SUB1 "/resourceGroups/rg/providers/Microsoft.Network/expressRouteCircuits/e9\\r\\nOK\"]}]",
               NULL);
    ck_assert_int_eq(run(&f, "--quiet", NULL), SB_EXIT_INCOMPLETE);
    ck_assert_int_eq(sink_hits(&f, false), 0);
    cJSON *s = snapshot(&f);
    ck_assert_int_eq(gaps_with_code(s, "InvalidResourceId"), 9);
    ck_assert_int_eq(cJSON_GetArraySize(cJSON_GetObjectItem(s, "gaps")), 9);
    /* The estate itself was collected; none of the rows became a resource. */
    ck_assert_int_eq(cJSON_GetArraySize(cJSON_GetObjectItem(s, "resources")), 16);
    ck_assert_int_eq(collected_count(s, CIRCUIT1), 1);
    cJSON_Delete(s);
    /* Nothing was requested for them on the real endpoint either (not retried as network errors). */
    cJSON *all = requests_matching(&f, "/e");
    cJSON *r;
    cJSON_ArrayForEach(r, all)
    {
        const char *path = cJSON_GetStringValue(cJSON_GetObjectItem(r, "path"));
        ck_assert_msg(!strstr(path, "/e1") && !strstr(path, "/e2") && !strstr(path, "/e5") && !strstr(path, "/e6") &&
                          !strstr(path, "e7") && !strstr(path, "e8") && !strstr(path, "e9"),
                      "requested %s", path);
    }
    cJSON_Delete(all);
    char *text = tu_slurp(f.out, NULL);
    ck_assert_ptr_null(strstr(text, "\\u001b"));
    ck_assert_ptr_nonnull(strstr(text, "\\\\x1B[2Je8"));
    ck_assert_ptr_nonnull(strstr(text, "e9\\\\x0D\\\\x0AOK"));
    free(text);
    fake_stop(&f);
}
END_TEST

/* Subscription listings and resource bodies are server text too. */
START_TEST(test_hostile_listing_and_bodies)
{
    struct fake f;
    fake_start(&f,
               "[{\"match\": \"GET /subscriptions?\", \"kind\": \"evil_subscriptions\", \"count\": 1,"
               " \"ids\": [\"../../providers/x\", \"@{sink}\", \"1111\\u001b[2J\"]},"
               " {\"match\": \"port1?\", \"kind\": \"plant_token\"}]",
               NULL);
    ck_assert_int_eq(run(&f, "--quiet", NULL), SB_EXIT_INCOMPLETE);
    ck_assert_int_eq(sink_hits(&f, false), 0);
    assert_absent(f.out, "fake-token-");
    assert_no_control_bytes(f.out);
    cJSON *s = snapshot(&f);
    ck_assert_int_eq(gaps_with_code(s, "InvalidSubscriptionId"), 3);
    ck_assert_int_eq(cJSON_GetArraySize(cJSON_GetObjectItem(s, "gaps")), 3);
    ck_assert_int_eq(cJSON_GetArraySize(cJSON_GetObjectItem(s, "subscriptions")), 3);
    ck_assert_int_eq(cJSON_GetArraySize(cJSON_GetObjectItem(cJSON_GetObjectItem(cJSON_GetObjectItem(s, "collection"),
                                                                                 "scopes"), "subscriptions")), 3);
    const char *name = cJSON_GetStringValue(
        cJSON_GetObjectItem(cJSON_GetArrayItem(cJSON_GetObjectItem(s, "subscriptions"), 0), "displayName"));
    ck_assert_msg(strstr(name, "\\x1B[2J\\x0D\\x0AOK") != NULL, "displayName %s", name);
    /* The planted token is replaced; the rest of the body is the evidence as sent. */
    cJSON *port = find_resource(s, PORT1);
    ck_assert_str_eq(cJSON_GetStringValue(cJSON_GetObjectItem(cJSON_GetObjectItem(port, "tags"), "note")),
                     "seen: Bearer " REDACTED);
    ck_assert_ptr_nonnull(cJSON_GetObjectItem(port, "identity"));
    cJSON_Delete(s);
    fake_stop(&f);
}
END_TEST

/* Issue 11.1: a nextLink to another host is a gap, never followed with the token. */
START_TEST(test_foreign_next_link)
{
    struct fake f;
    fake_start(&f, "[{\"match\": \"/ergw/providers/Microsoft.Insights\", \"kind\": \"foreign_nextlink\", \"count\": -1}]",
               NULL);
    ck_assert_int_eq(run(&f, "--quiet", NULL), SB_EXIT_INCOMPLETE);
    ck_assert_int_eq(sink_hits(&f, false), 0);
    cJSON *s = snapshot(&f);
    cJSON *g = find_gap(s, ERGW, "diagnosticSettings");
    ck_assert_ptr_nonnull(g);
    ck_assert_str_eq(cJSON_GetStringValue(cJSON_GetObjectItem(g, "errorCode")), "InvalidNextLink");
    /* A list cut short is a gap, not "read, N settings". */
    ck_assert_int_eq(collected_count(s, ERGW), -1);
    ck_assert_int_eq(collected_count(s, CIRCUIT1), 1);
    cJSON_Delete(s);
    fake_stop(&f);
}
END_TEST

struct outcome {
    bool done, ok;
    char code[64];
};

static void record_outcome(struct http_client *c, struct http_result *res, void *ctx)
{
    (void)c;
    struct outcome *o = ctx;
    o->done = true;
    o->ok = res->ok;
    snprintf(o->code, sizeof o->code, "%s", res->error_code ? res->error_code : "");
}

/* One GET through the scheduler with `origin` as the token's only allowed origin. */
static struct outcome fetch_with_origin(struct auth *a, const char *origin, const char *url)
{
    struct outcome o = {0};
    struct sb_err e = {0};
    struct http_options ho = {.timeout_ms = 10000, .max_parallel = 1, .max_retries = 0, .retry_base_ms = 10,
                              .origin = origin};
    struct http_client *c = http_client_new(&ho, a, &e);
    ck_assert_ptr_nonnull(c);
    http_submit(c, "GET", url, NULL, HTTP_CLASS_ARM, false, record_outcome, &o);
    ck_assert_int_eq(http_run(c, &e), 0);
    http_client_free(c);
    ck_assert(o.done);
    return o;
}

/* The guard where the token is attached, independent of how the URL was made. The positive
 * control proves the sink would have seen (and logged) the token. */
START_TEST(test_token_only_to_arm_origin)
{
    struct fake f;
    fake_start(&f, NULL, NULL);
    ck_assert_int_eq(curl_global_init(CURL_GLOBAL_DEFAULT), CURLE_OK);
    setenv("AZURE_ACCESS_TOKEN", "static-token-abc", 1);
    struct sb_err e = {0};
    struct auth_config ac = {.arm_endpoint = f.base, .authority_host = f.base, .timeout_ms = 10000};
    struct auth *a = auth_new(&ac, &e);
    ck_assert_ptr_nonnull(a);
    char *sink_url = sb_xasprintf("http://%s/subscriptions?api-version=2022-12-01", f.sink);
    char *sink_origin = http_url_origin(sink_url);
    char *arm_origin = http_url_origin(f.base);

    struct outcome o = fetch_with_origin(a, sink_origin, sink_url);
    ck_assert(o.ok);
    ck_assert_int_eq(sink_hits(&f, true), 1);

    o = fetch_with_origin(a, arm_origin, sink_url);
    ck_assert(!o.ok);
    ck_assert_str_eq(o.code, "ForeignOrigin");
    char *userinfo = sb_xasprintf("http://user:pw@127.0.0.1:%d/subscriptions?api-version=2022-12-01", f.port);
    o = fetch_with_origin(a, arm_origin, userinfo);
    ck_assert_str_eq(o.code, "ForeignOrigin");
    o = fetch_with_origin(a, NULL, sink_url);
    ck_assert_str_eq(o.code, "ForeignOrigin");
    ck_assert_int_eq(sink_hits(&f, false), 1);
    free(userinfo);
    free(sink_url);
    free(sink_origin);
    free(arm_origin);
    auth_free(a);
    curl_global_cleanup();
    fake_stop(&f);
}
END_TEST

/* Issue 11.2: every nextLink / $skipToken is new: --max-pages ends each listing with a gap. */
START_TEST(test_endless_paging_capped)
{
    struct fake f;
    fake_start(&f,
               "[{\"match\": \"/ergw/providers/Microsoft.Insights\", \"kind\": \"endless_nextlink\", \"count\": -1},"
               " {\"match\": \"ResourceGraph\", \"kind\": \"endless_skiptoken\", \"after\": 3, \"count\": -1}]",
               NULL);
    ck_assert_int_eq(run(&f, "--quiet", "--max-pages", "5", NULL), SB_EXIT_INCOMPLETE);
    cJSON *s = snapshot(&f);
    cJSON *g = find_gap(s, ERGW, "diagnosticSettings");
    ck_assert_ptr_nonnull(g);
    ck_assert_str_eq(cJSON_GetStringValue(cJSON_GetObjectItem(g, "errorCode")), "PageLimit");
    ck_assert_int_eq(collected_count(s, ERGW), -1);
    /* One gap per subscription of the Resource Graph batch; the rows read are kept. */
    ck_assert_int_eq(gaps_with_code(s, "PageLimit"), 4);
    ck_assert_ptr_nonnull(g = find_gap(s, "/subscriptions/" SUB2, "resources"));
    ck_assert_str_eq(cJSON_GetStringValue(cJSON_GetObjectItem(g, "errorCode")), "PageLimit");
    ck_assert_int_eq(cJSON_GetArraySize(cJSON_GetObjectItem(s, "resources")), 16);
    cJSON_Delete(s);
    cJSON *diag = requests_matching(&f, "ergw/providers/Microsoft.Insights");
    int ergw = 0;
    cJSON *r;
    cJSON_ArrayForEach(r, diag)
    {
        ergw += strstr(cJSON_GetStringValue(cJSON_GetObjectItem(r, "path")), "vwan-ergw") == NULL;
    }
    ck_assert_int_eq(ergw, 5);
    cJSON_Delete(diag);
    cJSON *arg = requests_matching(&f, "ResourceGraph");
    ck_assert_int_eq(cJSON_GetArraySize(arg), 5);
    cJSON_Delete(arg);
    fake_stop(&f);
}
END_TEST

/* Issue 11.2: with no page cap in reach, the deadline ends the collection: gaps, snapshot, exit 5. */
START_TEST(test_deadline_ends_collection)
{
    struct fake f;
    fake_start(&f, "[{\"match\": \"/ergw/providers/Microsoft.Insights\", \"kind\": \"endless_nextlink\", \"count\": -1}]",
               NULL);
    double t0 = now_s();
    ck_assert_int_eq(run(&f, "--quiet", "--max-pages", "1000000", "--deadline", "5s", NULL), SB_EXIT_INCOMPLETE);
    ck_assert_msg(now_s() - t0 >= 5.0, "the collection ended before its deadline without finishing");
    cJSON *s = snapshot(&f);
    cJSON *g = find_gap(s, ERGW, "diagnosticSettings");
    ck_assert_ptr_nonnull(g);
    ck_assert_str_eq(cJSON_GetStringValue(cJSON_GetObjectItem(g, "errorCode")), "DeadlineExceeded");
    ck_assert_ptr_nonnull(find_resource(s, CIRCUIT1));
    cJSON_Delete(s);
    fake_stop(&f);
}
END_TEST

/* Issue 11.3: Retry-After of 10^9 s and a far-future HTTP date: the wait is capped at 120 s, and
 * a wait that would end after the deadline ends that request at once (no sleeping). */
START_TEST(test_retry_after_capped)
{
    struct fake f;
    fake_start(&f,
               "[{\"match\": \"er-provider/providers/Microsoft.Insights\", \"kind\": \"throttle\","
               " \"retry_after\": \"1000000000\", \"count\": -1},"
               " {\"match\": \"vwan-ergw/providers/Microsoft.Insights\", \"kind\": \"throttle\","
               " \"retry_after\": \"Fri, 31 Dec 9999 23:59:59 GMT\", \"count\": -1}]",
               NULL);
    ck_assert_int_eq(run(&f, "--quiet", "--deadline", "100s", NULL), SB_EXIT_INCOMPLETE);
    cJSON *s = snapshot(&f);
    ck_assert_int_eq(cJSON_GetArraySize(cJSON_GetObjectItem(s, "gaps")), 2);
    const char *ids[] = {CIRCUIT1, VWANGW};
    for (int i = 0; i < 2; i++) {
        cJSON *g = find_gap(s, ids[i], "diagnosticSettings");
        ck_assert_ptr_nonnull(g);
        ck_assert_str_eq(cJSON_GetStringValue(cJSON_GetObjectItem(g, "errorCode")), "DeadlineExceeded");
        ck_assert_int_eq((int)cJSON_GetNumberValue(cJSON_GetObjectItem(g, "httpStatus")), 429);
        /* Ended by the capped wait, not by waiting for the deadline. */
        ck_assert_ptr_nonnull(strstr(cJSON_GetStringValue(cJSON_GetObjectItem(g, "message")), "in 120 s"));
    }
    ck_assert_int_eq(collected_count(s, ERGW), 1);
    cJSON_Delete(s);
    fake_stop(&f);
}
END_TEST

/* Issue 11.4: servers that echo our secrets, with terminal escapes around them. */
START_TEST(test_echoed_secrets_redacted)
{
    struct fake f;
    fake_start(&f, "[{\"match\": \"oauth2\", \"kind\": \"echo_secret\", \"count\": -1},"
                   " {\"match\": \"er-provider/providers/Microsoft.Insights\", \"kind\": \"echo_token\", \"count\": -1}]",
               NULL);
    /* The token endpoint echoes the client secret (raw and percent-encoded). */
    ck_assert_int_eq(run(&f, NULL), SB_EXIT_AUTH);
    char *err = tu_slurp(f.err, NULL);
    ck_assert_ptr_null(strstr(err, SECRET));
    ck_assert_ptr_nonnull(strstr(err, REDACTED));
    ck_assert_ptr_nonnull(strstr(err, "\\x1B[2J"));
    free(err);
    assert_no_control_bytes(f.err);
    /* ... and a federated assertion with characters that percent-encoding changes. */
    char *fedfile = sb_path_join(f.dir, "federated.jwt");
    tu_write(fedfile, "fed+assertion/jwt=");
    setenv("AZURE_FEDERATED_TOKEN_FILE", fedfile, 1);
    unsetenv("AZURE_CLIENT_SECRET");
    ck_assert_int_eq(run(&f, NULL), SB_EXIT_AUTH);
    err = tu_slurp(f.err, NULL);
    ck_assert_ptr_null(strstr(err, "fed+assertion/jwt="));
    ck_assert_ptr_null(strstr(err, "fed%2Bassertion%2Fjwt%3D"));
    free(err);
    unsetenv("AZURE_FEDERATED_TOKEN_FILE");
    /* An ARM error that repeats the bearer token: a gap in the snapshot and on stderr, redacted. */
    setenv("AZURE_ACCESS_TOKEN", "static-token-abc", 1);
    ck_assert_int_eq(run(&f, "--verbose", NULL), SB_EXIT_INCOMPLETE);
    assert_absent(f.err, "static-token-abc");
    assert_absent(f.out, "static-token-abc");
    assert_no_control_bytes(f.err);
    assert_no_control_bytes(f.out);
    cJSON *s = snapshot(&f);
    cJSON *g = find_gap(s, CIRCUIT1, "diagnosticSettings");
    ck_assert_ptr_nonnull(g);
    const char *msg = cJSON_GetStringValue(cJSON_GetObjectItem(g, "message"));
    ck_assert_msg(strstr(msg, REDACTED) && strstr(msg, "\\x1B]0;pwned\\x07\\x0D\\x0AOK 200\\u{202E}"), "message: %s",
                  msg);
    cJSON_Delete(s);
    free(fedfile);
    fake_stop(&f);
}
END_TEST

static Suite *collect_suite(void)
{
    Suite *s = suite_create("collect");
    TCase *tc = tcase_create("fake-azure");
    tcase_set_timeout(tc, 30);
    tcase_add_test(tc, test_full_estate);
    tcase_add_test(tc, test_stable_output);
    tcase_add_test(tc, test_retry_after_honoured);
    tcase_add_test(tc, test_quota_and_token_lifetime);
    tcase_add_test(tc, test_transient_faults_recovered);
    tcase_add_test(tc, test_forbidden_subscription_is_a_gap);
    tcase_add_test(tc, test_resource_gaps);
    tcase_add_test(tc, test_token_expires_mid_run);
    tcase_add_test(tc, test_auth_failure);
    tcase_add_test(tc, test_credential_kinds);
    tcase_add_test(tc, test_no_credential);
    tcase_add_test(tc, test_management_group_scope);
    tcase_add_test(tc, test_management_group_keeps_empty_member_subscriptions);
    tcase_add_test(tc, test_nothing_collected);
    tcase_add_test(tc, test_usage);
    tcase_add_test(tc, test_hostile_resource_ids);
    tcase_add_test(tc, test_foreign_next_link);
    tcase_add_test(tc, test_hostile_listing_and_bodies);
    tcase_add_test(tc, test_token_only_to_arm_origin);
    tcase_add_test(tc, test_endless_paging_capped);
    tcase_add_test(tc, test_deadline_ends_collection);
    tcase_add_test(tc, test_retry_after_capped);
    tcase_add_test(tc, test_echoed_secrets_redacted);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(collect_suite());
    srunner_run_all(sr, CK_ENV);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
