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

#include <stdbool.h>
#include <stddef.h>

struct sb_err;

/** Room for every entry of sb_renderers[] (a static assertion in render.c checks it). */
#define SB_MAX_FORMATS 16

/** A report file already rendered in this run (its bytes are final, at `path`, before the rename). */
struct sb_render_output {
    const char *name;       /**< file name relative to the output directory, e.g. "report.pdf" */
    const char *path;       /**< where its bytes are now (the temporary file) */
};

struct sb_render_opts {
    const char *data_dir;   /**< root holding templates/ and fonts/ */
    const char *paper;      /**< "a4" (default) or "letter" */
    const char *pdf_detail; /**< "grouped" (default, also NULL) or "full": every PDF result with its evidence */
    /** For a format that reads_outputs, rendered at the same time as the others: call it when their files are
     *  needed (OSCAL's back-matter hashes them). It returns once they are all written: the files of the formats
     *  before this one in table order, *n of them, valid while rendering. NULL when there are none to wait for. */
    const struct sb_render_output *(*wait_outputs)(void *ctx, size_t *n);
    void *wait_ctx;
    unsigned pdf_volume_pages; /**< a longer PDF is split into volumes of at most this many pages; 0: 1,200 */
    const char *file_name;     /**< this format's file name in the report directory ("report.pdf"), or NULL */
    /**
     * Another file for this format (a PDF volume), named the report's base name + `suffix` + `extension`
     * ("report" "-2" ".pdf"). Sets *name to that name and *tmp to where to write it (both valid while
     * rendering); the file joins the output set and the manifest like the format's own. NULL when no more
     * files can be taken. May be called from any rendering thread.
     */
    int (*add_output)(void *ctx, const char *suffix, const char *extension, const char **name, const char **tmp,
                      struct sb_err *e);
    void *add_output_ctx;
};

/** The most files a format may add with add_output (PDF volumes beyond the first). */
#define SB_MAX_EXTRA_OUTPUTS 15

struct sb_renderer {
    const char *name;       /**< "pdf" */
    const char *extension;  /**< ".pdf" */
    const char *help;       /**< one line for --help */
    bool by_default;        /**< written when --format is not given */
    bool reads_outputs;     /**< hashes the formats before it (sb_render_opts.wait_outputs) */
    unsigned cost;          /**< relative rendering time, so the longest renderers start first */
    int (*render)(const struct sb_report *r, const struct sb_render_opts *o, const char *out_path,
                  struct sb_err *e);
};

/** NULL-terminated (name == NULL) table, in --help and rendering order. OSCAL comes last: its back-matter
 *  hashes every other output of the run. */
extern const struct sb_renderer sb_renderers[];
const struct sb_renderer *render_find(const char *name);

int render_json(const struct sb_report *r, const struct sb_render_opts *o, const char *out_path, struct sb_err *e);
int render_csv(const struct sb_report *r, const struct sb_render_opts *o, const char *out_path, struct sb_err *e);
int render_md(const struct sb_report *r, const struct sb_render_opts *o, const char *out_path, struct sb_err *e);
int render_pdf(const struct sb_report *r, const struct sb_render_opts *o, const char *out_path, struct sb_err *e);
int render_xlsx(const struct sb_report *r, const struct sb_render_opts *o, const char *out_path, struct sb_err *e);
int render_sarif(const struct sb_report *r, const struct sb_render_opts *o, const char *out_path, struct sb_err *e);
int render_oscal(const struct sb_report *r, const struct sb_render_opts *o, const char *out_path, struct sb_err *e);


#endif
