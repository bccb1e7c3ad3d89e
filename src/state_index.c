/* The id -> resource hash index (open addressing; ids are compared lower-cased). */
#include "state_index.h"

#include "util.h"

#include <stdlib.h>
#include <string.h>

struct sb_index {
    struct sb_resource **slots;
    size_t cap;   /* power of two */
    size_t count;
};

static uint64_t fnv1a(const char *s)
{
    uint64_t h = 1469598103934665603ULL;
    for (; *s; s++) {
        h ^= (unsigned char)*s;
        h *= 1099511628211ULL;
    }
    return h;
}

struct sb_index *index_new(void)
{
    struct sb_index *ix = sb_xcalloc(1, sizeof *ix);
    ix->cap = 1024;
    ix->slots = sb_xcalloc(ix->cap, sizeof *ix->slots);
    return ix;
}

void index_free(struct sb_index *ix)
{
    if (!ix)
        return;
    free(ix->slots);
    free(ix);
}

static void put(struct sb_index *ix, struct sb_resource *r)
{
    size_t mask = ix->cap - 1;
    for (size_t i = fnv1a(r->id_lc) & mask;; i = (i + 1) & mask)
        if (!ix->slots[i]) {
            ix->slots[i] = r;
            return;
        }
}

void index_put(struct sb_index *ix, struct sb_resource *r)
{
    if ((ix->count + 1) * 2 > ix->cap) {
        struct sb_resource **old = ix->slots;
        size_t oldcap = ix->cap;
        ix->cap *= 2;
        ix->slots = sb_xcalloc(ix->cap, sizeof *ix->slots);
        for (size_t i = 0; i < oldcap; i++)
            if (old[i])
                put(ix, old[i]);
        free(old);
    }
    put(ix, r);
    ix->count++;
}

struct sb_resource *index_get(const struct sb_index *ix, const char *id_lc)
{
    size_t mask = ix->cap - 1;
    for (size_t i = fnv1a(id_lc) & mask; ix->slots[i]; i = (i + 1) & mask)
        if (strcmp(ix->slots[i]->id_lc, id_lc) == 0)
            return ix->slots[i];
    return NULL;
}
