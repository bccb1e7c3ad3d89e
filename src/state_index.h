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

/** Merge `from` into `into`: objects key by key (recursively), other values replaced; null never erases. */
void state_deep_merge(cJSON *into, const cJSON *from);

#endif
