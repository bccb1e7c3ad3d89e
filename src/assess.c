#include "assess.h"

#include "err.h"
#include "eval.h"
#include "exceptions.h"
#include "state.h"
#include "util.h"

#include <stdlib.h>
#include <string.h>
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
    results.items = NULL;
    if (erc != 0)
        goto done;

    if (o->exceptions_path) {
        size_t len;
        if (sb_read_file(&exbuf, &len, o->exceptions_path, SB_MAX_INPUT_BYTES, e) != 0)
            goto done;
        if (exceptions_load(&r->exceptions, &r->nexceptions, o->exceptions_path, exbuf, len, r->generated_at, e) != 0 ||
            exceptions_check_baseline(r->exceptions, r->nexceptions, b, o->exceptions_path, e) != 0)
            goto done;
        exceptions_review(r->exceptions, r->nexceptions, r->generated_at,
                          o->max_exception_days > 0 ? o->max_exception_days : SB_MAX_EXCEPTION_DAYS);
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
    r->collection_started = sb_xstrdup(st->collection_started);
    r->collection_finished = sb_xstrdup(st->collection_finished);
    r->cloud = sb_xstrdup(st->cloud);
    rc = 0;
done:
    free(exbuf);
    free(results.items);
    state_free(st);
    if (rc != 0)
        report_free(r);
    else
        *out = r;
    return rc;
}
