/**
 * @file report_output.h
 * @brief Write every requested format, all or nothing, then the manifest; decide the exit status.
 */
#ifndef SB_REPORT_OUTPUT_H
#define SB_REPORT_OUTPUT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "render.h"

struct sb_err;

struct report_output_opts {
    const char *out_dir;
    const char *basename;
    const char *paper;
    const char *pdf_detail;   /**< "grouped" (NULL) or "full" */
    const char *data_dir;
    const char *fail_on;      /**< never, high, medium, low, fail, not_assessed, manual, new */
    const char *previous;     /**< previous report.json, or NULL */
    const char *sign_key;     /**< private key for manifest.json.sig, or NULL */
    const struct sb_renderer *formats[SB_MAX_FORMATS]; /**< in sb_renderers[] order */
    size_t nformats;
    bool quiet;
    unsigned jobs;            /**< formats rendered at once; 0: as many as processors, at most 4 */
    unsigned pdf_volume_pages; /**< PDF volume size in pages; 0: 1,200 */
};

/**
 * Render each format to a temporary file beside its destination, then rename them all into place;
 * on any failure remove every temporary file and leave existing reports untouched. With
 * `previous`, r->changes is filled first. Writes manifest.json / manifest.sha256 last.
 */
int report_write_outputs(struct sb_report *r, const struct report_output_opts *o, struct sb_err *e);

/** mkdir -p, then check it is a writable directory (exit code 4 on failure). */
int report_make_dirs(const char *dir, struct sb_err *e);

/** 0 when `level` is a known --fail-on level. */
int report_fail_on_valid(const char *level);

/** SB_EXIT_FINDINGS when a result without an active exception reaches --fail-on, else SB_EXIT_OK. */
int report_exit_status(const struct sb_report *r, const struct report_output_opts *o);

/** "mcsb-audit: warning: FILE: entry #N (ID): ..." for each governance warning and unmatched entry. */
void report_print_exception_warnings(FILE *f, const struct sb_report *r, const char *exceptions_path);

/** One closing line: the counts, whether the assessment is complete, and where the files are. */
void report_print_summary(FILE *f, const struct sb_report *r, const struct report_output_opts *o);

#endif
