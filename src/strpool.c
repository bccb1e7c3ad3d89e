/* An open-addressing hash set of strings whose bytes live in append-only blocks (see strpool.h). */
#include "strpool.h"

#include "util.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define BLOCK_BYTES ((size_t)1 << 20)

struct block {
    struct block *next;
    size_t used, size;
    char data[];
};

struct slot {
    char *s;         /* NULL = empty */
    uint64_t hash;
};

struct sb_strpool {
    struct slot *slots; /* capacity is a power of two, at most half full */
    size_t cap, n;
    struct block *blocks;
};

struct sb_strpool *sb_strpool_new(void)
{
    struct sb_strpool *p = sb_xcalloc(1, sizeof *p);
    p->cap = 4096;
    p->slots = sb_xcalloc(p->cap, sizeof *p->slots);
    return p;
}

void sb_strpool_free(struct sb_strpool *p)
{
    if (!p)
        return;
    for (struct block *b = p->blocks, *next; b; b = next) {
        next = b->next;
        free(b);
    }
    free(p->slots);
    free(p);
}

/* Eight bytes per step, mixed by a multiply and a shift (the strings are ours, not an attacker's to collide:
 * a collision costs a comparison, never a wrong answer). */
static uint64_t hash(const char *s, size_t n)
{
    uint64_t h = 0x9e3779b97f4a7c15u ^ n;
    size_t i = 0;
    for (; i + 8 <= n; i += 8) {
        uint64_t w;
        memcpy(&w, s + i, 8);
        h = (h ^ w) * 0xff51afd7ed558ccdu;
        h ^= h >> 32;
    }
    uint64_t w = 0;
    memcpy(&w, s + i, n - i);
    h = (h ^ w) * 0xc4ceb9fe1a85ec53u;
    return h ^ (h >> 29);
}

static void grow(struct sb_strpool *p)
{
    size_t cap = p->cap * 2;
    struct slot *slots = sb_xcalloc(cap, sizeof *slots);
    for (size_t i = 0; i < p->cap; i++) {
        if (!p->slots[i].s)
            continue;
        size_t k = p->slots[i].hash & (cap - 1);
        while (slots[k].s)
            k = (k + 1) & (cap - 1);
        slots[k] = p->slots[i];
    }
    free(p->slots);
    p->slots = slots;
    p->cap = cap;
}

static char *store(struct sb_strpool *p, const char *s, size_t n)
{
    struct block *b = p->blocks;
    if (!b || b->size - b->used < n + 1) {
        size_t size = n + 1 > BLOCK_BYTES / 4 ? n + 1 : BLOCK_BYTES; /* a long string gets a block of its own */
        b = sb_xmalloc(sizeof *b + size);
        b->used = 0;
        b->size = size;
        if (size == BLOCK_BYTES || !p->blocks) {
            b->next = p->blocks;
            p->blocks = b;
        } else { /* keep filling the current block */
            b->next = p->blocks->next;
            p->blocks->next = b;
        }
    }
    char *copy = b->data + b->used;
    memcpy(copy, s, n);
    copy[n] = '\0';
    b->used += n + 1;
    return copy;
}

char *sb_strpool_intern(struct sb_strpool *p, const char *s)
{
    if (!s)
        return NULL;
    size_t n = strlen(s);
    uint64_t h = hash(s, n);
    size_t k = h & (p->cap - 1);
    for (; p->slots[k].s; k = (k + 1) & (p->cap - 1))
        if (p->slots[k].hash == h && strcmp(p->slots[k].s, s) == 0)
            return p->slots[k].s;
    char *copy = store(p, s, n);
    p->slots[k] = (struct slot){copy, h};
    if (++p->n * 2 > p->cap)
        grow(p);
    return copy;
}

size_t sb_strpool_count(const struct sb_strpool *p)
{
    return p->n;
}
