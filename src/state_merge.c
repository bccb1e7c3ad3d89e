/* Merging the same resource from several inputs: property by property, children by id, in one canonical order.
 *
 * Every input keeps its own copy of a resource (a fragment). The merged view starts from the fragments of complete
 * sources (ARM bodies, az CLI output, snapshots), sorted by input name, then adds what partial sources (Resource Graph
 * rows) hold and the complete ones lack. So the result never depends on the order of --input options, a partial row
 * never erases what an ARM body said, and disagreements between complete sources stay visible: evidence compares the
 * fragments (state_source.c). */
#include "state_index.h"

#include "err.h"
#include "util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static cJSON *dup_or_die(const cJSON *v)
{
    cJSON *c = cJSON_Duplicate(v, 1);
    if (!c) {
        fputs("mcsb-audit: out of memory\n", stderr);
        exit(SB_EXIT_OUTPUT);
    }
    return c;
}

static cJSON *get_ci(const cJSON *obj, const char *key)
{
    cJSON *it = cJSON_GetObjectItemCaseSensitive(obj, key);
    if (it)
        return it;
    cJSON_ArrayForEach(it, obj)
    {
        if (it->string && strcasecmp(it->string, key) == 0)
            return it;
    }
    return NULL;
}

/* A child object's identity inside an array: its id, else its name (NULL when neither). */
static const char *child_key(const cJSON *o)
{
    if (!cJSON_IsObject(o))
        return NULL;
    const cJSON *v = get_ci(o, "id");
    if (cJSON_IsString(v) && v->valuestring && *v->valuestring)
        return v->valuestring;
    v = get_ci(o, "name");
    if (cJSON_IsString(v) && v->valuestring && *v->valuestring)
        return v->valuestring;
    return NULL;
}

static bool keyed_array(const cJSON *a)
{
    if (!cJSON_IsArray(a) || !a->child)
        return false;
    const cJSON *it;
    cJSON_ArrayForEach(it, a)
    {
        if (!child_key(it))
            return false;
    }
    return true;
}

/* Ids compare case-insensitively; the id and name keys of children match either way. */
static bool same_child(const cJSON *a, const cJSON *b)
{
    const char *ka = child_key(a), *kb = child_key(b);
    return ka && kb && strcasecmp(ka, kb) == 0;
}

static void merge_children(cJSON *into, const cJSON *from, bool into_complete, bool from_complete)
{
    const cJSON *f;
    cJSON_ArrayForEach(f, from)
    {
        cJSON *match = NULL, *it;
        cJSON_ArrayForEach(it, into)
        {
            if (same_child(it, f)) {
                match = it;
                break;
            }
        }
        if (match)
            state_merge(match, f, into_complete, from_complete);
        else
            cJSON_AddItemToArray(into, dup_or_die(f));
    }
}

void state_merge(cJSON *into, const cJSON *from, bool into_complete, bool from_complete)
{
    const cJSON *it;
    cJSON_ArrayForEach(it, from)
    {
        if (!it->string)
            continue;
        cJSON *old = get_ci(into, it->string);
        if (!old) {
            cJSON_AddItemToObject(into, it->string, dup_or_die(it));
        } else if (cJSON_IsObject(old) && cJSON_IsObject(it)) {
            state_merge(old, it, into_complete, from_complete);
        } else if (cJSON_IsArray(old) && cJSON_IsArray(it) && (keyed_array(old) || keyed_array(it)) &&
                   (keyed_array(old) || !old->child) && (keyed_array(it) || !it->child)) {
            merge_children(old, it, into_complete, from_complete);
        } else if (cJSON_IsNull(old) && !cJSON_IsNull(it) && !into_complete) {
            /* a partial source's null is no more than "unknown" next to a value */
            cJSON_ReplaceItemViaPointer(into, old, dup_or_die(it));
        } else if (from_complete && !into_complete && !cJSON_IsNull(it)) {
            cJSON_ReplaceItemViaPointer(into, old, dup_or_die(it));
        }
        /* otherwise the value already there stays: same class, first in canonical order wins, and evidence
         * reports the disagreement by comparing the fragments */
    }
}

/* Complete sources first, then by input name, content hash and position in the input. */
static int cmp_frag(const void *a, const void *b)
{
    const struct sb_fragment *x = a, *y = b;
    if (x->complete != y->complete)
        return x->complete ? -1 : 1;
    int c = strcmp(x->src_name, y->src_name);
    if (c)
        return c;
    c = strcmp(x->src_sha, y->src_sha);
    if (c)
        return c;
    if (x->input != y->input)
        return x->input < y->input ? -1 : 1;
    return x->seq < y->seq ? -1 : x->seq > y->seq;
}

void state_merge_fragments(struct sb_state *st, struct sb_resource *r)
{
    if (r->nfrags == 0)
        return;
    for (size_t i = 0; i < r->nfrags; i++) {
        r->frags[i].src_name = st->inputs[r->frags[i].input].name;
        r->frags[i].src_sha = st->inputs[r->frags[i].input].sha256;
    }
    sb_sort(r->frags, r->nfrags, sizeof *r->frags, cmp_frag);
    /* Until now r->json was one of the fragments (borrowed), never a merged copy. */
    if (r->nfrags == 1) {
        r->json = r->frags[0].json;
        return;
    }
    r->json = dup_or_die(r->frags[0].json);
    bool complete = r->frags[0].complete;
    for (size_t i = 1; i < r->nfrags; i++) {
        state_merge(r->json, r->frags[i].json, complete, r->frags[i].complete);
        complete |= r->frags[i].complete;
    }
}
