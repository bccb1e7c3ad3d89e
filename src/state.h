/**
 * @file state.h
 * @brief Resource state: every input file (ARM list, bare array, single resource, Resource Graph
 * response, snapshot) merged into one index of resources keyed by case-insensitive id.
 *
 * Ownership: the state owns every resource, its cJSON tree, inputs and gaps; state_free() frees
 * them. Pointers handed out by accessors are borrowed and valid until state_free().
 */
#ifndef SB_STATE_H
#define SB_STATE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <cjson/cJSON.h>

#include "report.h"

struct sb_err;

/** Child collections a snapshot can record as fetched (bit flags). */
enum sb_collection {
    SB_COLLECTED_DIAGNOSTIC_SETTINGS = 1u << 0,
};

/** Which kinds of input a resource was seen in (bit flags): ARM bodies carry every property of the
 *  resource, Resource Graph rows may lack some (e.g. a port link's macSecConfig). */
enum sb_origin {
    SB_ORIGIN_ARM = 1u << 0,            /**< ARM list, bare array or single resource */
    SB_ORIGIN_RESOURCE_GRAPH = 1u << 1, /**< a Resource Graph response */
    SB_ORIGIN_SNAPSHOT = 1u << 2,       /**< an mcsb-audit snapshot (ports completed by ARM GET, see docs) */
    SB_ORIGIN_AZ_CLI = 1u << 3,         /**< az CLI output (flattened properties, normalised on reading) */
};

/** One input's copy of a resource (already normalised to the ARM shape, secrets removed). Every input keeps its own
 *  copy so the merged view is built in one canonical order (inputs sorted by name), and evidence can say which input
 *  a value came from. */
struct sb_fragment {
    cJSON *json;            /**< owned (shared with sb_resource.json when it is the only fragment) */
    size_t input;           /**< index into sb_state.inputs (valid after state_finalize) */
    size_t seq;             /**< position within its input: keeps duplicates in one file in file order */
    bool complete;          /**< ARM body, az CLI output or snapshot: a key missing here is absent */
    bool az_cli;            /**< normalised from the az CLI's flattened shape */
    const char *src_name;   /**< the input's name and kind (borrowed; set by state_finalize) */
    const char *src_kind;
    const char *src_sha;    /**< private: only while merging */
};

struct sb_resource {
    char *id;               /**< the spelling that sorts first among the inputs' spellings (deterministic) */
    char *id_lc;            /**< lower-cased: the identity key */
    char *type;             /**< as given; ARG's lower-case form kept as is */
    char *type_lc;
    char *name;
    char *subscription_id;  /**< parsed from the id, or NULL */
    char *resource_group;   /**< parsed from the id, or NULL */
    cJSON *json;            /**< the merged ARM object (secrets already removed); owned */
    const char *source;     /**< name of the first input it came from in canonical order (borrowed from the state) */
    struct sb_fragment *frags; /**< every input's copy; after finalize sorted: complete sources first, then by input name */
    size_t nfrags;
    unsigned collected;     /**< enum sb_collection bits recorded by a snapshot */
    unsigned origins;       /**< enum sb_origin bits */
    bool name_from_input;   /**< private: name came from an input's "name" (else from the id) */
    const struct sb_resource *parent; /**< for child resources (diag settings, subnets...), or NULL */
    const struct sb_resource **diagnostic_settings; /**< settings whose parent is this resource */
    size_t ndiagnostic_settings;
    const struct sb_gap **gaps;       /**< gaps whose scope is this resource */
    size_t ngaps;
};

struct sb_state_input {
    char *name;             /**< as given */
    char *kind;             /**< "arm-list", "arm-array", "arm-resource", "resource-graph", "snapshot", "az-cli" */
    uint64_t size;
    char sha256[65];
};

struct sb_state {
    struct sb_resource **resources;  /**< after state_finalize: sorted by id_lc */
    size_t nresources;
    size_t cap_resources;
    struct sb_index *index;          /**< private: id_lc -> resource */
    struct sb_pending_collected *pending; /**< private: snapshot `collected` records until finalize */
    size_t npending, cap_pending;
    size_t cap_inputs, cap_gaps, cap_subscriptions, cap_tenants;
    unsigned loading_origin;         /**< private: origin of the input being read */
    size_t loading_seq;              /**< private: resources read so far from the input being read */
    bool loading_az_cli;             /**< private: the input being read held az CLI shapes */
    struct sb_state_input *inputs;
    size_t ninputs;
    struct sb_gap *gaps;
    size_t ngaps;
    struct sb_subscription *subscriptions; /**< from snapshots; after finalize also every subscription seen in an id */
    size_t nsubscriptions;
    char **tenants;
    size_t ntenants;
    char *collection_started;        /**< earliest snapshot startedAt, or NULL */
    char *collection_finished;       /**< latest snapshot finishedAt, or NULL */
    char *cloud;
    bool finalized;
    struct sb_state_meta *meta;      /**< what the inputs say about their completeness and scope (state_paging.h) */
};

/** Default cap on one input file (bytes); hostile or runaway inputs stop here. */
#define SB_MAX_INPUT_BYTES ((size_t)1 << 30)

struct sb_state *state_new(void);
void state_free(struct sb_state *st);

/**
 * Read one input file (any supported shape) into the state. Errors (exit code 3) name the
 * file and, for JSON syntax errors, line:column.
 */
int state_load_file(struct sb_state *st, const char *path, struct sb_err *e);
/** Same, from a buffer (tests; `name` is used in messages and as the input's name). */
int state_load_buffer(struct sb_state *st, const char *name, const char *buf, size_t len, struct sb_err *e);

/** Link children to parents, fold separately-given children into their parents, sort. Call once after loading. */
int state_finalize(struct sb_state *st, struct sb_err *e);

/* ---- provenance (state_source.c) ---- */

/** Whether `r` has readable properties: an ARM `properties` object, or az CLI properties normalised into one. */
bool state_readable(const struct sb_resource *r);

/** Whether the top-level key (e.g. "identity", "properties") is known for `r`: some complete source holds the
 *  resource (a missing key there is absent), or a partial source (Resource Graph row) carries the key, even null. */
bool state_key_known(const struct sb_resource *r, const char *key);

/**
 * Where a value came from, as one line: "from a.json (arm-list)", "absent in a.json (az-cli)", "not projected in
 * b.json (resource-graph)", or "CONFLICT: a.json (arm-list) has X; b.json (snapshot) has Y" when complete sources
 * disagree (*conflict set true). `resource_id` may be a resource of the state or a child held inline by one (a subnet
 * in its virtual network); `path` is relative to it. NULL when the state holds nothing of that resource. Caller frees.
 */
char *state_value_source(const struct sb_state *st, const char *resource_id, const char *path, bool *conflict);

/** Lookup by id, case-insensitively. NULL when absent. */
const struct sb_resource *state_get(const struct sb_state *st, const char *id);

/** Every resource of a type (case-insensitive), in id order. Caller frees *out (array only). */
size_t state_list_type(const struct sb_state *st, const char *type, const struct sb_resource ***out);

/** True when a gap covers this subscription (scope "/subscriptions/<id>", collection "resources"). */
const struct sb_gap *state_subscription_gap(const struct sb_state *st, const char *subscription_id);

/* ---- reading ARM JSON (lenient: missing, null and "" alike) ---- */

/**
 * Follow a dotted path with [i] indices, e.g. "properties.ipConfigurations[0].properties.subnet.id".
 * Keys match case-sensitively first, then case-insensitively. Returns NULL when absent or JSON null.
 */
const cJSON *sb_json_at(const cJSON *root, const char *path);
/** String at path; NULL when absent, null, "" or not a string. Borrowed. */
const char *sb_json_str(const cJSON *root, const char *path);
/** Boolean at path: true/false, or strings "true"/"false" (case-insensitive). Returns -1 when absent. */
int sb_json_bool(const cJSON *root, const char *path);
/** Render a JSON value as evidence text: strings bare, others printed compactly; "(absent)" for NULL. Caller frees. */
char *sb_json_text(const cJSON *v);

/** Parse "/subscriptions/<s>/resourceGroups/<rg>/..." parts. Caller frees outputs (NULL when absent). */
void sb_id_parts(const char *id, char **subscription, char **resource_group, char **name);
/** The last "/providers/" segment of an id (case-insensitive), or NULL: where the resource's own type path starts. */
const char *sb_id_last_providers(const char *id);
/** Parent id of a child id ("/a/b/subnets/x" -> "/a/b"); for "<p>/providers/microsoft.insights/diagnosticSettings/<n>" -> p. Caller frees; NULL if none. */
char *sb_id_parent(const char *id);

#endif
