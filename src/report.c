#include "report.h"

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
    free(res->id);
    free(res->resource_id);
    free(res->resource_name);
    free(res->resource_type);
    free(res->subscription_id);
    free(res->resource_group);
    free(res->summary);
    free(res->remediation);
    for (size_t i = 0; i < res->nevidence; i++) {
        free(res->evidence[i].resource_id);
        free(res->evidence[i].path);
        free(res->evidence[i].value);
        free(res->evidence[i].expected);
        free(res->evidence[i].source);
    }
    free(res->evidence);
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
    for (size_t i = 0; i < r->ninputs; i++) {
        free(r->inputs[i].role);
        free(r->inputs[i].name);
        free(r->inputs[i].kind);
    }
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
    for (size_t i = 0; i < r->nresults; i++)
        free_result(&r->results[i]);
    free(r->results);
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
