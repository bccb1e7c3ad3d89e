/**
 * @file strpool.h
 * @brief Interned strings: each distinct string stored once, in large blocks, freed all at once.
 *
 * An assessment of 100,000 results holds millions of short strings, most of them repeats (resource
 * types, subscriptions, property paths, expected values, sources, remediation texts). Stored one
 * malloc each they cost more in allocator overhead than in text; interned they cost one copy.
 *
 * Ownership: the pool owns every string it returns; they stay valid until sb_strpool_free().
 */
#ifndef SB_STRPOOL_H
#define SB_STRPOOL_H

#include <stddef.h>

struct sb_strpool;

struct sb_strpool *sb_strpool_new(void);
void sb_strpool_free(struct sb_strpool *p); /**< no-op on NULL */

/** The pool's copy of s (the same pointer for equal strings), or NULL when s is NULL. */
char *sb_strpool_intern(struct sb_strpool *p, const char *s);

/** Distinct strings held (for tests). */
size_t sb_strpool_count(const struct sb_strpool *p);

#endif
