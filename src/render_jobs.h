/**
 * @file render_jobs.h
 * @brief Render several formats of one report at the same time, on a few threads.
 *
 * The formats are independent: each reads the finished report (never changed while rendering)
 * and writes its own file, so the bytes are the same whatever the order or the number of threads.
 * The longest renderers (sb_renderer.cost) start first, so two cores finish an all-formats run in
 * about the time of the workbook alone.
 */
#ifndef SB_RENDER_JOBS_H
#define SB_RENDER_JOBS_H

#include "err.h"
#include "render.h"

#include <stddef.h>

struct render_job {
    const struct sb_renderer *format;
    const char *path;            /**< where to write (a temporary of the output set) */
    struct sb_render_opts opts;
    int rc;                      /**< set by render_jobs_run: the renderer's return */
    struct sb_err err;           /**< its error when rc != 0 */
};

/** Threads worth using: the online processors, at most 4 (renderers are mostly single-stream writes). */
unsigned render_jobs_default_workers(void);

/** Run every job, on up to `workers` threads (1: in this thread, in the given order). */
void render_jobs_run(const struct sb_report *r, struct render_job *jobs, size_t n, unsigned workers);

#endif
