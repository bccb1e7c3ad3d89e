/* The collector: subscriptions -> Resource Graph pages -> ARM detail GETs -> snapshot. */
#include "collect_run.h"

#include "auth_token.h"
#include "err.h"
#include "http_multi.h"
#include "http_url.h"
#include "redact.h"
#include "snapshot_write.h"
#include "util.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define MAX_GAPS_SHOWN 10

static const char QUERY[] =
    "resources | where type in~ ('microsoft.network/expressroutecircuits', "
    "'microsoft.network/expressrouteports', 'microsoft.network/expressroutegateways', "
    "'microsoft.network/virtualnetworkgateways', 'microsoft.network/connections', "
    "'microsoft.network/virtualnetworks', 'microsoft.network/routetables', 'microsoft.network/virtualhubs', "
    "'microsoft.network/networksecuritygroups', 'microsoft.network/vpngateways') | project id, name, type, location, resourceGroup, "
    "subscriptionId, tenantId, properties, identity, sku | order by id asc";

/* With management-group scopes: which subscriptions the groups hold, those without any resource included (the
 * subscription listing shows every subscription the identity sees, inside the groups or not). */
static const char MEMBERS_QUERY[] =
    "resourcecontainers | where type =~ 'microsoft.resources/subscriptions' | project subscriptionId "
    "| order by subscriptionId asc";

const char *collect_query(void)
{
    return QUERY;
}

/* A set of strings (open addressing); used to queue each detail fetch once. */
struct strset {
    char **slot;
    size_t cap, n;
};

static uint64_t fnv1a(const char *s)
{
    uint64_t h = 1469598103934665603ULL;
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 1099511628211ULL;
    return h;
}

/* Returns true if s was added, false if it was already there. Copies s. */
static bool strset_add(struct strset *set, const char *s)
{
    if ((set->n + 1) * 2 > set->cap) {
        size_t ncap = set->cap ? set->cap * 2 : 64;
        char **old = set->slot;
        size_t ocap = set->cap;
        set->slot = sb_xcalloc(ncap, sizeof *set->slot);
        set->cap = ncap;
        for (size_t i = 0; i < ocap; i++) {
            if (!old[i])
                continue;
            size_t j = fnv1a(old[i]) & (ncap - 1);
            while (set->slot[j])
                j = (j + 1) & (ncap - 1);
            set->slot[j] = old[i];
        }
        free(old);
    }
    size_t j = fnv1a(s) & (set->cap - 1);
    while (set->slot[j]) {
        if (strcmp(set->slot[j], s) == 0)
            return false;
        j = (j + 1) & (set->cap - 1);
    }
    set->slot[j] = sb_xstrdup(s);
    set->n++;
    return true;
}

static void strset_free(struct strset *set)
{
    for (size_t i = 0; i < set->cap; i++)
        free(set->slot[i]);
    free(set->slot);
}

struct collector {
    const struct collect_config *cfg;
    struct http_client *http;
    struct http_progress *prog;
    struct snapshot snap;
    char *arm;         /* endpoint without trailing slash */
    char *arm_origin;  /* nextLinks must stay on this origin: they carry our token */
    struct strset queued;
    size_t arg_pages_ok;
    char **visible;    /* subscription ids from the listing */
    size_t n_visible, cap_visible;
    char **mg_members; /* subscription ids the management groups in scope hold */
    size_t n_mg_members, cap_mg_members;
    struct redact_set *redact; /* every secret this collection knows: kept out of gaps and stderr */
};

enum job_kind { JOB_SUB_LIST, JOB_SUB_GET, JOB_ARG, JOB_DIAG, JOB_PORT };

struct job {
    enum job_kind kind;
    struct collector *col;
    char *scope;        /* gap scope */
    char *resource_id;  /* DIAG/PORT: as Azure spelled it */
    char **subs;        /* ARG: subscription batch */
    size_t n_subs;
    bool mg;            /* ARG: subs are management group ids */
    bool members;       /* ARG: the groups' subscriptions (MEMBERS_QUERY), not resources */
    struct strset seen; /* nextLinks / $skipTokens already followed */
    int pages;          /* pages read of this listing (--max-pages) */
    size_t count;       /* DIAG: settings so far */
    bool query_after;   /* SUB_LIST: run Resource Graph on the result */
};

static void job_free(struct job *j)
{
    if (!j)
        return;
    free(j->scope);
    free(j->resource_id);
    for (size_t i = 0; i < j->n_subs; i++)
        free(j->subs[i]);
    free(j->subs);
    strset_free(&j->seen);
    free(j);
}

static struct job *job_new(struct collector *col, enum job_kind kind, const char *scope)
{
    struct job *j = sb_xcalloc(1, sizeof *j);
    j->kind = kind;
    j->col = col;
    j->scope = sb_xstrdup(scope);
    return j;
}

static http_done_fn on_done;

/* Every gap goes through here: server text (ids, paths, codes, messages) may carry our secrets or
 * terminal escapes, and gaps reach stderr, the snapshot and every report. */
static void add_gap(struct collector *col, const char *scope, const char *collection, const char *request,
                    long status, const char *code, const char *message)
{
    char *s = redact_text(col->redact, scope, 2 * 4096);
    char *q = redact_text(col->redact, request, 2 * 4096);
    char *c = redact_text(col->redact, code, 256);
    char *m = redact_text(col->redact, message, COLLECT_MESSAGE_MAX);
    snapshot_add_gap(&col->snap, s, collection, q, status, c, m);
    free(s);
    free(q);
    free(c);
    free(m);
}

static void gap(struct collector *col, const char *scope, const char *collection, const struct http_result *r)
{
    add_gap(col, scope, collection, r->request, r->status, r->error_code, r->message);
}

/* A gap on a request that got an answer (`r`) Azure considered fine but we cannot use. */
static void gap_text(struct collector *col, const char *scope, const char *collection, const struct http_result *r,
                     const char *code, const char *message)
{
    add_gap(col, scope, collection, r->request, r->status, code, message);
}

/* A request the collector could not even build: a gap without an HTTP exchange. */
static void gap_unsent(struct collector *col, const char *scope, const char *collection, const char *method,
                       const char *code, const char *message)
{
    char *request = sb_xasprintf("%s (not sent)", method);
    add_gap(col, scope, collection, request, 0, code, message);
    free(request);
}

/* endpoint + path + query through curl's URL API, on the ARM origin; NULL (and a gap) otherwise. */
static char *arm_url(struct collector *col, const char *scope, const char *collection, const char *method,
                     const char *path, const char *query)
{
    struct sb_err e = {0};
    char *url = http_url_build(col->arm, path, query, &e);
    if (!url)
        gap_unsent(col, scope, collection, method, "InvalidResourceId", e.msg);
    return url;
}

static const char *job_collection(const struct job *j)
{
    switch (j->kind) {
    case JOB_SUB_LIST:
    case JOB_SUB_GET:
        return "subscriptions";
    case JOB_ARG:
        return "resources";
    case JOB_DIAG:
        return "diagnosticSettings";
    case JOB_PORT:
        return "expressRoutePorts";
    }
    return "resources";
}

/* ---- Resource Graph ---- */

static void submit_arg(struct collector *col, struct job *j, const char *skip_token)
{
    cJSON *body = cJSON_CreateObject();
    cJSON *scope = cJSON_AddArrayToObject(body, j->mg ? "managementGroups" : "subscriptions");
    for (size_t i = 0; i < j->n_subs; i++)
        cJSON_AddItemToArray(scope, cJSON_CreateString(j->subs[i]));
    cJSON_AddStringToObject(body, "query", j->members ? MEMBERS_QUERY : QUERY);
    cJSON *opt = cJSON_AddObjectToObject(body, "options");
    cJSON_AddNumberToObject(opt, "$top", COLLECT_ARG_TOP);
    cJSON_AddStringToObject(opt, "resultFormat", "objectArray");
    if (skip_token)
        cJSON_AddStringToObject(opt, "$skipToken", skip_token);
    char *text = cJSON_PrintUnformatted(body);
    cJSON_Delete(body);
    /* A fixed path on the configured endpoint: building it fails only for a broken endpoint. */
    char *url = http_url_build(col->arm, "/providers/Microsoft.ResourceGraph/resources",
                               "api-version=" SNAP_API_RESOURCE_GRAPH, NULL);
    http_submit(col->http, "POST", url ? url : "invalid:", text, HTTP_CLASS_ARG, true, on_done, j);
    free(url);
    cJSON_free(text);
}

static struct job *arg_job(struct collector *col, char *const *ids, size_t n, bool mg)
{
    struct job *j = job_new(col, JOB_ARG, NULL);
    j->mg = mg;
    j->subs = sb_xcalloc(n ? n : 1, sizeof *j->subs);
    for (size_t i = 0; i < n; i++)
        j->subs[j->n_subs++] = sb_xstrdup(ids[i]);
    return j;
}

static void query_subscriptions(struct collector *col, char *const *ids, size_t n)
{
    for (size_t at = 0; at < n; at += COLLECT_ARG_BATCH) {
        size_t k = n - at < COLLECT_ARG_BATCH ? n - at : COLLECT_ARG_BATCH;
        submit_arg(col, arg_job(col, ids + at, k, false), NULL);
    }
}

static char *scope_of(const struct job *j, size_t i)
{
    return j->mg ? sb_xasprintf("/providers/Microsoft.Management/managementGroups/%s", j->subs[i])
                 : sb_xasprintf("/subscriptions/%s", j->subs[i]);
}

/* One gap per scope of the batch: the response's error, or `code`/`message` when given. */
static void arg_gap_each(struct collector *col, const struct job *j, const struct http_result *r, const char *code,
                         const char *message)
{
    for (size_t i = 0; i < j->n_subs; i++) {
        char *scope = scope_of(j, i);
        add_gap(col, scope, j->members ? "subscriptions" : "resources", r->request, r->status,
                code ? code : r->error_code, code ? message : r->message);
        free(scope);
    }
}

/* ---- ARM detail GETs ---- */

static void submit_get(struct collector *col, struct job *j, const char *url)
{
    http_submit(col->http, "GET", url, NULL, HTTP_CLASS_ARM, j->kind == JOB_SUB_LIST, on_done, j);
}

/* `id` was checked by add_row (http_resource_id_problem) before it gets here. */
static void queue_detail(struct collector *col, enum job_kind kind, const char *id)
{
    char *lower = sb_lower(id);
    char *key = sb_xasprintf("%d:%s", (int)kind, lower);
    free(lower);
    bool fresh = strset_add(&col->queued, key);
    free(key);
    if (!fresh)
        return;
    const char *collection = kind == JOB_DIAG ? "diagnosticSettings" : "expressRoutePorts";
    char *path = kind == JOB_DIAG ? sb_xasprintf("%s/providers/Microsoft.Insights/diagnosticSettings", id)
                                  : sb_xstrdup(id);
    char *url = arm_url(col, id, collection, "GET", path,
                        kind == JOB_DIAG ? "api-version=" SNAP_API_DIAGNOSTICS : "api-version=" SNAP_API_NETWORK);
    free(path);
    if (!url)
        return;
    struct job *j = job_new(col, kind, id);
    j->resource_id = sb_xstrdup(id);
    submit_get(col, j, url);
    free(url);
}

static const char *str_at(const cJSON *o, const char *key)
{
    return cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(o, key));
}

/* Resource Graph may omit the port identity or the links' MACsec settings: then ask ARM. */
static bool port_needs_get(const cJSON *row)
{
    const cJSON *identity = cJSON_GetObjectItemCaseSensitive(row, "identity");
    if (sb_empty(str_at(identity, "type")))
        return true;
    const cJSON *props = cJSON_GetObjectItemCaseSensitive(row, "properties");
    const cJSON *links = cJSON_GetObjectItemCaseSensitive(props, "links");
    if (!cJSON_IsArray(links))
        return true;
    const cJSON *link;
    cJSON_ArrayForEach(link, links)
    {
        const cJSON *lp = cJSON_GetObjectItemCaseSensitive(link, "properties");
        if (!cJSON_IsObject(cJSON_GetObjectItemCaseSensitive(lp, "macSecConfig")))
            return true;
    }
    return false;
}

/* Keep a row (a resource) from the response `r` of job `j`. A row whose id is not a clean ARM
 * path is not evidence of anything and must never become a URL: it is a gap instead. */
static void add_row(struct collector *col, const struct job *j, const struct http_result *r, cJSON *row,
                    int priority)
{
    const char *id = str_at(row, "id");
    const char *type = str_at(row, "type");
    const char *problem = sb_empty(id) ? NULL : http_resource_id_problem(id);
    if (problem) {
        char *msg = sb_xasprintf("the response names a resource whose id %s; the row is not used and nothing is "
                                 "requested for it", problem);
        add_gap(col, id, job_collection(j), r->request, r->status, "InvalidResourceId", msg);
        free(msg);
        cJSON_Delete(row);
        return;
    }
    if (!sb_empty(id) && type) {
        const cJSON *props = cJSON_GetObjectItemCaseSensitive(row, "properties");
        if (sb_ieq(type, "microsoft.network/expressroutecircuits") ||
            sb_ieq(type, "microsoft.network/expressroutegateways") ||
            (sb_ieq(type, "microsoft.network/virtualnetworkgateways") &&
             sb_ieq(str_at(props, "gatewayType"), "ExpressRoute")))
            queue_detail(col, JOB_DIAG, id);
        else if (priority == 0 && sb_ieq(type, "microsoft.network/expressrouteports") && port_needs_get(row))
            queue_detail(col, JOB_PORT, id);
    }
    col->prog->resources++;
    snapshot_add_resource(&col->snap, row, priority);
}

enum next_step { NEXT_END, NEXT_FOLLOWED, NEXT_GAP };

/* True when job j may read one more page (--max-pages). */
static bool page_allowed(const struct collector *col, const struct job *j)
{
    return j->pages < col->cfg->max_pages;
}

static char *page_limit_message(const struct collector *col)
{
    return sb_xasprintf("stopped after %d pages (--max-pages); the listing has more", col->cfg->max_pages);
}

/* Follow a nextLink if present (the page just read counts against --max-pages). */
static enum next_step follow_next(struct collector *col, struct job *j, const struct http_result *r)
{
    j->pages++;
    const cJSON *next = cJSON_GetObjectItemCaseSensitive(r->json, "nextLink");
    const char *link = cJSON_GetStringValue(next);
    if (sb_empty(link))
        return NEXT_END;
    /* The link came from a server and will carry our token: same origin, no user info. */
    if (!http_url_same_origin(link, col->arm_origin)) {
        gap_text(col, j->scope, job_collection(j), r, "InvalidNextLink",
                 "nextLink points outside the ARM endpoint; not followed");
        return NEXT_GAP;
    }
    if (!strset_add(&j->seen, link)) {
        gap_text(col, j->scope, job_collection(j), r, "PagingLoop", "nextLink repeats a page already read");
        return NEXT_GAP;
    }
    if (!page_allowed(col, j)) {
        char *msg = page_limit_message(col);
        gap_text(col, j->scope, job_collection(j), r, "PageLimit", msg);
        free(msg);
        return NEXT_GAP;
    }
    submit_get(col, j, link);
    return NEXT_FOLLOWED;
}

/* ---- completion handlers ---- */

/* A subscription id names a URL path segment and a Resource Graph scope: a GUID in practice. */
static bool subscription_id_ok(const char *id)
{
    size_t n = strlen(id);
    return n > 0 && n <= 128 && strspn(id, "0123456789abcdefABCDEF-") == n;
}

static bool subscription_row(struct collector *col, const struct http_result *r, const cJSON *s)
{
    const char *id = str_at(s, "subscriptionId");
    if (sb_empty(id))
        return false;
    if (!subscription_id_ok(id)) {
        add_gap(col, id, "subscriptions", r->request, r->status, "InvalidSubscriptionId",
                "the response names a subscription whose id is not a GUID; it is not used");
        return false;
    }
    /* Names are server text that reports print: same treatment as gap messages. */
    char *name = str_at(s, "displayName") ? redact_text(col->redact, str_at(s, "displayName"), 1024) : NULL;
    char *state = str_at(s, "state") ? redact_text(col->redact, str_at(s, "state"), 64) : NULL;
    char *tenant = str_at(s, "tenantId") ? redact_text(col->redact, str_at(s, "tenantId"), 128) : NULL;
    snapshot_add_subscription(&col->snap, id, name, state, tenant);
    free(name);
    free(state);
    free(tenant);
    return true;
}

static bool done_sub_list(struct collector *col, struct job *j, struct http_result *r)
{
    const cJSON *v;
    cJSON_ArrayForEach(v, cJSON_GetObjectItemCaseSensitive(r->json, "value"))
    {
        if (subscription_row(col, r, v)) {
            col->prog->subscriptions++;
            sb_grow((void **)&col->visible, &col->cap_visible, col->n_visible + 1, sizeof *col->visible);
            col->visible[col->n_visible++] = sb_xstrdup(str_at(v, "subscriptionId"));
        }
    }
    if (follow_next(col, j, r) == NEXT_FOLLOWED)
        return true;
    /* An incomplete listing is a gap already; the subscriptions it did list are still queried. */
    if (j->query_after)
        query_subscriptions(col, col->visible, col->n_visible);
    return false;
}

static bool done_arg(struct collector *col, struct job *j, struct http_result *r)
{
    const cJSON *data = cJSON_GetObjectItemCaseSensitive(r->json, "data");
    if (!cJSON_IsArray(data)) {
        arg_gap_each(col, j, r, "InvalidResponse", "Resource Graph response has no data array");
        return false;
    }
    col->arg_pages_ok++;
    col->prog->pages++;
    j->pages++;
    cJSON *row;
    while ((row = cJSON_DetachItemFromArray((cJSON *)data, 0))) {
        if (!j->members) {
            add_row(col, j, r, row, 0);
            continue;
        }
        const char *id = str_at(row, "subscriptionId");
        if (!sb_empty(id) && subscription_id_ok(id)) {
            sb_grow((void **)&col->mg_members, &col->cap_mg_members, col->n_mg_members + 1, sizeof *col->mg_members);
            col->mg_members[col->n_mg_members++] = sb_xstrdup(id);
        }
        cJSON_Delete(row);
    }
    if (sb_ieq(str_at(r->json, "resultTruncated"), "true"))
        arg_gap_each(col, j, r, "ResultTruncated", "Resource Graph truncated the result");
    const char *token = str_at(r->json, "$skipToken");
    if (sb_empty(token))
        return false;
    if (!strset_add(&j->seen, token)) {
        arg_gap_each(col, j, r, "PagingLoop", "Resource Graph returned a $skipToken already used");
        return false;
    }
    if (!page_allowed(col, j)) {
        char *msg = page_limit_message(col);
        arg_gap_each(col, j, r, "PageLimit", msg);
        free(msg);
        return false;
    }
    submit_arg(col, j, token);
    return true;
}

static bool done_diag(struct collector *col, struct job *j, struct http_result *r)
{
    cJSON *value = cJSON_GetObjectItemCaseSensitive(r->json, "value");
    if (!cJSON_IsArray(value)) {
        gap_text(col, j->scope, "diagnosticSettings", r, "InvalidResponse", "response has no value array");
        return false;
    }
    cJSON *s;
    while ((s = cJSON_DetachItemFromArray(value, 0))) {
        if (!cJSON_IsObject(s)) {
            cJSON_Delete(s);
            continue;
        }
        const char *name = str_at(s, "name");
        if (sb_empty(str_at(s, "id")) && !sb_empty(name)) {
            char *id = sb_xasprintf("%s/providers/microsoft.insights/diagnosticSettings/%s", j->resource_id, name);
            cJSON_DeleteItemFromObjectCaseSensitive(s, "id");
            cJSON_AddStringToObject(s, "id", id);
            free(id);
        }
        if (sb_empty(str_at(s, "type"))) {
            cJSON_DeleteItemFromObjectCaseSensitive(s, "type");
            cJSON_AddStringToObject(s, "type", "Microsoft.Insights/diagnosticSettings");
        }
        j->count++;
        add_row(col, j, r, s, 0);
    }
    enum next_step step = follow_next(col, j, r);
    if (step == NEXT_FOLLOWED)
        return true;
    /* "Read, N settings" only for a list read to its end: a cut list is a gap, not a count. */
    if (step == NEXT_END)
        snapshot_add_collected(&col->snap, j->resource_id, "diagnosticSettings", j->count);
    return false;
}

static bool done_port(struct collector *col, struct job *j, struct http_result *r)
{
    if (!sb_ieq(str_at(r->json, "id"), j->resource_id)) {
        gap_text(col, j->scope, "expressRoutePorts", r, "InvalidResponse",
                 "ARM returned a different resource than requested");
        return false;
    }
    cJSON *body = r->json;
    r->json = NULL;
    add_row(col, j, r, body, 1);
    return false;
}

static void on_done(struct http_client *c, struct http_result *r, void *ctx)
{
    (void)c;
    struct job *j = ctx;
    struct collector *col = j->col;
    bool again = false;
    if (!r->ok) {
        if (j->kind == JOB_ARG && !j->mg && j->n_subs > 1 && (r->status == 403 || r->status == 404)) {
            /* One inaccessible subscription fails the batch: split to isolate it. */
            size_t half = j->n_subs / 2;
            submit_arg(col, arg_job(col, j->subs, half, false), NULL);
            submit_arg(col, arg_job(col, j->subs + half, j->n_subs - half, false), NULL);
        } else if (j->kind == JOB_ARG) {
            arg_gap_each(col, j, r, NULL, NULL);
        } else {
            gap(col, j->scope, job_collection(j), r);
        }
    } else {
        switch (j->kind) {
        case JOB_SUB_LIST:
            again = done_sub_list(col, j, r);
            break;
        case JOB_SUB_GET:
            if (subscription_row(col, r, r->json))
                col->prog->subscriptions++;
            break;
        case JOB_ARG:
            again = done_arg(col, j, r);
            break;
        case JOB_DIAG:
            again = done_diag(col, j, r);
            break;
        case JOB_PORT:
            again = done_port(col, j, r);
            break;
        }
    }
    if (!again)
        job_free(j);
}

/* ---- the run ---- */

static bool referenced(const struct collector *col, const char *sub_id)
{
    char *prefix = sb_xasprintf("/subscriptions/%s/", sub_id);
    bool found = false;
    for (size_t i = 0; i < col->snap.n_resources && !found; i++)
        found = sb_istarts(col->snap.resources[i].key, prefix);
    for (size_t i = 0; i < col->cfg->n_subscriptions && !found; i++)
        found = sb_ieq(col->cfg->subscriptions[i], sub_id);
    for (size_t i = 0; i < col->n_mg_members && !found; i++)
        found = sb_ieq(col->mg_members[i], sub_id);
    free(prefix);
    return found;
}

/* With management-group scopes the listing covers every visible subscription: keep those in scope (a group's own,
 * with or without resources, and those holding a resource read). */
static void keep_referenced_subscriptions(struct collector *col)
{
    struct snapshot *s = &col->snap;
    size_t w = 0;
    for (size_t i = 0; i < s->n_subscriptions; i++) {
        struct snap_subscription *u = &s->subscriptions[i];
        if (referenced(col, u->id)) {
            s->subscriptions[w++] = *u;
            continue;
        }
        snapshot_subscription_free(u);
    }
    s->n_subscriptions = w;
}

static char **copy_strv(char *const *v, size_t n)
{
    char **out = sb_xcalloc(n ? n : 1, sizeof *out);
    for (size_t i = 0; i < n; i++)
        out[i] = sb_xstrdup(v[i]);
    return out;
}

static int cmp_strp(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* A server that plants one of our secrets in a resource (an echo in a description, a tag) must
 * not get it into the evidence: known secrets only, everything else stays as Azure sent it. */
static void scrub_known_secrets(cJSON *node, const struct redact_set *r)
{
    for (cJSON *c = node ? node->child : NULL; c; c = c->next) {
        if (c->string && !(c->type & cJSON_StringIsConst)) {
            char *k = redact_known(r, c->string);
            if (k) {
                char *copy = cJSON_malloc(strlen(k) + 1);
                memcpy(copy, k, strlen(k) + 1);
                cJSON_free(c->string);
                c->string = copy;
                free(k);
            }
        }
        if (cJSON_IsString(c) && c->valuestring) {
            char *v = redact_known(r, c->valuestring);
            if (v) {
                cJSON_SetValuestring(c, v);
                free(v);
            }
        } else if (cJSON_IsObject(c) || cJSON_IsArray(c)) {
            scrub_known_secrets(c, r);
        }
    }
}

static void fill_metadata(struct collector *col, const struct auth *auth)
{
    const struct collect_config *cfg = col->cfg;
    struct snapshot *s = &col->snap;
    s->cloud = sb_xstrdup(cfg->cloud);
    s->arm_endpoint = sb_xstrdup(col->arm);
    s->authority_host = http_trim_endpoint(cfg->authority_host);
    if (cfg->n_subscriptions) {
        s->scope_subscriptions = copy_strv(cfg->subscriptions, cfg->n_subscriptions);
        s->n_scope_subscriptions = cfg->n_subscriptions;
    } else if (!cfg->n_management_groups) {
        s->scope_subscriptions = copy_strv(col->visible, col->n_visible);
        s->n_scope_subscriptions = col->n_visible;
    }
    if (s->n_scope_subscriptions > 1)
        qsort(s->scope_subscriptions, s->n_scope_subscriptions, sizeof(char *), cmp_strp);
    s->scope_management_groups = copy_strv(cfg->management_groups, cfg->n_management_groups);
    s->n_scope_management_groups = cfg->n_management_groups;
    s->n_queries = cfg->n_management_groups ? 2 : 1;
    s->queries = copy_strv((char *const[]){(char *)QUERY, (char *)MEMBERS_QUERY}, s->n_queries);
    if (cfg->n_management_groups)
        keep_referenced_subscriptions(col);
    const char *tenant = auth_tenant(auth);
    if (!tenant) {
        /* The lowest subscription id's tenant: stable across runs. */
        const char *best = NULL;
        for (size_t i = 0; i < s->n_subscriptions; i++)
            if (s->subscriptions[i].tenant_id && (!best || strcmp(s->subscriptions[i].id, best) < 0)) {
                best = s->subscriptions[i].id;
                tenant = s->subscriptions[i].tenant_id;
            }
    }
    s->tenant_id = sb_xstrdup(tenant);
    s->identity_method = sb_xstrdup(auth_method(auth));
    s->client_id = sb_xstrdup(auth_client_id(auth));
}

static void report_gaps(const struct snapshot *s)
{
    for (size_t i = 0; i < s->n_gaps && i < MAX_GAPS_SHOWN; i++) {
        const struct snap_gap *g = &s->gaps[i];
        fprintf(stderr, "mcsb-audit: gap: %s (%s): %s: HTTP %ld %s: %s\n", g->scope, g->collection, g->request,
                g->http_status, g->error_code, g->message);
    }
    if (s->n_gaps > MAX_GAPS_SHOWN)
        fprintf(stderr, "mcsb-audit: ... and %zu more gaps (see \"gaps\" in the snapshot)\n", s->n_gaps - MAX_GAPS_SHOWN);
}

static void start_jobs(struct collector *col)
{
    const struct collect_config *cfg = col->cfg;
    if (cfg->n_subscriptions) {
        for (size_t i = 0; i < cfg->n_subscriptions; i++) {
            char *scope = sb_xasprintf("/subscriptions/%s", cfg->subscriptions[i]);
            char *url = arm_url(col, scope, "subscriptions", "GET", scope, "api-version=" SNAP_API_SUBSCRIPTIONS);
            if (url)
                submit_get(col, job_new(col, JOB_SUB_GET, scope), url);
            free(url);
            free(scope);
        }
        query_subscriptions(col, cfg->subscriptions, cfg->n_subscriptions);
    }
    if (cfg->n_management_groups) {
        for (size_t i = 0; i < cfg->n_management_groups; i++) {
            submit_arg(col, arg_job(col, cfg->management_groups + i, 1, true), NULL);
            struct job *m = arg_job(col, cfg->management_groups + i, 1, true);
            m->members = true;
            submit_arg(col, m, NULL);
        }
    }
    if (!cfg->n_subscriptions) {
        /* Every visible subscription: the listing also feeds Resource Graph unless MGs scope the query. */
        struct job *j = job_new(col, JOB_SUB_LIST, "/subscriptions");
        j->query_after = cfg->n_management_groups == 0;
        char *url = http_url_build(col->arm, "/subscriptions", "api-version=" SNAP_API_SUBSCRIPTIONS, NULL);
        submit_get(col, j, url ? url : "invalid:");
        free(url);
    }
}

int collect_run(const struct collect_config *cfg, struct sb_err *e)
{
    struct collector col = {.cfg = cfg};
    struct auth *auth = NULL;
    int rc = SB_EXIT_OK;
    time_t started = time(NULL);
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);

    long long deadline = cfg->deadline_ms > 0 ? http_now_ms() + cfg->deadline_ms : 0;
    col.redact = redact_set_new();
    col.arm = http_trim_endpoint(cfg->arm_endpoint);
    col.arm_origin = http_url_origin(col.arm);
    if (!col.arm_origin) {
        sb_err_set(e, SB_EXIT_USAGE, "--arm-endpoint: not a valid URL");
        rc = SB_EXIT_USAGE;
        goto done;
    }
    struct auth_config ac = {.arm_endpoint = col.arm, .authority_host = cfg->authority_host,
                             .token_file = cfg->token_file, .ca_bundle = cfg->ca_bundle,
                             .timeout_ms = cfg->timeout_ms, .deadline = deadline, .verbose = cfg->verbose,
                             .managed_identity = cfg->managed_identity, .redact = col.redact};
    auth = auth_new(&ac, e);
    if (!auth) {
        rc = e->code;
        goto done;
    }
    if (cfg->verbose)
        fprintf(stderr, "mcsb-audit: credential: %s\n", auth_method(auth));
    /* Fail fast on a credential that cannot produce a token at all. */
    const char *tok;
    unsigned gen;
    if (auth_get(auth, false, 0, &tok, &gen, e) != 0) {
        rc = SB_EXIT_AUTH;
        goto done;
    }
    struct http_options ho = {.timeout_ms = cfg->timeout_ms, .max_parallel = cfg->max_parallel,
                              .max_retries = cfg->max_retries, .retry_base_ms = cfg->retry_base_ms,
                              .ca_bundle = cfg->ca_bundle, .verbose = cfg->verbose, .progress = cfg->progress,
                              .origin = col.arm_origin, .deadline = deadline, .redact = col.redact};
    col.http = http_client_new(&ho, auth, e);
    if (!col.http) {
        rc = SB_EXIT_OUTPUT;
        goto done;
    }
    col.prog = http_progress(col.http);
    start_jobs(&col);
    if (http_run(col.http, e) != 0) {
        rc = SB_EXIT_OUTPUT;
        goto done;
    }
    if (col.arg_pages_ok == 0) {
        bool auth_bad = http_auth_failed(col.http);
        if (!cfg->quiet)
            report_gaps(&col.snap);
        if (auth_bad)
            sb_err_set(e, SB_EXIT_AUTH, "the credential was refused (HTTP 401); nothing collected");
        else if (!cfg->n_subscriptions && !cfg->n_management_groups && col.snap.n_gaps == 0)
            sb_err_set(e, SB_EXIT_COLLECT, "no subscriptions are visible to this identity; nothing collected");
        else
            sb_err_set(e, SB_EXIT_COLLECT, "nothing collected: every scope failed (%zu gaps)", col.snap.n_gaps);
        rc = e->code;
        goto done;
    }
    fill_metadata(&col, auth);
    for (size_t i = 0; i < col.snap.n_resources; i++)
        scrub_known_secrets(col.snap.resources[i].obj, col.redact);
    clock_gettime(CLOCK_MONOTONIC, &t1);
    col.snap.started = started;
    col.snap.finished = time(NULL);
    col.snap.duration_ms = (long long)(t1.tv_sec - t0.tv_sec) * 1000 + (t1.tv_nsec - t0.tv_nsec) / 1000000;
    if (snapshot_write(&col.snap, cfg->output, e) != 0) {
        rc = SB_EXIT_OUTPUT;
        goto done;
    }
    if (!cfg->quiet) {
        report_gaps(&col.snap);
        fprintf(stderr, "mcsb-audit: wrote %s: %zu resources, %zu subscriptions, %zu gaps\n", cfg->output,
                col.snap.n_resources, col.snap.n_subscriptions, col.snap.n_gaps);
    }
    rc = col.snap.n_gaps ? SB_EXIT_INCOMPLETE : SB_EXIT_OK;
done:
    /* The last line of defence: no message leaves with a secret or a raw control character in it. */
    redact_buf(col.redact, e->msg, sizeof e->msg);
    http_client_free(col.http);
    auth_free(auth);
    redact_set_free(col.redact);
    snapshot_clear(&col.snap);
    strset_free(&col.queued);
    for (size_t i = 0; i < col.n_visible; i++)
        free(col.visible[i]);
    free(col.visible);
    for (size_t i = 0; i < col.n_mg_members; i++)
        free(col.mg_members[i]);
    free(col.mg_members);
    free(col.arm);
    free(col.arm_origin);
    return rc;
}
