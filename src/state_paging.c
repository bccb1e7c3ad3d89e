/* Paged and truncated inputs become gaps; snapshots' scope, identity and time are kept for the report. */
#include "state_paging.h"

#include "state.h"
#include "util.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

static struct sb_state_meta *meta_of(struct sb_state *st)
{
    if (!st->meta)
        st->meta = sb_xcalloc(1, sizeof *st->meta);
    return st->meta;
}

static void free_strv(char **v, size_t n)
{
    for (size_t i = 0; i < n; i++)
        free(v[i]);
    free(v);
}

void state_meta_free(struct sb_state_meta *m)
{
    if (!m)
        return;
    free_strv(m->as_of, m->nas_of);
    free_strv(m->listed, m->nlisted);
    free_strv(m->req_subscriptions, m->nreq_subscriptions);
    free_strv(m->req_management_groups, m->nreq_management_groups);
    for (size_t i = 0; i < m->nidentities; i++) {
        free(m->identities[i].method);
        free(m->identities[i].tenant);
        free(m->identities[i].client);
    }
    free(m->identities);
    free(m);
}

/* Append s (copied, lower-cased when asked) unless already present, case-insensitively. */
static void add_unique(char ***v, size_t *n, size_t *cap, const char *s, bool lower)
{
    if (sb_empty(s))
        return;
    for (size_t i = 0; i < *n; i++)
        if (sb_ieq((*v)[i], s))
            return;
    void *arr = *v;
    sb_grow(&arr, cap, *n + 1, sizeof **v);
    *v = arr;
    (*v)[(*n)++] = lower ? sb_lower(s) : sb_xstrdup(s);
}

static void add_gap(struct sb_state *st, char *scope, const char *name, const char *code, char *message)
{
    void *arr = st->gaps;
    sb_grow(&arr, &st->cap_gaps, st->ngaps + 1, sizeof *st->gaps);
    st->gaps = arr;
    struct sb_gap *g = &st->gaps[st->ngaps++];
    memset(g, 0, sizeof *g);
    g->scope = scope;
    g->collection = sb_xstrdup("resources");
    g->request = sb_xasprintf("input %s", name);
    g->error_code = sb_xstrdup(code);
    g->message = message;
}

/* A shell-safe single-quoted copy (a token or link could in principle hold a quote). */
static char *shell_quote(const char *s)
{
    struct sb_buf b = {0};
    sb_buf_putc(&b, '\'');
    for (const char *p = s; *p; p++) {
        if (*p == '\'')
            sb_buf_puts(&b, "'\\''");
        else
            sb_buf_putc(&b, *p);
    }
    sb_buf_putc(&b, '\'');
    return sb_buf_take(&b);
}

/* The scope an ARM list link covers: "/subscriptions/<s>[/resourceGroups/<rg>]", else the whole scope "/". */
static char *link_scope(const char *link)
{
    const char *p = strstr(link, "://");
    p = p ? strchr(p + 3, '/') : link;
    if (!p || !sb_istarts(p, "/subscriptions/"))
        return sb_xstrdup("/");
    size_t len = strcspn(p, "?#");
    const char *prov = NULL;
    for (const char *q = p; q < p + len; q++)
        if (sb_istarts(q, "/providers/")) {
            prov = q;
            break;
        }
    if (prov)
        len = (size_t)(prov - p);
    while (len > 1 && p[len - 1] == '/')
        len--;
    return sb_xstrndup(p, len);
}

/* Present and meaningful: a non-empty string, or any other non-null value. */
static const cJSON *present(const cJSON *root, const char *key)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(root, key);
    if (!v || cJSON_IsNull(v) || (cJSON_IsString(v) && sb_empty(v->valuestring)))
        return NULL;
    return v;
}

static const char *text_of(const cJSON *v)
{
    return cJSON_IsString(v) ? v->valuestring : "(not a string)";
}

static void check_paging(struct sb_state *st, const cJSON *root, const char *name, const char *kind)
{
    const char *base = sb_basename(name);
    const cJSON *next = present(root, "nextLink");
    if (next && strcmp(kind, "arm-list") == 0) {
        char *q = shell_quote(text_of(next));
        add_gap(st, link_scope(text_of(next)), name, "PagedInput",
                sb_xasprintf("%s is one page of a longer ARM list (nextLink is set): the rest is missing. Get it with "
                             "az rest --method get --uri %s (repeat with each answer's nextLink until there is none) "
                             "and give every page with --input, or collect with mcsb-audit collect",
                             base, q));
        free(q);
    }
    if (strcmp(kind, "resource-graph") != 0)
        return;
    /* The REST API answers "$skipToken"; `az graph query` prints "skip_token". */
    static const char *const token_keys[] = {"$skipToken", "skipToken", "skip_token"};
    for (size_t i = 0; i < sizeof token_keys / sizeof *token_keys; i++) {
        const cJSON *tok = present(root, token_keys[i]);
        if (!tok)
            continue;
        char *q = shell_quote(text_of(tok));
        add_gap(st, sb_xstrdup("/"), name, "PagedInput",
                sb_xasprintf("%s is one page of a longer Resource Graph answer (%s is set): the rest is missing. Get "
                             "it with az graph query -q '<the same query>' --first 1000 --skip-token %s (repeat while "
                             "the answer has a skip_token) and give every page with --input, or collect with "
                             "mcsb-audit collect",
                             base, token_keys[i], q));
        free(q);
        break;
    }
    const cJSON *trunc = cJSON_GetObjectItemCaseSensitive(root, "resultTruncated");
    if (cJSON_IsTrue(trunc) || (cJSON_IsString(trunc) && strcasecmp(trunc->valuestring, "true") == 0))
        add_gap(st, sb_xstrdup("/"), name, "ResultTruncated",
                sb_xasprintf("%s: Resource Graph reported resultTruncated: some resources are missing from this "
                             "input. Query again with paging: az graph query -q '<the same query>' --first 1000 "
                             "(follow skip_token), or collect with mcsb-audit collect",
                             base));
}

static void note_strings(char ***v, size_t *n, size_t *cap, const cJSON *arr, bool lower)
{
    const cJSON *it;
    cJSON_ArrayForEach(it, arr)
    {
        if (cJSON_IsString(it))
            add_unique(v, n, cap, it->valuestring, lower);
    }
}

static char *dup_or_null(const char *s)
{
    return sb_empty(s) ? NULL : sb_xstrdup(s);
}

static bool same_opt(const char *a, const char *b)
{
    return (!a && !b) || (a && b && sb_ieq(a, b));
}

static void note_identity(struct sb_state_meta *m, const cJSON *col)
{
    const char *method = sb_json_str(col, "identity.method");
    const char *tenant = sb_json_str(col, "identity.tenantId");
    const char *client = sb_json_str(col, "identity.clientId");
    if (!tenant)
        tenant = sb_json_str(col, "tenantId");
    if (!method && !tenant && !client)
        return;
    for (size_t i = 0; i < m->nidentities; i++)
        if (same_opt(m->identities[i].method, method) && same_opt(m->identities[i].tenant, tenant) &&
            same_opt(m->identities[i].client, client))
            return;
    void *arr = m->identities;
    sb_grow(&arr, &m->cap_identities, m->nidentities + 1, sizeof *m->identities);
    m->identities = arr;
    m->identities[m->nidentities++] =
        (struct sb_state_identity){dup_or_null(method), tenant ? sb_lower(tenant) : NULL, dup_or_null(client)};
}

static void note_snapshot(struct sb_state *st, struct sb_state_meta *m, const cJSON *root, const char *name)
{
    const cJSON *col = cJSON_GetObjectItemCaseSensitive(root, "collection");
    const char *finished = sb_json_str(col, "finishedAt");
    m->as_of[st->ninputs - 1] = dup_or_null(finished);
    m->nsnapshots++;
    const cJSON *subs = sb_json_at(col, "scopes.subscriptions");
    const cJSON *mgs = sb_json_at(col, "scopes.managementGroups");
    note_strings(&m->req_subscriptions, &m->nreq_subscriptions, &m->cap_req_subscriptions, subs, true);
    note_strings(&m->req_management_groups, &m->nreq_management_groups, &m->cap_req_management_groups, mgs, false);
    /* No scope recorded: the collector listed every subscription the identity can see. */
    if (cJSON_GetArraySize(subs) == 0 && cJSON_GetArraySize(mgs) == 0)
        m->req_all_visible = true;
    const cJSON *s;
    cJSON_ArrayForEach(s, cJSON_GetObjectItemCaseSensitive(root, "subscriptions"))
    {
        add_unique(&m->listed, &m->nlisted, &m->cap_listed, sb_json_str(s, "subscriptionId"), true);
    }
    note_identity(m, col);
    /* A collection that calls itself incomplete must show as such even if it recorded no gap. */
    const cJSON *complete = cJSON_GetObjectItemCaseSensitive(col, "complete");
    const cJSON *gaps = cJSON_GetObjectItemCaseSensitive(root, "gaps");
    if (cJSON_IsFalse(complete) && cJSON_GetArraySize(gaps) == 0)
        add_gap(st, sb_xstrdup("/"), name, "IncompleteCollection",
                sb_xasprintf("%s records an incomplete collection without naming what is missing: collect again "
                             "with mcsb-audit collect",
                             sb_basename(name)));
}

void state_paging_note(struct sb_state *st, const cJSON *root, const char *name, const char *kind)
{
    struct sb_state_meta *m = meta_of(st);
    void *arr = m->as_of;
    size_t old = m->cap_as_of;
    sb_grow(&arr, &m->cap_as_of, st->ninputs, sizeof *m->as_of);
    m->as_of = arr;
    if (m->cap_as_of > old)
        memset(m->as_of + old, 0, (m->cap_as_of - old) * sizeof *m->as_of);
    m->nas_of = st->ninputs;
    if (!root || !kind || !cJSON_IsObject(root))
        return;
    if (strcmp(kind, "snapshot") == 0)
        note_snapshot(st, m, root, name);
    else
        check_paging(st, root, name, kind);
}
