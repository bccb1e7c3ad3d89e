/* The per-result sheets: Findings, Evidence, Collection Gaps. */
#include "xlsx_sheets.h"

#include "util.h"
#include "xlsx_table.h"

#include <stdlib.h>
#include <string.h>

enum {
    F_FINDING, F_STATUS, F_CONTROL, F_DOMAIN, F_FEATURE, F_SUBSCRIPTION, F_GROUP, F_NAME, F_TYPE, F_ID,
    F_SEVERITY, F_SUMMARY, F_EVIDENCE, F_REMEDIATION, F_EXC_KIND, F_EXC_WHY,
    F_EXC_EXPIRES, F_CONCLUSION, F_COMMENT, F_OWNER, F_DUE, F_RESPONSE
};

/* The finding id first (frozen: every row stays identifiable while scrolling right), then filter
 * columns, long text last (REPORT-DESIGN.md), and at the far right the columns people fill in:
 * the auditor's, then management's response. */
static const struct xlsx_col findings_cols[] = {
    [F_FINDING] = {"Finding id", 36, XF_MONO_WRAP},
    [F_STATUS] = {"Status", 13, XF_TEXT},
    [F_CONTROL] = {"Control", 9, XF_MONO},
    [F_DOMAIN] = {"Domain", 22, XF_WRAP},
    [F_FEATURE] = {"Feature", 30, XF_WRAP},
    [F_SUBSCRIPTION] = {"Subscription", 38, XF_MONO},
    [F_GROUP] = {"Resource group", 22, XF_TEXT},
    [F_NAME] = {"Resource name", 26, XF_TEXT},
    [F_TYPE] = {"Resource type", 36, XF_TEXT},
    [F_ID] = {"Resource id", 60, XF_MONO_WRAP},
    [F_SEVERITY] = {"Severity", 10, XF_TEXT},
    [F_SUMMARY] = {"Summary", 50, XF_WRAP},
    [F_EVIDENCE] = {"Evidence", 60, XF_MONO_WRAP},
    [F_REMEDIATION] = {"Remediation", 50, XF_WRAP},
    [F_EXC_KIND] = {"Exception kind", 22, XF_WRAP},
    [F_EXC_WHY] = {"Exception justification", 40, XF_WRAP},
    [F_EXC_EXPIRES] = {"Exception expiry", 12, XF_TEXT},
    [F_CONCLUSION] = {"Auditor conclusion", 18, XF_TEXT},
    [F_COMMENT] = {"Auditor comment", 40, XF_WRAP},
    [F_OWNER] = {"Owner", 22, XF_WRAP},
    [F_DUE] = {"Due date", 12, XF_TEXT},
    [F_RESPONSE] = {"Management response", 50, XF_WRAP},
};

static const char *severity_word(enum sb_severity s)
{
    static const char *const words[] = {NULL, "Low", "Medium", "High"};
    return s <= SB_SEV_HIGH ? words[s] : NULL;
}

static char *evidence_text(const struct sb_result *res)
{
    struct sb_buf b = {0};
    for (size_t i = 0; i < res->nevidence; i++) {
        char *line = sb_evidence_line(&res->evidence[i]);
        if (i)
            sb_buf_putc(&b, '\n');
        sb_buf_puts(&b, line);
        free(line);
    }
    return sb_buf_take(&b);
}

static void exception_cells(struct xlsx_table *t, const struct sb_result *res)
{
    const struct sb_exception *x = res->exception ? res->exception : res->expired_exception;
    if (!x)
        return;
    const char *label = sb_exception_kind_label(x->kind);
    char *kind = res->exception ? sb_xstrdup(label)
                                : sb_xasprintf("%s (expired \xe2\x80\x94 not applied)", label);
    xlsx_table_str(t, F_EXC_KIND, kind);
    free(kind);
    xlsx_table_str(t, F_EXC_WHY, x->justification);
    xlsx_table_date(t, F_EXC_EXPIRES, x->expires);
}

/* Failing rows first (status rank, then severity), baseline order within: what needs a response is on top. */
static int urgent_first(const void *a, const void *b)
{
    const struct sb_result *x = *(const struct sb_result *const *)a;
    const struct sb_result *y = *(const struct sb_result *const *)b;
    int d = sb_status_rank(x->status) - sb_status_rank(y->status);
    if (!d)
        d = (int)y->severity - (int)x->severity;
    return d ? d : (x > y) - (x < y);
}

void xlsx_sheet_findings(struct xlsx_book *b, const struct sb_report *r)
{
    struct xlsx_table t;
    xlsx_table_open(&t, b, "Findings", findings_cols, XLSX_LEN(findings_cols), F_STATUS, F_CONCLUSION);
    xlsx_table_freeze_cols(&t, 1);
    xlsx_table_date_entry(&t, F_DUE);
    const struct sb_result **order = sb_xcalloc(r->nresults ? r->nresults : 1, sizeof *order);
    for (size_t i = 0; i < r->nresults; i++)
        order[i] = &r->results[i];
    sb_sort(order, r->nresults, sizeof *order, urgent_first);
    for (size_t i = 0; i < r->nresults && !b->failed; i++) {
        const struct sb_result *res = order[i];
        xlsx_table_row(&t);
        xlsx_table_str(&t, F_STATUS, sb_status_label(res->status));
        xlsx_table_str(&t, F_CONTROL, res->control->id);
        xlsx_table_str(&t, F_DOMAIN, res->control->domain);
        xlsx_table_str(&t, F_FEATURE, res->feature->name);
        xlsx_table_str(&t, F_SUBSCRIPTION, res->subscription_id);
        xlsx_table_str(&t, F_GROUP, res->resource_group);
        xlsx_table_str(&t, F_NAME, res->resource_name);
        xlsx_table_str(&t, F_TYPE, res->resource_type);
        xlsx_table_str(&t, F_ID, res->resource_id);
        xlsx_table_str(&t, F_SEVERITY, severity_word(res->severity));
        xlsx_table_str(&t, F_FINDING, res->id);
        xlsx_table_str(&t, F_SUMMARY, res->summary);
        char *ev = evidence_text(res);
        xlsx_table_str(&t, F_EVIDENCE, ev);
        free(ev);
        xlsx_table_str(&t, F_REMEDIATION, res->remediation);
        exception_cells(&t, res);
    }
    free(order);
    xlsx_table_close(&t);
}

enum { E_FINDING, E_CONTROL, E_FEATURE, E_RESOURCE, E_PATH, E_VALUE, E_EXPECTED };

static const struct xlsx_col evidence_cols[] = {
    [E_FINDING] = {"Finding id", 44, XF_MONO_WRAP},
    [E_CONTROL] = {"Control", 9, XF_MONO},
    [E_FEATURE] = {"Feature", 30, XF_WRAP},
    [E_RESOURCE] = {"Resource id", 60, XF_MONO_WRAP},
    [E_PATH] = {"Path", 50, XF_MONO_WRAP},
    [E_VALUE] = {"Observed value", 40, XF_MONO_WRAP},
    [E_EXPECTED] = {"Expected", 40, XF_WRAP},
};

void xlsx_sheet_evidence(struct xlsx_book *b, const struct sb_report *r)
{
    struct xlsx_table t;
    xlsx_table_open(&t, b, "Evidence", evidence_cols, XLSX_LEN(evidence_cols), -1, -1);
    for (size_t i = 0; i < r->nresults && !b->failed; i++) {
        const struct sb_result *res = &r->results[i];
        for (size_t k = 0; k < res->nevidence; k++) {
            const struct sb_evidence *ev = &res->evidence[k];
            xlsx_table_row(&t);
            xlsx_table_str(&t, E_FINDING, res->id);
            xlsx_table_str(&t, E_CONTROL, res->control->id);
            xlsx_table_str(&t, E_FEATURE, res->feature->name);
            xlsx_table_str(&t, E_RESOURCE, ev->resource_id ? ev->resource_id : res->resource_id);
            xlsx_table_str(&t, E_PATH, ev->path);
            xlsx_table_str(&t, E_VALUE, ev->value ? ev->value : "(absent)");
            xlsx_table_str(&t, E_EXPECTED, ev->expected);
        }
    }
    xlsx_table_close(&t);
}

enum { G_KIND, G_SCOPE, G_COLLECTION, G_REQUEST, G_HTTP, G_CODE, G_MESSAGE, G_FINDING, G_CONTROL, G_FEATURE };

static const struct xlsx_col gap_cols[] = {
    [G_KIND] = {"Kind", 16, XF_TEXT},
    [G_SCOPE] = {"Scope / resource", 60, XF_MONO_WRAP},
    [G_COLLECTION] = {"Collection", 20, XF_TEXT},
    [G_REQUEST] = {"Request", 60, XF_MONO_WRAP},
    [G_HTTP] = {"HTTP status", 8, XF_NUM},
    [G_CODE] = {"Error code", 22, XF_TEXT},
    [G_MESSAGE] = {"Message / summary", 60, XF_WRAP},
    [G_FINDING] = {"Finding id", 44, XF_MONO_WRAP},
    [G_CONTROL] = {"Control", 9, XF_MONO},
    [G_FEATURE] = {"Feature", 30, XF_WRAP},
};

void xlsx_sheet_gaps(struct xlsx_book *b, const struct sb_report *r)
{
    struct xlsx_table t;
    xlsx_table_open(&t, b, "Collection Gaps", gap_cols, XLSX_LEN(gap_cols), -1, -1);
    for (size_t i = 0; i < r->ngaps && !b->failed; i++) {
        const struct sb_gap *g = &r->gaps[i];
        xlsx_table_row(&t);
        xlsx_table_str(&t, G_KIND, "Collection gap");
        xlsx_table_str(&t, G_SCOPE, g->scope);
        xlsx_table_str(&t, G_COLLECTION, g->collection);
        xlsx_table_str(&t, G_REQUEST, g->request);
        if (g->http_status)
            xlsx_table_num(&t, G_HTTP, g->http_status);
        xlsx_table_str(&t, G_CODE, g->error_code);
        xlsx_table_str(&t, G_MESSAGE, g->message);
    }
    for (size_t i = 0; i < r->nresults && !b->failed; i++) {
        const struct sb_result *res = &r->results[i];
        if (res->status != SB_STATUS_NOT_ASSESSED)
            continue;
        xlsx_table_row(&t);
        xlsx_table_str(&t, G_KIND, "Not assessed");
        char *scope = res->resource_id || !res->subscription_id
                          ? sb_xstrdup(res->resource_id)
                          : sb_xasprintf("/subscriptions/%s", res->subscription_id);
        xlsx_table_str(&t, G_SCOPE, scope);
        free(scope);
        xlsx_table_str(&t, G_MESSAGE, res->summary);
        xlsx_table_str(&t, G_FINDING, res->id);
        xlsx_table_str(&t, G_CONTROL, res->control->id);
        xlsx_table_str(&t, G_FEATURE, res->feature->name);
    }
    xlsx_table_close(&t);
}
