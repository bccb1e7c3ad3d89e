/* report.md: a one-page summary to paste into a change ticket. */
#include "render.h"

#include "diff.h"
#include "err.h"
#include "util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Table cells: one line, pipes escaped, so no value can break the table. */
static void cell(struct sb_buf *b, const char *s)
{
    sb_buf_puts(b, " ");
    for (const char *p = s ? s : ""; *p; p++) {
        if (*p == '|')
            sb_buf_puts(b, "\\|");
        else if (*p == '\n' || *p == '\r' || *p == '\t')
            sb_buf_putc(b, ' ');
        else
            sb_buf_putc(b, *p);
    }
    sb_buf_puts(b, " |");
}

static int urgent_first(const void *a, const void *b)
{
    const struct sb_result *x = *(const struct sb_result *const *)a;
    const struct sb_result *y = *(const struct sb_result *const *)b;
    int d = sb_status_rank(x->status) - sb_status_rank(y->status);
    if (d)
        return d;
    d = (int)y->severity - (int)x->severity;
    if (d)
        return d;
    /* results are already in baseline order; keep it */
    return x < y ? -1 : x > y;
}

static void scope_line(struct sb_buf *b, const struct sb_report *r)
{
    sb_buf_printf(b, "Scope: %zu tenant(s), %zu subscription(s), %zu resource(s) · Generated %s · %s (MCSB %s) · %s %s\n\n",
                  r->scope.ntenants, r->scope.nsubscriptions, r->scope.nresources, r->generated,
                  r->baseline->title, r->baseline->mcsb_version, r->tool_name, r->tool_version);
}

int render_md(const struct sb_report *r, const struct sb_render_opts *o, const char *out_path, struct sb_err *e)
{
    (void)o;
    struct sb_buf b = {0};
    sb_buf_printf(&b, "# %s security baseline assessment%s%s\n\n", r->baseline->service, r->organisation ? " — " : "",
                  r->organisation ? r->organisation : "");
    if (r->classification)
        sb_buf_printf(&b, "**%s**\n\n", r->classification);
    scope_line(&b, r);
    sb_buf_printf(&b, "**Results:** %zu pass · %zu fail · %zu manual · %zu not assessed · %zu N/A · %zu excepted (%zu results)\n\n",
                  r->counts[SB_STATUS_PASS], r->counts[SB_STATUS_FAIL], r->counts[SB_STATUS_MANUAL],
                  r->counts[SB_STATUS_NOT_ASSESSED], r->counts[SB_STATUS_NOT_APPLICABLE], r->excepted, r->nresults);

    const struct sb_result **items = sb_xcalloc(r->nresults ? r->nresults : 1, sizeof *items);
    size_t n = 0;
    for (size_t i = 0; i < r->nresults; i++)
        if (r->results[i].status == SB_STATUS_FAIL || r->results[i].status == SB_STATUS_NOT_ASSESSED)
            items[n++] = &r->results[i];
    sb_sort(items, n, sizeof *items, urgent_first);
    if (n == 0) {
        sb_buf_puts(&b, "No failing or not-assessed items.\n\n");
    } else {
        sb_buf_puts(&b, "## Failing and not-assessed items\n\n| Status | Control | Feature | Resource | Finding | Remediation |\n"
                        "|---|---|---|---|---|---|\n");
        for (size_t i = 0; i < n; i++) {
            const struct sb_result *res = items[i];
            char *status = sb_result_status_text(res);
            sb_buf_puts(&b, "|");
            cell(&b, status);
            cell(&b, res->control->id);
            cell(&b, res->feature->name);
            cell(&b, res->resource_name ? res->resource_name : (res->resource_id ? res->resource_id : "—"));
            cell(&b, res->summary);
            cell(&b, res->remediation ? res->remediation : res->feature->guidance);
            sb_buf_puts(&b, "\n");
            free(status);
        }
        sb_buf_puts(&b, "\n");
    }
    free(items);
    size_t manual = r->counts[SB_STATUS_MANUAL];
    if (manual)
        sb_buf_printf(&b, "%zu item(s) need a person's decision or attestation (status Manual): see report.csv.\n\n", manual);
    if (r->ngaps) {
        sb_buf_printf(&b, "**Collection gaps:** %zu — parts of the estate could not be collected; affected results are "
                          "Not assessed.\n\n", r->ngaps);
        /* Enough to act on in a ticket; the full list is in the PDF and the workbook. */
        size_t shown = r->ngaps < 10 ? r->ngaps : 10;
        for (size_t i = 0; i < shown; i++) {
            const struct sb_gap *g = &r->gaps[i];
            sb_buf_printf(&b, "- `%s` (%s): ", g->scope, g->collection ? g->collection : "collection");
            if (g->http_status)
                sb_buf_printf(&b, "HTTP %d ", g->http_status);
            sb_buf_printf(&b, "%s\n", g->error_code ? g->error_code : (g->message ? g->message : "not collected"));
        }
        if (r->ngaps > shown)
            sb_buf_printf(&b, "- … and %zu more\n", r->ngaps - shown);
        sb_buf_puts(&b, "\n");
    }
    if (r->changes) {
        diff_render_md_section(r->changes, &b);
        sb_buf_puts(&b, "\n");
    }
    sb_buf_puts(&b, "Inputs (SHA-256):");
    for (size_t i = 0; i < r->ninputs; i++)
        sb_buf_printf(&b, " `%s` %s%s", sb_basename(r->inputs[i].name), r->inputs[i].sha256,
                      i + 1 < r->ninputs ? ";" : "");
    sb_buf_puts(&b, "\n");

    int rc = sb_write_file(out_path, b.data, b.len, e);
    sb_buf_free(&b);
    return rc;
}
