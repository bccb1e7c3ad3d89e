/* The front of the PDF report: cover, executive summary, security profile, responsibility matrix. */
#include "pdf_doc.h"

#include "util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const double kv_cols[2] = {0.26, 0.74};

/* Order of the bar segments and the totals columns (REPORT-DESIGN.md). */
static const enum sb_status bar_order[SB_STATUS_COUNT] = {
    SB_STATUS_PASS, SB_STATUS_FAIL, SB_STATUS_MANUAL, SB_STATUS_NOT_ASSESSED, SB_STATUS_NOT_APPLICABLE,
};

void pdf_doc_inputs_table(struct pdf_doc *d)
{
    const struct sb_report *r = d->r;
    /* Wide enough for a whole SHA-256 on one line in 6.4 pt monospace. */
    static const double cols[3] = {0.34, 0.14, 0.52};
    struct pdf_cell hdr[3] = {pdf_doc_hcell("File (role)"), pdf_doc_hcell("Kind / size"), pdf_doc_hcell("SHA-256")};
    struct pdf_table t = {.zebra = true};
    pdf_table_begin(&d->lay, &t, 3, cols, hdr);
    for (size_t i = 0; i < r->ninputs; i++) {
        const struct sb_report_input *in = &r->inputs[i];
        char *kind = sb_xasprintf("%s%s%llu bytes", in->kind ? in->kind : "", in->kind ? "\n" : "",
                                  (unsigned long long)in->size);
        struct pdf_cell row[3] = {pdf_doc_cell(PDF_FONT_MONO, in->name), pdf_doc_cell(PDF_FONT_SANS, kind),
                                  pdf_doc_cell(PDF_FONT_MONO, in->sha256)};
        pdf_cell_add(&row[0], PDF_FONT_SANS, PDF_SZ_SMALL, PDF_RGB_MUTED, in->role);
        row[2].runs[0].size = 6.4;
        pdf_table_row(&d->lay, &t, row, 3);
        free(kind);
    }
    if (!r->ninputs) {
        struct pdf_cell row = pdf_doc_cell(PDF_FONT_SANS, "No input files were recorded.");
        row.span = 3;
        pdf_table_row(&d->lay, &t, &row, 1);
    }
}

/* A large estate lists its first subscriptions here; the JSON report's scope has them all. */
#define COVER_SUBSCRIPTIONS 20

static char *scope_subscriptions(const struct sb_scope *s)
{
    struct sb_buf b = {0};
    if (s->nsubscriptions > COVER_SUBSCRIPTIONS)
        sb_buf_printf(&b, "%zu subscriptions; the first %d by id:\n", s->nsubscriptions, COVER_SUBSCRIPTIONS);
    for (size_t i = 0; i < s->nsubscriptions && i < COVER_SUBSCRIPTIONS; i++)
        sb_buf_printf(&b, "%s%s%s%s%s", i ? "\n" : "", s->subscriptions[i].name ? s->subscriptions[i].name : "",
                      s->subscriptions[i].name ? " (" : "", s->subscriptions[i].id,
                      s->subscriptions[i].name ? ")" : "");
    if (s->nsubscriptions > COVER_SUBSCRIPTIONS)
        sb_buf_printf(&b, "\n... and %zu more (listed in the JSON report and the XLSX workbook)",
                      s->nsubscriptions - COVER_SUBSCRIPTIONS);
    return sb_buf_take(&b);
}

static char *scope_types(const struct sb_scope *s)
{
    struct sb_buf b = {0};
    sb_buf_printf(&b, "%zu resource%s", s->nresources, s->nresources == 1 ? "" : "s");
    for (size_t i = 0; i < s->ntypes; i++)
        sb_buf_printf(&b, "%s%zu\xc2\xa0\xc3\x97\xc2\xa0%s", i ? ", " : ": ", s->types[i].count, s->types[i].type);
    return sb_buf_take(&b);
}

static char *join_lines(char *const *v, size_t n)
{
    struct sb_buf b = {0};
    for (size_t i = 0; i < n; i++)
        sb_buf_printf(&b, "%s%s", i ? "\n" : "", v[i]);
    return sb_buf_take(&b);
}

/* Three signature fields side by side: a label and a line to sign on. */
static void signature_block(struct pdf_doc *d)
{
    struct pdf_lay *l = &d->lay;
    static const char *const labels[3] = {"Prepared by", "Reviewed by", "Date"};
    const double gap = 18, w = (l->right - l->left - 2 * gap) / 3;
    pdf_lay_need(l, pdf_line_height(PDF_SZ_H3) + 58);
    pdf_doc_h3(d, "Approval");
    double base = l->y - 34;
    for (int i = 0; i < 3; i++) {
        double x = l->left + i * (w + gap);
        pdf_lay_line(l, x, base, x + w, base, 0.6, PDF_RGB_TEXT);
        pdf_lay_text(l, PDF_FONT_SANS, PDF_SZ_TABLE, PDF_RGB_MUTED, x, base - 10, labels[i]);
    }
    l->y = base - 16;
}

void pdf_doc_statement(struct pdf_doc *d)
{
    const struct sb_report *r = d->r;
    struct sb_statement_line *v;
    size_t n = report_statement(r, &v);
    struct pdf_table t = {0};
    pdf_table_begin(&d->lay, &t, 2, kv_cols, NULL);
    for (size_t i = 0; i < n; i++) {
        struct pdf_cell row[2] = {pdf_doc_cell(PDF_FONT_BOLD, v[i].label),
                                  pdf_doc_cell(v[i].alert ? PDF_FONT_BOLD : PDF_FONT_SANS, v[i].value)};
        if (v[i].alert) {
            row[1].fill = sb_status_fill_rgb(SB_STATUS_FAIL);
            row[1].runs[0].rgb = sb_status_text_rgb(SB_STATUS_FAIL);
        }
        pdf_table_row(&d->lay, &t, row, 2);
    }
    report_statement_free(v, n);
}

void pdf_doc_cover(struct pdf_doc *d)
{
    const struct sb_report *r = d->r;
    const struct sb_baseline *b = r->baseline;
    struct pdf_lay *l = &d->lay;
    pdf_lay_new_page(l);
    pdf_lay_mark(l, 0, "Cover");
    pdf_lay_rect(l, 0, l->page_h - 14, l->page_w, 14, PDF_RGB_ACCENT);
    pdf_doc_text(d, PDF_FONT_BOLD, 22, PDF_RGB_ACCENT, d->title);
    pdf_lay_space(l, 4);
    char *sub = sb_xasprintf("%s \xc2\xb7 Microsoft cloud security benchmark v%s", b->title, b->mcsb_version);
    pdf_doc_text(d, PDF_FONT_SANS, 10.5, PDF_RGB_MUTED, sub);
    free(sub);
    pdf_lay_space(l, 8);
    if (!sb_empty(r->organisation))
        pdf_doc_text(d, PDF_FONT_BOLD, 14, PDF_RGB_TEXT, r->organisation);
    if (!sb_empty(r->classification)) {
        pdf_lay_space(l, 6);
        double w = pdf_lay_width(l, PDF_FONT_BOLD, 10, r->classification) + 16;
        if (w > l->right - l->left)
            w = l->right - l->left;
        pdf_lay_need(l, 20);
        pdf_lay_rect(l, l->left, l->y - 18, w, 18, 0xFBE3E4);
        pdf_lay_space(l, 2);
        pdf_lay_para(l, PDF_FONT_BOLD, 10, 0xA4161A, 8, r->classification);
        pdf_lay_space(l, 4);
    }
    pdf_lay_space(l, 10);
    pdf_doc_statement(d);
    pdf_lay_space(l, 6);

    struct pdf_table t = {0};
    pdf_table_begin(l, &t, 2, kv_cols, NULL);
    /* Organisation and classification head the page above. */
    char *tenants = join_lines(r->scope.tenants, r->scope.ntenants);
    pdf_doc_kv(d, &t, "Tenants", tenants, PDF_FONT_MONO);
    free(tenants);
    char *subs = scope_subscriptions(&r->scope);
    pdf_doc_kv(d, &t, "Subscription list", subs, PDF_FONT_SANS);
    free(subs);
    char *types = scope_types(&r->scope);
    pdf_doc_kv(d, &t, "Resources in scope", types, PDF_FONT_SANS);
    free(types);
    pdf_doc_kv(d, &t, "Cloud", r->cloud, PDF_FONT_SANS);
    char *period = r->collection_started || r->collection_finished
                       ? sb_xasprintf("%s \xe2\x80\x93 %s", r->collection_started ? r->collection_started : "?",
                                      r->collection_finished ? r->collection_finished : "?")
                       : NULL;
    pdf_doc_kv(d, &t, "Collection run", period, PDF_FONT_SANS);
    free(period);
    pdf_doc_kv(d, &t, "Report generated", r->generated, PDF_FONT_SANS);
    char *base = sb_xasprintf("%s (id %s), MCSB version %s\nSource: %s", b->title, b->id, b->mcsb_version,
                              b->source ? b->source : "not recorded");
    pdf_doc_kv(d, &t, "Baseline", base, PDF_FONT_SANS);
    free(base);
    pdf_doc_kv(d, &t, "Baseline SHA-256", b->sha256, PDF_FONT_MONO);
    char *tool = sb_xasprintf("%s %s", r->tool_name ? r->tool_name : "mcsb-audit",
                              r->tool_version ? r->tool_version : "");
    pdf_doc_kv(d, &t, "Generated by", tool, PDF_FONT_SANS);
    free(tool);

    pdf_doc_h3(d, "Inputs (SHA-256)");
    pdf_doc_inputs_table(d);
    pdf_lay_space(l, 6);
    pdf_doc_para(d, "To verify: run \xe2\x80\x9cmcsb-audit verify DIR\xe2\x80\x9d on the output directory, or "
                    "\xe2\x80\x9csha256sum -c manifest.sha256\xe2\x80\x9d inside it. The hashes above identify "
                    "the exact files this assessment read.");
    signature_block(d);
}

/* ---- executive summary ----------------------------------------------------------------- */

static size_t total_of(const size_t *counts)
{
    size_t n = 0;
    for (int s = 0; s < SB_STATUS_COUNT; s++)
        n += counts[s];
    return n;
}

/* One labelled horizontal stacked bar, drawn with vector fills. */
static void status_bar(struct pdf_doc *d, const char *label, const size_t *counts, bool bold)
{
    struct pdf_lay *l = &d->lay;
    const double h = 13, label_w = 150, total_w = 44;
    double x0 = l->left + label_w, bw = l->right - l->left - label_w - total_w;
    size_t total = total_of(counts);
    pdf_lay_need(l, h + 6);
    double ytop = l->y, base = ytop - h + 3.5;
    enum pdf_font f = bold ? PDF_FONT_BOLD : PDF_FONT_SANS;
    char *first = pdf_doc_fit_line(l, f, PDF_SZ_TABLE, label, label_w - 6);
    pdf_lay_text(l, f, PDF_SZ_TABLE, PDF_RGB_TEXT, l->left, base, first);
    free(first);
    double x = x0;
    for (int i = 0; i < SB_STATUS_COUNT && total; i++) {
        enum sb_status s = bar_order[i];
        if (!counts[s])
            continue;
        double w = bw * (double)counts[s] / (double)total;
        pdf_lay_rect(l, x, ytop - h, w, h, sb_status_fill_rgb(s));
        char num[24];
        snprintf(num, sizeof num, "%zu", counts[s]);
        double nw = pdf_lay_width(l, PDF_FONT_BOLD, PDF_SZ_SMALL, num);
        if (nw + 4 <= w)
            pdf_lay_text(l, PDF_FONT_BOLD, PDF_SZ_SMALL, sb_status_text_rgb(s), x + (w - nw) / 2, base, num);
        if (x > x0)
            pdf_lay_line(l, x, ytop, x, ytop - h, 0.8, 0xFFFFFF);
        x += w;
    }
    if (!total)
        pdf_lay_rect(l, x0, ytop - h, bw, h, 0xF4F4F4);
    pdf_lay_line(l, x0, ytop, x0 + bw, ytop, 0.4, 0x8A919C);
    pdf_lay_line(l, x0, ytop - h, x0 + bw, ytop - h, 0.4, 0x8A919C);
    pdf_lay_line(l, x0, ytop, x0, ytop - h, 0.4, 0x8A919C);
    pdf_lay_line(l, x0 + bw, ytop, x0 + bw, ytop - h, 0.4, 0x8A919C);
    char tot[24];
    snprintf(tot, sizeof tot, "%zu", total);
    pdf_lay_text(l, f, PDF_SZ_TABLE, PDF_RGB_TEXT, l->right - pdf_lay_width(l, f, PDF_SZ_TABLE, tot), base, tot);
    l->y = ytop - h - 5;
}

static void legend(struct pdf_doc *d)
{
    struct pdf_lay *l = &d->lay;
    pdf_lay_need(l, 16);
    double x = l->left + 150, base = l->y - 9;
    for (int i = 0; i < SB_STATUS_COUNT; i++) {
        enum sb_status s = bar_order[i];
        pdf_lay_rect(l, x, base - 1, 9, 9, sb_status_fill_rgb(s));
        pdf_lay_line(l, x, base - 1, x + 9, base - 1, 0.4, sb_status_text_rgb(s));
        pdf_lay_text(l, PDF_FONT_SANS, PDF_SZ_TABLE, PDF_RGB_TEXT, x + 12, base, sb_status_label(s));
        x += 12 + pdf_lay_width(l, PDF_FONT_SANS, PDF_SZ_TABLE, sb_status_label(s)) + 14;
    }
    l->y -= 18;
}

static void totals_row(struct pdf_doc *d, struct pdf_table *t, const char *label, const size_t *counts,
                       size_t excepted, bool bold)
{
    char num[SB_STATUS_COUNT + 2][24];
    struct pdf_cell row[SB_STATUS_COUNT + 3];
    enum pdf_font f = bold ? PDF_FONT_BOLD : PDF_FONT_SANS;
    row[0] = pdf_doc_cell(f, label);
    for (int i = 0; i < SB_STATUS_COUNT; i++) {
        snprintf(num[i], sizeof num[i], "%zu", counts[bar_order[i]]);
        row[i + 1] = pdf_doc_cell(f, num[i]);
        if (counts[bar_order[i]])
            row[i + 1].fill = sb_status_fill_rgb(bar_order[i]);
    }
    snprintf(num[SB_STATUS_COUNT], sizeof num[0], "%zu", excepted);
    snprintf(num[SB_STATUS_COUNT + 1], sizeof num[0], "%zu", total_of(counts));
    row[SB_STATUS_COUNT + 1] = pdf_doc_cell(f, num[SB_STATUS_COUNT]);
    row[SB_STATUS_COUNT + 2] = pdf_doc_cell(f, num[SB_STATUS_COUNT + 1]);
    pdf_table_row(&d->lay, t, row, SB_STATUS_COUNT + 3);
}

/* Most important open items first: failures by severity, then not assessed; stable otherwise. */
static int top_cmp(const void *a, const void *b)
{
    const struct sb_result *x = *(const struct sb_result *const *)a, *y = *(const struct sb_result *const *)b;
    int rx = sb_status_rank(x->status), ry = sb_status_rank(y->status);
    if (rx != ry)
        return rx - ry;
    if (x->severity != y->severity)
        return (int)y->severity - (int)x->severity;
    return x < y ? -1 : x > y;
}

static void top_items(struct pdf_doc *d)
{
    const struct sb_report *r = d->r;
    const struct sb_result **v = sb_xcalloc(r->nresults + 1, sizeof *v);
    size_t n = 0;
    for (size_t i = 0; i < r->nresults; i++)
        if (r->results[i].status == SB_STATUS_FAIL || r->results[i].status == SB_STATUS_NOT_ASSESSED)
            v[n++] = &r->results[i];
    qsort(v, n, sizeof *v, top_cmp);
    pdf_doc_h3(d, "Most important open items");
    if (!n) {
        pdf_doc_para(d, "No result failed and every result could be assessed.");
        free(v);
        return;
    }
    /* The subscription tells apart resources that share a name (every hub has an "ergw"). */
    static const double cols[5] = {0.19, 0.24, 0.17, 0.14, 0.26};
    struct pdf_cell hdr[5] = {pdf_doc_hcell("Control \xc2\xb7 feature"), pdf_doc_hcell("Subscription"),
                              pdf_doc_hcell("Resource"), pdf_doc_hcell("Status"), pdf_doc_hcell("Why")};
    struct pdf_table t = {.zebra = true};
    pdf_table_begin(&d->lay, &t, 5, cols, hdr);
    for (size_t i = 0; i < n && i < 5; i++) {
        const struct sb_result *res = v[i];
        char *cf = sb_xasprintf("%s \xc2\xb7 %s", res->control->id, res->feature->name);
        char *st = sb_result_status_text(res);
        char *sev = res->severity != SB_SEV_NONE ? sb_xasprintf("Severity: %s", sb_severity_id(res->severity)) : NULL;
        struct pdf_cell row[5] = {pdf_doc_cell(PDF_FONT_SANS, cf), {.fill = PDF_NO_FILL},
                                  pdf_doc_cell(PDF_FONT_SANS, res->resource_name ? res->resource_name : "(no resource)"),
                                  pdf_doc_cell(PDF_FONT_BOLD, st), pdf_doc_cell(PDF_FONT_SANS, res->summary)};
        pdf_cell_add_id(&row[1], PDF_FONT_MONO, PDF_SZ_SMALL, PDF_RGB_TEXT,
                        res->subscription_id ? res->subscription_id : "\xe2\x80\x94", PDF_BREAK_NEVER);
        row[3].fill = sb_status_fill_rgb(res->status);
        row[3].runs[0].rgb = sb_status_text_rgb(res->status);
        pdf_cell_add(&row[3], PDF_FONT_SANS, PDF_SZ_SMALL, sb_status_text_rgb(res->status), sev);
        pdf_table_row(&d->lay, &t, row, 5);
        free(cf);
        free(st);
        free(sev);
    }
    free(v);
}

void pdf_doc_summary(struct pdf_doc *d)
{
    const struct sb_report *r = d->r;
    pdf_doc_section(d, "Executive summary");
    /* Whether the population is complete comes before any count: counts over a partial population mislead. */
    pdf_doc_h3(d, "Scope and completeness");
    pdf_doc_statement(d);
    pdf_lay_space(&d->lay, 8);
    char *intro = sb_xasprintf(
        "%zu results over %zu controls and %zu features of the baseline: %zu pass, %zu fail, %zu manual, "
        "%zu not assessed, %zu not applicable. %zu result%s carr%s an active exception (the verdict is "
        "unchanged; the exception is shown beside it).",
        r->nresults, r->baseline->ncontrols, baseline_feature_count(r->baseline), r->counts[SB_STATUS_PASS],
        r->counts[SB_STATUS_FAIL], r->counts[SB_STATUS_MANUAL], r->counts[SB_STATUS_NOT_ASSESSED],
        r->counts[SB_STATUS_NOT_APPLICABLE], r->excepted, r->excepted == 1 ? "" : "s",
        r->excepted == 1 ? "ies" : "y");
    pdf_doc_para(d, intro);
    free(intro);

    struct sb_domain_counts *dc;
    size_t nd = report_domain_counts(r, &dc);
    pdf_doc_h3(d, "Results by control domain");
    legend(d);
    status_bar(d, "All controls", r->counts, true);
    for (size_t i = 0; i < nd; i++)
        status_bar(d, dc[i].domain, dc[i].counts, false);
    pdf_lay_space(&d->lay, 8);

    static const double cols[8] = {0.30, 0.09, 0.09, 0.09, 0.11, 0.09, 0.11, 0.12};
    struct pdf_cell hdr[8] = {pdf_doc_hcell("Domain")};
    for (int i = 0; i < SB_STATUS_COUNT; i++)
        hdr[i + 1] = pdf_doc_hcell(sb_status_label(bar_order[i]));
    hdr[6] = pdf_doc_hcell("Excepted");
    hdr[7] = pdf_doc_hcell("Total");
    struct pdf_table t = {0};
    pdf_table_begin(&d->lay, &t, 8, cols, hdr);
    for (size_t i = 0; i < nd; i++)
        totals_row(d, &t, dc[i].domain, dc[i].counts, dc[i].excepted, false);
    totals_row(d, &t, "All controls", r->counts, r->excepted, true);
    free(dc);
    pdf_lay_space(&d->lay, 6);
    top_items(d);
}

void pdf_doc_profile(struct pdf_doc *d)
{
    const struct sb_baseline *b = d->r->baseline;
    pdf_doc_section(d, "Security profile");
    pdf_doc_para(d, "The security profile summarises high-impact behaviours of the service, as stated by the "
                    "baseline.");
    static const double cols[2] = {0.45, 0.55};
    struct pdf_cell hdr[2] = {pdf_doc_hcell("Security profile attribute"), pdf_doc_hcell("Value")};
    struct pdf_table t = {.zebra = true};
    pdf_table_begin(&d->lay, &t, 2, cols, hdr);
    for (size_t i = 0; i < b->nprofile; i++) {
        struct pdf_cell row[2] = {pdf_doc_cell(PDF_FONT_SANS, b->profile[i].name),
                                  pdf_doc_cell(PDF_FONT_SANS, b->profile[i].value)};
        pdf_table_row(&d->lay, &t, row, 2);
    }
}

/* "Fail — 1 fail, 2 pass" for mixed results, "Pass (3)" when they agree. */
static char *outcome_text(const struct sb_report *r, const struct sb_feature *f, enum sb_status *st)
{
    const struct sb_result *first;
    size_t n = report_feature_results(r, f, &first);
    *st = report_feature_outcome(r, f);
    if (!n)
        return sb_xstrdup("Not assessed (no result)");
    size_t counts[SB_STATUS_COUNT] = {0};
    for (size_t i = 0; i < n; i++)
        counts[first[i].status]++;
    if (counts[*st] == n)
        return sb_xasprintf("%s (%zu)", sb_status_label(*st), n);
    struct sb_buf b = {0};
    sb_buf_printf(&b, "%s \xe2\x80\x94 ", sb_status_label(*st));
    const char *sep = "";
    for (int i = 0; i < SB_STATUS_COUNT; i++) {
        enum sb_status s = bar_order[i];
        if (counts[s]) {
            sb_buf_printf(&b, "%s%zu %s", sep, counts[s], sb_status_label(s));
            sep = ", ";
        }
    }
    return sb_buf_take(&b);
}

void pdf_doc_matrix(struct pdf_doc *d)
{
    const struct sb_baseline *b = d->r->baseline;
    pdf_doc_section(d, "Responsibility matrix");
    pdf_doc_para(d, "Every control and feature of the baseline, who configures it, and the outcome of this "
                    "assessment (the most urgent status among the feature's results, with counts).");
    static const double cols[5] = {0.30, 0.11, 0.13, 0.15, 0.31};
    struct pdf_cell hdr[5] = {pdf_doc_hcell("Feature"), pdf_doc_hcell("Supported"),
                              pdf_doc_hcell("Enabled by default"), pdf_doc_hcell("Responsibility"),
                              pdf_doc_hcell("Outcome")};
    struct pdf_table t = {.zebra = true};
    pdf_table_begin(&d->lay, &t, 5, cols, hdr);
    for (size_t c = 0; c < b->ncontrols; c++) {
        const struct sb_control *ctl = &b->controls[c];
        char *title = sb_xasprintf("%s \xe2\x80\x94 %s", ctl->id, ctl->title);
        struct pdf_cell group = pdf_doc_cell(PDF_FONT_BOLD, title);
        pdf_cell_add(&group, PDF_FONT_SANS, PDF_SZ_SMALL, PDF_RGB_MUTED, ctl->domain);
        group.span = 5;
        group.fill = PDF_RGB_GROUP;
        pdf_table_row(&d->lay, &t, &group, 1);
        free(title);
        for (size_t i = 0; i < ctl->nfeatures; i++) {
            const struct sb_feature *f = &ctl->features[i];
            enum sb_status st;
            char *out = outcome_text(d->r, f, &st);
            struct pdf_cell row[5] = {pdf_doc_cell(PDF_FONT_SANS, f->name),
                                      pdf_doc_cell(PDF_FONT_SANS, sb_tri_str(f->supported)),
                                      pdf_doc_cell(PDF_FONT_SANS, sb_tri_str(f->enabled_by_default)),
                                      pdf_doc_cell(PDF_FONT_SANS, sb_resp_str(f->responsibility)),
                                      pdf_doc_cell(PDF_FONT_BOLD, out)};
            row[4].fill = sb_status_fill_rgb(st);
            row[4].runs[0].rgb = sb_status_text_rgb(st);
            pdf_table_row(&d->lay, &t, row, 5);
            free(out);
        }
    }
}
