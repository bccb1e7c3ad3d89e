/* report.md: one screen to paste into a change ticket (at most MD_MAX_LINES lines, whatever the
 * estate size); the full detail stays in the PDF, the workbook and report.json. */
#include "render.h"

#include "diff.h"
#include "err.h"
#include "util.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define MD_TOP_ITEMS 10
#define MD_EXCEPTIONS 5
#define MD_CHANGES 4
#define MD_GAPS 3
#define MD_INPUTS 6
#define EM_DASH "\xe2\x80\x94"
#define MIDDOT " \xc2\xb7 "

/*
 * Text from the estate (resource names, tags, messages) must not become markup in a ticket
 * renderer: Markdown punctuation is backslash-escaped and HTML's < > & become entities, so
 * "<img src=x>" or "[click](http://evil)" show as typed. One line, pipes escaped (tables).
 */
static void md_text(struct sb_buf *b, const char *s, size_t n)
{
    for (size_t i = 0; i < n && s[i]; i++) {
        char c = s[i];
        if (c == '<')
            sb_buf_puts(b, "&lt;");
        else if (c == '>')
            sb_buf_puts(b, "&gt;");
        else if (c == '&')
            sb_buf_puts(b, "&amp;");
        else if (c == '\n' || c == '\r' || c == '\t')
            sb_buf_putc(b, ' ');
        else {
            if (strchr("\\`*_[]|~", c)) /* with [ ] escaped, "(...)" can never become a link target */
                sb_buf_putc(b, '\\');
            sb_buf_putc(b, c);
        }
    }
}

/* Inline code: a fence longer than any backtick run inside; pipes escaped (GFM tables split on
 * them even in code); one line. */
static void md_code(struct sb_buf *b, const char *s, size_t n)
{
    size_t run = 0, longest = 0;
    for (size_t i = 0; i < n && s[i]; i++) {
        run = s[i] == '`' ? run + 1 : 0;
        longest = run > longest ? run : longest;
    }
    bool pad = n && (s[0] == '`' || s[n - 1] == '`');
    for (size_t i = 0; i <= longest; i++)
        sb_buf_putc(b, '`');
    if (pad)
        sb_buf_putc(b, ' ');
    for (size_t i = 0; i < n && s[i]; i++) {
        if (s[i] == '|')
            sb_buf_puts(b, "\\|");
        else
            sb_buf_putc(b, s[i] == '\n' || s[i] == '\r' || s[i] == '\t' ? ' ' : s[i]);
    }
    if (pad)
        sb_buf_putc(b, ' ');
    for (size_t i = 0; i <= longest; i++)
        sb_buf_putc(b, '`');
}

static void text(struct sb_buf *b, const char *s)
{
    if (sb_empty(s))
        sb_buf_puts(b, EM_DASH);
    else
        md_text(b, s, strlen(s));
}

static void code(struct sb_buf *b, const char *s)
{
    if (sb_empty(s))
        sb_buf_puts(b, EM_DASH);
    else
        md_code(b, s, strlen(s));
}

/* Length of an `az ...` command starting at s: up to the end of its sentence. */
static size_t az_command_len(const char *s)
{
    size_t n = 0;
    while (s[n] && s[n] != '\n' && s[n] != ';') {
        if (s[n] == '.' && (s[n + 1] == '\0' || s[n + 1] == ' ' || s[n + 1] == '\n'))
            break;
        if (s[n] == ')' && !memchr(s, '(', n))
            break;
        n++;
    }
    while (n && s[n - 1] == ' ')
        n--;
    return n;
}

/*
 * Prose from our own rules and the baseline: `az` commands and <placeholders> become inline
 * code, so ticket renderers neither strip "<nsg>" as an HTML tag nor reflow the command; the rest
 * is escaped like any other text.
 */
static void prose(struct sb_buf *b, const char *s)
{
    if (sb_empty(s)) {
        sb_buf_puts(b, EM_DASH);
        return;
    }
    size_t i = 0, plain = 0;
    while (s[i]) {
        bool word_start = i == 0 || s[i - 1] == ' ' || s[i - 1] == '(' || s[i - 1] == ':';
        size_t len = 0;
        if (word_start && strncmp(s + i, "az ", 3) == 0)
            len = az_command_len(s + i);
        else if (s[i] == '<') {
            const char *close = strchr(s + i + 1, '>');
            if (close && close - (s + i) < 64 && !memchr(s + i + 1, '<', (size_t)(close - (s + i) - 1)))
                len = (size_t)(close - (s + i)) + 1;
        }
        if (len) {
            md_text(b, s + plain, i - plain);
            md_code(b, s + i, len);
            i += len;
            plain = i;
        } else {
            i++;
        }
    }
    md_text(b, s + plain, i - plain);
}

static void cell_text(struct sb_buf *b, const char *s)
{
    sb_buf_puts(b, " ");
    text(b, s);
    sb_buf_puts(b, " |");
}

static int urgent_first(const void *a, const void *b)
{
    const struct sb_result *x = *(const struct sb_result *const *)a;
    const struct sb_result *y = *(const struct sb_result *const *)b;
    /* Open items the exception process has not accepted come before the excepted ones. */
    int d = (x->exception != NULL) - (y->exception != NULL);
    if (!d)
        d = sb_status_rank(x->status) - sb_status_rank(y->status);
    if (!d)
        d = (int)y->severity - (int)x->severity;
    /* results are already in baseline order; keep it */
    return d ? d : (x > y) - (x < y);
}

static const char *subscription_label(const struct sb_report *r, const char *id)
{
    if (!id)
        return NULL;
    for (size_t i = 0; i < r->scope.nsubscriptions; i++)
        if (r->scope.subscriptions[i].name && strcasecmp(r->scope.subscriptions[i].id, id) == 0)
            return r->scope.subscriptions[i].name;
    return id;
}

/* First after the title (issue 10): whether the population is complete (report.json scope.complete) and why not,
 * then what was asked for, who read it and when. */
static void completeness_lines(struct sb_buf *b, const struct sb_report *r)
{
    const struct sb_scope *sc = &r->scope;
    size_t na = r->counts[SB_STATUS_NOT_ASSESSED];
    if (sc->complete) {
        sb_buf_printf(b, "Completeness: **complete** " EM_DASH " population complete: every input is a complete "
                         "listing and nothing failed to be collected (%zu resource%s)", sc->nresources,
                      sc->nresources == 1 ? "" : "s");
    } else {
        sb_buf_printf(b, "Completeness: **incomplete** " EM_DASH " population incomplete (%zu resource%s read):",
                      sc->nresources, sc->nresources == 1 ? "" : "s");
        for (size_t i = 0; i < sc->nreasons; i++) {
            sb_buf_puts(b, i ? "; " : " ");
            text(b, sc->reasons[i].text);
        }
    }
    if (na)
        sb_buf_printf(b, "; %zu result(s) not assessed (neither pass nor fail)", na);
    sb_buf_puts(b, ".");
    if (sc->nresources == 0)
        sb_buf_puts(b, " **The inputs hold no resources: nothing could be assessed, which is not a clean result.**");
    sb_buf_puts(b, "\n\n");
    struct sb_statement_line *v;
    size_t n = report_statement(r, &v);
    const char *sep = "";
    for (size_t i = 0; i < n; i++)
        if (strcmp(v[i].label, "Population") != 0) {
            sb_buf_printf(b, "%s%s: ", sep, v[i].label);
            text(b, v[i].value);
            sep = MIDDOT;
        }
    sb_buf_puts(b, "\n\n");
    report_statement_free(v, n);
}

static void header(struct sb_buf *b, const struct sb_report *r)
{
    sb_buf_printf(b, "# %s security baseline assessment", r->baseline->service);
    if (r->organisation) {
        sb_buf_puts(b, " " EM_DASH " ");
        text(b, r->organisation);
    }
    sb_buf_puts(b, "\n\n");
    if (r->classification) {
        sb_buf_puts(b, "**");
        text(b, r->classification);
        sb_buf_puts(b, "**\n\n");
    }
    completeness_lines(b, r);
    sb_buf_printf(b, "Scope: %zu tenant(s), %zu subscription(s), %zu resource(s)" MIDDOT "Generated %s" MIDDOT,
                  r->scope.ntenants, r->scope.nsubscriptions, r->scope.nresources, r->generated);
    text(b, r->baseline->title);
    sb_buf_printf(b, " (MCSB %s)" MIDDOT "%s %s\n\n", r->baseline->mcsb_version ? r->baseline->mcsb_version : "?",
                  r->tool_name, r->tool_version);
}

static void counts_table(struct sb_buf *b, const struct sb_report *r)
{
    sb_buf_printf(b, "| Fail | Not assessed | Manual | Pass | N/A | Excepted | Results |\n"
                     "|---:|---:|---:|---:|---:|---:|---:|\n"
                     "| %zu | %zu | %zu | %zu | %zu | %zu | %zu |\n\n",
                  r->counts[SB_STATUS_FAIL], r->counts[SB_STATUS_NOT_ASSESSED], r->counts[SB_STATUS_MANUAL],
                  r->counts[SB_STATUS_PASS], r->counts[SB_STATUS_NOT_APPLICABLE], r->excepted, r->nresults);
}

static void changes(struct sb_buf *b, const struct sb_report *r)
{
    const struct sb_changes *c = r->changes;
    if (!c)
        return;
    sb_buf_puts(b, "## Changes since the previous assessment\n\n");
    sb_buf_puts(b, "Previous: ");
    code(b, c->previous_name);
    sb_buf_puts(b, ", generated ");
    text(b, c->previous_generated);
    sb_buf_printf(b, ". **%zu change(s)**", c->n);
    const char *sep = ": ";
    for (int k = 0; k < SB_CHANGE_KIND_COUNT; k++) {
        size_t n = diff_count(c, (enum sb_change_kind)k);
        if (n) {
            sb_buf_printf(b, "%s%s %zu", sep, sb_change_kind_label((enum sb_change_kind)k), n);
            sep = MIDDOT;
        }
    }
    sb_buf_puts(b, "\n\n");
    /* The ones a reviewer acts on: new findings first (items are sorted by kind). */
    size_t shown = 0;
    for (size_t i = 0; i < c->n && shown < MD_CHANGES; i++) {
        const struct sb_change *x = &c->items[i];
        if (x->kind != SB_CHANGE_NEW_FINDING && x->kind != SB_CHANGE_RESOLVED)
            continue;
        sb_buf_printf(b, "- %s: ", sb_change_kind_label(x->kind));
        text(b, x->control);
        sb_buf_puts(b, MIDDOT);
        text(b, x->feature);
        sb_buf_puts(b, MIDDOT);
        code(b, x->resource_id ? sb_basename(x->resource_id) : x->finding_id);
        sb_buf_puts(b, "\n");
        shown++;
    }
    if (shown)
        sb_buf_puts(b, "\n");
}

static void top_items(struct sb_buf *b, const struct sb_report *r)
{
    const struct sb_result **items = sb_xcalloc(r->nresults ? r->nresults : 1, sizeof *items);
    size_t n = 0;
    for (size_t i = 0; i < r->nresults; i++)
        if (r->results[i].status == SB_STATUS_FAIL || r->results[i].status == SB_STATUS_NOT_ASSESSED)
            items[n++] = &r->results[i];
    sb_sort(items, n, sizeof *items, urgent_first);
    if (n == 0) {
        sb_buf_puts(b, "No failing or not-assessed items.\n\n");
        free(items);
        return;
    }
    sb_buf_printf(b, "## Top %zu open items (of %zu failing or not assessed)\n\n", n < MD_TOP_ITEMS ? n : MD_TOP_ITEMS, n);
    sb_buf_puts(b, "| Status | Severity | Control | Resource | Subscription | Finding | Fix |\n"
                   "|---|---|---|---|---|---|---|\n");
    for (size_t i = 0; i < n && i < MD_TOP_ITEMS; i++) {
        const struct sb_result *res = items[i];
        char *status = sb_result_status_text(res);
        sb_buf_puts(b, "|");
        cell_text(b, status);
        cell_text(b, res->severity ? sb_severity_id(res->severity) : NULL);
        cell_text(b, res->control->id);
        sb_buf_puts(b, " ");
        code(b, res->resource_name ? res->resource_name : res->resource_id);
        sb_buf_puts(b, " |");
        cell_text(b, subscription_label(r, res->subscription_id));
        cell_text(b, res->summary);
        sb_buf_puts(b, " ");
        prose(b, res->remediation ? res->remediation : res->feature->guidance);
        sb_buf_puts(b, " |\n");
        free(status);
    }
    if (n > MD_TOP_ITEMS)
        sb_buf_printf(b, "\n%zu more in the PDF report and the workbook (Findings sheet, failing rows first).\n",
                      n - MD_TOP_ITEMS);
    sb_buf_puts(b, "\n");
    free(items);
}

static void exceptions(struct sb_buf *b, const struct sb_report *r)
{
    size_t active = 0, expired = 0, unmatched = 0, warnings = 0;
    for (size_t i = 0; i < r->nexceptions; i++) {
        const struct sb_exception *x = &r->exceptions[i];
        active += !x->expired;
        expired += x->expired;
        unmatched += !x->expired && !x->matched;
        warnings += x->nwarnings;
    }
    if (!r->nexceptions)
        return;
    sb_buf_printf(b, "## Active exceptions (%zu)\n\n", active);
    size_t shown = 0;
    for (size_t i = 0; i < r->nexceptions && shown < MD_EXCEPTIONS; i++) {
        const struct sb_exception *x = &r->exceptions[i];
        if (x->expired)
            continue;
        sb_buf_printf(b, "- #%d ", x->number);
        code(b, x->entry_id);
        sb_buf_printf(b, " %s: ", sb_exception_kind_label(x->kind));
        if (x->finding_id) {
            code(b, x->finding_id);
        } else {
            text(b, x->control);
            if (x->feature) {
                sb_buf_puts(b, MIDDOT);
                text(b, x->feature);
            }
            if (x->resource_pattern) {
                sb_buf_puts(b, MIDDOT);
                code(b, x->resource_pattern);
            }
        }
        if (x->approved_by) {
            sb_buf_puts(b, " " EM_DASH " approved by ");
            text(b, x->approved_by);
        } else {
            sb_buf_puts(b, " " EM_DASH " **no approver recorded**");
        }
        if (x->approved_on)
            sb_buf_printf(b, " on %s", x->approved_on);
        sb_buf_printf(b, ", expires %s, ", x->expires);
        if (x->matched)
            sb_buf_printf(b, "matched %zu result(s)", x->matched);
        else
            sb_buf_puts(b, "**unmatched** (matched no result)");
        sb_buf_puts(b, "\n");
        shown++;
    }
    if (active > shown)
        sb_buf_printf(b, "- %zu more active entr%s in the PDF report and the workbook (Exceptions sheet)\n",
                      active - shown, active - shown == 1 ? "y" : "ies");
    if (!active)
        sb_buf_puts(b, "None.\n");
    sb_buf_printf(b, "\n%zu expired entr%s (not applied)" MIDDOT "%zu unmatched" MIDDOT "%zu governance warning(s)\n\n",
                  expired, expired == 1 ? "y" : "ies", unmatched, warnings);
}

static void gaps(struct sb_buf *b, const struct sb_report *r)
{
    if (!r->ngaps)
        return;
    sb_buf_printf(b, "**Collection gaps:** %zu", r->ngaps);
    for (size_t i = 0; i < r->ngaps && i < MD_GAPS; i++) {
        const struct sb_gap *g = &r->gaps[i];
        sb_buf_puts(b, i ? "; " : ": ");
        code(b, g->scope);
        sb_buf_puts(b, " (");
        text(b, g->collection ? g->collection : "collection");
        if (g->http_status)
            sb_buf_printf(b, ", HTTP %d", g->http_status);
        sb_buf_puts(b, ")");
    }
    if (r->ngaps > MD_GAPS)
        sb_buf_printf(b, "; %zu more", r->ngaps - MD_GAPS);
    sb_buf_puts(b, "\n\n");
}

int render_md(const struct sb_report *r, const struct sb_render_opts *o, const char *out_path, struct sb_err *e)
{
    (void)o;
    struct sb_buf b = {0};
    header(&b, r);
    counts_table(&b, r);
    changes(&b, r);
    top_items(&b, r);
    exceptions(&b, r);
    gaps(&b, r);
    size_t manual = r->counts[SB_STATUS_MANUAL];
    if (manual)
        sb_buf_printf(&b, "%zu item(s) need a person's decision or attestation (status Manual).\n\n", manual);
    sb_buf_puts(&b, "Full detail: the PDF report (for the auditor), the workbook (Findings, Evidence, Exceptions "
                    "sheets), report.json and report.csv; `mcsb-audit verify DIR` checks them against manifest.json.\n\n");
    sb_buf_puts(&b, "Inputs (SHA-256):");
    for (size_t i = 0; i < r->ninputs && i < MD_INPUTS; i++) {
        sb_buf_puts(&b, i ? "; " : " ");
        code(&b, sb_basename(r->inputs[i].name));
        sb_buf_printf(&b, " %s", r->inputs[i].sha256);
    }
    if (r->ninputs > MD_INPUTS)
        sb_buf_printf(&b, "; %zu more in manifest.json", r->ninputs - MD_INPUTS);
    sb_buf_puts(&b, "\n");
    int rc = sb_write_file(out_path, b.data, b.len, e);
    sb_buf_free(&b);
    return rc;
}
