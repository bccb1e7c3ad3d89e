#include "report_output.h"

#include "diff.h"
#include "err.h"
#include "manifest.h"
#include "out_set.h"
#include "render_jobs.h"
#include "sign.h"
#include "util.h"

#include <errno.h>
#include <limits.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

int report_make_dirs(const char *dir, struct sb_err *e)
{
    char *p = sb_xstrdup(dir);
    int rc = 0;
    for (char *s = p + 1; ; s++) {
        if (*s == '/' || *s == '\0') {
            char saved = *s;
            *s = '\0';
            if (mkdir(p, 0777) != 0 && errno != EEXIST) {
                rc = sb_err_set(e, SB_EXIT_OUTPUT, "%s: cannot create directory: %s", p, strerror(errno));
                break;
            }
            *s = saved;
            if (!saved)
                break;
        }
    }
    struct stat st;
    if (rc == 0 && (stat(dir, &st) != 0 || !S_ISDIR(st.st_mode)))
        rc = sb_err_set(e, SB_EXIT_OUTPUT, "%s: not a directory", dir);
    if (rc == 0 && access(dir, W_OK) != 0)
        rc = sb_err_set(e, SB_EXIT_OUTPUT, "%s: not writable: %s", dir, strerror(errno));
    free(p);
    return rc;
}

/* Compare with the previous report.json before rendering, so every format can show the changes. */
static int attach_changes(struct sb_report *r, const char *given, struct sb_err *e)
{
    struct diff_report *old = NULL, *cur = NULL;
    char sha[65];
    char *previous = diff_report_path(given, e); /* --previous DIR: its report.json */
    /* The previous report is read one result at a time, the current one straight from r: at 100,000
     * results neither ever becomes a JSON tree (issue 12). */
    if (!previous || diff_report_read(&old, sha, previous, e) != 0
        || diff_report_from_model(&cur, r, "current report", e) != 0) {
        diff_report_free(old);
        free(previous);
        return -1;
    }
    r->changes = diff_compare(old, cur);
    diff_report_free(old);
    diff_report_free(cur);
    free(r->changes->previous_sha256);
    r->changes->previous_sha256 = sb_xstrdup(sha);
    struct stat st;
    r->inputs = sb_xrealloc(r->inputs, (r->ninputs + 1) * sizeof *r->inputs);
    struct sb_report_input *in = &r->inputs[r->ninputs++];
    memset(in, 0, sizeof *in);
    in->role = sb_xstrdup("previous");
    in->name = sb_xstrdup(previous);
    in->size = stat(previous, &st) == 0 ? (uint64_t)st.st_size : 0;
    memcpy(in->sha256, sha, 65);
    free(previous);
    return 0;
}

/* A bad signing key must stop the run before any report is written, not after. */
static int check_sign_key(const char *key, struct sb_err *e)
{
    unsigned char *sig = NULL;
    size_t len = 0;
    int rc = sb_sign(&sig, &len, "", 0, key, e);
    free(sig);
    return rc;
}

/* Every file of one run: each format's own, then the files formats add (PDF volumes), each with its owner. */
#define MAX_OUTPUTS (SB_MAX_FORMATS + SB_MAX_EXTRA_OUTPUTS)
_Static_assert(MAX_OUTPUTS + 4 <= SB_OUTSET_MAX, "an output set holds every output and the manifest");

struct outputs {
    const struct report_output_opts *o;
    size_t n;
    char *names[MAX_OUTPUTS];
    char *final[MAX_OUTPUTS];
    char tmp[MAX_OUTPUTS][PATH_MAX];
    const char *tmps[MAX_OUTPUTS];
    size_t owner[MAX_OUTPUTS];           /* index of the format in o->formats */
    pthread_mutex_t lock;                /* add_output runs on rendering threads */
};

static int outputs_add(struct outputs *out, size_t owner, char *name, struct sb_err *e)
{
    if (out->n == MAX_OUTPUTS) {
        sb_err_set(e, SB_EXIT_OUTPUT, "%s: too many output files (at most %d)", name, MAX_OUTPUTS);
        free(name);
        return -1;
    }
    size_t i = out->n++;
    out->names[i] = name;
    out->final[i] = sb_path_join(out->o->out_dir, name);
    out->tmps[i] = out->tmp[i];
    out->owner[i] = owner;
    return sb_outset_add(out->final[i], out->tmp[i], sizeof out->tmp[i], e);
}

/* The add_output and wait_outputs callbacks of one format (render.h). */
struct format_ctx {
    struct outputs *out;
    size_t owner;
    struct render_job *job;
    struct sb_render_output done[MAX_OUTPUTS];
};

static int add_extra(void *ctx, const char *suffix, const char *extension, const char **name, const char **tmp,
                     struct sb_err *e)
{
    struct format_ctx *x = ctx;
    struct outputs *out = x->out;
    pthread_mutex_lock(&out->lock);
    size_t i = out->n;
    int rc = outputs_add(out, x->owner, sb_xasprintf("%s%s%s", out->o->basename, suffix, extension), e);
    if (rc == 0) {
        *name = out->names[i];
        *tmp = out->tmps[i];
    }
    pthread_mutex_unlock(&out->lock);
    return rc;
}

/* Once the other formats are written: the files of those before this one in table order, each followed by the
 * files it added. */
static const struct sb_render_output *wait_outputs(void *ctx, size_t *count)
{
    struct format_ctx *x = ctx;
    struct outputs *out = x->out;
    render_jobs_wait_others(x->job);
    pthread_mutex_lock(&out->lock);
    size_t n = 0;
    for (size_t f = 0; f < x->owner; f++)
        for (size_t k = 0; k < out->n; k++)
            if (out->owner[k] == f && !out->o->formats[f]->reads_outputs)
                x->done[n++] = (struct sb_render_output){out->names[k], out->tmps[k]};
    pthread_mutex_unlock(&out->lock);
    *count = n;
    return x->done;
}

/*
 * Every format to its temporary, all at the same time (render_jobs.h): those that hash the others' files (OSCAL)
 * wait for them only when they come to write the hashes. A failure is reported for the first failing format in
 * table order, whatever finished first.
 */
static int render_all(const struct sb_report *r, struct outputs *out, const struct sb_render_opts *base,
                      struct sb_err *e)
{
    const struct report_output_opts *o = out->o;
    struct render_job jobs[SB_MAX_FORMATS];
    struct format_ctx *ctx = sb_xcalloc(o->nformats + 1, sizeof *ctx);
    for (size_t i = 0; i < o->nformats; i++) {
        ctx[i] = (struct format_ctx){.out = out, .owner = i, .job = &jobs[i]};
        jobs[i] = (struct render_job){.format = o->formats[i], .path = out->tmps[i], .opts = *base};
        jobs[i].opts.file_name = out->names[i];
        jobs[i].opts.add_output = add_extra;
        jobs[i].opts.add_output_ctx = &ctx[i];
        if (o->formats[i]->reads_outputs) {
            jobs[i].opts.wait_outputs = wait_outputs;
            jobs[i].opts.wait_ctx = &ctx[i];
        }
    }
    render_jobs_run(r, jobs, o->nformats, o->jobs ? o->jobs : render_jobs_default_workers());
    int rc = 0;
    for (size_t i = 0; i < o->nformats && rc == 0; i++)
        if (jobs[i].rc != 0) {
            *e = jobs[i].err;
            rc = -1;
        }
    free(ctx);
    return rc;
}

/*
 * All or nothing, the manifest included: every format is rendered to a temporary beside its
 * destination, the manifest is made from the temporaries' bytes and written to temporaries too,
 * and only then is everything renamed into place, reports first and manifest.sha256 last (out_set.h).
 * Any failure before that, or SIGINT / SIGTERM, removes every temporary and leaves the directory
 * as it was.
 */
int report_write_outputs(struct sb_report *r, const struct report_output_opts *o, struct sb_err *e)
{
    if (o->sign_key && check_sign_key(o->sign_key, e) != 0)
        return -1;
    if (o->previous && attach_changes(r, o->previous, e) != 0)
        return -1;
    if (report_make_dirs(o->out_dir, e) != 0)
        return -1;
    struct sb_render_opts ropts = {.data_dir = o->data_dir, .paper = o->paper, .pdf_detail = o->pdf_detail,
                                   .pdf_volume_pages = o->pdf_volume_pages};
    struct outputs *out = sb_xcalloc(1, sizeof *out);
    out->o = o;
    pthread_mutex_init(&out->lock, NULL);
    struct manifest_files m = {0};
    if (sb_outset_begin(e) != 0) {
        pthread_mutex_destroy(&out->lock);
        free(out);
        return -1;
    }
    int rc = 0;
    for (size_t i = 0; i < o->nformats && rc == 0; i++)
        rc = outputs_add(out, i, sb_xasprintf("%s%s", o->basename, o->formats[i]->extension), e);
    if (rc == 0)
        rc = render_all(r, out, &ropts, e);
    if (rc == 0)
        rc = manifest_build(&m, r, (const char *const *)out->names, out->tmps, out->n, o->sign_key, e);
    if (rc == 0)
        rc = manifest_add_to_outset(o->out_dir, &m, e);
    if (rc == 0)
        rc = sb_outset_commit(e);
    sb_outset_end(); /* removes whatever temporary is left after a failure */
    manifest_files_free(&m);
    if (rc == 0 && !o->quiet) {
        for (size_t f = 0; f < o->nformats; f++) /* each format, then the files it added */
            for (size_t i = 0; i < out->n; i++)
                if (out->owner[i] == f)
                    fprintf(stderr, "mcsb-audit: wrote %s\n", out->final[i]);
        fprintf(stderr, "mcsb-audit: wrote %s/%s%s\n", o->out_dir, SB_MANIFEST_JSON, o->sign_key ? " (signed)" : "");
    }
    for (size_t i = 0; i < out->n; i++) {
        free(out->final[i]);
        free(out->names[i]);
    }
    pthread_mutex_destroy(&out->lock);
    free(out);
    return rc;
}

static const char *const levels[] = {"never", "high", "medium", "low", "fail", "not_assessed", "manual", "new"};

int report_fail_on_valid(const char *level)
{
    for (size_t i = 0; i < sizeof levels / sizeof *levels; i++)
        if (strcmp(levels[i], level) == 0)
            return 0;
    return -1;
}

static bool reaches(const struct sb_result *res, const char *level)
{
    if (res->exception)
        return false; /* an active exception accepts the finding */
    switch (res->status) {
    case SB_STATUS_FAIL:
        if (strcmp(level, "high") == 0)
            return res->severity >= SB_SEV_HIGH;
        if (strcmp(level, "medium") == 0)
            return res->severity >= SB_SEV_MEDIUM;
        return strcmp(level, "never") != 0 && strcmp(level, "new") != 0;
    case SB_STATUS_NOT_ASSESSED:
        return strcmp(level, "not_assessed") == 0 || strcmp(level, "manual") == 0;
    case SB_STATUS_MANUAL:
        return strcmp(level, "manual") == 0;
    default:
        return false;
    }
}

int report_exit_status(const struct sb_report *r, const struct report_output_opts *o)
{
    if (strcmp(o->fail_on, "new") == 0)
        return diff_fail_on_new_report(r->changes, r) ? SB_EXIT_FINDINGS : SB_EXIT_OK;
    for (size_t i = 0; i < r->nresults; i++)
        if (reaches(&r->results[i], o->fail_on))
            return SB_EXIT_FINDINGS;
    return SB_EXIT_OK;
}

void report_print_exception_warnings(FILE *f, const struct sb_report *r, const char *exceptions_path)
{
    for (size_t i = 0; i < r->nexceptions; i++) {
        const struct sb_exception *x = &r->exceptions[i];
        for (size_t k = 0; k < x->nwarnings; k++)
            fprintf(f, "mcsb-audit: warning: %s: entry #%d (%s): %s\n", exceptions_path ? exceptions_path : "exceptions",
                    x->number, x->entry_id, x->warnings[k]);
        if (!x->matched)
            fprintf(f, "mcsb-audit: warning: %s: entry #%d (%s): matched no result (listed as unmatched)\n",
                    exceptions_path ? exceptions_path : "exceptions", x->number, x->entry_id);
    }
}

void report_print_summary(FILE *f, const struct sb_report *r, const struct report_output_opts *o)
{
    size_t na = r->counts[SB_STATUS_NOT_ASSESSED];
    fprintf(f, "mcsb-audit: %zu results: %zu fail, %zu not assessed, %zu manual, %zu pass, %zu N/A; %zu excepted; ",
            r->nresults, r->counts[SB_STATUS_FAIL], na, r->counts[SB_STATUS_MANUAL], r->counts[SB_STATUS_PASS],
            r->counts[SB_STATUS_NOT_APPLICABLE], r->excepted);
    if (!r->ngaps && !na)
        fputs("complete", f);
    else
        fprintf(f, "incomplete (%zu collection gap%s, %zu result%s not assessed)", r->ngaps, r->ngaps == 1 ? "" : "s",
                na, na == 1 ? "" : "s");
    fprintf(f, "; reports in %s/\n", o->out_dir);
}
