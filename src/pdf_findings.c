/* "Findings by control": per feature its baseline text, policies and the results table. */
#include "pdf_doc.h"

#include "util.h"

#include <stdlib.h>
#include <string.h>

static int ascii_casecmp(const char *a, const char *b)
{
    if (!a || !b)
        return a ? 1 : b ? -1 : 0;
    for (;; a++, b++) {
        int x = (unsigned char)*a, y = (unsigned char)*b;
        if (x >= 'A' && x <= 'Z')
            x += 'a' - 'A';
        if (y >= 'A' && y <= 'Z')
            y += 'a' - 'A';
        if (x != y || !x)
            return x - y;
    }
}

/* Failing and not-assessed first (sb_status_rank), then by resource id; stable by position. */
static int result_cmp(const void *a, const void *b)
{
    const struct sb_result *x = *(const struct sb_result *const *)a, *y = *(const struct sb_result *const *)b;
    int rx = sb_status_rank(x->status), ry = sb_status_rank(y->status);
    if (rx != ry)
        return rx - ry;
    int c = ascii_casecmp(x->resource_id, y->resource_id);
    if (c)
        return c;
    return x < y ? -1 : x > y;
}

static void feature_facts(struct pdf_doc *d, const struct sb_feature *f)
{
    char *facts = sb_xasprintf("Supported: %s \xc2\xb7 Enabled by default: %s \xc2\xb7 Responsibility: %s",
                               sb_tri_str(f->supported), sb_tri_str(f->enabled_by_default),
                               sb_resp_str(f->responsibility));
    pdf_doc_text(d, PDF_FONT_SANS, PDF_SZ_TABLE, PDF_RGB_MUTED, facts);
    free(facts);
    pdf_lay_space(&d->lay, 3);
    if (!sb_empty(f->description))
        pdf_doc_para(d, f->description);
    if (!sb_empty(f->notes)) {
        char *s = sb_xasprintf("Note: %s", f->notes);
        pdf_doc_para(d, s);
        free(s);
    }
    if (!sb_empty(f->guidance)) {
        char *s = sb_xasprintf("Configuration guidance: %s", f->guidance);
        pdf_doc_para(d, s);
        free(s);
    }
    if (!sb_empty(f->reference)) {
        char *s = sb_xasprintf("Reference: %s", f->reference);
        pdf_doc_para(d, s);
        free(s);
    }
}

static void feature_policies(struct pdf_doc *d, const struct sb_feature *f)
{
    if (!f->npolicies) {
        pdf_doc_text(d, PDF_FONT_SANS, PDF_SZ_TABLE, PDF_RGB_MUTED,
                     "Azure Policy: the baseline lists no built-in definition for this feature.");
        pdf_lay_space(&d->lay, 4);
        return;
    }
    static const double cols[3] = {0.62, 0.26, 0.12};
    struct pdf_cell hdr[3] = {pdf_doc_hcell("Azure Policy definition"), pdf_doc_hcell("Effects"),
                              pdf_doc_hcell("Version")};
    struct pdf_table t = {0};
    pdf_table_begin(&d->lay, &t, 3, cols, hdr);
    for (size_t i = 0; i < f->npolicies; i++) {
        const struct sb_policy *p = &f->policies[i];
        struct pdf_cell row[3] = {pdf_doc_cell(PDF_FONT_SANS, p->name), pdf_doc_cell(PDF_FONT_SANS, p->effects),
                                  pdf_doc_cell(PDF_FONT_SANS, p->version)};
        pdf_cell_add(&row[0], PDF_FONT_MONO, 6.0, PDF_RGB_MUTED, p->definition_id);
        pdf_table_row(&d->lay, &t, row, 3);
    }
    pdf_lay_space(&d->lay, 6);
}

static char *evidence_block(const struct sb_result *res)
{
    struct sb_buf b = {0};
    for (size_t i = 0; i < res->nevidence; i++) {
        const struct sb_evidence *ev = &res->evidence[i];
        char *line = sb_evidence_line(ev);
        sb_buf_printf(&b, "%s%s", i ? "\n" : "", line);
        free(line);
        if (!sb_empty(ev->resource_id) && !sb_ieq(ev->resource_id, res->resource_id))
            sb_buf_printf(&b, "\n  on %s", ev->resource_id);
        if (!sb_empty(ev->expected))
            sb_buf_printf(&b, "\n  expected: %s", ev->expected);
    }
    return sb_buf_take(&b);
}

static void result_row(struct pdf_doc *d, struct pdf_table *t, const struct sb_result *res)
{
    struct pdf_cell row[4] = {{.fill = PDF_NO_FILL}, {.fill = PDF_NO_FILL}, {.fill = PDF_NO_FILL},
                              {.fill = PDF_NO_FILL}};
    if (res->resource_id) {
        pdf_cell_add(&row[0], PDF_FONT_BOLD, PDF_SZ_TABLE, PDF_RGB_TEXT,
                     res->resource_name ? res->resource_name : res->resource_id);
        pdf_cell_add(&row[0], PDF_FONT_MONO, 6.0, PDF_RGB_MUTED, res->resource_id);
    } else {
        pdf_cell_add(&row[0], PDF_FONT_SANS, PDF_SZ_TABLE, PDF_RGB_MUTED, "No resource (feature-level result)");
    }
    char *status = sb_result_status_text(res);
    char *sev = res->severity != SB_SEV_NONE && (res->status == SB_STATUS_FAIL || res->status == SB_STATUS_NOT_ASSESSED)
                    ? sb_xasprintf("Severity: %s", sb_severity_id(res->severity))
                    : NULL;
    char *expired = res->expired_exception
                        ? sb_xasprintf("Exception %s expired %s \xe2\x80\x94 not applied", res->expired_exception->entry_id,
                                       res->expired_exception->expires ? res->expired_exception->expires : "")
                        : NULL;
    uint32_t ink = sb_status_text_rgb(res->status);
    row[1].fill = sb_status_fill_rgb(res->status);
    pdf_cell_add(&row[1], PDF_FONT_BOLD, PDF_SZ_TABLE, ink, status);
    pdf_cell_add(&row[1], PDF_FONT_SANS, PDF_SZ_SMALL, ink, sev);
    pdf_cell_add(&row[1], PDF_FONT_SANS, PDF_SZ_SMALL, ink, expired);
    pdf_cell_add(&row[1], PDF_FONT_MONO, 5.5, PDF_RGB_MUTED, res->id);
    char *ev = evidence_block(res);
    pdf_cell_add(&row[2], PDF_FONT_SANS, PDF_SZ_TABLE, PDF_RGB_TEXT, res->summary);
    pdf_cell_add(&row[2], PDF_FONT_MONO, 6.5, PDF_RGB_TEXT, ev);
    pdf_cell_add(&row[3], PDF_FONT_SANS, PDF_SZ_TABLE, PDF_RGB_TEXT, sb_empty(res->remediation) ? "\xe2\x80\x94" : res->remediation);
    pdf_table_row(&d->lay, t, row, 4);
    free(status);
    free(sev);
    free(expired);
    free(ev);
}

static void feature_results(struct pdf_doc *d, const struct sb_feature *f)
{
    const struct sb_result *first;
    size_t n = report_feature_results(d->r, f, &first);
    size_t counts[SB_STATUS_COUNT] = {0};
    for (size_t i = 0; i < n; i++)
        counts[first[i].status]++;
    struct sb_buf b = {0};
    sb_buf_printf(&b, "Results: %zu", n);
    const char *sep = " \xe2\x80\x94 ";
    for (int s = 0; s < SB_STATUS_COUNT; s++)
        if (counts[s]) {
            sb_buf_printf(&b, "%s%zu %s", sep, counts[s], sb_status_label((enum sb_status)s));
            sep = ", ";
        }
    pdf_lay_need(&d->lay, 60);
    pdf_doc_text(d, PDF_FONT_BOLD, PDF_SZ_BODY, PDF_RGB_TEXT, b.data);
    sb_buf_free(&b);
    pdf_lay_space(&d->lay, 2);
    if (!n) {
        pdf_doc_para(d, "No result: nothing in scope was evaluated for this feature.");
        return;
    }
    const struct sb_result **v = sb_xmalloc(n * sizeof *v);
    for (size_t i = 0; i < n; i++)
        v[i] = &first[i];
    qsort(v, n, sizeof *v, result_cmp);
    static const double cols[4] = {0.25, 0.16, 0.37, 0.22};
    struct pdf_cell hdr[4] = {pdf_doc_hcell("Resource"), pdf_doc_hcell("Status"), pdf_doc_hcell("Evidence"),
                              pdf_doc_hcell("Remediation")};
    struct pdf_table t = {.zebra = true};
    pdf_table_begin(&d->lay, &t, 4, cols, hdr);
    for (size_t i = 0; i < n; i++)
        result_row(d, &t, v[i]);
    free(v);
    pdf_lay_space(&d->lay, 8);
}

void pdf_doc_findings(struct pdf_doc *d)
{
    const struct sb_baseline *b = d->r->baseline;
    pdf_doc_section(d, "Findings by control");
    pdf_doc_para(d, "For each control: every feature's baseline text and Azure Policy definitions, then its "
                    "results, failing and not-assessed first. Each result shows the verdict, what was read "
                    "(property path = observed value, and the expected value) and the fix.");
    for (size_t c = 0; c < b->ncontrols; c++) {
        const struct sb_control *ctl = &b->controls[c];
        char *title = sb_xasprintf("%s %s", ctl->id, ctl->title);
        pdf_doc_h2(d, title);
        free(title);
        pdf_doc_text(d, PDF_FONT_SANS, PDF_SZ_TABLE, PDF_RGB_MUTED, ctl->domain);
        for (size_t i = 0; i < ctl->nfeatures; i++) {
            const struct sb_feature *f = &ctl->features[i];
            char *h = sb_xasprintf("%s \xc2\xb7 %s", ctl->id, f->name);
            pdf_doc_h3_bookmarked(d, h);
            free(h);
            feature_facts(d, f);
            feature_policies(d, f);
            feature_results(d, f);
        }
    }
}
