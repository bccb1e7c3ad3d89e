/**
 * @file render.h
 * @brief The registry of output formats. Each renderer turns a finished report into one file.
 *
 * Contract for every renderer: write the complete document to `out_path` (the driver passes a
 * temporary sibling path and renames it into place only after every requested format
 * succeeded, so a renderer never needs to be atomic itself). On failure return -1 with `e`
 * set (exit code 4 for output/system errors); the driver removes whatever was left at out_path.
 * Renderers must be deterministic: the same report gives the same bytes (no clock, no locale,
 * no addresses, no hash-table order).
 */
#ifndef SB_RENDER_H
#define SB_RENDER_H

#include "report.h"

struct sb_err;

struct sb_render_opts {
    const char *data_dir;   /**< root holding templates/ and fonts/ */
    const char *paper;      /**< "a4" (default) or "letter" */
    const char *pdf_detail; /**< "grouped" (default, also NULL) or "full": every PDF result with its evidence */
};

struct sb_renderer {
    const char *name;       /**< "pdf" */
    const char *extension;  /**< ".pdf" */
    const char *help;       /**< one line for --help */
    int (*render)(const struct sb_report *r, const struct sb_render_opts *o, const char *out_path,
                  struct sb_err *e);
};

/** NULL-terminated (name == NULL) table, in --help order. */
extern const struct sb_renderer sb_renderers[];
const struct sb_renderer *render_find(const char *name);

int render_json(const struct sb_report *r, const struct sb_render_opts *o, const char *out_path, struct sb_err *e);
int render_csv(const struct sb_report *r, const struct sb_render_opts *o, const char *out_path, struct sb_err *e);
int render_md(const struct sb_report *r, const struct sb_render_opts *o, const char *out_path, struct sb_err *e);
int render_pdf(const struct sb_report *r, const struct sb_render_opts *o, const char *out_path, struct sb_err *e);
int render_xlsx(const struct sb_report *r, const struct sb_render_opts *o, const char *out_path, struct sb_err *e);

#endif
