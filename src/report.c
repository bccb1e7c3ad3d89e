#include "report.h"

#include "strpool.h"
#include "util.h"

#include <stdlib.h>
#include <string.h>

static const struct {
    const char *id;
    const char *label;
    int rank;
    uint32_t fill;
    uint32_t text;
} status_table[SB_STATUS_COUNT] = {
    [SB_STATUS_PASS] = {"pass", "Pass", 3, 0xE3F1E6, 0x1E6B30},
    [SB_STATUS_FAIL] = {"fail", "Fail", 0, 0xFBE3E4, 0xA4161A},
    [SB_STATUS_MANUAL] = {"manual", "Manual", 2, 0xFFF1D6, 0x8A5300},
    [SB_STATUS_NOT_APPLICABLE] = {"not_applicable", "N/A", 4, 0xEEEEEE, 0x555555},
    [SB_STATUS_NOT_ASSESSED] = {"not_assessed", "Not assessed", 1, 0xE6E9F5, 0x2F3E8C},
};

const char *sb_status_id(enum sb_status s)
{
    return s < SB_STATUS_COUNT ? status_table[s].id : "unknown";
}

const char *sb_status_label(enum sb_status s)
{
    return s < SB_STATUS_COUNT ? status_table[s].label : "Unknown";
}

int sb_status_rank(enum sb_status s)
{
    return s < SB_STATUS_COUNT ? status_table[s].rank : SB_STATUS_COUNT;
}

int sb_status_parse(const char *s, enum sb_status *out)
{
    for (int i = 0; i < SB_STATUS_COUNT; i++)
        if (s && strcmp(s, status_table[i].id) == 0) {
            *out = (enum sb_status)i;
            return 0;
        }
    return -1;
}

uint32_t sb_status_fill_rgb(enum sb_status s)
{
    return s < SB_STATUS_COUNT ? status_table[s].fill : 0xFFFFFF;
}

uint32_t sb_status_text_rgb(enum sb_status s)
{
    return s < SB_STATUS_COUNT ? status_table[s].text : 0x000000;
}

const char *sb_severity_id(enum sb_severity s)
{
    static const char *const ids[] = {"none", "low", "medium", "high"};
    return s <= SB_SEV_HIGH ? ids[s] : "none";
}

const char *sb_exception_kind_id(enum sb_exception_kind k)
{
    static const char *const ids[] = {"accepted_risk", "compensating_control", "attestation"};
    return k <= SB_EXC_ATTESTATION ? ids[k] : "unknown";
}

const char *sb_exception_kind_label(enum sb_exception_kind k)
{
    static const char *const labels[] = {"Accepted risk", "Compensating control", "Attestation"};
    return k <= SB_EXC_ATTESTATION ? labels[k] : "Unknown";
}

static const struct {
    const char *id;
    const char *label;
} change_table[SB_CHANGE_KIND_COUNT] = {
    [SB_CHANGE_NEW_FINDING] = {"new_finding", "New finding"},
    [SB_CHANGE_RESOLVED] = {"resolved", "Resolved"},
    [SB_CHANGE_STATUS] = {"status_changed", "Status changed"},
    [SB_CHANGE_RESOURCE_ADDED] = {"resource_added", "Resource added"},
    [SB_CHANGE_RESOURCE_REMOVED] = {"resource_removed", "Resource removed"},
    [SB_CHANGE_EVIDENCE] = {"evidence_changed", "Evidence changed"},
    [SB_CHANGE_EXCEPTION_EXPIRED] = {"exception_expired", "Exception expired"},
    [SB_CHANGE_EXCEPTION_ADDED] = {"exception_added", "Exception added"},
    [SB_CHANGE_NO_LONGER_ASSESSED] = {"no_longer_assessed", "No longer assessed"},
};

const char *sb_change_kind_id(enum sb_change_kind k)
{
    return k < SB_CHANGE_KIND_COUNT ? change_table[k].id : "unknown";
}

const char *sb_change_kind_label(enum sb_change_kind k)
{
    return k < SB_CHANGE_KIND_COUNT ? change_table[k].label : "Unknown";
}

size_t report_domain_counts(const struct sb_report *r, struct sb_domain_counts **out)
{
    const struct sb_baseline *b = r->baseline;
    struct sb_domain_counts *d = sb_xcalloc(b->ncontrols ? b->ncontrols : 1, sizeof *d);
    size_t nd = 0;
    for (size_t i = 0; i < b->ncontrols; i++) {
        size_t k;
        for (k = 0; k < nd; k++)
            if (strcmp(d[k].domain, b->controls[i].domain) == 0)
                break;
        if (k == nd)
            d[nd++].domain = b->controls[i].domain;
    }
    for (size_t i = 0; i < r->nresults; i++) {
        const struct sb_result *res = &r->results[i];
        for (size_t k = 0; k < nd; k++)
            if (strcmp(d[k].domain, res->control->domain) == 0) {
                d[k].counts[res->status]++;
                if (res->exception)
                    d[k].excepted++;
                break;
            }
    }
    *out = d;
    return nd;
}

size_t report_feature_results(const struct sb_report *r, const struct sb_feature *f,
                              const struct sb_result **first)
{
    *first = NULL;
    size_t n = 0;
    for (size_t i = 0; i < r->nresults; i++) {
        if (r->results[i].feature == f) {
            if (!n)
                *first = &r->results[i];
            n++;
        } else if (n) {
            break;
        }
    }
    return n;
}

enum sb_status report_feature_outcome(const struct sb_report *r, const struct sb_feature *f)
{
    const struct sb_result *first;
    size_t n = report_feature_results(r, f, &first);
    enum sb_status best = SB_STATUS_NOT_APPLICABLE;
    for (size_t i = 0; i < n; i++)
        if (sb_status_rank(first[i].status) < sb_status_rank(best))
            best = first[i].status;
    return n ? best : SB_STATUS_NOT_ASSESSED;
}

char *sb_evidence_line(const struct sb_evidence *ev)
{
    if (!sb_empty(ev->source))
        return sb_xasprintf("%s = %s [%s]", ev->path ? ev->path : "", ev->value ? ev->value : "(absent)", ev->source);
    return sb_xasprintf("%s = %s", ev->path ? ev->path : "", ev->value ? ev->value : "(absent)");
}

char *sb_result_status_text(const struct sb_result *res)
{
    const char *label = sb_status_label(res->status);
    if (res->exception)
        return sb_xasprintf("%s \xe2\x80\x94 excepted until %s (%s)", label,
                            res->exception->expires ? res->exception->expires : "?",
                            sb_exception_kind_label(res->exception->kind));
    return sb_xstrdup(label);
}

static void free_result(struct sb_result *res)
{
    if (res->strings) { /* every string is the pool's */
        free(res->evidence);
        return;
    }
    free(res->id);
    free(res->resource_name);
    free(res->resource_type);
    free(res->subscription_id);
    free(res->resource_group);
    free(res->summary);
    free(res->remediation);
    for (size_t i = 0; i < res->nevidence; i++) {
        if (res->evidence[i].resource_id != res->resource_id)
            free(res->evidence[i].resource_id);
        free(res->evidence[i].path);
        free(res->evidence[i].value);
        free(res->evidence[i].expected);
        free(res->evidence[i].source);
    }
    free(res->evidence);
    free(res->resource_id); /* after the evidence, which may share it */
}

void sb_changes_free(struct sb_changes *c)
{
    if (!c)
        return;
    for (size_t i = 0; i < c->n; i++) {
        struct sb_change *x = &c->items[i];
        free(x->finding_id);
        free(x->control);
        free(x->feature);
        free(x->resource_id);
        free(x->path);
        free(x->old_value);
        free(x->new_value);
        free(x->reason);
    }
    free(c->items);
    free(c->previous_name);
    free(c->previous_sha256);
    free(c->previous_generated);
    free(c);
}

void sb_exception_clear(struct sb_exception *x)
{
    free(x->entry_id);
    free(x->finding_id);
    free(x->control);
    free(x->feature);
    free(x->resource_pattern);
    free(x->justification);
    free(x->approved_by);
    free(x->approved_on);
    free(x->owner);
    free(x->evidence);
    free(x->ticket);
    free(x->expires);
    free(x->matched_ids);
    for (size_t i = 0; i < x->nwarnings; i++)
        free(x->warnings[i]);
    free(x->warnings);
}

void report_free(struct sb_report *r)
{
    if (!r)
        return;
    free(r->tool_name);
    free(r->tool_version);
    free(r->organisation);
    free(r->classification);
    free(r->collection_started);
    free(r->collection_finished);
    free(r->cloud);
    free(r->evidence_as_of);
    free(r->period_from);
    free(r->period_to);
    for (size_t i = 0; i < r->ninputs; i++) {
        free(r->inputs[i].role);
        free(r->inputs[i].name);
        free(r->inputs[i].kind);
    }
    for (size_t i = 0; i < r->ninput_as_of; i++)
        free(r->input_as_of[i]);
    free(r->input_as_of);
    free(r->inputs);
    for (size_t i = 0; i < r->scope.ntenants; i++)
        free(r->scope.tenants[i]);
    free(r->scope.tenants);
    for (size_t i = 0; i < r->scope.nsubscriptions; i++) {
        free(r->scope.subscriptions[i].id);
        free(r->scope.subscriptions[i].name);
    }
    free(r->scope.subscriptions);
    for (size_t i = 0; i < r->scope.ntypes; i++)
        free(r->scope.types[i].type);
    free(r->scope.types);
    for (size_t i = 0; i < r->scope.nreasons; i++) {
        free(r->scope.reasons[i].code);
        free(r->scope.reasons[i].text);
    }
    free(r->scope.reasons);
    free(r->scope.requested);
    for (size_t i = 0; i < r->scope.nrequested_management_groups; i++)
        free(r->scope.requested_management_groups[i]);
    free(r->scope.requested_management_groups);
    for (size_t i = 0; i < r->scope.nrequested_subscriptions; i++)
        free(r->scope.requested_subscriptions[i]);
    free(r->scope.requested_subscriptions);
    for (size_t i = 0; i < r->scope.nidentities; i++) {
        free(r->scope.identities[i].method);
        free(r->scope.identities[i].tenant);
        free(r->scope.identities[i].client);
    }
    free(r->scope.identities);
    for (size_t i = 0; i < r->nresults; i++)
        free_result(&r->results[i]);
    free(r->results);
    sb_strpool_free(r->strings);
    for (size_t i = 0; i < r->nexceptions; i++)
        sb_exception_clear(&r->exceptions[i]);
    free(r->exceptions);
    for (size_t i = 0; i < r->ngaps; i++) {
        struct sb_gap *g = &r->gaps[i];
        free(g->scope);
        free(g->collection);
        free(g->request);
        free(g->error_code);
        free(g->message);
    }
    free(r->gaps);
    sb_changes_free(r->changes);
    free(r);
}

const char *sb_sub_collected_id(enum sb_sub_collected c)
{
    switch (c) {
    case SB_SUB_COMPLETE: return "complete";
    case SB_SUB_PARTIAL: return "partial";
    case SB_SUB_NOT_COLLECTED: return "not_collected";
    default: return "input_files";
    }
}

char *report_population_line(const struct sb_report *r)
{
    return sb_xstrdup(r->scope.complete ? "Population complete" : "Population incomplete");
}

static const char *sub_display(const struct sb_subscription *s)
{
    return s->name ? s->name : s->id;
}

static char *subscriptions_text(const struct sb_report *r)
{
    const struct sb_scope *sc = &r->scope;
    struct sb_buf b = {0};
    sb_buf_printf(&b, "%zu visible in the inputs, %zu assessed", sc->nsubscriptions, sc->subscriptions_assessed);
    size_t missing = sc->nsubscriptions - sc->subscriptions_assessed, shown = 0;
    if (missing) {
        sb_buf_puts(&b, "; not collected: ");
        for (size_t i = 0; i < sc->nsubscriptions && shown < 5; i++)
            if (sc->subscriptions[i].collected == SB_SUB_NOT_COLLECTED)
                sb_buf_printf(&b, "%s%s", shown++ ? ", " : "", sub_display(&sc->subscriptions[i]));
        if (missing > shown)
            sb_buf_printf(&b, " and %zu more", missing - shown);
    }
    return sb_buf_take(&b);
}

static char *identity_text(const struct sb_report *r)
{
    const struct sb_scope *sc = &r->scope;
    if (!sc->nidentities)
        return sb_xstrdup("not recorded (the inputs were not collected by mcsb-audit collect)");
    struct sb_buf b = {0};
    for (size_t i = 0; i < sc->nidentities; i++) {
        const struct sb_identity *id = &sc->identities[i];
        sb_buf_printf(&b, "%stenant %s, %s %s", i ? "; " : "", id->tenant ? id->tenant : "not recorded",
                      id->method && strstr(id->method, "managed identity") ? "managed identity client id" : "client id",
                      id->client ? id->client : "not recorded");
        if (id->method)
            sb_buf_printf(&b, " (%s)", id->method);
    }
    return sb_buf_take(&b);
}

static char *population_text(const struct sb_report *r, bool *alert)
{
    const struct sb_scope *sc = &r->scope;
    struct sb_buf b = {0};
    *alert = !sc->complete || sc->nresources == 0;
    if (sc->complete)
        sb_buf_printf(&b, "Complete: every input is a complete listing and nothing failed to be collected "
                          "(%zu resource%s)", sc->nresources, sc->nresources == 1 ? "" : "s");
    else {
        sb_buf_printf(&b, "Incomplete (%zu resource%s read): ", sc->nresources, sc->nresources == 1 ? "" : "s");
        for (size_t i = 0; i < sc->nreasons; i++)
            sb_buf_printf(&b, "%s%s", i ? "; " : "", sc->reasons[i].text);
    }
    if (sc->nresources == 0)
        sb_buf_puts(&b, ". The inputs hold no resources: nothing could be assessed, which is not a clean result");
    return sb_buf_take(&b);
}

static char *as_of_text(const struct sb_report *r)
{
    if (r->evidence_as_of)
        return sb_xstrdup(r->evidence_as_of);
    struct sb_buf have = {0}, missing = {0};
    for (size_t i = 0; i < r->ninput_as_of && i < r->ninputs; i++) {
        const struct sb_report_input *in = &r->inputs[i];
        if (r->input_as_of[i])
            sb_buf_printf(&have, "%s%s (%s)", have.len ? "; " : "", r->input_as_of[i], sb_basename(in->name));
        else
            sb_buf_printf(&missing, "%s%s", missing.len ? ", " : "", sb_basename(in->name));
    }
    char *out = have.len ? sb_xasprintf("%s; not recorded for %s", have.data, missing.data ? missing.data : "")
                         : sb_xstrdup("not recorded (the input files carry no time of reading)");
    sb_buf_free(&have);
    sb_buf_free(&missing);
    return out;
}

size_t report_statement(const struct sb_report *r, struct sb_statement_line **out)
{
    struct sb_statement_line *v = sb_xcalloc(7, sizeof *v);
    size_t n = 0;
    v[n++] = (struct sb_statement_line){"Scope requested", sb_xstrdup(r->scope.requested ? r->scope.requested
                                                                                          : "the given input files"),
                                        false};
    v[n++] = (struct sb_statement_line){"Subscriptions", subscriptions_text(r), false};
    v[n++] = (struct sb_statement_line){"Identity", identity_text(r), false};
    bool alert;
    char *pop = population_text(r, &alert);
    v[n++] = (struct sb_statement_line){"Population", pop, alert};
    v[n++] = (struct sb_statement_line){"Gaps", r->ngaps ? sb_xasprintf("%zu (each listed under \xe2\x80\x9c" "Collection gaps\xe2\x80\x9d)", r->ngaps)
                                                         : sb_xstrdup("none"),
                                        r->ngaps != 0};
    v[n++] = (struct sb_statement_line){"Evidence as of", as_of_text(r), false};
    v[n++] = (struct sb_statement_line){"Audit period",
                                        r->period_from ? sb_xasprintf("%s to %s", r->period_from, r->period_to)
                                                       : sb_xstrdup("not given"),
                                        false};
    *out = v;
    return n;
}

void report_statement_free(struct sb_statement_line *v, size_t n)
{
    for (size_t i = 0; i < n; i++)
        free(v[i].value);
    free(v);
}
