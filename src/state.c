#include "state.h"

#include "err.h"
#include "input_hints.h"
#include "json_parse.h"
#include "state_index.h"
#include "state_paging.h"
#include "util.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* Properties that carry credentials: removed at ingestion so no output can ever show them. */
static const char *const secret_keys[] = {
    "serviceKey", "authorizationKey", "sharedKey", "primaryKey", "secondaryKey",
    "primaryConnectionString", "secondaryConnectionString", "clientSecret", "password",
    "access_token", "accessToken", "refresh_token",
};

static bool is_secret_key(const char *k)
{
    for (size_t i = 0; i < sizeof secret_keys / sizeof *secret_keys; i++)
        if (strcasecmp(k, secret_keys[i]) == 0)
            return true;
    return false;
}

static void scrub_secrets(cJSON *node)
{
    if (!cJSON_IsObject(node) && !cJSON_IsArray(node))
        return;
    cJSON *it = node->child;
    while (it) {
        cJSON *next = it->next;
        if (cJSON_IsObject(node) && it->string && is_secret_key(it->string))
            cJSON_Delete(cJSON_DetachItemViaPointer(node, it));
        else
            scrub_secrets(it);
        it = next;
    }
}

struct sb_state *state_new(void)
{
    struct sb_state *st = sb_xcalloc(1, sizeof *st);
    st->index = index_new();
    return st;
}

static bool json_is_fragment(const struct sb_resource *r)
{
    for (size_t i = 0; i < r->nfrags; i++)
        if (r->frags[i].json == r->json)
            return true;
    return false;
}

static void free_resource(struct sb_resource *r)
{
    if (!json_is_fragment(r))
        cJSON_Delete(r->json);
    for (size_t i = 0; i < r->nfrags; i++)
        cJSON_Delete(r->frags[i].json);
    free(r->frags);
    free(r->id);
    free(r->id_lc);
    free(r->type);
    free(r->type_lc);
    free(r->name);
    free(r->subscription_id);
    free(r->resource_group);
    free(r->diagnostic_settings);
    free(r->gaps);
    free(r);
}

void state_free(struct sb_state *st)
{
    if (!st)
        return;
    for (size_t i = 0; i < st->nresources; i++)
        free_resource(st->resources[i]);
    free(st->resources);
    index_free(st->index);
    for (size_t i = 0; i < st->npending; i++)
        free(st->pending[i].id_lc);
    free(st->pending);
    for (size_t i = 0; i < st->ninputs; i++) {
        free(st->inputs[i].name);
        free(st->inputs[i].kind);
    }
    free(st->inputs);
    for (size_t i = 0; i < st->ngaps; i++) {
        free(st->gaps[i].scope);
        free(st->gaps[i].collection);
        free(st->gaps[i].request);
        free(st->gaps[i].error_code);
        free(st->gaps[i].message);
    }
    free(st->gaps);
    for (size_t i = 0; i < st->nsubscriptions; i++) {
        free(st->subscriptions[i].id);
        free(st->subscriptions[i].name);
    }
    free(st->subscriptions);
    for (size_t i = 0; i < st->ntenants; i++)
        free(st->tenants[i]);
    free(st->tenants);
    free(st->collection_started);
    free(st->collection_finished);
    free(st->cloud);
    state_meta_free(st->meta);
    free(st);
}

/* The ARM type implied by an id, e.g. ".../providers/Microsoft.Network/virtualNetworks/v/subnets/s"
 * -> "Microsoft.Network/virtualNetworks/subnets". Caller frees; NULL when the id has no provider part. */
static char *type_from_id(const char *id)
{
    const char *prov = sb_id_last_providers(id);
    if (!prov)
        return NULL;
    struct sb_buf b = {0};
    int n = 0;
    for (const char *p = prov + 11; *p;) {
        size_t l = strcspn(p, "/");
        n++;
        if (n == 1 || n % 2 == 0) {
            if (b.len)
                sb_buf_putc(&b, '/');
            sb_buf_add(&b, p, l);
        }
        p += l;
        if (*p == '/')
            p++;
    }
    if (n < 3) {
        sb_buf_free(&b);
        return NULL;
    }
    return sb_buf_take(&b);
}

static int check_member_type(const cJSON *obj, const char *key, const char *where, const char *name,
                             bool want_object, struct sb_err *e)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, key);
    if (!v || cJSON_IsNull(v))
        return 0;
    if (want_object ? cJSON_IsObject(v) : cJSON_IsString(v))
        return 0;
    return sb_err_set(e, SB_EXIT_INPUT, "%s: %s.%s: expected %s", name, where, key,
                      want_object ? "an object" : "a string");
}

/* Take ownership of `obj` (a resource object) and merge it into the state. */
static int add_resource(struct sb_state *st, cJSON *obj, const char *source, const char *where,
                        struct sb_err *e)
{
    if (!cJSON_IsObject(obj)) {
        cJSON_Delete(obj);
        return sb_err_set(e, SB_EXIT_INPUT, "%s: %s: expected a resource object", source, where);
    }
    const cJSON *idv = cJSON_GetObjectItemCaseSensitive(obj, "id");
    if (!cJSON_IsString(idv) || sb_empty(idv->valuestring)) {
        cJSON_Delete(obj);
        return sb_err_set(e, SB_EXIT_INPUT, "%s: %s: resource has no \"id\" string", source, where);
    }
    if (idv->valuestring[0] != '/') {
        cJSON_Delete(obj);
        return sb_err_set(e, SB_EXIT_INPUT, "%s: %s.id: not an Azure resource id (must start with '/')", source,
                          where);
    }
    if (check_member_type(obj, "type", where, source, false, e) || check_member_type(obj, "name", where, source, false, e) ||
        check_member_type(obj, "properties", where, source, true, e) ||
        check_member_type(obj, "identity", where, source, true, e)) {
        cJSON_Delete(obj);
        return -1;
    }
    scrub_secrets(obj);

    /* The type decides the az CLI normalisation, so it is known before anything is merged. */
    const char *tv = sb_json_str(obj, "type");
    char *type = tv ? sb_xstrdup(tv) : type_from_id(idv->valuestring);
    char *type_lc = type ? sb_lower(type) : NULL;
    bool az = state_normalise_shape(obj, type_lc);
    st->loading_az_cli |= az;

    char *id_lc = sb_lower(idv->valuestring);
    /* A trailing '/' is not part of an id. */
    size_t idlen = strlen(id_lc);
    for (; idlen > 1 && id_lc[idlen - 1] == '/'; idlen--)
        id_lc[idlen - 1] = '\0';
    struct sb_resource *r = index_get(st->index, id_lc);
    if (r) {
        free(id_lc);
        /* Every property below is chosen the same way whatever the input order: the spelling that sorts first. */
        if (strncmp(idv->valuestring, r->id, idlen) < 0) {
            free(r->id);
            r->id = sb_xstrndup(idv->valuestring, idlen);
        }
        if (type && (!r->type || strcmp(type, r->type) < 0)) {
            free(r->type);
            free(r->type_lc);
            r->type = type;
            r->type_lc = type_lc;
            type = type_lc = NULL;
        }
    } else {
        r = sb_xcalloc(1, sizeof *r);
        r->id = sb_xstrndup(idv->valuestring, idlen);
        r->id_lc = id_lc;
        r->json = obj;
        r->source = source;
        r->type = type;
        r->type_lc = type_lc;
        type = type_lc = NULL;
        sb_id_parts(r->id, &r->subscription_id, &r->resource_group, &r->name);
        void *arr = st->resources;
        sb_grow(&arr, &st->cap_resources, st->nresources + 1, sizeof *st->resources);
        st->resources = arr;
        st->resources[st->nresources++] = r;
        index_put(st->index, r);
    }
    free(type);
    free(type_lc);
    r->frags = sb_xrealloc(r->frags, (r->nfrags + 1) * sizeof *r->frags);
    r->frags[r->nfrags++] = (struct sb_fragment){.json = obj,
                                                 .input = st->ninputs - 1,
                                                 .seq = st->loading_seq++,
                                                 .complete = st->loading_origin != SB_ORIGIN_RESOURCE_GRAPH,
                                                 .az_cli = az};
    r->origins |= st->loading_origin | (az ? SB_ORIGIN_AZ_CLI : 0);
    const char *nm = sb_json_str(obj, "name");
    if (nm && (!r->name_from_input || strcmp(nm, r->name) < 0)) {
        free(r->name);
        r->name = sb_xstrdup(nm);
        r->name_from_input = true;
    }
    const char *tenant = sb_json_str(obj, "tenantId");
    if (tenant) {
        bool seen = false;
        for (size_t i = 0; i < st->ntenants; i++)
            seen |= sb_ieq(st->tenants[i], tenant);
        if (!seen) {
            void *arr = st->tenants;
            sb_grow(&arr, &st->cap_tenants, st->ntenants + 1, sizeof *st->tenants);
            st->tenants = arr;
            st->tenants[st->ntenants++] = sb_lower(tenant);
        }
    }
    return 0;
}

static int add_resource_array(struct sb_state *st, cJSON *arr, const char *source, const char *label,
                              struct sb_err *e)
{
    if (!cJSON_IsArray(arr))
        return sb_err_set(e, SB_EXIT_INPUT, "%s: %s: expected an array of resources", source, label);
    int i = 0;
    while (arr->child) {
        cJSON *item = cJSON_DetachItemViaPointer(arr, arr->child);
        char where[64];
        snprintf(where, sizeof where, "%s[%d]", label, i++);
        if (add_resource(st, item, source, where, e) != 0)
            return -1;
    }
    return 0;
}

/* Resource Graph "table" result format: {columns:[{name,type}], rows:[[...]]} -> row objects. */
static int table_to_objects(cJSON **out, const cJSON *table, const char *source, struct sb_err *e)
{
    const cJSON *cols = cJSON_GetObjectItemCaseSensitive(table, "columns");
    const cJSON *rows = cJSON_GetObjectItemCaseSensitive(table, "rows");
    if (!cJSON_IsArray(cols) || !cJSON_IsArray(rows))
        return sb_err_set(e, SB_EXIT_INPUT, "%s: data: expected an array of rows or {columns, rows}", source);
    cJSON *arr = cJSON_CreateArray();
    const cJSON *row;
    int ri = 0;
    cJSON_ArrayForEach(row, rows)
    {
        if (!cJSON_IsArray(row) || cJSON_GetArraySize(row) != cJSON_GetArraySize(cols)) {
            cJSON_Delete(arr);
            return sb_err_set(e, SB_EXIT_INPUT, "%s: data.rows[%d]: row does not match the columns", source, ri);
        }
        cJSON *obj = cJSON_CreateObject();
        const cJSON *col = cols->child, *cell = row->child;
        for (; col && cell; col = col->next, cell = cell->next) {
            const char *cname = sb_json_str(col, "name");
            if (!cname) {
                cJSON_Delete(obj);
                cJSON_Delete(arr);
                return sb_err_set(e, SB_EXIT_INPUT, "%s: data.columns: column without a name", source);
            }
            cJSON_AddItemToObject(obj, cname, cJSON_Duplicate(cell, 1));
        }
        cJSON_AddItemToArray(arr, obj);
        ri++;
    }
    *out = arr;
    return 0;
}

static void add_input(struct sb_state *st, const char *name, const char *kind, size_t size, const char *sha)
{
    void *arr = st->inputs;
    sb_grow(&arr, &st->cap_inputs, st->ninputs + 1, sizeof *st->inputs);
    st->inputs = arr;
    struct sb_state_input *in = &st->inputs[st->ninputs++];
    in->name = sb_xstrdup(name);
    in->kind = sb_xstrdup(kind);
    in->size = size;
    memcpy(in->sha256, sha, 65);
}

static char *dup_json_str(const cJSON *obj, const char *key)
{
    const char *s = sb_json_str(obj, key);
    return s ? sb_xstrdup(s) : NULL;
}

/* Appended as seen; state_finalize sorts and merges duplicates (thousands of subscriptions are common). */
static void add_subscription(struct sb_state *st, const char *id, const char *name)
{
    void *arr = st->subscriptions;
    sb_grow(&arr, &st->cap_subscriptions, st->nsubscriptions + 1, sizeof *st->subscriptions);
    st->subscriptions = arr;
    st->subscriptions[st->nsubscriptions].id = sb_lower(id);
    st->subscriptions[st->nsubscriptions].name = sb_xstrdup(name);
    st->nsubscriptions++;
}

static void add_tenant(struct sb_state *st, const char *t)
{
    if (!t)
        return;
    for (size_t i = 0; i < st->ntenants; i++)
        if (sb_ieq(st->tenants[i], t))
            return;
    void *arr = st->tenants;
    sb_grow(&arr, &st->cap_tenants, st->ntenants + 1, sizeof *st->tenants);
    st->tenants = arr;
    st->tenants[st->ntenants++] = sb_lower(t);
}

static int load_snapshot_meta(struct sb_state *st, const cJSON *root, const char *name, struct sb_err *e)
{
    const cJSON *ver = cJSON_GetObjectItemCaseSensitive(root, "formatVersion");
    if (!cJSON_IsNumber(ver) || ver->valuedouble != 1)
        return sb_err_set(e, SB_EXIT_INPUT, "%s: formatVersion: expected 1 (this tool reads snapshot format 1)",
                          name);
    const cJSON *col = cJSON_GetObjectItemCaseSensitive(root, "collection");
    if (col && !cJSON_IsNull(col) && !cJSON_IsObject(col))
        return sb_err_set(e, SB_EXIT_INPUT, "%s: collection: expected an object", name);
    const char *started = sb_json_str(col, "startedAt");
    const char *finished = sb_json_str(col, "finishedAt");
    if (started && (!st->collection_started || strcmp(started, st->collection_started) < 0)) {
        free(st->collection_started);
        st->collection_started = sb_xstrdup(started);
    }
    if (finished && (!st->collection_finished || strcmp(finished, st->collection_finished) > 0)) {
        free(st->collection_finished);
        st->collection_finished = sb_xstrdup(finished);
    }
    const char *cloud = sb_json_str(col, "cloud");
    if (cloud && (!st->cloud || strcmp(cloud, st->cloud) < 0)) { /* the same whatever the input order */
        free(st->cloud);
        st->cloud = sb_xstrdup(cloud);
    }
    add_tenant(st, sb_json_str(col, "tenantId"));

    const cJSON *subs = cJSON_GetObjectItemCaseSensitive(root, "subscriptions");
    if (subs && !cJSON_IsNull(subs) && !cJSON_IsArray(subs))
        return sb_err_set(e, SB_EXIT_INPUT, "%s: subscriptions: expected an array", name);
    const cJSON *s;
    int i = 0;
    cJSON_ArrayForEach(s, subs)
    {
        const char *sid = sb_json_str(s, "subscriptionId");
        if (!sid)
            return sb_err_set(e, SB_EXIT_INPUT, "%s: subscriptions[%d].subscriptionId: expected a string", name, i);
        add_subscription(st, sid, sb_json_str(s, "displayName"));
        add_tenant(st, sb_json_str(s, "tenantId"));
        i++;
    }

    const cJSON *collected = cJSON_GetObjectItemCaseSensitive(root, "collected");
    if (collected && !cJSON_IsNull(collected) && !cJSON_IsArray(collected))
        return sb_err_set(e, SB_EXIT_INPUT, "%s: collected: expected an array", name);
    i = 0;
    cJSON_ArrayForEach(s, collected)
    {
        const char *rid = sb_json_str(s, "resourceId");
        const char *what = sb_json_str(s, "collection");
        if (!rid || !what)
            return sb_err_set(e, SB_EXIT_INPUT, "%s: collected[%d]: expected resourceId and collection strings",
                              name, i);
        unsigned bits = strcasecmp(what, "diagnosticSettings") == 0 ? SB_COLLECTED_DIAGNOSTIC_SETTINGS : 0;
        if (bits) {
            void *arr = st->pending;
            sb_grow(&arr, &st->cap_pending, st->npending + 1, sizeof *st->pending);
            st->pending = arr;
            st->pending[st->npending].id_lc = sb_lower(rid);
            st->pending[st->npending].bits = bits;
            st->npending++;
        }
        i++;
    }

    const cJSON *gaps = cJSON_GetObjectItemCaseSensitive(root, "gaps");
    if (gaps && !cJSON_IsNull(gaps) && !cJSON_IsArray(gaps))
        return sb_err_set(e, SB_EXIT_INPUT, "%s: gaps: expected an array", name);
    i = 0;
    cJSON_ArrayForEach(s, gaps)
    {
        const char *scope = sb_json_str(s, "scope");
        if (!cJSON_IsObject(s) || !scope)
            return sb_err_set(e, SB_EXIT_INPUT, "%s: gaps[%d].scope: expected a string", name, i);
        const cJSON *hs = cJSON_GetObjectItemCaseSensitive(s, "httpStatus");
        if (hs && !cJSON_IsNull(hs) && !cJSON_IsNumber(hs))
            return sb_err_set(e, SB_EXIT_INPUT, "%s: gaps[%d].httpStatus: expected a number", name, i);
        void *arr = st->gaps;
        sb_grow(&arr, &st->cap_gaps, st->ngaps + 1, sizeof *st->gaps);
        st->gaps = arr;
        struct sb_gap *g = &st->gaps[st->ngaps++];
        memset(g, 0, sizeof *g);
        g->scope = sb_xstrdup(scope);
        g->collection = dup_json_str(s, "collection");
        g->request = dup_json_str(s, "request");
        g->http_status = cJSON_IsNumber(hs) ? (int)hs->valuedouble : 0;
        g->error_code = dup_json_str(s, "errorCode");
        g->message = dup_json_str(s, "message");
        i++;
    }
    return 0;
}

int state_load_buffer(struct sb_state *st, const char *name, const char *buf, size_t len, struct sb_err *e)
{
    cJSON *root = NULL;
    if (sb_json_parse(&root, buf, len, name, e) != 0)
        return -1;
    char sha[65];
    sb_sha256_hex(buf, len, sha);
    /* The input's name outlives the parse: resources point at it as their source. */
    add_input(st, name, "unknown", len, sha);
    struct sb_state_input *in = &st->inputs[st->ninputs - 1];
    const char *src = in->name;
    st->loading_seq = 0;
    st->loading_az_cli = false;
    const char *kind;
    int rc;
    if (cJSON_IsArray(root)) {
        kind = "arm-array";
        st->loading_origin = SB_ORIGIN_ARM;
        rc = add_resource_array(st, root, src, "", e);
    } else if (!cJSON_IsObject(root)) {
        kind = NULL;
        rc = sb_err_set(e, SB_EXIT_INPUT, "%s: expected a JSON object or array at the top level", name);
    } else if (sb_json_str(root, "format") && strcmp(sb_json_str(root, "format"), "mcsb-audit-snapshot") == 0) {
        kind = "snapshot";
        st->loading_origin = SB_ORIGIN_SNAPSHOT;
        rc = load_snapshot_meta(st, root, src, e);
        cJSON *res = cJSON_GetObjectItemCaseSensitive(root, "resources");
        if (rc == 0 && !res)
            rc = sb_err_set(e, SB_EXIT_INPUT, "%s: resources: missing (a snapshot must list its resources)", name);
        if (rc == 0)
            rc = add_resource_array(st, res, src, "resources", e);
    } else if (cJSON_GetObjectItemCaseSensitive(root, "data")) {
        kind = "resource-graph";
        st->loading_origin = SB_ORIGIN_RESOURCE_GRAPH;
        cJSON *data = cJSON_GetObjectItemCaseSensitive(root, "data");
        if (cJSON_IsObject(data)) {
            cJSON *rows = NULL;
            rc = table_to_objects(&rows, data, src, e);
            if (rc == 0) {
                rc = add_resource_array(st, rows, src, "data", e);
                cJSON_Delete(rows);
            }
        } else {
            rc = add_resource_array(st, data, src, "data", e);
        }
    } else if (cJSON_GetObjectItemCaseSensitive(root, "value")) {
        kind = "arm-list";
        st->loading_origin = SB_ORIGIN_ARM;
        rc = add_resource_array(st, cJSON_GetObjectItemCaseSensitive(root, "value"), src, "value", e);
    } else if (cJSON_GetObjectItemCaseSensitive(root, "id")) {
        kind = "arm-resource";
        st->loading_origin = SB_ORIGIN_ARM;
        cJSON *obj = root;
        root = NULL;
        rc = add_resource(st, obj, src, "(resource)", e);
    } else if (cJSON_GetObjectItemCaseSensitive(root, "error")) {
        kind = NULL;
        const char *code = sb_json_str(root, "error.code");
        rc = sb_err_set(e, SB_EXIT_INPUT, "%s: is an Azure error response (%s), not resource state", name,
                        code ? code : "no code");
    } else {
        kind = NULL;
        rc = sb_err_set(e, SB_EXIT_INPUT,
                        "%s: not a recognised input: expected an ARM resource, an ARM list {\"value\":[...]}, "
                        "an array of resources, a Resource Graph response {\"data\":[...]} or an mcsb-audit snapshot",
                        name);
    }
    if (rc == 0)
        state_paging_note(st, root, src, kind); /* paged or truncated inputs become gaps */
    cJSON_Delete(root);
    /* az CLI output is recognised per resource; the input is named by the shape it held. */
    if (kind && st->loading_az_cli && strncmp(kind, "arm-", 4) == 0)
        kind = "az-cli";
    if (kind) {
        free(in->kind);
        in->kind = sb_xstrdup(kind);
    }
    return rc;
}

int state_load_file(struct sb_state *st, const char *path, struct sb_err *e)
{
    char *buf;
    size_t len;
    if (sb_read_file(&buf, &len, path, SB_MAX_INPUT_BYTES, e) != 0)
        return -1;
    int rc = state_load_buffer(st, path, buf, len, e);
    if (rc != 0)
        input_hint_add(e, buf, len);
    free(buf);
    return rc;
}
