/* Private to the state module: id_lc -> resource. */
#ifndef SB_STATE_INDEX_H
#define SB_STATE_INDEX_H

#include "state.h"

struct sb_index;

struct sb_pending_collected {
    char *id_lc;
    unsigned bits;
};
struct sb_index *index_new(void);
void index_free(struct sb_index *ix);
/** The resource must not be in the index yet. Borrowed. */
void index_put(struct sb_index *ix, struct sb_resource *r);
struct sb_resource *index_get(const struct sb_index *ix, const char *id_lc);

/**
 * Merge `from` into `into` property by property: objects key by key (keys compared case-insensitively), arrays of
 * child objects by child id (else name), never replaced wholesale. A value `into` holds is replaced only when
 * `from` is complete and `into` is not (a partial source never overwrites a complete one; between sources of the
 * same class the first in canonical order stays, and evidence shows the disagreement).
 */
void state_merge(cJSON *into, const cJSON *from, bool into_complete, bool from_complete);

/** Normalise an az CLI flattened resource (no `properties`, known property names at top level) into the ARM
 *  shape, children too. `type_lc` is the resource's lower-case type. Returns true when something was moved. */
bool state_normalise_shape(cJSON *obj, const char *type_lc);

/** True when `type_lc` is a type the rules read. */
bool state_type_read(const char *type_lc);

/** Build r->json from r->frags (sorts the fragments into canonical order). */
void state_merge_fragments(struct sb_state *st, struct sb_resource *r);

#endif
