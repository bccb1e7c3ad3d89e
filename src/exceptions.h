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

/** Attach the first matching active entry (file order) to each result; count matches. */
void exceptions_apply(struct sb_exception *ex, size_t n, struct sb_result *results, size_t nresults);

/** Case-insensitive glob with '*' and '?'. */
int sb_glob_match(const char *pattern, const char *text);

#endif
