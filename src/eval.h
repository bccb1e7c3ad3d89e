/**
 * @file eval.h
 * @brief Evaluate resource state against a baseline: every feature gets at least one result.
 *
 * Rules are looked up by the `rule` id a baseline feature names (see eval_rules.c for the table).
 * Statuses are honest: evidence that is not in the input gives `not_assessed`, never a pass or a fail.
 */
#ifndef SB_EVAL_H
#define SB_EVAL_H

#include "baseline.h"
#include "report.h"
#include "state.h"

struct sb_err;

/** A growable list of results; the evaluator appends, the report takes ownership. */
struct sb_results {
    struct sb_result *items;
    size_t n;
    size_t cap;
    struct sb_strpool *strings; /**< made by eval_baseline: every result's strings; the report takes it over */
};

/**
 * Evaluate every feature of `b` against `st` (finalized). Appends to `out`, then sorts it into
 * report order (baseline order, then resource id). Unknown rule ids are an input error (exit 3).
 */
int eval_baseline(struct sb_results *out, const struct sb_baseline *b, const struct sb_state *st,
                  struct sb_err *e);

/** Free what eval_baseline appended (results and their string pool) and empty `out`. */
void eval_results_free(struct sb_results *out);

/** True when `rule` is implemented (used to validate baselines). */
int eval_rule_known(const char *rule);

/** What a rule reads and its pass condition, for method appendices; NULL for unknown rules. */
const char *eval_rule_method(const char *rule);

/**
 * Stable finding id: "<baseline id>-<control id>-<16 hex of SHA-256(baseline|control|feature|lower(resource id))>".
 * Caller frees.
 */
char *eval_finding_id(const char *baseline_id, const char *control_id, const char *feature_name,
                      const char *resource_id);

#endif
