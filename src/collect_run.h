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
    long timeout_ms;
    long retry_base_ms;
    bool managed_identity;         /**< --managed-identity */
    bool quiet, verbose, progress;
};

/** Largest batch of subscriptions in one Resource Graph request. */
#define COLLECT_ARG_BATCH 300
/** Resource Graph page size. */
#define COLLECT_ARG_TOP 1000

/**
 * Collect and write the snapshot. Returns an enum sb_exit value; for 4/6/7 `e` holds the
 * reason, for 5 the gaps are in the snapshot (and summarised on stderr unless quiet).
 */
int collect_run(const struct collect_config *cfg, struct sb_err *e);

/** The Resource Graph query (KQL) the collector sends. Static string. */
const char *collect_query(void);

#endif
