/* The baseline-shaped sheets: Security Profile, Responsibility Matrix, Exceptions, Policy
 * Definitions, Changes. */
#include "xlsx_sheets.h"

#include "util.h"
#include "xlsx_table.h"

#include <stdlib.h>

static const struct xlsx_col profile_cols[] = {
    {"Attribute", 32, XF_TEXT},
    {"Value", 70, XF_WRAP},
};

void xlsx_sheet_profile(struct xlsx_book *b, const struct sb_report *r)
{
    struct xlsx_table t;
    xlsx_table_open(&t, b, "Security Profile", profile_cols, XLSX_LEN(profile_cols), -1, -1);
    for (size_t i = 0; i < r->baseline->nprofile; i++) {
        xlsx_table_row(&t);
        xlsx_table_str(&t, 0, r->baseline->profile[i].name);
        xlsx_table_str(&t, 1, r->baseline->profile[i].value);
    }
    xlsx_table_close(&t);
}

enum { M_CONTROL, M_TITLE, M_DOMAIN, M_FEATURE, M_SUPPORTED, M_DEFAULT, M_RESP, M_OUTCOME, M_RESULTS,
       M_COUNTS, /* one column per status in xlsx_status_order, then Excepted */
       M_LEARN_MORE = M_COUNTS + SB_STATUS_COUNT + 1, M_REFERENCE };

static const struct xlsx_col matrix_cols[] = {
    [M_CONTROL] = {"Control", 9, XF_MONO},
    [M_TITLE] = {"Control title", 40, XF_WRAP},
    [M_DOMAIN] = {"Domain", 22, XF_WRAP},
    [M_FEATURE] = {"Feature", 36, XF_WRAP},
    [M_SUPPORTED] = {"Supported", 11, XF_TEXT},
    [M_DEFAULT] = {"Enabled by default", 11, XF_TEXT},
    [M_RESP] = {"Responsibility", 15, XF_TEXT},
    [M_OUTCOME] = {"Outcome", 13, XF_TEXT},
    [M_RESULTS] = {"Results", 9, XF_NUM},
    /* Headers must match sb_status_label() in xlsx_status_order. */
    [M_COUNTS + 0] = {"Fail", 8, XF_NUM},
    [M_COUNTS + 1] = {"Not assessed", 9, XF_NUM},
    [M_COUNTS + 2] = {"Manual", 8, XF_NUM},
    [M_COUNTS + 3] = {"Pass", 8, XF_NUM},
    [M_COUNTS + 4] = {"N/A", 8, XF_NUM},
    [M_COUNTS + 5] = {"Excepted", 9, XF_NUM},
    /* The baseline page's links: its "Learn more." and "Reference:" (text linked). */
    [M_LEARN_MORE] = {"Learn more", 40, XF_LINK},
    [M_REFERENCE] = {"Reference", 36, XF_LINK},
};

static void feature_row(struct xlsx_table *t, const struct sb_report *r, const struct sb_control *c,
                        const struct sb_feature *f)
{
    const struct sb_result *first;
    size_t n = report_feature_results(r, f, &first);
    size_t counts[SB_STATUS_COUNT] = {0}, excepted = 0;
    for (size_t i = 0; i < n; i++) {
        counts[first[i].status]++;
        excepted += first[i].exception != NULL;
    }
    xlsx_table_row(t);
    xlsx_table_str(t, M_CONTROL, c->id);
    xlsx_table_str(t, M_TITLE, c->title);
    xlsx_table_url(t, M_DOMAIN, c->domain_url, c->domain);
    xlsx_table_str(t, M_FEATURE, f->name);
    xlsx_table_str(t, M_SUPPORTED, sb_tri_str(f->supported));
    xlsx_table_str(t, M_DEFAULT, sb_tri_str(f->enabled_by_default));
    xlsx_table_str(t, M_RESP, sb_resp_str(f->responsibility));
    xlsx_table_str(t, M_OUTCOME, sb_status_label(report_feature_outcome(r, f)));
    xlsx_table_num(t, M_RESULTS, (double)n);
    for (size_t k = 0; k < SB_STATUS_COUNT; k++)
        xlsx_table_num(t, (lxw_col_t)(M_COUNTS + k), (double)counts[xlsx_status_order[k]]);
    xlsx_table_num(t, M_COUNTS + SB_STATUS_COUNT, (double)excepted);
    xlsx_table_url(t, M_LEARN_MORE, f->learn_more_url, NULL);
    xlsx_table_url(t, M_REFERENCE, f->reference_url, f->reference);
}

void xlsx_sheet_matrix(struct xlsx_book *b, const struct sb_report *r)
{
    struct xlsx_table t;
    xlsx_table_open(&t, b, "Responsibility Matrix", matrix_cols, XLSX_LEN(matrix_cols), M_OUTCOME, -1);
    for (size_t i = 0; i < r->baseline->ncontrols; i++) {
        const struct sb_control *c = &r->baseline->controls[i];
        for (size_t k = 0; k < c->nfeatures; k++)
            feature_row(&t, r, c, &c->features[k]);
    }
    xlsx_table_close(&t);
}

enum { X_NUMBER, X_ENTRY, X_KIND, X_FINDING, X_CONTROL, X_FEATURE, X_PATTERN, X_WHY, X_EVIDENCE, X_APPROVED_BY,
       X_APPROVED_ON, X_OWNER, X_TICKET, X_EXPIRES, X_STATE, X_MATCHED, X_MATCHED_IDS, X_WARNINGS };

static const struct xlsx_col exception_cols[] = {
    [X_NUMBER] = {"Entry #", 8, XF_NUM},
    [X_ENTRY] = {"Entry id", 14, XF_MONO},
    [X_KIND] = {"Kind", 20, XF_TEXT},
    [X_FINDING] = {"Finding id", 36, XF_MONO_WRAP},
    [X_CONTROL] = {"Control", 9, XF_MONO},
    [X_FEATURE] = {"Feature", 30, XF_WRAP},
    [X_PATTERN] = {"Resource pattern", 50, XF_MONO_WRAP},
    [X_WHY] = {"Justification", 50, XF_WRAP},
    [X_EVIDENCE] = {"Evidence", 40, XF_WRAP},
    [X_APPROVED_BY] = {"Approved by", 22, XF_WRAP},
    [X_APPROVED_ON] = {"Approved on", 12, XF_TEXT},
    [X_OWNER] = {"Owner", 22, XF_WRAP},
    [X_TICKET] = {"Ticket", 16, XF_TEXT},
    [X_EXPIRES] = {"Expires", 12, XF_TEXT},
    [X_STATE] = {"State", 22, XF_TEXT},
    [X_MATCHED] = {"Matched results", 10, XF_NUM},
    [X_MATCHED_IDS] = {"Matched finding ids", 38, XF_MONO_WRAP},
    [X_WARNINGS] = {"Governance warnings", 50, XF_WRAP},
};

static const char *exception_state(const struct sb_exception *x)
{
    if (x->expired)
        return "Expired \xe2\x80\x94 not applied";
    return x->matched ? "Applied" : "Unmatched";
}

static char *joined(const char *const *items, size_t n)
{
    struct sb_buf b = {0};
    for (size_t i = 0; i < n; i++)
        sb_buf_printf(&b, "%s%s", i ? "\n" : "", items[i]);
    return sb_buf_take(&b);
}

void xlsx_sheet_exceptions(struct xlsx_book *b, const struct sb_report *r)
{
    struct xlsx_table t;
    xlsx_table_open(&t, b, "Exceptions", exception_cols, XLSX_LEN(exception_cols), -1, -1);
    char **notes = NULL;
    size_t nnotes = 0;
    for (size_t i = 0; i < r->nexceptions; i++) {
        const struct sb_exception *x = &r->exceptions[i];
        xlsx_table_row(&t);
        xlsx_table_num(&t, X_NUMBER, x->number);
        xlsx_table_str(&t, X_ENTRY, x->entry_id);
        xlsx_table_str(&t, X_KIND, sb_exception_kind_label(x->kind));
        xlsx_table_str(&t, X_FINDING, x->finding_id);
        xlsx_table_str(&t, X_CONTROL, x->control);
        xlsx_table_str(&t, X_FEATURE, x->feature);
        xlsx_table_str(&t, X_PATTERN, x->resource_pattern);
        xlsx_table_str(&t, X_WHY, x->justification);
        xlsx_table_str(&t, X_EVIDENCE, x->evidence);
        xlsx_table_str(&t, X_APPROVED_BY, x->approved_by);
        xlsx_table_date(&t, X_APPROVED_ON, x->approved_on);
        xlsx_table_str(&t, X_OWNER, x->owner);
        xlsx_table_str(&t, X_TICKET, x->ticket);
        xlsx_table_date(&t, X_EXPIRES, x->expires);
        xlsx_table_str(&t, X_STATE, exception_state(x));
        xlsx_table_num(&t, X_MATCHED, (double)x->matched);
        char *ids = joined(x->matched_ids, x->matched_ids ? x->matched : 0);
        xlsx_table_str(&t, X_MATCHED_IDS, ids);
        free(ids);
        char *warn = joined((const char *const *)x->warnings, x->nwarnings);
        xlsx_table_str(&t, X_WARNINGS, warn);
        free(warn);
        for (size_t k = 0; k < x->nwarnings; k++) {
            notes = sb_xrealloc(notes, (nnotes + 1) * sizeof *notes);
            notes[nnotes++] = sb_xasprintf("Entry #%d (%s): %s", x->number, x->entry_id, x->warnings[k]);
        }
    }
    if (r->nexceptions) {
        char *none = sb_xstrdup("None: every active entry names an approver, a specific scope, and expires within "
                                "the review period.");
        xlsx_table_note(&t, "Governance warnings", nnotes ? notes : &none, nnotes ? nnotes : 1);
        free(none);
    }
    for (size_t i = 0; i < nnotes; i++)
        free(notes[i]);
    free(notes);
    xlsx_table_close(&t);
}

static const struct xlsx_col policy_cols[] = {
    {"Control", 9, XF_MONO},
    {"Feature", 30, XF_WRAP},
    {"Policy name", 50, XF_WRAP},
    {"Description", 70, XF_WRAP},
    {"Effects", 30, XF_WRAP},
    {"Version", 10, XF_TEXT},
    {"Definition id", 60, XF_MONO_WRAP},
};

void xlsx_sheet_policies(struct xlsx_book *b, const struct sb_report *r)
{
    struct xlsx_table t;
    xlsx_table_open(&t, b, "Policy Definitions", policy_cols, XLSX_LEN(policy_cols), -1, -1);
    for (size_t i = 0; i < r->baseline->ncontrols; i++) {
        const struct sb_control *c = &r->baseline->controls[i];
        for (size_t k = 0; k < c->nfeatures; k++) {
            const struct sb_feature *f = &c->features[k];
            for (size_t p = 0; p < f->npolicies; p++) {
                const struct sb_policy *pol = &f->policies[p];
                xlsx_table_row(&t);
                xlsx_table_str(&t, 0, c->id);
                xlsx_table_str(&t, 1, f->name);
                xlsx_table_str(&t, 2, pol->name);
                xlsx_table_str(&t, 3, pol->description);
                xlsx_table_str(&t, 4, pol->effects);
                xlsx_table_str(&t, 5, pol->version);
                xlsx_table_str(&t, 6, pol->definition_id);
            }
        }
    }
    xlsx_table_close(&t);
}

static const struct xlsx_col change_cols[] = {
    {"Change", 20, XF_TEXT},
    {"Finding id", 44, XF_MONO_WRAP},
    {"Control", 9, XF_MONO},
    {"Feature", 30, XF_WRAP},
    {"Resource id", 60, XF_MONO_WRAP},
    {"Path", 40, XF_MONO_WRAP},
    {"Old value", 30, XF_MONO_WRAP},
    {"New value", 30, XF_MONO_WRAP},
    {"Reason", 40, XF_WRAP},
};

void xlsx_sheet_changes(struct xlsx_book *b, const struct sb_report *r)
{
    if (!r->changes)
        return;
    struct xlsx_table t;
    xlsx_table_open(&t, b, "Changes", change_cols, XLSX_LEN(change_cols), -1, -1);
    for (size_t i = 0; i < r->changes->n && !b->failed; i++) {
        const struct sb_change *c = &r->changes->items[i];
        xlsx_table_row(&t);
        xlsx_table_str(&t, 0, sb_change_kind_label(c->kind));
        xlsx_table_str(&t, 1, c->finding_id);
        xlsx_table_str(&t, 2, c->control);
        xlsx_table_str(&t, 3, c->feature);
        xlsx_table_str(&t, 4, c->resource_id);
        xlsx_table_str(&t, 5, c->path);
        xlsx_table_str(&t, 6, c->old_value);
        xlsx_table_str(&t, 7, c->new_value);
        xlsx_table_str(&t, 8, c->reason);
    }
    xlsx_table_close(&t);
}
