/**
 * @file report.h
 * @brief The assessment: an immutable, fully evaluated model every renderer reads.
 *
 * Renderers never see cJSON or the resource state: everything they print is here.
 * Ownership: report_free() frees the report and everything it points to, except `baseline`
 * (borrowed; it must outlive the report).
 */
#ifndef SB_REPORT_H
#define SB_REPORT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "baseline.h"

enum sb_status {
    SB_STATUS_PASS = 0,
    SB_STATUS_FAIL,
    SB_STATUS_MANUAL,
    SB_STATUS_NOT_APPLICABLE,
    SB_STATUS_NOT_ASSESSED,
    SB_STATUS_COUNT
};
/** Machine id used in report.json/csv: "pass", "fail", "manual", "not_applicable", "not_assessed". */
const char *sb_status_id(enum sb_status s);
/** Word shown to people: "Pass", "Fail", "Manual", "N/A", "Not assessed". */
const char *sb_status_label(enum sb_status s);
/** Display order, most urgent first: fail 0, not_assessed 1, manual 2, pass 3, not_applicable 4. */
int sb_status_rank(enum sb_status s);
/** Parse a machine id; returns -1 when unknown. */
int sb_status_parse(const char *s, enum sb_status *out);
/** REPORT-DESIGN.md palette as 0xRRGGBB. */
uint32_t sb_status_fill_rgb(enum sb_status s);
uint32_t sb_status_text_rgb(enum sb_status s);

enum sb_severity { SB_SEV_NONE = 0, SB_SEV_LOW, SB_SEV_MEDIUM, SB_SEV_HIGH };
const char *sb_severity_id(enum sb_severity s); /**< "none", "low", "medium", "high" */

/** What was read: never a secret value. */
struct sb_evidence {
    char *resource_id; /**< the resource the value was read from (may differ from the result's); when it is
                            the result's own, the same pointer as sb_result.resource_id (freed once) */
    char *path;        /**< JSON property path, e.g. "properties.subnets[0].properties.networkSecurityGroup.id" */
    char *value;       /**< observed value rendered as text; "(absent)" when missing/null/"" */
    char *expected;    /**< the pass condition in words, e.g. "absent" or "non-empty Key Vault secret URI" */
    char *source;      /**< which input(s) the value came from, e.g. "from a.json (az-cli)", or NULL */
};

enum sb_exception_kind {
    SB_EXC_ACCEPTED_RISK = 0,
    SB_EXC_COMPENSATING_CONTROL,
    SB_EXC_ATTESTATION
};
const char *sb_exception_kind_id(enum sb_exception_kind k); /**< "accepted_risk", ... */
const char *sb_exception_kind_label(enum sb_exception_kind k); /**< "Accepted risk", ... */

/** One entry of the --exceptions file, with what became of it. */
struct sb_exception {
    /* The first twelve fields keep their historic order (positional initialisers in tests). */
    char *entry_id;          /**< "id" from the file, else "#<number>" */
    enum sb_exception_kind kind;
    char *finding_id;        /**< match by finding id, or NULL */
    char *control;           /**< match by control + feature + resource pattern, or NULL */
    char *feature;
    char *resource_pattern;  /**< glob ('*', '?'), case-insensitive; NULL = any */
    char *justification;
    char *approved_by;       /**< "approved_by" (or the older "approver"), or NULL: a governance warning */
    char *ticket;
    char *expires;           /**< "YYYY-MM-DD" (valid through that day, UTC) */
    bool expired;            /**< expired at the report's generation time: not applied */
    size_t matched;          /**< results it matched (applied, or would have if not expired) */
    const char **matched_ids; /**< the finding ids of those results, in result order, or NULL when not
                                   recorded (strings borrowed from the results; the array is owned) */
    int number;              /**< 1-based position in the file: how errors and warnings name the entry */
    char *approved_on;       /**< "YYYY-MM-DD", or NULL */
    char *owner;             /**< who owns the risk / the remediation, or NULL */
    char *evidence;          /**< reference or URL to the compensating-control evidence, or NULL */
    char **warnings;         /**< governance warnings, one sentence each (blanket scope, long expiry,
                                  no approver); owned */
    size_t nwarnings;
};

struct sb_result {
    char *id;                          /**< stable finding id, see eval.h */
    const struct sb_control *control;  /**< borrowed from the baseline */
    const struct sb_feature *feature;  /**< borrowed from the baseline */
    char *resource_id;                 /**< NULL when not resource-bound or nothing in scope */
    char *resource_name;               /**< last id segment, or NULL */
    char *resource_type;               /**< e.g. "Microsoft.Network/expressRouteCircuits", or NULL */
    char *subscription_id;             /**< from the id, or NULL */
    char *resource_group;              /**< from the id, or NULL */
    enum sb_status status;
    enum sb_severity severity;         /**< meaningful for fail (and not_assessed); NONE otherwise */
    char *summary;                     /**< one line: why this status */
    char *remediation;                 /**< concrete fix for fail/not_assessed/manual, else NULL */
    struct sb_evidence *evidence;
    size_t nevidence;
    const struct sb_exception *exception;         /**< active exception applied, or NULL */
    const struct sb_exception *expired_exception; /**< matching but expired entry, or NULL */
    /** When set, the pool (sb_report.strings) that owns every string of this result and its evidence; when NULL,
     *  each string is its own allocation (results built by hand, e.g. in tests). */
    struct sb_strpool *strings;
};

/** A file the assessment read. */
struct sb_report_input {
    char *role;      /**< "input", "baseline", "exceptions", "previous" */
    char *name;      /**< as given on the command line */
    char *kind;      /**< input shape: "arm-list", "arm-array", "arm-resource", "resource-graph", "snapshot"; or NULL */
    uint64_t size;
    char sha256[65];
};

/** Something that could not be collected (from a snapshot) or read. */
struct sb_gap {
    char *scope;        /**< "/subscriptions/<id>" or a resource id */
    char *collection;   /**< e.g. "resources", "diagnosticSettings", "expressRoutePorts" */
    char *request;      /**< "GET /subscriptions/.../providers/...", without host, query secrets, or tokens */
    int http_status;    /**< 0 when no HTTP status (timeout, reset) */
    char *error_code;   /**< e.g. "AuthorizationFailed", or NULL */
    char *message;
};

/** How completely one subscription's resources were read (report.json scope.subscriptions[].collected). */
enum sb_sub_collected {
    SB_SUB_INPUT_FILES = 0, /**< seen only in the given files' resource ids: whether they hold all of it is unknown */
    SB_SUB_COMPLETE,        /**< listed by a snapshot's collection, with no gap at, under or above it */
    SB_SUB_PARTIAL,         /**< a gap under it (a resource's details) or above it (whole scope, management group) */
    SB_SUB_NOT_COLLECTED,   /**< its resources could not be listed (e.g. HTTP 403) */
};
const char *sb_sub_collected_id(enum sb_sub_collected c); /**< "input_files", "complete", "partial", "not_collected" */

struct sb_subscription {
    char *id;
    char *name;         /**< display name, or NULL */
    enum sb_sub_collected collected; /**< set by the assessment (meaningless in the state) */
};

/** Why the population is incomplete; every reason stands for gaps listed in sb_report.gaps. */
struct sb_incomplete_reason {
    char *code;         /**< "paged_input", "truncated_input", "subscription_not_collected", "scope_not_collected",
                             "resource_detail_not_collected", "incomplete_collection" */
    size_t count;       /**< gaps of this kind */
    char *text;         /**< one line naming files or scopes (the first few) */
};

/** The identity a snapshot was collected with: ids only, never a secret. */
struct sb_identity {
    char *method;       /**< e.g. "client secret", or NULL */
    char *tenant;
    char *client;       /**< application (client) id or managed identity client id, or NULL */
};

struct sb_type_count {
    char *type;         /**< lower-case resource type */
    size_t count;
};

struct sb_scope {
    char **tenants;
    size_t ntenants;
    struct sb_subscription *subscriptions; /**< sorted by id */
    size_t nsubscriptions;
    struct sb_type_count *types;           /**< sorted by type */
    size_t ntypes;
    size_t nresources;

    /* Population completeness and what was asked for (docs/report-format.md "scope"). */
    bool complete;                         /**< every input a complete listing and no gap: ngaps == 0 */
    struct sb_incomplete_reason *reasons;  /**< empty when complete */
    size_t nreasons;
    const char *requested_kind;            /**< "management_groups", "subscriptions", "all_visible", "input_files", "mixed" */
    char *requested;                       /**< one line for people, e.g. "management group mg-contoso" */
    char **requested_management_groups;
    size_t nrequested_management_groups;
    char **requested_subscriptions;
    size_t nrequested_subscriptions;
    size_t subscriptions_assessed;         /**< subscriptions whose resources could be listed */
    struct sb_identity *identities;        /**< from snapshots; empty for files exported otherwise */
    size_t nidentities;
};

/** Quarter-over-quarter changes (issue "diff"); NULL in a report without --previous. */
enum sb_change_kind {
    SB_CHANGE_NEW_FINDING = 0,   /**< a finding id that did not exist, or was not failing before */
    SB_CHANGE_RESOLVED,          /**< failing before; present now and passing, or excepted */
    SB_CHANGE_STATUS,            /**< same finding id, other status */
    SB_CHANGE_RESOURCE_ADDED,
    SB_CHANGE_RESOURCE_REMOVED,
    SB_CHANGE_EVIDENCE,          /**< same finding, an evidence value changed */
    SB_CHANGE_EXCEPTION_EXPIRED,
    SB_CHANGE_EXCEPTION_ADDED,
    SB_CHANGE_NO_LONGER_ASSESSED, /**< failing before; its resource or subscription is not in the current report */
    SB_CHANGE_KIND_COUNT
};
const char *sb_change_kind_id(enum sb_change_kind k);    /**< "new_finding", "resolved", ... */
const char *sb_change_kind_label(enum sb_change_kind k); /**< "New finding", "Resolved", ... */

struct sb_change {
    enum sb_change_kind kind;
    char *finding_id;   /**< or NULL */
    char *control;      /**< or NULL */
    char *feature;      /**< or NULL */
    char *resource_id;  /**< or NULL */
    char *path;         /**< evidence path for SB_CHANGE_EVIDENCE, or NULL */
    char *old_value;    /**< status id / evidence value / NULL */
    char *new_value;
    char *reason;       /**< why: for no_longer_assessed (deleted or not collected), resolved by exception; or NULL */
};

struct sb_changes {
    char *previous_name;      /**< the previous report.json as given */
    char *previous_sha256;
    char *previous_generated; /**< its generation time */
    struct sb_change *items;  /**< sorted by kind, then finding id, resource id, path */
    size_t n;
};

struct sb_report {
    const struct sb_baseline *baseline; /**< borrowed */
    char *tool_name;                    /**< "mcsb-audit" */
    char *tool_version;
    time_t generated_at;                /**< SOURCE_DATE_EPOCH or now */
    char generated[32];                 /**< ISO 8601 UTC of generated_at */
    char *organisation;                 /**< --organisation, or NULL */
    char *classification;               /**< --classification, or NULL */
    char *collection_started;           /**< from snapshots, or NULL */
    char *collection_finished;
    char *cloud;                        /**< e.g. "AzureCloud", or NULL */
    char *evidence_as_of;               /**< latest input_as_of when every state input records one, else NULL */
    char **input_as_of;                 /**< per state input (inputs[0..ninput_as_of)): when it was read, or NULL */
    size_t ninput_as_of;
    char *period_from, *period_to;      /**< --period FROM..TO (YYYY-MM-DD), or NULL */

    struct sb_report_input *inputs;     /**< in command-line order: inputs, then baseline, exceptions */
    size_t ninputs;
    struct sb_scope scope;

    struct sb_result *results;          /**< baseline order (control, feature), then resource id (case-insensitive) */
    struct sb_strpool *strings;         /**< owns the evaluated results' strings (sb_result.strings), or NULL */
    size_t nresults;
    size_t counts[SB_STATUS_COUNT];     /**< per status, over all results */
    size_t excepted;                    /**< results with an active exception */

    struct sb_exception *exceptions;    /**< every entry of the exceptions file, in file order */
    size_t nexceptions;
    int max_exception_days;             /**< review period the warnings used (--max-exception-days) */
    struct sb_gap *gaps;                /**< sorted by scope, collection */
    size_t ngaps;
    struct sb_changes *changes;         /**< NULL unless --previous */
};

/** Counts per control domain, in baseline order. Caller frees *out (array only). */
struct sb_domain_counts {
    const char *domain;                 /**< borrowed from the baseline */
    size_t counts[SB_STATUS_COUNT];
    size_t excepted;
};
size_t report_domain_counts(const struct sb_report *r, struct sb_domain_counts **out);

/** Results of one feature (a contiguous run in r->results). */
size_t report_feature_results(const struct sb_report *r, const struct sb_feature *f,
                              const struct sb_result **first);

/**
 * The outcome of a feature for the responsibility matrix: the single status when all its
 * results agree, else the most urgent one by sb_status_rank (e.g. one fail among passes → fail).
 */
enum sb_status report_feature_outcome(const struct sb_report *r, const struct sb_feature *f);

/** Evidence rendered "path = value" (the canonical one-line form). Caller frees. */
char *sb_evidence_line(const struct sb_evidence *ev);

/** "Fail — excepted until 2027-03-31 (accepted risk)" style label; caller frees. */
char *sb_result_status_text(const struct sb_result *res);

/** The scope and completeness statement every format shows first, as label/value lines. */
struct sb_statement_line {
    const char *label;  /**< "Scope requested", "Subscriptions", "Identity", "Population", "Gaps", "Evidence as of", "Audit period" */
    char *value;
    bool alert;         /**< shown emphasised (population incomplete, no resources) */
};
/** Fill out[] (caller frees with report_statement_free); returns the number of lines. */
size_t report_statement(const struct sb_report *r, struct sb_statement_line **out);
void report_statement_free(struct sb_statement_line *v, size_t n);
/** "Population incomplete: 2 reasons" style one-liner, or "Population complete"; caller frees. */
char *report_population_line(const struct sb_report *r);

/** Free the strings of one exception entry (not the struct itself). */
void sb_exception_clear(struct sb_exception *x);

void report_free(struct sb_report *r);
void sb_changes_free(struct sb_changes *c);

#endif
