/* `collect` against the fake Azure (tests/fake-azure/server.py) on loopback: content, faults, exit codes. */
#include "collect.h"
#include "collect_run.h"
#include "err.h"
#include "testutil.h"
#include "util.h"

#include <check.h>
#include <cjson/cJSON.h>
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
              "--idle-timeout", "20", (char *)NULL);
        _exit(127);
    }
    for (int i = 0; i < 200 && !f->port; i++) {
        char *p = tu_slurp(portfile, NULL);
        if (p)
            f->port = atoi(p);
        free(p);
        if (!f->port) {
            struct timespec ts = {0, 25 * 1000000L};
            nanosleep(&ts, NULL);
        }
    }
    ck_assert_msg(f->port > 0, "fake Azure did not start");
    snprintf(f->base, sizeof f->base, "http://127.0.0.1:%d", f->port);
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

START_TEST(test_stable_output)
{
    struct fake f;
    fake_start(&f, NULL, NULL);
    ck_assert_int_eq(run(&f, "--quiet", "--max-parallel", "1", NULL), SB_EXIT_OK);
    char *a = tu_slurp(f.out, NULL);
    ck_assert_int_eq(run(&f, "--quiet", "--max-parallel", "8", NULL), SB_EXIT_OK);
    char *b = tu_slurp(f.out, NULL);
    /* Blank out the three time members, then compare byte for byte. */
    const char *keys[] = {"\"startedAt\":", "\"finishedAt\":", "\"durationMs\":"};
    char *docs[] = {a, b};
    for (int d = 0; d < 2; d++)
        for (int k = 0; k < 3; k++) {
            char *p = strstr(docs[d], keys[k]);
            ck_assert_ptr_nonnull(p);
            for (p += strlen(keys[k]); *p && *p != ','; p++)
                *p = 'x';
        }
    ck_assert_str_eq(a, b);
    free(a);
    free(b);
    fake_stop(&f);
}
END_TEST

static double time_between(cJSON *reqs, int first_status, int next_status)
{
    double t0 = -1;
    cJSON *r;
    cJSON_ArrayForEach(r, reqs)
    {
        int st = (int)cJSON_GetNumberValue(cJSON_GetObjectItem(r, "status"));
        double t = cJSON_GetNumberValue(cJSON_GetObjectItem(r, "t"));
        if (t0 < 0 && st == first_status)
            t0 = t;
        else if (t0 >= 0 && st == next_status)
            return t - t0;
    }
    return -1;
}

START_TEST(test_retry_after_honoured)
{
    struct fake f;
    fake_start(&f,
               "[{\"match\": \"er-provider/providers/Microsoft.Insights\", \"kind\": \"throttle\", \"retry_after\": 1},"
               " {\"match\": \"ResourceGraph\", \"kind\": \"throttle\", \"resets_after\": \"00:00:01\"}]",
               NULL);
    ck_assert_int_eq(run(&f, "--quiet", NULL), SB_EXIT_OK);
    cJSON *diag = requests_matching(&f, "er-provider/providers/Microsoft.Insights");
    double waited = time_between(diag, 429, 200);
    ck_assert_msg(waited >= 1.0, "ARM retry came after %.3f s, Retry-After was 1 s", waited);
    ck_assert_msg(waited < 5.0, "ARM retry waited too long (%.3f s)", waited);
    cJSON *arg = requests_matching(&f, "ResourceGraph");
    waited = time_between(arg, 429, 200);
    ck_assert_msg(waited >= 1.0, "ARG retry came after %.3f s, quota reset was 1 s", waited);
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
    ck_assert_int_eq(run(&f, "--quiet", NULL), SB_EXIT_OK);
    cJSON *arg = requests_matching(&f, "ResourceGraph");
    double t0 = cJSON_GetNumberValue(cJSON_GetObjectItem(cJSON_GetArrayItem(arg, 0), "t"));
    double t1 = cJSON_GetNumberValue(cJSON_GetObjectItem(cJSON_GetArrayItem(arg, 1), "t"));
    ck_assert_msg(t1 - t0 >= 1.0, "second page %.3f s after the first, quota reset was 1 s", t1 - t0);
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
               " {\"match\": \"er-direct/providers/Microsoft.Insights\", \"kind\": \"slow\", \"delay\": 2.5}]",
               NULL);
    ck_assert_int_eq(run(&f, "--timeout", "1", NULL), SB_EXIT_OK);
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
    /* Off Azure, with nothing configured: a clear message at once, no probe of 169.254.169.254. */
    time_t t0 = time(NULL);
    ck_assert_int_eq(run(&f, NULL), SB_EXIT_AUTH);
    ck_assert_int_le(time(NULL) - t0, 2);
    char *err = tu_slurp(f.err, NULL);
    ck_assert_ptr_nonnull(strstr(err, "mcsb-audit: no credential: set AZURE_ACCESS_TOKEN"));
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
    tcase_add_test(tc, test_nothing_collected);
    tcase_add_test(tc, test_usage);
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
