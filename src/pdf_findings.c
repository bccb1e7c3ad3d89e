/*
 * "Findings by control": per feature its baseline text and policies, then its results. By default
 * the results are grouped: results with the same status, severity, exception, remediation and
 * properties read share one description, followed by one table line per resource; passes are
 * counted (their evidence is in the JSON and XLSX reports). --pdf-detail full prints every result
 * with its whole evidence instead.
 */
#include "pdf_doc.h"

#include "util.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

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

/* The last "Learn more" of a baseline description (the page's link text, which ends it), or an empty range. */
static void learn_more_words(const char *description, size_t *from, size_t *to)
{
    static const char words[] = "Learn more";
    *from = *to = 0;
    for (const char *p = strstr(description, words); p; p = strstr(p + 1, words)) {
        *from = (size_t)(p - description);
        *to = *from + sizeof words - 1;
    }
}

/* The baseline's link texts are links here as on its web page, and each address is printed under
 * its text so that a printed copy keeps it. */
static void feature_facts(struct pdf_doc *d, const struct sb_feature *f)
{
    char *facts = sb_xasprintf("Supported: %s \xc2\xb7 Enabled by default: %s \xc2\xb7 Responsibility: %s",
                               sb_tri_str(f->supported), sb_tri_str(f->enabled_by_default),
                               sb_resp_str(f->responsibility));
    pdf_doc_text(d, PDF_FONT_SANS, PDF_SZ_TABLE, PDF_RGB_MUTED, facts);
    free(facts);
    pdf_lay_space(&d->lay, 3);
    if (!sb_empty(f->description)) {
        size_t from, to;
        learn_more_words(f->description, &from, &to);
        pdf_lay_para_link(&d->lay, PDF_FONT_SANS, PDF_SZ_BODY, PDF_RGB_TEXT, 0, f->description, from, to,
                          f->learn_more_url);
        pdf_doc_url_line(d, NULL, f->learn_more_url);
        pdf_lay_space(&d->lay, 4);
    }
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
        size_t from = strlen("Reference: "), to = strlen(s);
        if (to > from + 1 && s[to - 1] == '.')
            to--;
        pdf_lay_para_link(&d->lay, PDF_FONT_SANS, PDF_SZ_BODY, PDF_RGB_TEXT, 0, s, from, to, f->reference_url);
        pdf_doc_url_line(d, NULL, f->reference_url);
        pdf_lay_space(&d->lay, 4);
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

static void index_add(struct pdf_doc *d, const struct sb_result *res)
{
    sb_grow((void **)&d->index, &d->capindex, d->nindex + 1, sizeof *d->index);
    d->index[d->nindex++] = (struct pdf_index_entry){res, d->lay.page};
}

static void result_row(struct pdf_doc *d, struct pdf_table *t, const struct sb_result *res)
{
    struct pdf_cell row[4] = {{.fill = PDF_NO_FILL}, {.fill = PDF_NO_FILL}, {.fill = PDF_NO_FILL},
                              {.fill = PDF_NO_FILL}};
    if (res->resource_id) {
        pdf_cell_add(&row[0], PDF_FONT_BOLD, PDF_SZ_TABLE, PDF_RGB_TEXT,
                     res->resource_name ? res->resource_name : res->resource_id);
        pdf_cell_add_id(&row[0], PDF_FONT_MONO, 6.0, PDF_RGB_MUTED, res->resource_id, PDF_BREAK_SLASH);
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
    char *ev = evidence_block(res);
    /* The evidence column is wide enough for the finding id on one line. */
    pdf_cell_add_id(&row[2], PDF_FONT_MONO, 6.0, PDF_RGB_MUTED, res->id, PDF_BREAK_NEVER);
    pdf_cell_add(&row[2], PDF_FONT_SANS, PDF_SZ_TABLE, PDF_RGB_TEXT, res->summary);
    pdf_cell_add(&row[2], PDF_FONT_MONO, 6.5, PDF_RGB_TEXT, ev);
    pdf_cell_add(&row[3], PDF_FONT_SANS, PDF_SZ_TABLE, PDF_RGB_TEXT, sb_empty(res->remediation) ? "\xe2\x80\x94" : res->remediation);
    pdf_table_row(&d->lay, t, row, 4);
    index_add(d, res);
    free(status);
    free(sev);
    free(expired);
    free(ev);
}

/* "Results: 12 — 3 Fail, 9 Pass", kept with what follows. */
static void results_line(struct pdf_doc *d, const struct sb_result *first, size_t n)
{
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
}

static void feature_results_full(struct pdf_doc *d, const struct sb_feature *f)
{
    const struct sb_result *first;
    size_t n = report_feature_results(d->r, f, &first);
    results_line(d, first, n);
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

/* ---- grouped results ------------------------------------------------------------------- */

static int nullable_cmp(const char *a, const char *b)
{
    if (!a || !b)
        return a ? 1 : b ? -1 : 0;
    return strcmp(a, b);
}

static const char *exc_id(const struct sb_exception *x)
{
    return x ? x->entry_id : NULL;
}

/* Results that say the same thing: one group. The summary may differ (it often names the resource). */
static int group_cmp(const struct sb_result *x, const struct sb_result *y)
{
    int c = sb_status_rank(x->status) - sb_status_rank(y->status);
    if (c)
        return c;
    if (x->severity != y->severity)
        return (int)y->severity - (int)x->severity;
    if ((c = nullable_cmp(exc_id(x->exception), exc_id(y->exception))) ||
        (c = nullable_cmp(exc_id(x->expired_exception), exc_id(y->expired_exception))) ||
        (c = nullable_cmp(x->remediation, y->remediation)))
        return c;
    if (x->nevidence != y->nevidence)
        return x->nevidence < y->nevidence ? -1 : 1;
    for (size_t i = 0; i < x->nevidence; i++)
        if ((c = nullable_cmp(x->evidence[i].path, y->evidence[i].path)) ||
            (c = nullable_cmp(x->evidence[i].expected, y->evidence[i].expected)))
            return c;
    return 0;
}

/* Groups in order, then each group's resources by subscription, resource group and id. */
static int row_cmp(const void *a, const void *b)
{
    const struct sb_result *x = *(const struct sb_result *const *)a, *y = *(const struct sb_result *const *)b;
    int c = group_cmp(x, y);
    if (c || (c = ascii_casecmp(x->subscription_id, y->subscription_id)) ||
        (c = ascii_casecmp(x->resource_group, y->resource_group)) ||
        (c = ascii_casecmp(x->resource_id, y->resource_id)) || (c = nullable_cmp(x->id, y->id)))
        return c;
    return x < y ? -1 : x > y;
}

struct group {
    const struct sb_result *const *v;
    size_t n;
    bool same_summary;
    bool *same_value;  /* per evidence position: one observed value for the whole group */
    double frac[5];    /* column widths of its table */
};

enum ev_where { EV_SAME = 0, EV_PARENT, EV_CHILD, EV_OTHER };

/* Where evidence was read: the result's own resource, one it belongs to (a subnet's VNet), one of its own
 * (a port's links), or another. */
static enum ev_where ev_where(const struct sb_result *res, const struct sb_evidence *ev)
{
    if (sb_empty(ev->resource_id) || sb_ieq(ev->resource_id, res->resource_id))
        return EV_SAME;
    size_t n = strlen(ev->resource_id);
    if (res->resource_id && strncasecmp(res->resource_id, ev->resource_id, n) == 0 && res->resource_id[n] == '/')
        return EV_PARENT;
    size_t m = res->resource_id ? strlen(res->resource_id) : 0;
    if (m && m < n && strncasecmp(ev->resource_id, res->resource_id, m) == 0 && ev->resource_id[m] == '/' &&
        ev->resource_id[m + 1])
        return EV_CHILD;
    return EV_OTHER;
}

/* A child's id below its resource: "links/link1" (only for EV_CHILD). */
static const char *child_path(const struct sb_result *res, const struct sb_evidence *ev)
{
    return ev->resource_id + strlen(res->resource_id) + 1;
}

/* Evidence e of x and of y were read on the same place: the same resource, the same child of each, or the same
 * other resource. */
static bool same_place(const struct sb_result *x, const struct sb_result *y, size_t e)
{
    enum ev_where wx = ev_where(x, &x->evidence[e]);
    if (wx != ev_where(y, &y->evidence[e]))
        return false;
    if (wx == EV_CHILD)
        return sb_ieq(child_path(x, &x->evidence[e]), child_path(y, &y->evidence[e]));
    return wx != EV_OTHER || sb_ieq(x->evidence[e].resource_id, y->evidence[e].resource_id);
}

static void group_scan(struct group *g)
{
    const struct sb_result *r0 = g->v[0];
    g->same_summary = true;
    g->same_value = sb_xcalloc(r0->nevidence + 1, sizeof *g->same_value);
    for (size_t e = 0; e < r0->nevidence; e++)
        g->same_value[e] = true;
    for (size_t i = 1; i < g->n; i++) {
        const struct sb_result *x = g->v[i];
        g->same_summary &= nullable_cmp(x->summary, r0->summary) == 0;
        for (size_t e = 0; e < r0->nevidence; e++)
            g->same_value[e] &= nullable_cmp(x->evidence[e].value, r0->evidence[e].value) == 0 && same_place(x, r0, e);
    }
}

/* The resource below its resource group: "virtualNetworks/vnet-hub/subnets/snet-1". */
static const char *resource_path(const struct sb_result *res)
{
    const char *id = res->resource_id;
    if (!id)
        return NULL;
    const char *p = NULL;
    for (const char *q = id; *q; q++)
        if (strncasecmp(q, "/providers/", 11) == 0)
            p = q;
    if (!p)
        return res->resource_name ? res->resource_name : id;
    p += 11;
    const char *slash = strchr(p, '/'); /* skip the provider namespace */
    return slash && slash[1] ? slash + 1 : p;
}

/* The same line of the group's "what was read" list. */
static bool same_line(const struct group *g, size_t a, size_t b)
{
    const struct sb_result *r0 = g->v[0];
    const struct sb_evidence *x = &r0->evidence[a], *y = &r0->evidence[b];
    return g->same_value[a] == g->same_value[b] && nullable_cmp(x->path, y->path) == 0 &&
           nullable_cmp(x->expected, y->expected) == 0 && ev_where(r0, x) == ev_where(r0, y) &&
           (!g->same_value[a] || nullable_cmp(x->value, y->value) == 0);
}

#define MAX_READ_LINES 12

/*
 * What was read, once per group: "path = value" (or "per resource" when values differ) and the
 * expected value. Identical lines (one per link of every port, say) are merged with a count, and
 * a very long list is cut: the JSON report has every item.
 */
static void evidence_lines(const struct group *g, struct sb_buf *out)
{
    const struct sb_result *r0 = g->v[0];
    size_t shown = 0, cut = 0;
    for (size_t e = 0; e < r0->nevidence; e++) {
        size_t first = 0;
        while (first < e && !same_line(g, first, e))
            first++;
        if (first < e)
            continue; /* merged into an earlier line */
        if (shown == MAX_READ_LINES) {
            cut++;
            continue;
        }
        size_t times = 1;
        for (size_t k = e + 1; k < r0->nevidence; k++)
            times += same_line(g, e, k);
        const struct sb_evidence *ev = &r0->evidence[e];
        enum ev_where w = ev_where(r0, ev);
        sb_buf_printf(out, "%s%s", shown ? "\n" : "", ev->path ? ev->path : "(value)");
        if (!g->same_value[e])
            sb_buf_puts(out, " = (per resource, below)");
        else
            sb_buf_printf(out, " = %s", ev->value ? ev->value : "(absent)");
        if (w == EV_PARENT)
            sb_buf_puts(out, " (read on the parent resource)");
        else if (w == EV_CHILD && times == 1)
            sb_buf_printf(out, " (on %s)", child_path(r0, ev));
        else if (w == EV_OTHER && times == 1)
            sb_buf_printf(out, " (on %s)", ev->resource_id);
        if (times > 1)
            sb_buf_printf(out, " (%zu times%s)", times,
                          w == EV_OTHER ? ", on other resources" : w == EV_CHILD ? ", on its child resources" : "");
        if (!sb_empty(ev->expected))
            sb_buf_printf(out, "\n    expected: %s", ev->expected);
        shown++;
    }
    if (cut)
        sb_buf_printf(out, "\n... and %zu more different item%s: the JSON report lists every one under finding %s",
                      cut, cut == 1 ? "" : "s", r0->id);
}

/* The group's description: status, count, what was found, what was read and expected, the fix. */
static void group_header(struct pdf_doc *d, const struct group *g)
{
    const struct sb_result *r0 = g->v[0];
    struct sb_buf read = {0}, exc = {0};
    evidence_lines(g, &read);
    if (r0->exception) {
        const struct sb_exception *x = r0->exception;
        sb_buf_printf(&exc, "Exception %s (%s)%s%s%s%s: %s", x->entry_id, sb_exception_kind_label(x->kind),
                      x->approved_by ? ", approved by " : "", x->approved_by ? x->approved_by : "", x->ticket ? ", " : "",
                      x->ticket ? x->ticket : "", x->justification ? x->justification : "");
    }
    char *status = sb_result_status_text(r0);
    char *sev = r0->severity != SB_SEV_NONE && (r0->status == SB_STATUS_FAIL || r0->status == SB_STATUS_NOT_ASSESSED)
                    ? sb_xasprintf("Severity: %s", sb_severity_id(r0->severity))
                    : NULL;
    char *expired = r0->expired_exception
                        ? sb_xasprintf("Exception %s expired %s \xe2\x80\x94 not applied", r0->expired_exception->entry_id,
                                       r0->expired_exception->expires ? r0->expired_exception->expires : "")
                        : NULL;
    char *count = sb_xasprintf("%zu result%s", g->n, g->n == 1 ? "" : "s");
    char *fix = sb_empty(r0->remediation) ? NULL : sb_xasprintf("Remediation: %s", r0->remediation);
    uint32_t ink = sb_status_text_rgb(r0->status);
    struct pdf_cell row[2] = {{.fill = sb_status_fill_rgb(r0->status)}, {.fill = PDF_NO_FILL}};
    pdf_cell_add(&row[0], PDF_FONT_BOLD, PDF_SZ_TABLE, ink, status);
    pdf_cell_add(&row[0], PDF_FONT_SANS, PDF_SZ_SMALL, ink, sev);
    pdf_cell_add(&row[0], PDF_FONT_SANS, PDF_SZ_SMALL, ink, expired);
    pdf_cell_add(&row[0], PDF_FONT_BOLD, PDF_SZ_SMALL, ink, count);
    pdf_cell_add(&row[1], PDF_FONT_BOLD, PDF_SZ_TABLE, PDF_RGB_TEXT,
                 g->same_summary ? r0->summary : "The finding differs in detail by resource (each line gives its own).");
    pdf_cell_add(&row[1], PDF_FONT_MONO, 6.5, PDF_RGB_TEXT, read.data);
    pdf_cell_add(&row[1], PDF_FONT_SANS, PDF_SZ_TABLE, PDF_RGB_TEXT, fix);
    pdf_cell_add(&row[1], PDF_FONT_SANS, PDF_SZ_SMALL, PDF_RGB_MUTED, exc.data);
    static const double cols[2] = {0.18, 0.82};
    struct pdf_table t = {0};
    pdf_table_begin(&d->lay, &t, 2, cols, NULL);
    pdf_table_row(&d->lay, &t, row, 2);
    free(status);
    free(sev);
    free(expired);
    free(count);
    free(fix);
    sb_buf_free(&read);
    sb_buf_free(&exc);
}

#define ROW_SIZE 5.8
#define ROW_ID_SIZE 5.5
#define ROW_PAD 1.0
#define ROW_LEADING 1.15 /* one line per resource: rows a little tighter than body text */
#define ROW_COLS 5

/* The values of one resource that differ within its group ("as above" when none does). */
static void observed(const struct group *g, const struct sb_result *res, struct sb_buf *obs)
{
    obs->len = 0;
    if (!g->same_summary && !sb_empty(res->summary))
        sb_buf_puts(obs, res->summary);
    for (size_t e = 0; e < res->nevidence; e++) {
        const struct sb_evidence *ev = &res->evidence[e];
        if (g->same_value[e])
            continue;
        sb_buf_printf(obs, "%s%s", obs->len ? "; " : "", ev->value ? ev->value : "(absent)");
        enum ev_where w = ev_where(res, ev);
        if (w == EV_PARENT)
            sb_buf_puts(obs, " (on the parent)");
        else if (w == EV_CHILD)
            sb_buf_printf(obs, " (on %s)", child_path(res, ev));
        else if (w == EV_OTHER)
            sb_buf_printf(obs, " (on %s)", ev->resource_id);
    }
    if (!obs->len)
        sb_buf_puts(obs, "as above");
}

/* One table line: subscription, resource group, resource, finding id, observed value. */
static void row_cells(struct pdf_cell row[ROW_COLS], const struct sb_result *res, const struct sb_buf *obs)
{
    static const char dash[] = "\xe2\x80\x94";
    for (int c = 0; c < ROW_COLS; c++)
        row[c] = (struct pdf_cell){.fill = PDF_NO_FILL};
    pdf_cell_add_id(&row[0], PDF_FONT_MONO, ROW_ID_SIZE, PDF_RGB_TEXT, res->subscription_id ? res->subscription_id : dash,
                    PDF_BREAK_NEVER);
    pdf_cell_add(&row[1], PDF_FONT_SANS, ROW_SIZE, PDF_RGB_TEXT, res->resource_group ? res->resource_group : dash);
    if (res->resource_id)
        pdf_cell_add_id(&row[2], PDF_FONT_SANS, ROW_SIZE, PDF_RGB_TEXT, resource_path(res), PDF_BREAK_SLASH);
    else
        pdf_cell_add(&row[2], PDF_FONT_SANS, ROW_SIZE, PDF_RGB_MUTED, "(feature-level result)");
    pdf_cell_add_id(&row[3], PDF_FONT_MONO, ROW_ID_SIZE, PDF_RGB_TEXT, res->id, PDF_BREAK_NEVER);
    bool same = strcmp(obs->data, "as above") == 0;
    pdf_cell_add(&row[4], PDF_FONT_SANS, ROW_SIZE, same ? PDF_RGB_MUTED : PDF_RGB_TEXT, obs->data);
}

static const char *const row_heads[ROW_COLS] = {"Subscription", "Resource group", "Resource", "Finding id",
                                                "Observed value"};

/*
 * Column widths from the group's own content, so that each resource takes one line when the page
 * is wide enough: the ids get their natural width, the rest share what is left (narrow columns
 * first), and the observed value takes the remainder.
 */
static void group_widths(const struct pdf_doc *d, const struct group *g, double frac[ROW_COLS])
{
    const struct pdf_lay *l = &d->lay;
    double total = l->right - l->left, nat[ROW_COLS] = {0};
    for (int c = 0; c < ROW_COLS; c++) {
        /* A header may wrap between words: its widest word is the floor. */
        const char *h = row_heads[c], *sp = strchr(h, ' ');
        char *word = sp ? sb_xstrndup(h, (size_t)(sp - h)) : sb_xstrdup(h);
        double a = pdf_lay_width(l, PDF_FONT_BOLD, PDF_SZ_SMALL, word), b = sp ? pdf_lay_width(l, PDF_FONT_BOLD, PDF_SZ_SMALL, sp + 1) : 0;
        nat[c] = (a > b ? a : b) + 2 * ROW_PAD + 0.5;
        free(word);
    }
    struct sb_buf obs = {0};
    for (size_t i = 0; i < g->n; i++) {
        struct pdf_cell row[ROW_COLS];
        observed(g, g->v[i], &obs);
        row_cells(row, g->v[i], &obs);
        for (int c = 0; c < ROW_COLS; c++)
            for (size_t k = 0; k < row[c].nruns; k++) {
                const struct pdf_run *rn = &row[c].runs[k];
                double w = pdf_lay_width(l, rn->font, rn->size, rn->text) + 2 * ROW_PAD + 0.5;
                if (w > nat[c])
                    nat[c] = w;
            }
    }
    sb_buf_free(&obs);
    double w[ROW_COLS];
    /* The ids: their natural width, but never more than a third of the line each. */
    for (int c = 0; c < ROW_COLS; c += 3)
        w[c] = nat[c] < total / 3 ? nat[c] : total / 3;
    double left = total - w[0] - w[3];
    int flex[3] = {1, 2, 4};
    /* Narrowest first: each takes its natural width or its fair share of what is left. */
    for (int i = 0; i < 3; i++)
        for (int k = i + 1; k < 3; k++)
            if (nat[flex[k]] < nat[flex[i]]) {
                int t = flex[i];
                flex[i] = flex[k];
                flex[k] = t;
            }
    for (int i = 0; i < 3; i++) {
        int c = flex[i];
        double share = left / (3 - i);
        w[c] = nat[c] < share ? nat[c] : share;
        left -= w[c];
    }
    w[4] += left;
    for (int c = 0; c < ROW_COLS; c++)
        frac[c] = w[c] / total;
}

/* Start the group's table; `hdr` is repeated after page breaks and must outlive the table. */
static void rows_begin(struct pdf_doc *d, struct pdf_table *t, struct pdf_cell hdr[ROW_COLS], const struct group *g)
{
    for (int c = 0; c < ROW_COLS; c++) {
        hdr[c] = (struct pdf_cell){.fill = PDF_NO_FILL};
        pdf_cell_add(&hdr[c], PDF_FONT_BOLD, PDF_SZ_SMALL, PDF_RGB_TEXT, row_heads[c]);
    }
    *t = (struct pdf_table){.zebra = true, .pad = ROW_PAD, .leading = ROW_LEADING};
    pdf_table_begin(&d->lay, t, ROW_COLS, g->frac, hdr);
}

static void group_row(struct pdf_doc *d, struct pdf_table *t, const struct group *g, const struct sb_result *res)
{
    struct sb_buf obs = {0};
    observed(g, res, &obs);
    struct pdf_cell row[ROW_COLS];
    row_cells(row, res, &obs);
    pdf_table_row(&d->lay, t, row, ROW_COLS);
    index_add(d, res);
    sb_buf_free(&obs);
}

/* A blank line for the auditee's answer, signed off per group. */
static void management_response(struct pdf_doc *d)
{
    struct pdf_lay *l = &d->lay;
    pdf_lay_space(l, 3);
    double lh = pdf_line_height(PDF_SZ_TABLE) + 8;
    pdf_lay_need(l, lh);
    static const char label[] = "Management response:";
    double base = l->y - PDF_SZ_TABLE * 0.96 - 6;
    pdf_lay_text(l, PDF_FONT_BOLD, PDF_SZ_TABLE, PDF_RGB_TEXT, l->left, base, label);
    double x = l->left + pdf_lay_width(l, PDF_FONT_BOLD, PDF_SZ_TABLE, label) + 4;
    pdf_lay_line(l, x, base - 1.5, l->right, base - 1.5, 0.5, PDF_RGB_MUTED);
    l->y -= lh;
    pdf_lay_space(l, 6);
}

/* What has to stay together at the foot of a page: the description and the first resource. */
static void group_start(struct pdf_doc *d, const void *arg)
{
    const struct group *g = arg;
    struct pdf_table t;
    struct pdf_cell hdr[ROW_COLS];
    group_header(d, g);
    rows_begin(d, &t, hdr, g);
    group_row(d, &t, g, g->v[0]);
}

static void group_prepare(struct pdf_doc *d, struct group *g)
{
    group_scan(g);
    group_widths(d, g, g->frac);
}

/* A prepared group (group_prepare), drawn and freed. */
static void group_block(struct pdf_doc *d, struct group *g)
{
    pdf_doc_keep(d, group_start, g);
    group_header(d, g);
    struct pdf_table t;
    struct pdf_cell hdr[ROW_COLS];
    rows_begin(d, &t, hdr, g);
    for (size_t i = 0; i < g->n; i++)
        group_row(d, &t, g, g->v[i]);
    management_response(d);
    free(g->same_value);
}

/* The end of the group starting at v[i]: results that say the same thing. */
static size_t group_end(const struct sb_result *const *v, size_t nv, size_t i)
{
    size_t k = i + 1;
    while (k < nv && group_cmp(v[i], v[k]) == 0)
        k++;
    return k;
}

/* What opens a feature's results: the counts, the passes, and (for keeping it together) the first group's start. */
struct intro {
    const struct sb_result *first;
    size_t n, passes;
    const struct group *g0;
};

static void intro_block(struct pdf_doc *d, const void *arg)
{
    const struct intro *in = arg;
    results_line(d, in->first, in->n);
    if (in->passes) {
        char *s = sb_xasprintf("Pass: %zu result%s. The evidence of each passing result (property path, observed "
                               "and expected value) is in the JSON report and the XLSX workbook.",
                               in->passes, in->passes == 1 ? "" : "s");
        pdf_doc_text(d, PDF_FONT_SANS, PDF_SZ_TABLE, PDF_RGB_MUTED, s);
        pdf_lay_space(&d->lay, 4);
        free(s);
    }
    if (in->g0)
        group_start(d, in->g0);
}

static void feature_results_grouped(struct pdf_doc *d, const struct sb_feature *f)
{
    const struct sb_result *first;
    size_t n = report_feature_results(d->r, f, &first);
    if (!n) {
        results_line(d, first, n);
        pdf_doc_para(d, "No result: nothing in scope was evaluated for this feature.");
        return;
    }
    const struct sb_result **v = sb_xmalloc(n * sizeof *v);
    size_t nv = 0;
    struct intro in = {first, n, 0, NULL};
    for (size_t i = 0; i < n; i++) {
        if (first[i].status == SB_STATUS_PASS)
            in.passes++;
        else
            v[nv++] = &first[i];
    }
    qsort(v, nv, sizeof *v, row_cmp);
    /* The counts and the pass line stay on the page of the first group's description and first line. */
    struct group g = {0};
    size_t k = 0;
    if (nv) {
        k = group_end(v, nv, 0);
        g = (struct group){v, k, false, NULL, {0}};
        group_prepare(d, &g);
        in.g0 = &g;
    }
    pdf_doc_keep(d, intro_block, &in);
    intro_block(d, &(struct intro){first, n, in.passes, NULL});
    if (nv)
        group_block(d, &g);
    for (size_t i = k; i < nv;) {
        size_t e = group_end(v, nv, i);
        g = (struct group){v + i, e - i, false, NULL, {0}};
        group_prepare(d, &g);
        group_block(d, &g);
        i = e;
    }
    free(v);
    pdf_lay_space(&d->lay, 4);
}

/* The feature's heading must share its page with the first lines that follow it. */
static void feature_intro(struct pdf_doc *d, const void *arg)
{
    const struct sb_feature *f = arg;
    char *h = sb_xasprintf("%s \xc2\xb7 %s", f->control ? f->control->id : "", f->name);
    pdf_doc_h3(d, h);
    free(h);
    feature_facts(d, f);
    feature_policies(d, f);
}

void pdf_doc_findings(struct pdf_doc *d)
{
    const struct sb_baseline *b = d->r->baseline;
    pdf_doc_section(d, "Findings by control");
    if (d->detail_full)
        pdf_doc_para(d, "For each control: every feature's baseline text and Azure Policy definitions, then its "
                        "results, failing and not-assessed first. Each result shows the verdict, what was read "
                        "(property path = observed value, and the expected value) and the fix.");
    else
        pdf_doc_para(d, "For each control: every feature's baseline text and Azure Policy definitions, then its "
                        "results. Results that share a verdict, a reason and a fix form one group: what was read "
                        "(property path = observed value, and the expected value) and the fix are stated once, "
                        "followed by one line per resource with its finding id and the values that differ. "
                        "Passing results are counted here; the JSON report and the XLSX workbook hold the evidence "
                        "of every result. Each group leaves room for the management response. The resource index "
                        "at the end lists every resource with its finding ids and pages.");
    for (size_t c = 0; c < b->ncontrols; c++) {
        const struct sb_control *ctl = &b->controls[c];
        char *title = sb_xasprintf("%s %s", ctl->id, ctl->title);
        pdf_doc_h2(d, title);
        free(title);
        if (ctl->domain_url) {
            /* The page's "For more information, see the Microsoft cloud security benchmark: <domain>." */
            char *s = sb_xasprintf("%s \xc2\xb7 %s", ctl->domain, ctl->domain_url);
            size_t n = strlen(s);
            pdf_lay_para_link(&d->lay, PDF_FONT_SANS, PDF_SZ_TABLE, PDF_RGB_MUTED, 0, s, n - strlen(ctl->domain_url), n,
                              ctl->domain_url);
            free(s);
        } else {
            pdf_doc_text(d, PDF_FONT_SANS, PDF_SZ_TABLE, PDF_RGB_MUTED, ctl->domain);
        }
        for (size_t i = 0; i < ctl->nfeatures; i++) {
            const struct sb_feature *f = &ctl->features[i];
            pdf_doc_keep(d, feature_intro, f);
            char *h = sb_xasprintf("%s \xc2\xb7 %s", ctl->id, f->name);
            pdf_doc_h3_bookmarked(d, h);
            free(h);
            feature_facts(d, f);
            feature_policies(d, f);
            if (d->detail_full)
                feature_results_full(d, f);
            else
                feature_results_grouped(d, f);
        }
    }
}
