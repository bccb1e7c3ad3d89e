/* Changes between two reports (read by diff_read.c), and the `diff` subcommand. */
#include "diff.h"
#include "diff_model.h"

#include "cli.h"
#include "err.h"
#include "out_set.h"
#include "json_parse.h"
#include "util.h"

#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <dirent.h>

/* Comparing. */

struct clist {
    struct sb_change *v;
    size_t n, cap;
};

static struct sb_change *add_change(struct clist *l, enum sb_change_kind kind, const struct dfinding *f)
{
    sb_grow((void **)&l->v, &l->cap, l->n + 1, sizeof *l->v);
    struct sb_change *c = &l->v[l->n++];
    memset(c, 0, sizeof *c);
    c->kind = kind;
    if (f) {
        c->finding_id = sb_xstrdup(f->id);
        c->control = sb_xstrdup(f->control);
        c->feature = sb_xstrdup(f->feature);
        c->resource_id = sb_xstrdup(f->resource_id);
    }
    return c;
}

static const struct dfinding *find_finding(const struct diff_report *d, const char *id)
{
    struct dfinding key = {.id = id};
    return bsearch(&key, d->f, d->nf, sizeof *d->f, diff_cmp_finding);
}

static const struct dexception *find_exception(const struct diff_report *d, const char *entry_id)
{
    struct dexception key = {.entry_id = entry_id};
    return bsearch(&key, d->x, d->nx, sizeof *d->x, diff_cmp_exception);
}

/* The subscription a finding belongs to: its recorded subscription_id, else the one in its resource id. */
static char *finding_subscription(const struct dfinding *f)
{
    if (f->subscription_id)
        return sb_xstrdup(f->subscription_id);
    if (f->resource_id && sb_istarts(f->resource_id, "/subscriptions/")) {
        const char *p = f->resource_id + 15;
        return sb_xstrndup(p, strcspn(p, "/"));
    }
    return NULL;
}

static int cmp_lower(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The report's resource ids, lower-cased and sorted once, for lookups (thousands of absent findings are common). */
static void index_resources(struct diff_report *d)
{
    d->rids = sb_xcalloc(d->nf + 1, sizeof *d->rids);
    for (size_t i = 0; i < d->nf; i++)
        if (d->f[i].resource_id)
            d->rids[d->nrids++] = sb_lower(d->f[i].resource_id);
    sb_sort(d->rids, d->nrids, sizeof *d->rids, cmp_lower);
}

static bool has_resource(const struct diff_report *d, const char *resource_id)
{
    if (!resource_id)
        return false;
    char *key = sb_lower(resource_id);
    bool found = bsearch(&key, d->rids, d->nrids, sizeof *d->rids, cmp_lower) != NULL;
    free(key);
    return found;
}

/* Why a previously failing finding is not in the current report: deleted only when the current run read its
 * subscription completely; otherwise say what is known. */
static char *absence_reason(const struct dfinding *old, const struct diff_report *cur)
{
    if (has_resource(cur, old->resource_id))
        return sb_xstrdup("the resource is still assessed but this finding is not (the baseline or its rules changed)");
    char *sub = finding_subscription(old);
    if (!sub)
        return sb_xstrdup("not in the current report");
    const struct dsub *s = NULL;
    for (size_t i = 0; i < cur->nsubs && !s; i++)
        if (sb_ieq(cur->subs[i].id, sub))
            s = &cur->subs[i];
    const char *c = s ? s->collected : NULL;
    char *out;
    if (!cur->has_subs)
        out = sb_xasprintf("deleted or not collected: the current report does not record how completely "
                           "subscription %s was read", sub);
    else if (!s)
        out = sb_xasprintf("not collected: subscription %s is not in the current inputs", sub);
    else if (c && strcmp(c, "complete") == 0)
        out = sb_xasprintf("resource deleted: subscription %s was collected completely and the resource is not in it",
                           sub);
    else if (c && strcmp(c, "not_collected") == 0)
        out = sb_xasprintf("not collected: subscription %s could not be read in the current run", sub);
    else if (c && strcmp(c, "partial") == 0)
        out = sb_xasprintf("deleted or not collected: subscription %s was not collected completely in the current "
                           "run (see its gaps)", sub);
    else
        out = sb_xasprintf("deleted or not collected: the current inputs are not a complete collection of "
                           "subscription %s",
                           sub);
    free(sub);
    return out;
}

static void compare_status(struct clist *l, const struct dfinding *old, const struct dfinding *cur,
                           const struct diff_report *cur_report)
{
    bool was_failing = old && old->status == SB_STATUS_FAIL;
    if (cur && cur->status == SB_STATUS_FAIL && !was_failing) {
        struct sb_change *c = add_change(l, SB_CHANGE_NEW_FINDING, cur);
        c->old_value = old ? sb_xstrdup(sb_status_id(old->status)) : NULL;
        c->new_value = sb_xstrdup(sb_status_id(cur->status));
    } else if (was_failing && !cur) {
        struct sb_change *c = add_change(l, SB_CHANGE_NO_LONGER_ASSESSED, old);
        c->old_value = sb_xstrdup(sb_status_id(old->status));
        c->reason = absence_reason(old, cur_report);
    } else if (was_failing && (cur->status == SB_STATUS_PASS ||
                               (cur->status == SB_STATUS_FAIL && cur->applied && !old->applied))) {
        struct sb_change *c = add_change(l, SB_CHANGE_RESOLVED, cur);
        c->old_value = sb_xstrdup(sb_status_id(old->status));
        c->new_value = sb_xstrdup(sb_status_id(cur->status));
        if (cur->status == SB_STATUS_FAIL)
            c->reason = sb_xasprintf("excepted: %s", cur->applied);
    } else if (old && cur && old->status != cur->status) {
        struct sb_change *c = add_change(l, SB_CHANGE_STATUS, cur);
        c->old_value = sb_xstrdup(sb_status_id(old->status));
        c->new_value = sb_xstrdup(sb_status_id(cur->status));
    }
}

static bool same_str(const char *a, const char *b)
{
    return (!a && !b) || (a && b && strcmp(a, b) == 0);
}

/* Evidence is matched by (resource id, path); a path read twice pairs up in order. */
static void compare_evidence(struct clist *l, const struct dfinding *old, const struct dfinding *cur)
{
    for (size_t i = 0; i < old->nev; i++)
        old->ev[i].used = false;
    for (size_t i = 0; i < cur->nev; i++) {
        const struct devidence *n = &cur->ev[i];
        for (size_t k = 0; k < old->nev; k++) {
            struct devidence *o = &old->ev[k];
            if (o->used || strcmp(o->path, n->path) != 0 || !sb_ieq(o->resource_id, n->resource_id))
                continue;
            o->used = true;
            if (!same_str(o->value, n->value)) {
                struct sb_change *c = add_change(l, SB_CHANGE_EVIDENCE, cur);
                if (n->resource_id) {
                    free(c->resource_id);
                    c->resource_id = sb_xstrdup(n->resource_id);
                }
                c->path = sb_xstrdup(n->path);
                c->old_value = sb_xstrdup(o->value ? o->value : "(absent)");
                c->new_value = sb_xstrdup(n->value ? n->value : "(absent)");
            }
            break;
        }
    }
}

static char *expired_text(const char *entry_id, const char *expires)
{
    return expires ? sb_xasprintf("%s: expired (valid through %s)", entry_id, expires)
                   : sb_xasprintf("%s: expired", entry_id);
}

static bool finding_change_for_entry(const struct clist *l, const char *entry_id)
{
    size_t len = strlen(entry_id);
    for (size_t i = 0; i < l->n; i++)
        if (l->v[i].kind == SB_CHANGE_EXCEPTION_EXPIRED && l->v[i].old_value
            && strncmp(l->v[i].old_value, entry_id, len) == 0 && l->v[i].old_value[len] == ':')
            return true;
    return false;
}

static struct sb_change *add_entry_change(struct clist *l, enum sb_change_kind kind, const struct dexception *x)
{
    struct sb_change *c = add_change(l, kind, NULL);
    c->finding_id = sb_xstrdup(x->finding_id);
    c->control = sb_xstrdup(x->control);
    c->feature = sb_xstrdup(x->feature);
    c->resource_id = sb_xstrdup(x->resource_pattern);
    return c;
}

static void compare_exceptions(struct clist *l, const struct diff_report *old, const struct diff_report *cur)
{
    for (size_t i = 0; i < cur->nf; i++) {
        const struct dfinding *n = &cur->f[i];
        const struct dfinding *o = find_finding(old, n->id);
        /* The entry that covered the finding has expired (not: another, already expired entry also matches). */
        if (o && o->applied && n->expired && (strcmp(o->applied, n->expired) == 0 || !n->applied)) {
            struct sb_change *c = add_change(l, SB_CHANGE_EXCEPTION_EXPIRED, n);
            c->old_value = sb_xasprintf("%s: applied", o->applied);
            c->new_value = expired_text(n->expired, n->expired_expires);
        }
    }
    for (size_t i = 0; i < cur->nx; i++) {
        const struct dexception *n = &cur->x[i];
        const struct dexception *o = find_exception(old, n->entry_id);
        if (!o) {
            struct sb_change *c = add_entry_change(l, SB_CHANGE_EXCEPTION_ADDED, n);
            c->new_value = sb_xasprintf("%s: %s, expires %s", n->entry_id, n->kind ? n->kind : "exception",
                                        n->expires ? n->expires : "never");
        } else if (!o->expired && n->expired && !finding_change_for_entry(l, n->entry_id)) {
            struct sb_change *c = add_entry_change(l, SB_CHANGE_EXCEPTION_EXPIRED, n);
            c->old_value = sb_xasprintf("%s: not expired", n->entry_id);
            c->new_value = expired_text(n->entry_id, n->expires);
        }
    }
}

/* The case-insensitive set of resource ids, sorted (lower-case copies first, originals kept for display). */
struct rid {
    char *lower;
    const char *orig;
};

static int cmp_rid(const void *a, const void *b)
{
    return strcmp(((const struct rid *)a)->lower, ((const struct rid *)b)->lower);
}

static size_t resource_set(struct rid **out, const struct diff_report *d)
{
    struct rid *v = sb_xcalloc(d->nf + 1, sizeof *v);
    size_t n = 0;
    for (size_t i = 0; i < d->nf; i++)
        if (d->f[i].resource_id)
            v[n++] = (struct rid){sb_lower(d->f[i].resource_id), d->f[i].resource_id};
    sb_sort(v, n, sizeof *v, cmp_rid);
    size_t w = 0;
    for (size_t i = 0; i < n; i++) {
        if (w && strcmp(v[w - 1].lower, v[i].lower) == 0) {
            free(v[i].lower);
            continue;
        }
        v[w++] = v[i];
    }
    *out = v;
    return w;
}

static void free_rids(struct rid *v, size_t n)
{
    for (size_t i = 0; i < n; i++)
        free(v[i].lower);
    free(v);
}

static void compare_resources(struct clist *l, const struct diff_report *old, const struct diff_report *cur)
{
    struct rid *a, *b;
    size_t na = resource_set(&a, old), nb = resource_set(&b, cur);
    size_t i = 0, k = 0;
    while (i < na || k < nb) {
        int c = i == na ? 1 : k == nb ? -1 : strcmp(a[i].lower, b[k].lower);
        if (c < 0) {
            add_change(l, SB_CHANGE_RESOURCE_REMOVED, NULL)->resource_id = sb_xstrdup(a[i++].orig);
        } else if (c > 0) {
            add_change(l, SB_CHANGE_RESOURCE_ADDED, NULL)->resource_id = sb_xstrdup(b[k++].orig);
        } else {
            i++, k++;
        }
    }
    free_rids(a, na);
    free_rids(b, nb);
}

static int cmp_opt(const char *a, const char *b)
{
    if (!a || !b)
        return (a != NULL) - (b != NULL);
    return strcmp(a, b);
}

static int cmp_change(const void *pa, const void *pb)
{
    const struct sb_change *a = pa, *b = pb;
    if (a->kind != b->kind)
        return a->kind < b->kind ? -1 : 1;
    int c;
    if ((c = cmp_opt(a->finding_id, b->finding_id)) != 0 || (c = cmp_opt(a->resource_id, b->resource_id)) != 0
        || (c = cmp_opt(a->path, b->path)) != 0 || (c = cmp_opt(a->old_value, b->old_value)) != 0)
        return c;
    return cmp_opt(a->new_value, b->new_value);
}

struct sb_changes *diff_compare(struct diff_report *old, struct diff_report *cur)
{
    struct clist l = {0};
    if (!cur->rids)
        index_resources(cur);
    for (size_t i = 0; i < cur->nf; i++) {
        const struct dfinding *o = find_finding(old, cur->f[i].id);
        compare_status(&l, o, &cur->f[i], cur);
        if (o)
            compare_evidence(&l, o, &cur->f[i]);
    }
    for (size_t i = 0; i < old->nf; i++)
        if (!find_finding(cur, old->f[i].id))
            compare_status(&l, &old->f[i], NULL, cur);
    compare_resources(&l, old, cur);
    compare_exceptions(&l, old, cur);
    if (l.n)
        sb_sort(l.v, l.n, sizeof *l.v, cmp_change);

    struct sb_changes *c = sb_xcalloc(1, sizeof *c);
    c->previous_name = sb_xstrdup(old->name);
    c->previous_generated = sb_xstrdup(old->generated);
    c->items = l.v;
    c->n = l.n;
    return c;
}

int diff_reports_named(struct sb_changes **out, const cJSON *old_doc, const cJSON *new_doc, const char *old_name,
                       const char *new_name, struct sb_err *e)
{
    *out = NULL;
    struct diff_report *old = NULL, *cur = NULL;
    if (diff_report_from_json(&old, old_doc, old_name ? old_name : "previous report", e) != 0
        || diff_report_from_json(&cur, new_doc, new_name ? new_name : "current report", e) != 0) {
        diff_report_free(old);
        return -1;
    }
    *out = diff_compare(old, cur);
    diff_report_free(old);
    diff_report_free(cur);
    return 0;
}

int diff_reports(struct sb_changes **out, const cJSON *old_doc, const cJSON *new_doc, const char *old_name,
                 struct sb_err *e)
{
    return diff_reports_named(out, old_doc, new_doc, old_name, NULL, e);
}

/* Files in a report directory that are not the report. */
static bool not_a_report(const char *name)
{
    static const char *const others[] = {"manifest.json", "snapshot.json", "diff.json"};
    for (size_t i = 0; i < sizeof others / sizeof *others; i++)
        if (strcmp(name, others[i]) == 0)
            return true;
    size_t n = strlen(name);
    return n < 6 || strcmp(name + n - 5, ".json") != 0 || name[0] == '.';
}

char *diff_report_path(const char *path, struct sb_err *e)
{
    struct stat st;
    if (stat(path, &st) != 0 || !S_ISDIR(st.st_mode))
        return sb_xstrdup(path); /* a file, or an error the reader reports */
    char *def = sb_path_join(path, "report.json");
    if (stat(def, &st) == 0 && S_ISREG(st.st_mode))
        return def;
    free(def);
    /* Written with --basename: the directory's one report-like .json file. */
    DIR *d = opendir(path);
    if (!d) {
        sb_err_set(e, SB_EXIT_INPUT, "%s: cannot open directory: %s", path, strerror(errno));
        return NULL;
    }
    char *found = NULL;
    size_t n = 0;
    struct dirent *ent;
    while ((ent = readdir(d)) != NULL) {
        if (not_a_report(ent->d_name))
            continue;
        if (!n++)
            found = sb_xstrdup(ent->d_name);
    }
    closedir(d);
    if (n != 1) {
        free(found);
        sb_err_set(e, SB_EXIT_INPUT, "%s: a directory without report.json%s; give the report's .json file", path,
                   n ? " and with several .json files" : "");
        return NULL;
    }
    char *full = sb_path_join(path, found);
    free(found);
    return full;
}

int diff_load_report(cJSON **out, char out_sha256[65], const char *path, struct sb_err *e)
{
    *out = NULL;
    char *buf = NULL;
    size_t len = 0;
    if (sb_read_file(&buf, &len, path, DIFF_REPORT_MAX, e) != 0)
        return -1;
    sb_sha256_hex(buf, len, out_sha256);
    int rc = sb_json_parse(out, buf, len, path, e);
    free(buf);
    return rc;
}

size_t diff_count(const struct sb_changes *c, enum sb_change_kind k)
{
    size_t n = 0;
    for (size_t i = 0; c && i < c->n; i++)
        n += c->items[i].kind == k;
    return n;
}

int diff_fail_on_new(const struct sb_changes *c)
{
    return diff_count(c, SB_CHANGE_NEW_FINDING) > 0;
}

struct excepted_id {
    const char *id;
    bool excepted;
};

static int cmp_excepted_id(const void *a, const void *b)
{
    return strcmp(((const struct excepted_id *)a)->id, ((const struct excepted_id *)b)->id);
}

int diff_fail_on_new_report(const struct sb_changes *c, const struct sb_report *r)
{
    if (diff_count(c, SB_CHANGE_NEW_FINDING) == 0)
        return 0;
    /* The results by id, sorted once: thousands of new findings against 100,000 results are common after a
     * baseline change, and a scan of the results per new finding would be quadratic. */
    size_t n = r ? r->nresults : 0;
    struct excepted_id *v = sb_xcalloc(n + 1, sizeof *v);
    for (size_t k = 0; k < n; k++)
        v[k] = (struct excepted_id){r->results[k].id, r->results[k].exception != NULL};
    sb_sort(v, n, sizeof *v, cmp_excepted_id);
    int fail = 0;
    for (size_t i = 0; i < c->n && !fail; i++) {
        const struct sb_change *x = &c->items[i];
        if (x->kind != SB_CHANGE_NEW_FINDING)
            continue;
        struct excepted_id key = {x->finding_id, false};
        /* (ids are unique: the comparison refused a report with duplicates) */
        const struct excepted_id *hit = x->finding_id ? bsearch(&key, v, n, sizeof *v, cmp_excepted_id) : NULL;
        fail = !(hit && hit->excepted);
    }
    free(v);
    return fail;
}

/* The `diff` subcommand. */

enum { FMT_MD = 1, FMT_JSON = 2, FMT_CSV = 4 };

static const struct {
    int bit;
    const char *name;
    const char *ext;
} diff_formats[] = {{FMT_MD, "md", ".md"}, {FMT_JSON, "json", ".json"}, {FMT_CSV, "csv", ".csv"}};
#define NFORMATS (sizeof diff_formats / sizeof diff_formats[0])

enum { OPT_BASENAME = 256 };

static const struct sb_option diff_options[] = {
    {"format", required_argument, 'f', "LIST", "comma list of md,json,csv (default: md; all three with --out-dir)"},
    {"out-dir", required_argument, 'o', "DIR", "write DIR/<basename>.<ext> per format (default: one format to stdout)"},
    {"basename", required_argument, OPT_BASENAME, "NAME", "file name without extension (default: diff)"},
    {"help", no_argument, 'h', NULL, "show this help"},
    {NULL, 0, 0, NULL, NULL},
};

static void diff_help(FILE *f)
{
    fputs("Usage: mcsb-audit diff OLD NEW [options]\n\n"
          "OLD and NEW are report.json files, or report directories (the report.json in each).\n"
          "List what changed between two assessments: new and resolved findings, status changes,\n"
          "resources added or removed, changed evidence values, exceptions added or expired.\n\n"
          "Options:\n",
          f);
    cli_print_options(f, diff_options);
    fputs("\nExit status: 0 done; 2 usage error; 3 unreadable or malformed report.json; 4 output error.\n", f);
}

static int parse_formats(int *out, const char *list)
{
    *out = 0;
    char *copy = sb_xstrdup(list);
    int rc = 0;
    char *save = NULL;
    for (char *tok = strtok_r(copy, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
        size_t k;
        for (k = 0; k < NFORMATS; k++)
            if (strcmp(tok, diff_formats[k].name) == 0 || (diff_formats[k].bit == FMT_MD && strcmp(tok, "markdown") == 0))
                break;
        if (k == NFORMATS) {
            rc = cli_usage_error("diff", "unknown format '%s' (use md, json or csv)", tok);
            break;
        }
        *out |= diff_formats[k].bit;
    }
    free(copy);
    if (rc == 0 && *out == 0)
        rc = cli_usage_error("diff", "--format needs at least one of md, json, csv");
    return rc;
}

static void render_format(struct sb_buf *out, int bit, const struct sb_changes *c, const struct sb_diff_current *cur)
{
    if (bit == FMT_MD)
        diff_render_md(c, cur, out);
    else if (bit == FMT_JSON)
        diff_render_json(c, cur, out);
    else
        diff_render_csv(c, out);
}

static int write_outputs(const struct sb_changes *c, const struct sb_diff_current *cur, int formats,
                         const char *out_dir, const char *basename)
{
    struct sb_err e = {0};
    if (out_dir && mkdir(out_dir, 0777) != 0 && errno != EEXIST) {
        fprintf(stderr, "mcsb-audit: diff: %s: cannot create directory: %s\n", out_dir, strerror(errno));
        return SB_EXIT_OUTPUT;
    }
    /* With --out-dir, the files are one output set: all renamed into place, or none (out_set.h). */
    int rc = out_dir ? sb_outset_begin(&e) : 0;
    for (size_t k = 0; k < NFORMATS && rc == 0; k++) {
        if (!(formats & diff_formats[k].bit))
            continue;
        struct sb_buf b = {0};
        render_format(&b, diff_formats[k].bit, c, cur);
        if (out_dir) {
            char *name = sb_xasprintf("%s%s", basename, diff_formats[k].ext);
            char *path = sb_path_join(out_dir, name);
            rc = sb_outset_write(path, b.data, b.len, &e);
            free(name);
            free(path);
        } else if ((fwrite(b.data, 1, b.len, stdout) != b.len || fflush(stdout) != 0) && !cli_stdout_reader_gone()) {
            rc = sb_err_set(&e, SB_EXIT_OUTPUT, "standard output: %s", strerror(errno));
        }
        sb_buf_free(&b);
    }
    if (out_dir) {
        if (rc == 0)
            rc = sb_outset_commit(&e);
        sb_outset_end();
    }
    if (rc != 0) {
        fprintf(stderr, "mcsb-audit: diff: %s\n", e.msg);
        return SB_EXIT_OUTPUT;
    }
    return SB_EXIT_OK;
}

static int run_diff(const char *old_path, const char *new_path, int formats, const char *out_dir,
                    const char *basename)
{
    struct sb_err e = {0};
    struct diff_report *old = NULL, *cur = NULL;
    struct sb_changes *c = NULL;
    char old_sha[65], new_sha[65];
    int rc = SB_EXIT_INPUT;
    /* A report directory stands for the report.json in it; the reports name the file itself. */
    char *old_file = diff_report_path(old_path, &e);
    char *new_file = old_file ? diff_report_path(new_path, &e) : NULL;
    if (!old_file || !new_file || diff_report_read(&old, old_sha, old_file, &e) != 0
        || diff_report_read(&cur, new_sha, new_file, &e) != 0) {
        fprintf(stderr, "mcsb-audit: diff: %s\n", e.msg);
        rc = e.code ? e.code : SB_EXIT_INPUT;
        goto cleanup;
    }
    c = diff_compare(old, cur);
    c->previous_sha256 = sb_xstrdup(old_sha);
    struct sb_diff_current current = {new_file, new_sha, diff_report_generated(cur)};
    rc = write_outputs(c, &current, formats, out_dir, basename);
cleanup:
    sb_changes_free(c);
    diff_report_free(old);
    diff_report_free(cur);
    free(old_file);
    free(new_file);
    return rc;
}

int diff_command(int argc, char **argv)
{
    struct option *lo;
    char *so;
    cli_getopt_table(diff_options, &lo, &so);
    const char *format_list = NULL, *out_dir = NULL, *basename = "diff";
    int rc = -1, ch;
    optind = 0;
    opterr = 0;
    while (rc < 0 && (ch = getopt_long(argc, argv, so, lo, NULL)) != -1) {
        switch (ch) {
        case 'f':
            format_list = optarg;
            break;
        case 'o':
            out_dir = optarg;
            break;
        case OPT_BASENAME:
            basename = optarg;
            break;
        case 'h':
            diff_help(stdout);
            rc = fflush(stdout) == 0 ? SB_EXIT_OK : SB_EXIT_OUTPUT;
            break;
        case ':':
            rc = cli_usage_error("diff", "option '%s' needs an argument", argv[optind - 1]);
            break;
        default:
            rc = cli_usage_error("diff", "unknown option '%s'", argv[optind - 1]);
            break;
        }
    }
    free(lo);
    free(so);
    if (rc >= 0)
        return rc;
    if (argc - optind != 2)
        return cli_usage_error("diff", "expected two arguments: OLD NEW (report.json files or report directories)");
    /* One format fits on stdout; a directory gets all three unless told otherwise. */
    int formats = out_dir ? FMT_MD | FMT_JSON | FMT_CSV : FMT_MD;
    if (format_list && parse_formats(&formats, format_list) != 0)
        return SB_EXIT_USAGE;
    if (!out_dir && (formats & (formats - 1)))
        return cli_usage_error("diff", "several formats need --out-dir");
    if (!*basename || strchr(basename, '/') || basename[0] == '.')
        return cli_usage_error("diff", "bad --basename '%s' (a file name without '/', not starting with '.')",
                               basename);
    if (out_dir && !*out_dir)
        return cli_usage_error("diff", "--out-dir is empty");
    return run_diff(argv[optind], argv[optind + 1], formats, out_dir, basename);
}
