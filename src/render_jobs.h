/**
 * @file render_jobs.h
 * @brief Render several formats of one report at the same time, on a few threads.
 *
 * The formats are independent: each reads the finished report (never changed while rendering)
 * and writes its own file, so the bytes are the same whatever the order or the number of threads.
 * The longest renderers (sb_renderer.cost) start first. A format that hashes the others' files
 * (sb_renderer.reads_outputs: OSCAL) runs alongside them too, and calls render_jobs_wait_others()
 * only when it needs their files: that call renders what is still queued in its own thread, then
 * waits for what other threads are rendering, so no thread is ever idle while work is left and
 * one thread alone finishes everything.
 */
#ifndef SB_RENDER_JOBS_H
#define SB_RENDER_JOBS_H

#include "err.h"
#include "render.h"

#include <stddef.h>

struct render_queue;

struct render_job {
    const struct sb_renderer *format;
    const char *path;            /**< where to write (a temporary of the output set) */
    struct sb_render_opts opts;
    int rc;                      /**< set by render_jobs_run: the renderer's return */
    struct sb_err err;           /**< its error when rc != 0 */
    struct render_queue *queue;  /**< set by render_jobs_run while it runs */
};

/** Threads worth using: the online processors, at most 4 (renderers are mostly single-stream writes). */
unsigned render_jobs_default_workers(void);

/** Run every job, on up to `workers` threads (1: all in this thread). */
void render_jobs_run(const struct sb_report *r, struct render_job *jobs, size_t n, unsigned workers);

/** From inside job `self` (a reads_outputs format): return once every job that is not reads_outputs has
 *  finished, rendering queued ones meanwhile. */
void render_jobs_wait_others(struct render_job *self);

#endif
