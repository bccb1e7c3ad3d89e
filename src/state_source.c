/* Provenance: which input a value came from, whether a missing key is known to be absent, and disagreements.
 *
 * Complete sources (ARM bodies, az CLI output, snapshots) carry every property of a resource: a key missing there is
 * absent. A Resource Graph row is a projection: a top-level key missing from it (identity, sku, properties) is unknown.
 * Inside a `properties` object a row does carry, ARG holds the resource's property bag as ARM returned it, so a
 * missing key there is read as absent (the rules name the documented exceptions, e.g. a port link's macSecConfig). */
#include "state.h"

#include "util.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

bool state_readable(const struct sb_resource *r)
{
    return r && cJSON_IsObject(sb_json_at(r->json, "properties"));
}

static const cJSON *get_ci(const cJSON *obj, const char *key, size_t n)
{
    if (!cJSON_IsObject(obj))
        return NULL;
    const cJSON *it;
    cJSON_ArrayForEach(it, obj)
    {
        if (it->string && strlen(it->string) == n && strncmp(it->string, key, n) == 0)
            return it;
    }
    cJSON_ArrayForEach(it, obj)
    {
        if (it->string && strlen(it->string) == n && strncasecmp(it->string, key, n) == 0)
            return it;
    }
    return NULL;
}

bool state_key_known(const struct sb_resource *r, const char *key)
{
    for (size_t i = 0; r && i < r->nfrags; i++)
        if (r->frags[i].complete || get_ci(r->frags[i].json, key, strlen(key)))
            return true;
    return false;
}

static const char *child_key(const cJSON *o)
{
    const cJSON *v = get_ci(o, "id", 2);
    if (cJSON_IsString(v) && v->valuestring && *v->valuestring)
        return v->valuestring;
    v = get_ci(o, "name", 4);
    return cJSON_IsString(v) && v->valuestring && *v->valuestring ? v->valuestring : NULL;
}

/* get_ci(o, "id", 2) in one pass over the members: this runs on every object below a parent. */
static const cJSON *id_member(const cJSON *o)
{
    const cJSON *folded = NULL, *it;
    cJSON_ArrayForEach(it, o)
    {
        const char *k = it->string;
        if (!k || (k[0] != 'i' && k[0] != 'I') || (k[1] != 'd' && k[1] != 'D') || k[2])
            continue;
        if (k[0] == 'i' && k[1] == 'd')
            return it;
        if (!folded)
            folded = it;
    }
    return folded;
}

/* sb_ieq for ids of one parent, which share a long prefix: equal lengths first, then from the end. */
static bool same_id(const char *a, const char *b, size_t blen)
{
    if (!a || strlen(a) != blen)
        return false;
    for (size_t i = blen; i-- > 0;)
        if (a[i] != b[i] && tolower((unsigned char)a[i]) != tolower((unsigned char)b[i]))
            return false;
    return true;
}

/* `id` names a resource below `parent` ("parent/type/name..."), case-insensitively. */
static bool id_within(const char *id, size_t idlen, const char *parent)
{
    size_t n = strlen(parent);
    return n < idlen && id[n] == '/' && strncasecmp(id, parent, n) == 0;
}

/* The object with this id anywhere below `root` (children held inline: subnets, links, connections ...). */
static const cJSON *find_by_id_n(const cJSON *root, const char *id, size_t idlen)
{
    if (!cJSON_IsObject(root) && !cJSON_IsArray(root))
        return NULL;
    const cJSON *it;
    cJSON_ArrayForEach(it, root)
    {
        if (cJSON_IsObject(it)) {
            const cJSON *v = id_member(it);
            if (cJSON_IsString(v) && same_id(v->valuestring, id, idlen))
                return it;
            /* A resource held inline sits below its ancestors only, whose ids begin its own: the subtree of
             * any other resource (a sibling subnet, a referenced NSG) cannot hold it. */
            if (cJSON_IsString(v) && !sb_empty(v->valuestring) && !id_within(id, idlen, v->valuestring))
                continue;
        }
        const cJSON *f = find_by_id_n(it, id, idlen);
        if (f)
            return f;
    }
    return NULL;
}

static const cJSON *find_by_id(const cJSON *root, const char *id)
{
    return sb_empty(id) ? NULL : find_by_id_n(root, id, strlen(id));
}

/* A path this module can follow: keys and numeric [i] indices only. */
static bool walkable(const char *path)
{
    for (const char *p = path; *p; p++) {
        if (*p == '[') {
            if (!isdigit((unsigned char)p[1]))
                return false;
        } else if (!isalnum((unsigned char)*p) && !strchr("._$]", *p)) {
            return false;
        }
    }
    return *path != '\0';
}

enum presence { P_VALUE, P_NULL, P_ABSENT, P_NOT_IN, P_UNKNOWN };

/* Follow `path` in a fragment, translating [i] of the merged view into the fragment's element with the same id or
 * name (merged arrays are ordered differently). `top_missing` tells whether the first key was missing. */
static enum presence walk(const cJSON *frag, const cJSON *merged, const char *path, const cJSON **out, bool *top_missing)
{
    const cJSON *cur = frag, *ref = merged;
    const char *p = path;
    bool first = true;
    *top_missing = false;
    *out = NULL;
    while (*p) {
        if (*p == '[') {
            char *end;
            long idx = strtol(p + 1, &end, 10);
            if (*end != ']' || !cJSON_IsArray(cur))
                return P_ABSENT;
            const cJSON *relem = cJSON_IsArray(ref) ? cJSON_GetArrayItem(ref, (int)idx) : NULL;
            const char *key = relem ? child_key(relem) : NULL;
            const cJSON *hit = NULL, *it;
            if (key) {
                cJSON_ArrayForEach(it, cur)
                {
                    const char *k = child_key(it);
                    if (k && sb_ieq(k, key)) {
                        hit = it;
                        break;
                    }
                }
            } else {
                hit = cJSON_GetArrayItem(cur, (int)idx);
            }
            if (!hit)
                return P_ABSENT;
            cur = hit;
            ref = relem;
            p = end + 1;
        } else {
            if (*p == '.')
                p++;
            size_t n = strcspn(p, ".[");
            const cJSON *next = get_ci(cur, p, n);
            if (!next) {
                *top_missing = first;
                return P_ABSENT;
            }
            cur = next;
            ref = ref ? get_ci(ref, p, n) : NULL;
            p += n;
        }
        first = false;
    }
    *out = cur;
    return cJSON_IsNull(cur) || (cJSON_IsString(cur) && (!cur->valuestring || !*cur->valuestring)) ? P_NULL : P_VALUE;
}

struct cand {
    const struct sb_fragment *frag;
    const cJSON *base;    /* the object `path` is relative to, inside the fragment */
};

static void add_cand(struct cand **v, size_t *n, const struct sb_fragment *f, const cJSON *base)
{
    *v = sb_xrealloc(*v, (*n + 1) * sizeof **v);
    (*v)[(*n)++] = (struct cand){f, base};
}

static char *short_text(const cJSON *v)
{
    char *t = sb_json_text(v);
    if (strlen(t) > 96) {
        memcpy(t + 93, "...", 4);
    }
    return t;
}

/* "a.json (arm-list)", each input once. */
static void list_inputs(struct sb_buf *b, const struct cand *c, size_t n, const bool *pick)
{
    size_t shown = 0;
    for (size_t i = 0; i < n; i++) {
        if (pick && !pick[i])
            continue;
        bool dup = false;
        for (size_t k = 0; k < i; k++)
            dup |= (!pick || pick[k]) && c[k].frag->src_name == c[i].frag->src_name;
        if (dup)
            continue;
        sb_buf_printf(b, "%s%s (%s)", shown++ ? ", " : "", c[i].frag->src_name ? c[i].frag->src_name : "?",
                      c[i].frag->src_kind ? c[i].frag->src_kind : "?");
    }
}

char *state_value_source(const struct sb_state *st, const char *resource_id, const char *path, bool *conflict)
{
    *conflict = false;
    if (sb_empty(resource_id) || sb_empty(path))
        return NULL;
    struct cand *c = NULL;
    size_t n = 0;
    const struct sb_resource *r = state_get(st, resource_id);
    const cJSON *merged = r ? r->json : NULL;
    for (size_t i = 0; r && i < r->nfrags; i++)
        add_cand(&c, &n, &r->frags[i], r->frags[i].json);
    /* Ancestors that hold the resource inline (a subnet inside its virtual network's properties.subnets[]). */
    char *pid = sb_id_parent(resource_id);
    for (int depth = 0; pid && depth < 3; depth++) {
        const struct sb_resource *p = state_get(st, pid);
        for (size_t i = 0; p && i < p->nfrags; i++) {
            const cJSON *inl = find_by_id(p->frags[i].json, resource_id);
            if (inl)
                add_cand(&c, &n, &p->frags[i], inl);
        }
        if (p && !merged)
            merged = find_by_id(p->json, resource_id);
        char *up = sb_id_parent(pid);
        free(pid);
        pid = up;
    }
    free(pid);
    /* A description ("in scope because") is not a property: nothing to attribute. */
    if (n == 0 || !walkable(path)) {
        free(c);
        return NULL;
    }
    struct sb_buf b = {0};
    enum presence *pr = sb_xcalloc(n, sizeof *pr);
    const cJSON **val = sb_xcalloc(n, sizeof *val);
    bool *pick = sb_xcalloc(n, sizeof *pick);
    for (size_t i = 0; i < n; i++) {
        bool top_missing;
        pr[i] = walk(c[i].base, merged, path, &val[i], &top_missing);
        if (pr[i] == P_ABSENT && !c[i].frag->complete)
            pr[i] = top_missing ? P_UNKNOWN : P_NOT_IN;
    }
    /* Complete sources that disagree (a value against another value, or against its absence). */
    const cJSON *first_val = NULL;
    size_t first_i = 0;
    bool seen_complete = false;
    for (size_t i = 0; i < n; i++) {
        if (!c[i].frag->complete)
            continue;
        const cJSON *v = pr[i] == P_VALUE ? val[i] : NULL;
        if (!seen_complete) {
            first_val = v;
            first_i = i;
            seen_complete = true;
            continue;
        }
        bool same = (!v && !first_val) ||
                    (v && first_val &&
                     (cJSON_IsString(v) && cJSON_IsString(first_val) ? sb_ieq(v->valuestring, first_val->valuestring)
                                                                      : cJSON_Compare(v, first_val, 1)));
        if (!same) {
            *conflict = true;
            char *a = short_text(first_val), *bt = short_text(v);
            if (!b.len)
                sb_buf_puts(&b, "CONFLICT between complete sources: ");
            else
                sb_buf_puts(&b, "; ");
            sb_buf_printf(&b, "%s (%s) has %s, %s (%s) has %s", c[first_i].frag->src_name, c[first_i].frag->src_kind, a,
                          c[i].frag->src_name, c[i].frag->src_kind, bt);
            free(a);
            free(bt);
        }
    }
    if (!*conflict) {
        const char *label[] = {"from ", "absent (null) in ", "absent in ", "not in ", "not projected (unknown) in "};
        bool first = true;
        for (int kind = 0; kind < 5; kind++) {
            bool any = false;
            for (size_t i = 0; i < n; i++) {
                pick[i] = pr[i] == (enum presence)kind;
                any |= pick[i];
            }
            if (!any)
                continue;
            sb_buf_printf(&b, "%s%s", first ? "" : "; ", label[kind]);
            list_inputs(&b, c, n, pick);
            first = false;
        }
    }
    free(pr);
    free(val);
    free(pick);
    free(c);
    return sb_buf_take(&b);
}
