/**
 * @file assess.h
 * @brief From files to a finished report: load inputs, evaluate, apply exceptions, collect metadata.
 */
#ifndef SB_ASSESS_H
#define SB_ASSESS_H

#include <stddef.h>

#include "baseline.h"
#include "report.h"

struct sb_err;

struct sb_assess_opts {
    const char *const *inputs;   /**< state files, in command-line order */
    size_t ninputs;
    const char *baseline_name;   /**< how the baseline is named in reports (NULL: its path) */
    const char *exceptions_path; /**< or NULL */
    int max_exception_days;      /**< governance warning beyond this many days; 0 = SB_MAX_EXCEPTION_DAYS */
    const char *organisation;    /**< or NULL */
    const char *classification;  /**< or NULL */
    const char *period_from;     /**< --period FROM..TO, validated YYYY-MM-DD dates; or NULL */
    const char *period_to;
};

/** Build the report. `b` is borrowed and must outlive the report. Caller frees with report_free(). */
int assess_run(struct sb_report **out, const struct sb_baseline *b, const struct sb_assess_opts *o,
               struct sb_err *e);

#endif
