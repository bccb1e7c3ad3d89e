/**
 * @file snapshot_write.h
 * @brief The collector's in-memory snapshot and its writer (docs/snapshot-format.md).
 *
 * Writing sorts resources by lower-cased id, drops duplicates (highest `priority` wins),
 * removes credential-like properties recursively, sorts `collected` and `gaps`, and writes the
 * file atomically. Everything but the times is a function of the collected data, so two
 * collections of the same state are byte-identical apart from `startedAt`/`finishedAt`/`durationMs`.
 */
#ifndef SB_SNAPSHOT_WRITE_H
#define SB_SNAPSHOT_WRITE_H

#include <stdbool.h>
#include <stddef.h>
#include <time.h>

#include <cjson/cJSON.h>

struct sb_err;

struct snap_resource {
    char *key;     /**< lower-cased id */
    cJSON *obj;    /**< owned */
    int priority;  /**< a full ARM GET (1) beats a Resource Graph row (0) */
};

struct snap_gap {
    char *scope, *collection, *request, *error_code, *message;
    long http_status;
};

struct snap_collected {
    char *resource_id, *collection;
    size_t count;
};

struct snap_subscription {
    char *id, *display_name, *state, *tenant_id;
};

struct snapshot {
    time_t started, finished;
    long long duration_ms;
    char *cloud, *arm_endpoint, *authority_host, *tenant_id;
    char *identity_method, *client_id; /**< who collected (report "Identity"); ids only, never a secret */
    char **scope_subscriptions;
    size_t n_scope_subscriptions;
    char **scope_management_groups;
    size_t n_scope_management_groups;
    char **queries;
    size_t n_queries;
    struct snap_resource *resources;
    size_t n_resources, cap_resources;
    struct snap_gap *gaps;
    size_t n_gaps, cap_gaps;
    struct snap_collected *collected;
    size_t n_collected, cap_collected;
    struct snap_subscription *subscriptions;
    size_t n_subscriptions, cap_subscriptions;
};

/** API versions the collector pins (recorded in the snapshot). */
#define SNAP_API_NETWORK "2024-05-01"
#define SNAP_API_DIAGNOSTICS "2021-05-01-preview"
#define SNAP_API_RESOURCE_GRAPH "2024-04-01"
#define SNAP_API_SUBSCRIPTIONS "2022-12-01"

/** Take ownership of obj; key is its lower-cased "id" (objects without an id are dropped). */
void snapshot_add_resource(struct snapshot *s, cJSON *obj, int priority);
/** Copies every string. `status` 0 when there was no HTTP response. */
void snapshot_add_gap(struct snapshot *s, const char *scope, const char *collection, const char *request,
                      long status, const char *code, const char *message);
void snapshot_add_collected(struct snapshot *s, const char *resource_id, const char *collection, size_t count);
void snapshot_add_subscription(struct snapshot *s, const char *id, const char *display_name, const char *state,
                               const char *tenant_id);
/** Free the strings of one subscription entry. */
void snapshot_subscription_free(struct snap_subscription *u);
/** Free everything the snapshot owns (not the struct itself). */
void snapshot_clear(struct snapshot *s);

/** Remove credential-like members (serviceKey, authorizationKey, sharedKey, *password, ...) recursively. */
void snapshot_strip_secrets(cJSON *node);
/** True for a member name that holds a credential. */
bool snapshot_is_secret_key(const char *name);

/** Sort, deduplicate, and build the document. Caller owns the result (cJSON_Delete). */
cJSON *snapshot_to_json(struct snapshot *s);
/** snapshot_to_json + pretty print + atomic write. Errors: SB_EXIT_OUTPUT. */
int snapshot_write(struct snapshot *s, const char *path, struct sb_err *e);

#endif
