/*
 * Internal to the diff (diff_read.c reads, diff.c compares): a report as the comparison sees it.
 * Only what the comparison uses is kept, so that a previous report of 100,000 results costs a compact
 * list, not its JSON tree.
 */
#ifndef SB_DIFF_MODEL_H
#define SB_DIFF_MODEL_H

#include <stdbool.h>
#include <stddef.h>

#include "report.h"

struct sb_strpool;

/* report.json files larger than this are refused (the reader holds one file's bytes). */
#define DIFF_REPORT_MAX (256u * 1024 * 1024)

struct devidence {
    const char *resource_id;
    const char *path;
    const char *value;
    bool used; /* paired with an evidence of the other report (compare_evidence) */
};

struct dfinding {
    const char *id;
    const char *subscription_id;
    const char *control;
    const char *feature;
    const char *resource_id;     /* NULL when absent or empty */
    enum sb_status status;
    struct devidence *ev;        /* owned */
    size_t nev;
    const char *applied;         /* entry id of the active exception, or NULL */
    const char *expired;         /* entry id of a matching but expired exception, or NULL */
    const char *expired_expires; /* its "expires" date */
};

struct dexception {
    const char *entry_id;
    const char *kind;
    const char *finding_id;
    const char *control;
    const char *feature;
    const char *resource_pattern;
    const char *expires;
    bool expired;
};

/* How completely the report read one subscription (scope.subscriptions[].collected; NULL in older reports). */
struct dsub {
    const char *id;
    const char *collected;
};

/*
 * Strings are borrowed (from the cJSON tree or the sb_report the view was made from, which must outlive
 * it) unless `pool` is set: then the pool owns them (a report read from a file, whose trees are gone).
 */
struct diff_report {
    char *name;
    const char *generated;
    struct dsub *subs;
    size_t nsubs;
    bool has_subs; /* the report records scope.subscriptions */
    char **rids;   /* lower-cased resource ids, sorted (built by the comparison for the current report) */
    size_t nrids;
    struct dfinding *f; /* sorted by id */
    size_t nf;
    struct dexception *x; /* sorted by entry id */
    size_t nx;
    struct sb_strpool *pool;
};

int diff_cmp_finding(const void *a, const void *b);
int diff_cmp_exception(const void *a, const void *b);

#endif
