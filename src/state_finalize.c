/* After every input is read: link children to parents, apply snapshot records, sort. */
#include "state.h"

#include "err.h"
#include "state_index.h"
#include "state_paging.h"
#include "util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static bool is_diag_setting(const struct sb_resource *r)
{
    return r->type_lc && strcmp(r->type_lc, "microsoft.insights/diagnosticsettings") == 0;
}

static void append_ptr(const void ***arr, size_t *n, const void *p)
{
    *arr = sb_xrealloc(*arr, (*n + 1) * sizeof **arr);
    (*arr)[(*n)++] = p;
}

/* The child-type segment of a nested id: ".../virtualNetworks/v/subnets/s" -> "subnets". */
static char *child_segment(const char *id_lc, const char *parent_lc)
{
    const char *rest = id_lc + strlen(parent_lc);
    if (*rest != '/')
        return NULL;
    rest++;
    size_t l = strcspn(rest, "/");
    return l ? sb_xstrndup(rest, l) : NULL;
}

/* Children given as separate resources are folded into the parent's properties.<collection>[],
 * replacing (merging into) the inline copy with the same id, so rules read one place. */
static bool any_complete(const struct sb_resource *r)
{
    for (size_t i = 0; i < r->nfrags; i++)
        if (r->frags[i].complete)
            return true;
    return false;
}

static void fold_into_parent(struct sb_resource *parent, const struct sb_resource *child)
{
    char *seg = child_segment(child->id_lc, parent->id_lc);
    if (!seg)
        return;
    /* The fragments stay what each input said; folding works on a private merged copy. */
    for (size_t i = 0; i < parent->nfrags; i++)
        if (parent->frags[i].json == parent->json) {
            parent->json = cJSON_Duplicate(parent->json, 1);
            if (!parent->json) {
                fputs("mcsb-audit: out of memory\n", stderr);
                exit(SB_EXIT_OUTPUT);
            }
            break;
        }
    cJSON *props = cJSON_GetObjectItemCaseSensitive(parent->json, "properties");
    if (!cJSON_IsObject(props)) {
        if (props)
            cJSON_DeleteItemFromObjectCaseSensitive(parent->json, "properties");
        props = cJSON_AddObjectToObject(parent->json, "properties");
    }
    /* ARM names a VPN gateway's vpnConnections children properties.connections[]. */
    if (strcasecmp(seg, "vpnconnections") == 0) {
        free(seg);
        seg = sb_xstrdup("connections");
    }
    cJSON *arr = NULL;
    cJSON *it;
    cJSON_ArrayForEach(it, props)
    {
        if (it->string && strcasecmp(it->string, seg) == 0) {
            arr = it;
            break;
        }
    }
    if (!cJSON_IsArray(arr)) {
        /* Use the ARM spelling of the collection name where we know it. */
        static const char *const names[] = {"subnets", "links", "peerings", "authorizations",
                                            "expressRouteConnections", "virtualNetworkPeerings",
                                            "ipConfigurations", "routes", "securityRules",
                                            "hubVirtualNetworkConnections", "vpnLinkConnections"};
        const char *key = seg;
        for (size_t i = 0; i < sizeof names / sizeof *names; i++)
            if (strcasecmp(names[i], seg) == 0)
                key = names[i];
        if (arr)
            cJSON_DeleteItemFromObjectCaseSensitive(props, arr->string);
        arr = cJSON_AddArrayToObject(props, key);
    }
    cJSON_ArrayForEach(it, arr)
    {
        const char *eid = sb_json_str(it, "id");
        if (eid && sb_ieq(eid, child->id)) {
            state_merge(it, child->json, any_complete(parent), any_complete(child));
            free(seg);
            return;
        }
    }
    cJSON_AddItemToArray(arr, cJSON_Duplicate(child->json, 1));
    free(seg);
}

static int cmp_resource(const void *a, const void *b)
{
    const struct sb_resource *x = *(const struct sb_resource *const *)a;
    const struct sb_resource *y = *(const struct sb_resource *const *)b;
    return strcmp(x->id_lc, y->id_lc);
}

/* Sort by id, then keep one entry per id with the first display name any input gave. */
static int cmp_sub_named_first(const void *a, const void *b)
{
    const struct sb_subscription *x = a, *y = b;
    int c = strcmp(x->id, y->id);
    if (c)
        return c;
    if (!x->name != !y->name)
        return x->name ? -1 : 1;
    return x->name ? strcmp(x->name, y->name) : 0;
}

static void merge_subscriptions(struct sb_state *st)
{
    sb_sort(st->subscriptions, st->nsubscriptions, sizeof *st->subscriptions, cmp_sub_named_first);
    size_t k = 0;
    for (size_t i = 0; i < st->nsubscriptions; i++) {
        if (k && strcmp(st->subscriptions[k - 1].id, st->subscriptions[i].id) == 0) {
            free(st->subscriptions[i].id);
            free(st->subscriptions[i].name);
            continue;
        }
        st->subscriptions[k++] = st->subscriptions[i];
    }
    st->nsubscriptions = k;
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static int cmp_gap(const void *a, const void *b)
{
    const struct sb_gap *x = a, *y = b;
    int c = strcasecmp(x->scope, y->scope);
    if (c)
        return c;
    c = strcmp(x->collection ? x->collection : "", y->collection ? y->collection : "");
    if (c)
        return c;
    return strcmp(x->request ? x->request : "", y->request ? y->request : "");
}

/* Inputs are listed by name (then content), so the report is the same whatever the order of --input options. */
static int cmp_input(const void *a, const void *b)
{
    const struct sb_state_input *x = a, *y = b;
    int c = strcmp(x->name, y->name);
    return c ? c : strcmp(x->sha256, y->sha256);
}

static void sort_inputs(struct sb_state *st)
{
    size_t n = st->ninputs;
    /* Remember each input by its name pointer, which sorting does not change, to renumber the fragments. */
    char **before = sb_xcalloc(n ? n : 1, sizeof *before);
    for (size_t i = 0; i < n; i++)
        before[i] = st->inputs[i].name;
    sb_sort(st->inputs, n, sizeof *st->inputs, cmp_input);
    size_t *map = sb_xcalloc(n ? n : 1, sizeof *map);
    for (size_t i = 0; i < n; i++)
        for (size_t k = 0; k < n; k++)
            if (st->inputs[k].name == before[i])
                map[i] = k;
    for (size_t i = 0; i < st->nresources; i++) {
        struct sb_resource *r = st->resources[i];
        for (size_t k = 0; k < r->nfrags; k++) {
            r->frags[k].input = map[r->frags[k].input];
            r->frags[k].src_name = st->inputs[r->frags[k].input].name;
            r->frags[k].src_kind = st->inputs[r->frags[k].input].kind;
            r->frags[k].src_sha = NULL;
        }
        r->source = r->nfrags ? r->frags[0].src_name : r->source;
    }
    /* The per-input evidence times follow their inputs too (else the cover names the wrong file,
     * and the report depends on the order of --input). */
    struct sb_state_meta *m = st->meta;
    if (m && m->as_of && m->nas_of == n) {
        char **as_of = sb_xcalloc(n ? n : 1, sizeof *as_of);
        for (size_t i = 0; i < n; i++)
            as_of[map[i]] = m->as_of[i];
        memcpy(m->as_of, as_of, n * sizeof *as_of);
        free(as_of);
    }
    free(map);
    free(before);
}

int state_finalize(struct sb_state *st, struct sb_err *e)
{
    (void)e;
    if (st->finalized)
        return 0;
    st->finalized = true;
    for (size_t i = 0; i < st->nresources; i++)
        state_merge_fragments(st, st->resources[i]);
    /* Sorting first makes folding order, and so merged arrays, independent of input order. */
    sb_sort(st->resources, st->nresources, sizeof *st->resources, cmp_resource);
    sb_sort(st->gaps, st->ngaps, sizeof *st->gaps, cmp_gap);

    for (size_t i = 0; i < st->npending; i++) {
        struct sb_resource *r = index_get(st->index, st->pending[i].id_lc);
        if (r)
            r->collected |= st->pending[i].bits;
    }
    for (size_t i = 0; i < st->nresources; i++) {
        struct sb_resource *r = st->resources[i];
        char *pid = sb_id_parent(r->id);
        if (!pid)
            continue;
        char *pid_lc = sb_lower(pid);
        free(pid);
        struct sb_resource *p = index_get(st->index, pid_lc);
        free(pid_lc);
        if (!p)
            continue;
        r->parent = p;
        if (is_diag_setting(r)) {
            append_ptr((const void ***)&p->diagnostic_settings, &p->ndiagnostic_settings, r);
            /* A setting present proves the parent's settings were read. */
            p->collected |= SB_COLLECTED_DIAGNOSTIC_SETTINGS;
        }
    }
    /* Deepest first (a child sorts after its parent): a link connection reaches its connection before the
     * connection is folded into its gateway. */
    for (size_t i = st->nresources; i-- > 0;) {
        struct sb_resource *r = st->resources[i];
        if (r->parent && !is_diag_setting(r))
            fold_into_parent((struct sb_resource *)r->parent, r);
    }
    for (size_t i = 0; i < st->ngaps; i++) {
        char *lc = sb_lower(st->gaps[i].scope);
        struct sb_resource *r = index_get(st->index, lc);
        free(lc);
        if (r)
            append_ptr((const void ***)&r->gaps, &r->ngaps, &st->gaps[i]);
    }
    for (size_t i = 0; i < st->nresources; i++)
        if (st->resources[i]->subscription_id) {
            void *arr = st->subscriptions;
            sb_grow(&arr, &st->cap_subscriptions, st->nsubscriptions + 1, sizeof *st->subscriptions);
            st->subscriptions = arr;
            st->subscriptions[st->nsubscriptions].id = sb_lower(st->resources[i]->subscription_id);
            st->subscriptions[st->nsubscriptions].name = NULL;
            st->nsubscriptions++;
        }
    merge_subscriptions(st);
    sb_sort(st->tenants, st->ntenants, sizeof *st->tenants, cmp_str);
    sort_inputs(st);
    return 0;
}

const struct sb_resource *state_get(const struct sb_state *st, const char *id)
{
    if (sb_empty(id))
        return NULL;
    char *lc = sb_lower(id);
    for (size_t l = strlen(lc); l > 1 && lc[l - 1] == '/'; l--)
        lc[l - 1] = '\0';
    const struct sb_resource *r = index_get(st->index, lc);
    free(lc);
    return r;
}

size_t state_list_type(const struct sb_state *st, const char *type, const struct sb_resource ***out)
{
    size_t n = 0, cap = 0;
    void *arr = NULL;
    for (size_t i = 0; i < st->nresources; i++)
        if (st->resources[i]->type_lc && strcasecmp(st->resources[i]->type_lc, type) == 0) {
            sb_grow(&arr, &cap, n + 1, sizeof(struct sb_resource *));
            ((const struct sb_resource **)arr)[n++] = st->resources[i];
        }
    *out = arr;
    return n;
}

const struct sb_gap *state_subscription_gap(const struct sb_state *st, const char *subscription_id)
{
    char *scope = sb_xasprintf("/subscriptions/%s", subscription_id);
    const struct sb_gap *found = NULL;
    for (size_t i = 0; i < st->ngaps && !found; i++)
        if (sb_ieq(st->gaps[i].scope, scope) &&
            (!st->gaps[i].collection || strcasecmp(st->gaps[i].collection, "resources") == 0))
            found = &st->gaps[i];
    free(scope);
    return found;
}
