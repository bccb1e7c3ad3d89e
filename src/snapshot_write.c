#include "snapshot_write.h"

#include "err.h"
#include "util.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

void snapshot_add_resource(struct snapshot *s, cJSON *obj, int priority)
{
    const char *id = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(obj, "id"));
    if (sb_empty(id)) {
        cJSON_Delete(obj);
        return;
    }
    sb_grow((void **)&s->resources, &s->cap_resources, s->n_resources + 1, sizeof *s->resources);
    s->resources[s->n_resources++] = (struct snap_resource){.key = sb_lower(id), .obj = obj, .priority = priority};
}

void snapshot_add_gap(struct snapshot *s, const char *scope, const char *collection, const char *request,
                      long status, const char *code, const char *message)
{
    sb_grow((void **)&s->gaps, &s->cap_gaps, s->n_gaps + 1, sizeof *s->gaps);
    s->gaps[s->n_gaps++] = (struct snap_gap){
        .scope = sb_xstrdup(scope ? scope : ""), .collection = sb_xstrdup(collection),
        .request = sb_xstrdup(request ? request : ""), .error_code = sb_xstrdup(code ? code : ""),
        .message = sb_xstrdup(message ? message : ""), .http_status = status};
}

void snapshot_add_collected(struct snapshot *s, const char *resource_id, const char *collection, size_t count)
{
    sb_grow((void **)&s->collected, &s->cap_collected, s->n_collected + 1, sizeof *s->collected);
    s->collected[s->n_collected++] = (struct snap_collected){
        .resource_id = sb_xstrdup(resource_id), .collection = sb_xstrdup(collection), .count = count};
}

void snapshot_add_subscription(struct snapshot *s, const char *id, const char *display_name, const char *state,
                               const char *tenant_id)
{
    sb_grow((void **)&s->subscriptions, &s->cap_subscriptions, s->n_subscriptions + 1, sizeof *s->subscriptions);
    s->subscriptions[s->n_subscriptions++] = (struct snap_subscription){
        .id = sb_xstrdup(id), .display_name = sb_xstrdup(display_name), .state = sb_xstrdup(state),
        .tenant_id = sb_xstrdup(tenant_id)};
}

static void free_strv(char **v, size_t n)
{
    for (size_t i = 0; i < n; i++)
        free(v[i]);
    free(v);
}

static void gap_free(struct snap_gap *g)
{
    free(g->scope);
    free(g->collection);
    free(g->request);
    free(g->error_code);
    free(g->message);
}

static void collected_free(struct snap_collected *c)
{
    free(c->resource_id);
    free(c->collection);
}

void snapshot_subscription_free(struct snap_subscription *u)
{
    free(u->id);
    free(u->display_name);
    free(u->state);
    free(u->tenant_id);
}

void snapshot_clear(struct snapshot *s)
{
    free(s->cloud);
    free(s->arm_endpoint);
    free(s->authority_host);
    free(s->tenant_id);
    free(s->identity_method);
    free(s->client_id);
    free_strv(s->scope_subscriptions, s->n_scope_subscriptions);
    free_strv(s->scope_management_groups, s->n_scope_management_groups);
    free_strv(s->queries, s->n_queries);
    for (size_t i = 0; i < s->n_resources; i++) {
        free(s->resources[i].key);
        cJSON_Delete(s->resources[i].obj);
    }
    free(s->resources);
    for (size_t i = 0; i < s->n_gaps; i++)
        gap_free(&s->gaps[i]);
    free(s->gaps);
    for (size_t i = 0; i < s->n_collected; i++)
        collected_free(&s->collected[i]);
    free(s->collected);
    for (size_t i = 0; i < s->n_subscriptions; i++)
        snapshot_subscription_free(&s->subscriptions[i]);
    free(s->subscriptions);
    memset(s, 0, sizeof *s);
}

bool snapshot_is_secret_key(const char *name)
{
    /* ARM ids used as member names (userAssignedIdentities) are never credentials. */
    if (!name || strchr(name, '/'))
        return false;
    static const char *const suffixes[] = {"key", "keys", "password", "secret", "connectionstring", "token",
                                           "sastoken", "credential", "credentials"};
    for (size_t i = 0; i < sizeof suffixes / sizeof suffixes[0]; i++)
        if (sb_iends(name, suffixes[i]))
            return true;
    return false;
}

void snapshot_strip_secrets(cJSON *node)
{
    cJSON *child = node ? node->child : NULL;
    while (child) {
        cJSON *next = child->next;
        if (cJSON_IsObject(node) && snapshot_is_secret_key(child->string))
            cJSON_Delete(cJSON_DetachItemViaPointer(node, child));
        else if (cJSON_IsObject(child) || cJSON_IsArray(child))
            snapshot_strip_secrets(child);
        child = next;
    }
}

static int cmp_str(const char *a, const char *b)
{
    return strcmp(a ? a : "", b ? b : "");
}

static int cmp_resource(const void *pa, const void *pb)
{
    const struct snap_resource *a = pa, *b = pb;
    int c = strcmp(a->key, b->key);
    if (c)
        return c;
    if (a->priority != b->priority)
        return a->priority > b->priority ? -1 : 1;
    return 0;
}

static int cmp_gap(const void *pa, const void *pb)
{
    const struct snap_gap *a = pa, *b = pb;
    int c = strcasecmp(a->scope, b->scope);
    if (!c)
        c = cmp_str(a->scope, b->scope);
    if (!c)
        c = cmp_str(a->collection, b->collection);
    if (!c)
        c = cmp_str(a->request, b->request);
    if (!c && a->http_status != b->http_status)
        c = a->http_status < b->http_status ? -1 : 1;
    if (!c)
        c = cmp_str(a->error_code, b->error_code);
    if (!c)
        c = cmp_str(a->message, b->message);
    return c;
}

static int cmp_collected(const void *pa, const void *pb)
{
    const struct snap_collected *a = pa, *b = pb;
    int c = strcasecmp(a->resource_id, b->resource_id);
    if (!c)
        c = cmp_str(a->resource_id, b->resource_id);
    if (!c)
        c = cmp_str(a->collection, b->collection);
    return c;
}

static int cmp_sub(const void *pa, const void *pb)
{
    const struct snap_subscription *a = pa, *b = pb;
    return strcasecmp(a->id, b->id);
}

/* Same id, same priority, different content: keep the smaller text so arrival order never matters. */
static bool prefer_second(const struct snap_resource *a, const struct snap_resource *b)
{
    if (a->priority != b->priority)
        return false;
    char *ta = cJSON_PrintUnformatted(a->obj), *tb = cJSON_PrintUnformatted(b->obj);
    bool second = ta && tb && strcmp(tb, ta) < 0;
    free(ta);
    free(tb);
    return second;
}

/* qsort's array must not be NULL even when empty (UBSan checks the nonnull attribute). */
static void sort_n(void *base, size_t n, size_t size, int (*cmp)(const void *, const void *))
{
    if (n > 1)
        qsort(base, n, size, cmp);
}

/* Sort, then drop (and free with `drop`) each element equal to its predecessor. Returns the new count. */
static size_t sort_unique(void *base, size_t n, size_t size, int (*cmp)(const void *, const void *),
                          void (*drop)(void *))
{
    sort_n(base, n, size, cmp);
    char *b = base;
    size_t w = 0;
    for (size_t i = 0; i < n; i++) {
        if (w > 0 && cmp(b + (w - 1) * size, b + i * size) == 0) {
            drop(b + i * size);
            continue;
        }
        if (w != i)
            memcpy(b + w * size, b + i * size, size);
        w++;
    }
    return w;
}

static void drop_gap(void *p)
{
    gap_free(p);
}

static void drop_collected(void *p)
{
    collected_free(p);
}

static void drop_subscription(void *p)
{
    snapshot_subscription_free(p);
}

static void sort_and_dedup(struct snapshot *s)
{
    sort_n(s->resources, s->n_resources, sizeof *s->resources, cmp_resource);
    size_t w = 0;
    for (size_t i = 0; i < s->n_resources; i++) {
        if (w > 0 && strcmp(s->resources[w - 1].key, s->resources[i].key) == 0) {
            struct snap_resource drop = s->resources[i];
            if (prefer_second(&s->resources[w - 1], &s->resources[i])) {
                drop = s->resources[w - 1];
                s->resources[w - 1] = s->resources[i];
            }
            free(drop.key);
            cJSON_Delete(drop.obj);
            continue;
        }
        s->resources[w++] = s->resources[i];
    }
    s->n_resources = w;

    s->n_gaps = sort_unique(s->gaps, s->n_gaps, sizeof *s->gaps, cmp_gap, drop_gap);
    s->n_collected = sort_unique(s->collected, s->n_collected, sizeof *s->collected, cmp_collected, drop_collected);
    s->n_subscriptions =
        sort_unique(s->subscriptions, s->n_subscriptions, sizeof *s->subscriptions, cmp_sub, drop_subscription);
}

static cJSON *string_array(char **v, size_t n)
{
    cJSON *a = cJSON_CreateArray();
    for (size_t i = 0; i < n; i++)
        cJSON_AddItemToArray(a, cJSON_CreateString(v[i]));
    return a;
}

static void add_opt_string(cJSON *o, const char *key, const char *value)
{
    if (value)
        cJSON_AddStringToObject(o, key, value);
    else
        cJSON_AddNullToObject(o, key);
}

static cJSON *counts_by_type(const struct snapshot *s)
{
    /* Resources are sorted by id, not type: count into a sorted list of lower-cased types. */
    char **types = NULL;
    size_t *counts = NULL, n = 0, cap = 0;
    for (size_t i = 0; i < s->n_resources; i++) {
        const char *t = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(s->resources[i].obj, "type"));
        char *lt = sb_lower(t ? t : "");
        size_t j = 0;
        while (j < n && strcmp(types[j], lt) < 0)
            j++;
        if (j < n && strcmp(types[j], lt) == 0) {
            counts[j]++;
            free(lt);
            continue;
        }
        size_t old = cap;
        sb_grow((void **)&types, &cap, n + 1, sizeof *types);
        counts = sb_xrealloc(counts, cap * sizeof *counts);
        (void)old;
        memmove(&types[j + 1], &types[j], (n - j) * sizeof *types);
        memmove(&counts[j + 1], &counts[j], (n - j) * sizeof *counts);
        types[j] = lt;
        counts[j] = 1;
        n++;
    }
    cJSON *o = cJSON_CreateObject();
    for (size_t i = 0; i < n; i++) {
        cJSON_AddNumberToObject(o, types[i], (double)counts[i]);
        free(types[i]);
    }
    free(types);
    free(counts);
    return o;
}

cJSON *snapshot_to_json(struct snapshot *s)
{
    sort_and_dedup(s);
    cJSON *root = cJSON_CreateObject();
    cJSON_AddStringToObject(root, "format", "mcsb-audit-snapshot");
    cJSON_AddNumberToObject(root, "formatVersion", 1);
    cJSON *tool = cJSON_AddObjectToObject(root, "tool");
    cJSON_AddStringToObject(tool, "name", "mcsb-audit");
    cJSON_AddStringToObject(tool, "version", SB_VERSION);

    cJSON *col = cJSON_AddObjectToObject(root, "collection");
    char t0[32], t1[32];
    sb_iso8601(s->started, t0);
    sb_iso8601(s->finished, t1);
    cJSON_AddStringToObject(col, "startedAt", t0);
    cJSON_AddStringToObject(col, "finishedAt", t1);
    cJSON_AddNumberToObject(col, "durationMs", (double)s->duration_ms);
    add_opt_string(col, "cloud", s->cloud);
    add_opt_string(col, "armEndpoint", s->arm_endpoint);
    add_opt_string(col, "authorityHost", s->authority_host);
    add_opt_string(col, "tenantId", s->tenant_id);
    cJSON *who = cJSON_AddObjectToObject(col, "identity");
    add_opt_string(who, "method", s->identity_method);
    add_opt_string(who, "tenantId", s->tenant_id);
    add_opt_string(who, "clientId", s->client_id);
    cJSON *scopes = cJSON_AddObjectToObject(col, "scopes");
    cJSON_AddItemToObject(scopes, "subscriptions", string_array(s->scope_subscriptions, s->n_scope_subscriptions));
    cJSON_AddItemToObject(scopes, "managementGroups",
                          string_array(s->scope_management_groups, s->n_scope_management_groups));
    cJSON *api = cJSON_AddObjectToObject(col, "apiVersions");
    cJSON_AddStringToObject(api, "Microsoft.Network", SNAP_API_NETWORK);
    cJSON_AddStringToObject(api, "Microsoft.Insights/diagnosticSettings", SNAP_API_DIAGNOSTICS);
    cJSON_AddStringToObject(api, "Microsoft.ResourceGraph", SNAP_API_RESOURCE_GRAPH);
    cJSON_AddStringToObject(api, "subscriptions", SNAP_API_SUBSCRIPTIONS);
    cJSON_AddItemToObject(col, "queries", string_array(s->queries, s->n_queries));
    cJSON_AddItemToObject(col, "countsByType", counts_by_type(s));
    cJSON_AddBoolToObject(col, "complete", s->n_gaps == 0);

    cJSON *subs = cJSON_AddArrayToObject(root, "subscriptions");
    for (size_t i = 0; i < s->n_subscriptions; i++) {
        const struct snap_subscription *u = &s->subscriptions[i];
        cJSON *o = cJSON_CreateObject();
        cJSON_AddStringToObject(o, "subscriptionId", u->id);
        add_opt_string(o, "displayName", u->display_name);
        add_opt_string(o, "state", u->state);
        add_opt_string(o, "tenantId", u->tenant_id);
        cJSON_AddItemToArray(subs, o);
    }
    cJSON *res = cJSON_AddArrayToObject(root, "resources");
    for (size_t i = 0; i < s->n_resources; i++) {
        snapshot_strip_secrets(s->resources[i].obj);
        cJSON_AddItemReferenceToArray(res, s->resources[i].obj);
    }
    cJSON *got = cJSON_AddArrayToObject(root, "collected");
    for (size_t i = 0; i < s->n_collected; i++) {
        cJSON *o = cJSON_CreateObject();
        cJSON_AddStringToObject(o, "resourceId", s->collected[i].resource_id);
        cJSON_AddStringToObject(o, "collection", s->collected[i].collection);
        cJSON_AddNumberToObject(o, "count", (double)s->collected[i].count);
        cJSON_AddItemToArray(got, o);
    }
    cJSON *gaps = cJSON_AddArrayToObject(root, "gaps");
    for (size_t i = 0; i < s->n_gaps; i++) {
        const struct snap_gap *g = &s->gaps[i];
        cJSON *o = cJSON_CreateObject();
        cJSON_AddStringToObject(o, "scope", g->scope);
        cJSON_AddStringToObject(o, "collection", g->collection);
        cJSON_AddStringToObject(o, "request", g->request);
        cJSON_AddNumberToObject(o, "httpStatus", (double)g->http_status);
        cJSON_AddStringToObject(o, "errorCode", g->error_code);
        cJSON_AddStringToObject(o, "message", g->message);
        cJSON_AddItemToArray(gaps, o);
    }
    return root;
}

int snapshot_write(struct snapshot *s, const char *path, struct sb_err *e)
{
    cJSON *doc = snapshot_to_json(s);
    char *text = cJSON_Print(doc);
    cJSON_Delete(doc);
    if (!text)
        return sb_err_set(e, SB_EXIT_OUTPUT, "%s: cannot serialise the snapshot", path);
    size_t n = strlen(text);
    char *withnl = sb_xmalloc(n + 2);
    memcpy(withnl, text, n);
    withnl[n] = '\n';
    withnl[n + 1] = '\0';
    cJSON_free(text);
    int rc = sb_write_file_atomic(path, withnl, n + 1, e);
    free(withnl);
    return rc;
}
