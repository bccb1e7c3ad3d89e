#include "assess.h"

#include "err.h"
#include "eval.h"
#include "exceptions.h"
#include "state.h"
#include "state_paging.h"
#include "util.h"

#include <stdlib.h>
#ifdef __GLIBC__
#include <malloc.h>
#endif
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

static void add_input(struct sb_report *r, const char *role, const char *name, const char *kind, uint64_t size,
                      const char *sha)
{
    r->inputs = sb_xrealloc(r->inputs, (r->ninputs + 1) * sizeof *r->inputs);
    struct sb_report_input *in = &r->inputs[r->ninputs++];
    in->role = sb_xstrdup(role);
    in->name = sb_xstrdup(name);
    in->kind = sb_xstrdup(kind);
    in->size = size;
    memcpy(in->sha256, sha, 65);
}

/* Top-level resources only: children (subnets, links, diagnostic settings) are counted with their parents. */
static void fill_scope(struct sb_report *r, const struct sb_state *st)
{
    struct sb_scope *sc = &r->scope;
    sc->tenants = sb_xcalloc(st->ntenants ? st->ntenants : 1, sizeof *sc->tenants);
    for (size_t i = 0; i < st->ntenants; i++)
        sc->tenants[sc->ntenants++] = sb_xstrdup(st->tenants[i]);
    sc->subscriptions = sb_xcalloc(st->nsubscriptions ? st->nsubscriptions : 1, sizeof *sc->subscriptions);
    for (size_t i = 0; i < st->nsubscriptions; i++) {
        sc->subscriptions[i].id = sb_xstrdup(st->subscriptions[i].id);
        sc->subscriptions[i].name = sb_xstrdup(st->subscriptions[i].name);
    }
    sc->nsubscriptions = st->nsubscriptions;
    for (size_t i = 0; i < st->nresources; i++) {
        const struct sb_resource *res = st->resources[i];
        if (res->parent || !res->type_lc)
            continue;
        sc->nresources++;
        size_t k;
        for (k = 0; k < sc->ntypes; k++)
            if (strcmp(sc->types[k].type, res->type_lc) == 0)
                break;
        if (k == sc->ntypes) {
            sc->types = sb_xrealloc(sc->types, (sc->ntypes + 1) * sizeof *sc->types);
            sc->types[k].type = sb_xstrdup(res->type_lc);
            sc->types[k].count = 0;
            sc->ntypes++;
        }
        sc->types[k].count++;
    }
    /* insertion order follows sorted ids; sort by type for a stable table */
    for (size_t i = 1; i < sc->ntypes; i++)
        for (size_t k = i; k > 0 && strcmp(sc->types[k - 1].type, sc->types[k].type) > 0; k--) {
            struct sb_type_count t = sc->types[k];
            sc->types[k] = sc->types[k - 1];
            sc->types[k - 1] = t;
        }
}

static void copy_gaps(struct sb_report *r, const struct sb_state *st)
{
    r->gaps = sb_xcalloc(st->ngaps ? st->ngaps : 1, sizeof *r->gaps);
    for (size_t i = 0; i < st->ngaps; i++) {
        const struct sb_gap *g = &st->gaps[i];
        struct sb_gap *d = &r->gaps[i];
        d->scope = sb_xstrdup(g->scope);
        d->collection = sb_xstrdup(g->collection);
        d->request = sb_xstrdup(g->request);
        d->http_status = g->http_status;
        d->error_code = sb_xstrdup(g->error_code);
        d->message = sb_xstrdup(g->message);
    }
    r->ngaps = st->ngaps;
}

/* ---- completeness (issue 10): every reason is derived from a gap, so no reason exists without one ---- */

static bool is_subscription_scope(const char *scope)
{
    return sb_istarts(scope, "/subscriptions/") && scope[15] && !strchr(scope + 15, '/');
}

static const char *reason_code(const struct sb_gap *g)
{
    bool from_input = g->request && strncmp(g->request, "input ", 6) == 0;
    if (from_input && g->error_code && strcmp(g->error_code, "PagedInput") == 0)
        return "paged_input";
    if (from_input && g->error_code && strcmp(g->error_code, "ResultTruncated") == 0)
        return "truncated_input";
    if (from_input)
        return "incomplete_collection";
    if (is_subscription_scope(g->scope))
        return "subscription_not_collected";
    if (!sb_istarts(g->scope, "/subscriptions/"))
        return "scope_not_collected";
    return "resource_detail_not_collected";
}

static const char *reason_lead(const char *code, size_t n)
{
    bool one = n == 1;
    if (strcmp(code, "paged_input") == 0)
        return one ? "input file is one page of a longer listing" : "input files are one page of a longer listing";
    if (strcmp(code, "truncated_input") == 0)
        return one ? "input file is a truncated Resource Graph answer" : "input files are truncated Resource Graph answers";
    if (strcmp(code, "incomplete_collection") == 0)
        return one ? "snapshot records an incomplete collection" : "snapshots record an incomplete collection";
    if (strcmp(code, "subscription_not_collected") == 0)
        return one ? "subscription could not be read" : "subscriptions could not be read";
    if (strcmp(code, "scope_not_collected") == 0)
        return one ? "scope could not be read" : "scopes could not be read";
    return one ? "resource detail request failed" : "resource detail requests failed";
}

/* What one gap of a reason is called in the reason's line. */
static char *gap_label(const struct sb_report *r, const struct sb_gap *g, const char *code)
{
    if (strncmp(code, "paged", 5) == 0 || strncmp(code, "truncated", 9) == 0 || strncmp(code, "incomplete", 10) == 0)
        return sb_xstrdup(sb_basename(g->request + 6));
    char status[64] = "";
    if (g->http_status || g->error_code)
        snprintf(status, sizeof status, " \xe2\x80\x94 %s%.0d%s%.40s", g->http_status ? "HTTP " : "", g->http_status,
                 g->http_status && g->error_code ? " " : "", g->error_code ? g->error_code : "");
    if (strcmp(code, "subscription_not_collected") == 0) {
        const char *sub = g->scope + 15;
        for (size_t i = 0; i < r->scope.nsubscriptions; i++)
            if (sb_ieq(r->scope.subscriptions[i].id, sub) && r->scope.subscriptions[i].name)
                return sb_xasprintf("%s (%s)%s", r->scope.subscriptions[i].name, sub, status);
        return sb_xasprintf("%s%s", sub, status);
    }
    if (strcmp(code, "scope_not_collected") == 0)
        return sb_xasprintf("%s%s", strcmp(g->scope, "/") == 0 ? "the whole scope" : g->scope, status);
    char *name = NULL;
    sb_id_parts(g->scope, NULL, NULL, &name);
    char *out = sb_xasprintf("%s of %s%s", g->collection ? g->collection : "details", name ? name : g->scope, status);
    free(name);
    return out;
}

static void fill_reasons(struct sb_report *r)
{
    static const char *const order[] = {"subscription_not_collected", "scope_not_collected", "paged_input",
                                        "truncated_input", "incomplete_collection", "resource_detail_not_collected"};
    struct sb_scope *sc = &r->scope;
    sc->complete = r->ngaps == 0;
    sc->reasons = sb_xcalloc(sizeof order / sizeof *order, sizeof *sc->reasons);
    for (size_t k = 0; k < sizeof order / sizeof *order; k++) {
        struct sb_buf names = {0};
        size_t n = 0;
        for (size_t i = 0; i < r->ngaps; i++) {
            if (strcmp(reason_code(&r->gaps[i]), order[k]) != 0)
                continue;
            if (n++ < 5) {
                char *l = gap_label(r, &r->gaps[i], order[k]);
                sb_buf_printf(&names, "%s%s", n > 1 ? ", " : "", l);
                free(l);
            }
        }
        if (!n)
            continue;
        struct sb_incomplete_reason *x = &sc->reasons[sc->nreasons++];
        x->code = sb_xstrdup(order[k]);
        x->count = n;
        x->text = n > 5 ? sb_xasprintf("%zu %s: %s and %zu more", n, reason_lead(order[k], n), names.data, n - 5)
                        : sb_xasprintf("%zu %s: %s", n, reason_lead(order[k], n), names.data);
        sb_buf_free(&names);
    }
}

static enum sb_sub_collected sub_collected(const struct sb_report *r, const struct sb_state_meta *m, const char *id)
{
    enum sb_sub_collected out = SB_SUB_INPUT_FILES;
    for (size_t i = 0; m && i < m->nlisted; i++)
        if (sb_ieq(m->listed[i], id))
            out = SB_SUB_COMPLETE;
    size_t idlen = strlen(id);
    for (size_t i = 0; i < r->ngaps; i++) {
        const char *s = r->gaps[i].scope;
        if (!sb_istarts(s, "/subscriptions/")) {
            out = out == SB_SUB_NOT_COLLECTED ? out : SB_SUB_PARTIAL; /* the whole scope or a management group */
            continue;
        }
        if (strncasecmp(s + 15, id, idlen) != 0 || (s[15 + idlen] != '\0' && s[15 + idlen] != '/'))
            continue;
        const char *col = r->gaps[i].collection;
        if (s[15 + idlen] == '\0' && (!col || strcasecmp(col, "resources") == 0))
            return SB_SUB_NOT_COLLECTED;
        out = SB_SUB_PARTIAL;
    }
    return out;
}

static char **copy_strv(char *const *v, size_t n)
{
    char **out = sb_xcalloc(n ? n : 1, sizeof *out);
    for (size_t i = 0; i < n; i++)
        out[i] = sb_xstrdup(v[i]);
    return out;
}

static void fill_requested(struct sb_report *r, const struct sb_state *st, const struct sb_state_meta *m)
{
    struct sb_scope *sc = &r->scope;
    size_t nsnap = m ? m->nsnapshots : 0, nfiles = st->ninputs - nsnap;
    sc->requested_management_groups = copy_strv(m ? m->req_management_groups : NULL, m ? m->nreq_management_groups : 0);
    sc->nrequested_management_groups = m ? m->nreq_management_groups : 0;
    sc->requested_subscriptions = copy_strv(m ? m->req_subscriptions : NULL, m ? m->nreq_subscriptions : 0);
    sc->nrequested_subscriptions = m ? m->nreq_subscriptions : 0;
    struct sb_buf b = {0};
    int kinds = 0;
    if (sc->nrequested_management_groups) {
        sb_buf_printf(&b, "management group%s ", sc->nrequested_management_groups == 1 ? "" : "s");
        for (size_t i = 0; i < sc->nrequested_management_groups; i++)
            sb_buf_printf(&b, "%s%s", i ? ", " : "", sc->requested_management_groups[i]);
        sc->requested_kind = "management_groups";
        kinds++;
    }
    if (sc->nrequested_subscriptions) {
        sb_buf_printf(&b, "%ssubscription%s ", b.len ? "; " : "", sc->nrequested_subscriptions == 1 ? "" : "s");
        for (size_t i = 0; i < sc->nrequested_subscriptions && i < 10; i++)
            sb_buf_printf(&b, "%s%s", i ? ", " : "", sc->requested_subscriptions[i]);
        if (sc->nrequested_subscriptions > 10)
            sb_buf_printf(&b, " and %zu more", sc->nrequested_subscriptions - 10);
        sc->requested_kind = "subscriptions";
        kinds++;
    }
    if (m && m->req_all_visible) {
        sb_buf_printf(&b, "%severy subscription visible to the identity", b.len ? "; " : "");
        sc->requested_kind = "all_visible";
        kinds++;
    }
    if (nfiles) {
        if (b.len)
            sb_buf_printf(&b, "; plus %zu other input file%s", nfiles, nfiles == 1 ? "" : "s");
        else
            sb_buf_puts(&b, "the given input files");
        sc->requested_kind = "input_files";
        kinds++;
    }
    if (kinds > 1)
        sc->requested_kind = "mixed";
    if (!kinds)
        sc->requested_kind = "input_files";
    sc->requested = b.len ? sb_buf_take(&b) : sb_xstrdup("the given input files");
    sb_buf_free(&b);
}

static void fill_completeness(struct sb_report *r, const struct sb_state *st)
{
    const struct sb_state_meta *m = st->meta;
    struct sb_scope *sc = &r->scope;
    fill_reasons(r);
    fill_requested(r, st, m);
    for (size_t i = 0; i < sc->nsubscriptions; i++) {
        sc->subscriptions[i].collected = sub_collected(r, m, sc->subscriptions[i].id);
        sc->subscriptions_assessed += sc->subscriptions[i].collected != SB_SUB_NOT_COLLECTED;
    }
    sc->identities = sb_xcalloc(m && m->nidentities ? m->nidentities : 1, sizeof *sc->identities);
    for (size_t i = 0; m && i < m->nidentities; i++) {
        sc->identities[i].method = sb_xstrdup(m->identities[i].method);
        sc->identities[i].tenant = sb_xstrdup(m->identities[i].tenant);
        sc->identities[i].client = sb_xstrdup(m->identities[i].client);
    }
    sc->nidentities = m ? m->nidentities : 0;
    /* Evidence as of: one time only when every input records one (the latest); else per input on the cover. */
    bool all = st->ninputs > 0;
    const char *latest = NULL;
    r->input_as_of = sb_xcalloc(st->ninputs ? st->ninputs : 1, sizeof *r->input_as_of);
    r->ninput_as_of = st->ninputs;
    for (size_t i = 0; i < st->ninputs; i++) {
        const char *t = m && i < m->nas_of ? m->as_of[i] : NULL;
        r->input_as_of[i] = sb_xstrdup(t);
        all = all && t;
        if (t && (!latest || strcmp(t, latest) > 0))
            latest = t;
    }
    r->evidence_as_of = all ? sb_xstrdup(latest) : NULL;
}

int assess_run(struct sb_report **out, const struct sb_baseline *b, const struct sb_assess_opts *o, struct sb_err *e)
{
    *out = NULL;
    struct sb_report *r = sb_xcalloc(1, sizeof *r);
    struct sb_state *st = state_new();
    struct sb_results results = {0};
    char *exbuf = NULL;
    int rc = -1;

    r->baseline = b;
    r->tool_name = sb_xstrdup("mcsb-audit");
    r->tool_version = sb_xstrdup(SB_VERSION);
    r->organisation = sb_xstrdup(o->organisation);
    r->classification = sb_xstrdup(o->classification);
    if (sb_now(&r->generated_at, e) != 0)
        goto done;
    sb_iso8601(r->generated_at, r->generated);

    for (size_t i = 0; i < o->ninputs; i++)
        if (state_load_file(st, o->inputs[i], e) != 0)
            goto done;
    if (state_finalize(st, e) != 0)
        goto done;
    for (size_t i = 0; i < st->ninputs; i++)
        add_input(r, "input", st->inputs[i].name, st->inputs[i].kind, st->inputs[i].size, st->inputs[i].sha256);
    struct stat sbuf;
    add_input(r, "baseline", o->baseline_name ? o->baseline_name : b->path ? b->path : b->id, NULL,
              b->path && stat(b->path, &sbuf) == 0 ? (uint64_t)sbuf.st_size : 0, b->sha256 ? b->sha256 : "");

    int erc = eval_baseline(&results, b, st, e);
    /* The report owns whatever was evaluated, so a failure frees it like a success would. */
    r->results = results.items;
    r->nresults = results.n;
    r->strings = results.strings;
    results.items = NULL;
    results.strings = NULL;
    if (erc != 0)
        goto done;

    if (o->exceptions_path) {
        size_t len;
        if (sb_read_file(&exbuf, &len, o->exceptions_path, SB_MAX_INPUT_BYTES, e) != 0)
            goto done;
        if (exceptions_load(&r->exceptions, &r->nexceptions, o->exceptions_path, exbuf, len, r->generated_at, e) != 0 ||
            exceptions_check_baseline(r->exceptions, r->nexceptions, b, o->exceptions_path, e) != 0)
            goto done;
        r->max_exception_days = o->max_exception_days > 0 ? o->max_exception_days : SB_MAX_EXCEPTION_DAYS;
        exceptions_review(r->exceptions, r->nexceptions, r->generated_at, r->max_exception_days);
        char sha[65];
        sb_sha256_hex(exbuf, len, sha);
        add_input(r, "exceptions", o->exceptions_path, NULL, len, sha);
        exceptions_apply(r->exceptions, r->nexceptions, r->results, r->nresults);
    }
    for (size_t i = 0; i < r->nresults; i++) {
        r->counts[r->results[i].status]++;
        r->excepted += r->results[i].exception != NULL;
    }
    fill_scope(r, st);
    copy_gaps(r, st);
    fill_completeness(r, st);
    r->period_from = sb_xstrdup(o->period_from);
    r->period_to = sb_xstrdup(o->period_to);
    r->collection_started = sb_xstrdup(st->collection_started);
    r->collection_finished = sb_xstrdup(st->collection_finished);
    r->cloud = sb_xstrdup(st->cloud);
    rc = 0;
done:
    free(exbuf);
    free(results.items);
    state_free(st);
#ifdef __GLIBC__
    /* The inputs' parse trees were most of the memory and are gone: give their pages back now, or the renderers'
     * threads (each with its own malloc arena) add to them instead of reusing them. */
    malloc_trim(0);
#endif
    if (rc != 0)
        report_free(r);
    else
        *out = r;
    return rc;
}
