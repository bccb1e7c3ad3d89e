/* report.csv: RFC 4180, one row per result, CRLF line ends. */
#include "render.h"

#include "csv_cell.h"
#include "err.h"
#include "util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int render_csv(const struct sb_report *r, const struct sb_render_opts *o, const char *out_path, struct sb_err *e)
{
    (void)o;
    static const char *const header[] = {"id", "control", "domain", "feature", "resource_id", "resource_name",
                                         "resource_type", "subscription_id", "resource_group", "status", "severity",
                                         "summary", "evidence", "remediation", "exception_kind", "exception_id",
                                         "exception_expires", "exception_state", "population_complete"};
    const size_t ncols = sizeof header / sizeof *header;
    /* Written row by row as it is produced: memory does not grow with the estate. */
    struct sb_stream w;
    if (sb_stream_open(&w, out_path, e) != 0)
        return -1;
    struct sb_buf b = {0};
    for (size_t i = 0; i < ncols; i++)
        sb_csv_cell(&b, header[i], i + 1 == ncols);
    for (size_t i = 0; i < r->nresults && !w.err; i++) {
        sb_stream_write(&w, b.data, b.len);
        b.len = 0;
        const struct sb_result *res = &r->results[i];
        struct sb_buf ev = {0};
        for (size_t k = 0; k < res->nevidence; k++) {
            char *line = sb_evidence_line(&res->evidence[k]);
            sb_buf_printf(&ev, "%s%s", k ? "\n" : "", line);
            free(line);
        }
        const struct sb_exception *x = res->exception ? res->exception : res->expired_exception;
        const char *cells[] = {res->id, res->control->id, res->control->domain, res->feature->name, res->resource_id,
                               res->resource_name, res->resource_type, res->subscription_id, res->resource_group,
                               sb_status_id(res->status), sb_severity_id(res->severity), res->summary, ev.data,
                               res->remediation, x ? sb_exception_kind_id(x->kind) : NULL, x ? x->entry_id : NULL,
                               x ? x->expires : NULL, x ? (res->exception ? "applied" : "expired") : NULL,
                               r->scope.complete ? "true" : "false"};
        for (size_t c = 0; c < ncols; c++)
            sb_csv_cell(&b, cells[c], c + 1 == ncols);
        sb_buf_free(&ev);
    }
    sb_stream_write(&w, b.data, b.len);
    sb_buf_free(&b);
    return sb_stream_close(&w, out_path, e);
}
