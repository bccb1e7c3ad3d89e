/* report.json: the stable contract other tools read (extend it, never break it). */
#include "render.h"
#include "report_json.h"

#include "diff.h"
#include "err.h"
#include "json_stream.h"
#include "util.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void add_str(cJSON *o, const char *k, const char *v)
{
    if (v)
        cJSON_AddStringToObject(o, k, v);
    else
        cJSON_AddNullToObject(o, k);
}

static void add_approval(cJSON *o, const struct sb_exception *x)
{
    add_str(o, "approved_by", x->approved_by);
    add_str(o, "approved_on", x->approved_on);
    add_str(o, "owner", x->owner);
    add_str(o, "evidence", x->evidence);
}

static cJSON *exception_json(const struct sb_exception *x, const char *state)
{
    cJSON *o = cJSON_CreateObject();
    add_str(o, "entry_id", x->entry_id);
    add_str(o, "kind", sb_exception_kind_id(x->kind));
    add_str(o, "justification", x->justification);
    add_str(o, "approver", x->approved_by); /* the name before the approval trail; kept for readers */
    add_approval(o, x);
    add_str(o, "ticket", x->ticket);
    add_str(o, "expires", x->expires);
    add_str(o, "state", state);
    return o;
}

static cJSON *counts_json(const size_t counts[SB_STATUS_COUNT], size_t excepted)
{
    cJSON *o = cJSON_CreateObject();
    size_t total = 0;
    for (int s = 0; s < SB_STATUS_COUNT; s++) {
        cJSON_AddNumberToObject(o, sb_status_id((enum sb_status)s), (double)counts[s]);
        total += counts[s];
    }
    cJSON_AddNumberToObject(o, "excepted", (double)excepted);
    cJSON_AddNumberToObject(o, "total", (double)total);
    return o;
}

static cJSON *result_json(const struct sb_result *res)
{
    cJSON *o = cJSON_CreateObject();
    add_str(o, "id", res->id);
    add_str(o, "control", res->control->id);
    add_str(o, "control_title", res->control->title);
    add_str(o, "domain", res->control->domain);
    add_str(o, "feature", res->feature->name);
    add_str(o, "resource_id", res->resource_id);
    add_str(o, "resource_name", res->resource_name);
    add_str(o, "resource_type", res->resource_type);
    add_str(o, "subscription_id", res->subscription_id);
    add_str(o, "resource_group", res->resource_group);
    add_str(o, "status", sb_status_id(res->status));
    add_str(o, "severity", sb_severity_id(res->severity));
    add_str(o, "summary", res->summary);
    add_str(o, "remediation", res->remediation);
    cJSON *ev = cJSON_AddArrayToObject(o, "evidence");
    for (size_t i = 0; i < res->nevidence; i++) {
        cJSON *e = cJSON_CreateObject();
        add_str(e, "resource_id", res->evidence[i].resource_id);
        add_str(e, "path", res->evidence[i].path);
        add_str(e, "value", res->evidence[i].value);
        add_str(e, "expected", res->evidence[i].expected);
        if (res->evidence[i].source)
            add_str(e, "source", res->evidence[i].source);
        cJSON_AddItemToArray(ev, e);
    }
    if (res->exception)
        cJSON_AddItemToObject(o, "exception", exception_json(res->exception, "applied"));
    if (res->expired_exception)
        cJSON_AddItemToObject(o, "expired_exception", exception_json(res->expired_exception, "expired"));
    return o;
}

static cJSON *string_array(char *const *v, size_t n)
{
    cJSON *a = cJSON_CreateArray();
    for (size_t i = 0; i < n; i++)
        cJSON_AddItemToArray(a, cJSON_CreateString(v[i]));
    return a;
}

/* scope.complete and what backs it (docs/report-format.md "scope"). */
static void add_completeness(cJSON *scope, const struct sb_report *r)
{
    const struct sb_scope *sc = &r->scope;
    cJSON_AddBoolToObject(scope, "complete", sc->complete);
    cJSON *reasons = cJSON_AddArrayToObject(scope, "incomplete_reasons");
    for (size_t i = 0; i < sc->nreasons; i++) {
        cJSON *o = cJSON_CreateObject();
        add_str(o, "code", sc->reasons[i].code);
        cJSON_AddNumberToObject(o, "count", (double)sc->reasons[i].count);
        add_str(o, "text", sc->reasons[i].text);
        cJSON_AddItemToArray(reasons, o);
    }
    cJSON_AddNumberToObject(scope, "gap_count", (double)r->ngaps);
    cJSON *req = cJSON_AddObjectToObject(scope, "requested");
    add_str(req, "kind", sc->requested_kind);
    add_str(req, "text", sc->requested);
    cJSON_AddItemToObject(req, "management_groups",
                          string_array(sc->requested_management_groups, sc->nrequested_management_groups));
    cJSON_AddItemToObject(req, "subscriptions", string_array(sc->requested_subscriptions, sc->nrequested_subscriptions));
    cJSON_AddNumberToObject(scope, "subscriptions_visible", (double)sc->nsubscriptions);
    cJSON_AddNumberToObject(scope, "subscriptions_assessed", (double)sc->subscriptions_assessed);
    cJSON *ids = cJSON_AddArrayToObject(scope, "identity");
    for (size_t i = 0; i < sc->nidentities; i++) {
        cJSON *o = cJSON_CreateObject();
        add_str(o, "method", sc->identities[i].method);
        add_str(o, "tenant_id", sc->identities[i].tenant);
        add_str(o, "client_id", sc->identities[i].client);
        cJSON_AddItemToArray(ids, o);
    }
}

/* The baseline's controls and features with the links of its page (results name them by control id
 * and feature name): where each feature is described, and the domain's benchmark page. */
static cJSON *baseline_links_json(const struct sb_baseline *b)
{
    cJSON *ctrls = cJSON_CreateArray();
    for (size_t i = 0; i < b->ncontrols; i++) {
        const struct sb_control *c = &b->controls[i];
        cJSON *co = cJSON_CreateObject();
        add_str(co, "id", c->id);
        add_str(co, "title", c->title);
        add_str(co, "domain", c->domain);
        add_str(co, "domain_url", c->domain_url);
        cJSON *fs = cJSON_AddArrayToObject(co, "features");
        for (size_t j = 0; j < c->nfeatures; j++) {
            const struct sb_feature *f = &c->features[j];
            cJSON *fo = cJSON_CreateObject();
            add_str(fo, "name", f->name);
            add_str(fo, "learn_more_url", f->learn_more_url);
            add_str(fo, "reference", f->reference);
            add_str(fo, "reference_url", f->reference_url);
            cJSON_AddItemToArray(fs, fo);
        }
        cJSON_AddItemToArray(ctrls, co);
    }
    return ctrls;
}

/* The whole report; with `results` false the results array is left empty (render_json streams it). */
static cJSON *report_tree(const struct sb_report *r, bool results)
{
    const struct sb_baseline *b = r->baseline;
    cJSON *root = cJSON_CreateObject();
    add_str(root, "schema", "mcsb-audit-report/1");
    cJSON *tool = cJSON_AddObjectToObject(root, "tool");
    add_str(tool, "name", r->tool_name);
    add_str(tool, "version", r->tool_version);
    cJSON *bl = cJSON_AddObjectToObject(root, "baseline");
    add_str(bl, "id", b->id);
    add_str(bl, "title", b->title);
    add_str(bl, "service", b->service);
    add_str(bl, "mcsb_version", b->mcsb_version);
    add_str(bl, "source", b->source);
    add_str(bl, "sha256", b->sha256);
    cJSON_AddItemToObject(bl, "controls", baseline_links_json(b));
    add_str(root, "generated", r->generated);
    add_str(root, "organisation", r->organisation);
    add_str(root, "classification", r->classification);
    add_str(root, "evidence_as_of", r->evidence_as_of);
    if (r->period_from) {
        cJSON *period = cJSON_AddObjectToObject(root, "period");
        add_str(period, "from", r->period_from);
        add_str(period, "to", r->period_to);
    } else {
        cJSON_AddNullToObject(root, "period");
    }
    cJSON *col = cJSON_AddObjectToObject(root, "collection");
    add_str(col, "started", r->collection_started);
    add_str(col, "finished", r->collection_finished);
    add_str(col, "cloud", r->cloud);

    cJSON *scope = cJSON_AddObjectToObject(root, "scope");
    cJSON *tenants = cJSON_AddArrayToObject(scope, "tenants");
    for (size_t i = 0; i < r->scope.ntenants; i++)
        cJSON_AddItemToArray(tenants, cJSON_CreateString(r->scope.tenants[i]));
    cJSON *subs = cJSON_AddArrayToObject(scope, "subscriptions");
    for (size_t i = 0; i < r->scope.nsubscriptions; i++) {
        cJSON *s = cJSON_CreateObject();
        add_str(s, "id", r->scope.subscriptions[i].id);
        add_str(s, "name", r->scope.subscriptions[i].name);
        add_str(s, "collected", sb_sub_collected_id(r->scope.subscriptions[i].collected));
        cJSON_AddItemToArray(subs, s);
    }
    add_completeness(scope, r);
    cJSON_AddNumberToObject(scope, "resources", (double)r->scope.nresources);
    cJSON *types = cJSON_AddObjectToObject(scope, "resources_by_type");
    for (size_t i = 0; i < r->scope.ntypes; i++)
        cJSON_AddNumberToObject(types, r->scope.types[i].type, (double)r->scope.types[i].count);

    cJSON *inputs = cJSON_AddArrayToObject(root, "inputs");
    for (size_t i = 0; i < r->ninputs; i++) {
        cJSON *in = cJSON_CreateObject();
        add_str(in, "role", r->inputs[i].role);
        add_str(in, "name", r->inputs[i].name);
        add_str(in, "kind", r->inputs[i].kind);
        cJSON_AddNumberToObject(in, "size", (double)r->inputs[i].size);
        add_str(in, "sha256", r->inputs[i].sha256);
        if (i < r->ninput_as_of)
            add_str(in, "as_of", r->input_as_of[i]);
        cJSON_AddItemToArray(inputs, in);
    }
    cJSON_AddItemToObject(root, "counts", counts_json(r->counts, r->excepted));
    struct sb_domain_counts *dc;
    size_t nd = report_domain_counts(r, &dc);
    cJSON *bydom = cJSON_AddArrayToObject(root, "counts_by_domain");
    for (size_t i = 0; i < nd; i++) {
        cJSON *d = counts_json(dc[i].counts, dc[i].excepted);
        cJSON_AddItemToObject(d, "domain", cJSON_CreateString(dc[i].domain));
        cJSON_AddItemToArray(bydom, d);
    }
    free(dc);

    cJSON *res = cJSON_AddArrayToObject(root, "results");
    for (size_t i = 0; results && i < r->nresults; i++)
        cJSON_AddItemToArray(res, result_json(&r->results[i]));

    cJSON *exc = cJSON_AddArrayToObject(root, "exceptions");
    for (size_t i = 0; i < r->nexceptions; i++) {
        const struct sb_exception *x = &r->exceptions[i];
        cJSON *o = cJSON_CreateObject();
        add_str(o, "entry_id", x->entry_id);
        add_str(o, "kind", sb_exception_kind_id(x->kind));
        add_str(o, "finding_id", x->finding_id);
        add_str(o, "control", x->control);
        add_str(o, "feature", x->feature);
        add_str(o, "resource_pattern", x->resource_pattern);
        add_str(o, "justification", x->justification);
        add_str(o, "approver", x->approved_by);
        add_approval(o, x);
        add_str(o, "ticket", x->ticket);
        add_str(o, "expires", x->expires);
        cJSON_AddBoolToObject(o, "expired", x->expired);
        cJSON_AddNumberToObject(o, "matched", (double)x->matched);
        cJSON_AddNumberToObject(o, "number", x->number);
        cJSON_AddBoolToObject(o, "unmatched", x->matched == 0);
        cJSON *ids = cJSON_AddArrayToObject(o, "matched_findings");
        for (size_t k = 0; x->matched_ids && k < x->matched; k++)
            cJSON_AddItemToArray(ids, cJSON_CreateString(x->matched_ids[k]));
        cJSON *warn = cJSON_AddArrayToObject(o, "warnings");
        for (size_t k = 0; k < x->nwarnings; k++)
            cJSON_AddItemToArray(warn, cJSON_CreateString(x->warnings[k]));
        cJSON_AddItemToArray(exc, o);
    }
    cJSON *gaps = cJSON_AddArrayToObject(root, "gaps");
    for (size_t i = 0; i < r->ngaps; i++) {
        const struct sb_gap *g = &r->gaps[i];
        cJSON *o = cJSON_CreateObject();
        add_str(o, "scope", g->scope);
        add_str(o, "collection", g->collection);
        add_str(o, "request", g->request);
        cJSON_AddNumberToObject(o, "http_status", g->http_status);
        add_str(o, "error_code", g->error_code);
        add_str(o, "message", g->message);
        cJSON_AddItemToArray(gaps, o);
    }
    if (r->changes) {
        const struct sb_changes *c = r->changes;
        cJSON *ch = cJSON_AddObjectToObject(root, "changes");
        add_str(ch, "previous", c->previous_name);
        add_str(ch, "previous_sha256", c->previous_sha256);
        add_str(ch, "previous_generated", c->previous_generated);
        cJSON_AddItemToObject(ch, "items", diff_changes_json(c));
    }
    return root;
}

cJSON *report_to_json(const struct sb_report *r)
{
    return report_tree(r, true);
}

/* report.json is written as it is produced: every member but "results" comes from the same tree
 * report_to_json builds (so every key stays), and the results are built and printed one at a time. */
static cJSON *result_item(void *ctx, size_t i)
{
    const struct sb_report *r = ctx;
    return result_json(&r->results[i]);
}

int render_json(const struct sb_report *r, const struct sb_render_opts *o, const char *out_path, struct sb_err *e)
{
    (void)o;
    cJSON *root = report_tree(r, false);
    struct json_lazy results = {cJSON_GetObjectItemCaseSensitive(root, "results"), r->nresults, result_item,
                                (void *)r};
    return json_stream_document(out_path, root, &results, 1, "JSON", e);
}
