/**
 * @file state_paging.h
 * @brief What each input says about its own completeness and scope (issue 10).
 *
 * A file that is one page of a longer listing (ARM `nextLink`, Resource Graph `$skipToken`,
 * `az graph query`'s `skip_token`, `resultTruncated`) becomes a gap naming the file and the
 * command that fetches the rest: it is never read as if it were everything. Snapshots also tell
 * what was asked for (management groups, subscriptions), which subscriptions the collection
 * listed, the identity used and when the state was read; that is kept here for the report.
 *
 * Ownership: the state owns its meta (state_free frees it through state_meta_free).
 */
#ifndef SB_STATE_PAGING_H
#define SB_STATE_PAGING_H

#include <stdbool.h>
#include <stddef.h>

#include <cjson/cJSON.h>

struct sb_state;

/** The identity a snapshot was collected with (never a secret). */
struct sb_state_identity {
    char *method;    /**< e.g. "client secret", "managed identity (IMDS)", or NULL */
    char *tenant;    /**< tenant id, or NULL */
    char *client;    /**< application (client) or managed identity id, or NULL */
};

struct sb_state_meta {
    char **as_of;                 /**< per input (index of st->inputs): when its state was read, or NULL */
    size_t nas_of, cap_as_of;
    size_t nsnapshots;
    char **listed;                /**< lower-case subscription ids a snapshot's collection listed */
    size_t nlisted, cap_listed;
    char **req_subscriptions;     /**< requested subscription scopes (lower-case, as recorded) */
    size_t nreq_subscriptions, cap_req_subscriptions;
    char **req_management_groups; /**< requested management groups */
    size_t nreq_management_groups, cap_req_management_groups;
    bool req_all_visible;         /**< a snapshot asked for every subscription visible to its identity */
    struct sb_state_identity *identities; /**< distinct, in input order */
    size_t nidentities, cap_identities;
};

/**
 * The hook state_load_buffer calls once per successfully read input, with the parsed document
 * (resources already moved out; NULL for a single resource) and the shape it was read as.
 */
void state_paging_note(struct sb_state *st, const cJSON *root, const char *name, const char *kind);

void state_meta_free(struct sb_state_meta *m);

#endif
