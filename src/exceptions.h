/**
 * @file exceptions.h
 * @brief The --exceptions file: accepted risks, compensating controls and attestations (docs/exceptions-format.md).
 *
 * An active entry is attached to matching results (their status is kept); an expired one is
 * reported and not applied. Ownership: entries are moved into the report (report->exceptions).
 */
#ifndef SB_EXCEPTIONS_H
#define SB_EXCEPTIONS_H

#include <stddef.h>
#include <time.h>

#include "report.h"

struct sb_err;

/** Parse and validate an exceptions file. `out` and `n` receive the entries; caller owns them. */
int exceptions_load(struct sb_exception **out, size_t *n, const char *path, const char *buf, size_t len,
                    time_t now, struct sb_err *e);

/** Exit 3 when an entry names a control, or a feature of a control, that the baseline does not have
 *  (entries by finding id are not checked: a finding that no longer exists is simply unmatched). */
int exceptions_check_baseline(const struct sb_exception *ex, size_t n, const struct sb_baseline *b,
                              const char *path, struct sb_err *e);

/** Default for --max-exception-days: an exception is reviewed at least yearly. */
#define SB_MAX_EXCEPTION_DAYS 365

/** Fill each active entry's governance warnings: blanket scope (a whole control, or every resource),
 *  expiry more than max_days after `now`, no approver. */
void exceptions_review(struct sb_exception *ex, size_t n, time_t now, int max_days);

/** Attach the first matching active entry (file order) to each result; record every match (count and finding ids). */
void exceptions_apply(struct sb_exception *ex, size_t n, struct sb_result *results, size_t nresults);

/** Case-insensitive glob with '*' and '?'. */
int sb_glob_match(const char *pattern, const char *text);

#endif
