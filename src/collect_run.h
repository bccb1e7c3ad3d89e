/**
 * @file collect_run.h
 * @brief The collector behind `mcsb-audit collect` (internal to collect_*.c and the tests).
 */
#ifndef SB_COLLECT_RUN_H
#define SB_COLLECT_RUN_H

#include <stdbool.h>
#include <stddef.h>

struct sb_err;

struct collect_config {
    char **subscriptions;          /**< --subscription (may be empty: every visible one) */
    size_t n_subscriptions;
    char **management_groups;      /**< --management-group */
    size_t n_management_groups;
    const char *output;            /**< --output */
    const char *cloud;             /**< AzureCloud | AzureUSGovernment | AzureChinaCloud */
    const char *arm_endpoint;      /**< resolved (cloud default or override) */
    const char *authority_host;    /**< resolved */
    const char *token_file;
    const char *ca_bundle;
    int max_parallel;
    int max_retries;
    long timeout_ms;               /**< --timeout: each HTTP attempt, token requests included */
    long retry_base_ms;
    int max_pages;                 /**< --max-pages: pages read of one listing before it becomes a gap */
    long long deadline_ms;         /**< --deadline: the whole collection; 0 = none */
    bool managed_identity;         /**< --managed-identity */
    bool quiet, verbose, progress;
};

/** Largest batch of subscriptions in one Resource Graph request. */
#define COLLECT_ARG_BATCH 300
/** Resource Graph page size. */
#define COLLECT_ARG_TOP 1000
/** Default --max-pages: 1,000 Resource Graph pages are a million rows for one batch. */
#define COLLECT_DEFAULT_MAX_PAGES 1000
/** Default --deadline: two hours. */
#define COLLECT_DEFAULT_DEADLINE_MS (2LL * 3600 * 1000)
/** Longest gap message kept (bytes); server text beyond it is cut. */
#define COLLECT_MESSAGE_MAX 1024

/**
 * Parse a --deadline value: a sequence of NUMBER UNIT with units d, h, m, s ("90s", "30m", "2h",
 * "1h30m"); a bare number is seconds. Returns 0 and the total in *out_ms, or -1 when malformed
 * or zero or longer than 7 days.
 */
int collect_parse_duration(const char *s, long long *out_ms);

/**
 * Collect and write the snapshot. Returns an enum sb_exit value; for 4/6/7 `e` holds the
 * reason, for 5 the gaps are in the snapshot (and summarised on stderr unless quiet).
 */
int collect_run(const struct collect_config *cfg, struct sb_err *e);

/** The Resource Graph query (KQL) the collector sends. Static string. */
const char *collect_query(void);

#endif
