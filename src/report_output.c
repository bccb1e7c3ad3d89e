#include "report_output.h"

#include "err.h"
#include "util.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static int make_dirs(const char *dir, struct sb_err *e)
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

int report_write_outputs(struct sb_report *r, const struct report_output_opts *o, struct sb_err *e)
{
    if (make_dirs(o->out_dir, e) != 0)
        return -1;
    struct sb_render_opts ropts = {o->data_dir, o->paper};
    char tmp[8][PATH_MAX];
    char *final[8] = {0};
    size_t made = 0;
    int rc = 0;
    for (size_t i = 0; i < o->nformats && rc == 0; i++) {
        char *name = sb_xasprintf("%s%s", o->basename, o->formats[i]->extension);
        final[i] = sb_path_join(o->out_dir, name);
        free(name);
        if (sb_temp_sibling(tmp[i], sizeof tmp[i], final[i], e) != 0) {
            rc = -1;
            break;
        }
        made = i + 1;
        if (o->formats[i]->render(r, &ropts, tmp[i], e) != 0)
            rc = -1;
    }
    /* All or nothing: a failed format leaves no new file, and no half-written one. */
    if (rc != 0) {
        for (size_t i = 0; i < made; i++)
            unlink(tmp[i]);
    } else {
        for (size_t i = 0; i < o->nformats; i++)
            if (rc == 0 && sb_rename_into_place(tmp[i], final[i], e) != 0)
                rc = -1;
            else if (rc != 0)
                unlink(tmp[i]);
    }
    if (rc == 0 && !o->quiet)
        for (size_t i = 0; i < o->nformats; i++)
            fprintf(stderr, "mcsb-audit: wrote %s\n", final[i]);
    for (size_t i = 0; i < o->nformats; i++)
        free(final[i]);
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
    if (strcmp(o->fail_on, "new") == 0) {
        if (!r->changes)
            return SB_EXIT_OK;
        for (size_t i = 0; i < r->changes->n; i++) {
            const struct sb_change *c = &r->changes->items[i];
            if (c->kind != SB_CHANGE_NEW_FINDING)
                continue;
            for (size_t k = 0; k < r->nresults; k++)
                if (c->finding_id && strcmp(r->results[k].id, c->finding_id) == 0 &&
                    r->results[k].status == SB_STATUS_FAIL && !r->results[k].exception)
                    return SB_EXIT_FINDINGS;
        }
        return SB_EXIT_OK;
    }
    for (size_t i = 0; i < r->nresults; i++)
        if (reaches(&r->results[i], o->fail_on))
            return SB_EXIT_FINDINGS;
    return SB_EXIT_OK;
}
