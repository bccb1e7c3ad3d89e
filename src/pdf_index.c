/* Appendix "Resource index": every resource the findings print, its finding ids and their pages. */
#include "pdf_doc.h"

#include "util.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

static int entry_cmp(const void *a, const void *b)
{
    const struct pdf_index_entry *x = a, *y = b;
    int c = strcasecmp(x->res->resource_id, y->res->resource_id);
    if (c || (c = strcmp(x->res->resource_id, y->res->resource_id)) || (c = strcmp(x->res->id, y->res->id)))
        return c;
    return x->page - y->page;
}

#define INDEX_SIZE 5.0

void pdf_doc_resource_index(struct pdf_doc *d)
{
    pdf_doc_section(d, "Resource index");
    struct pdf_index_entry *v = sb_xmalloc((d->nindex + 1) * sizeof *v);
    size_t n = 0;
    for (size_t i = 0; i < d->nindex; i++)
        if (d->index[i].res->resource_id && d->index[i].res->id)
            v[n++] = d->index[i];
    if (!n) {
        pdf_doc_para(d, "No resource is named in the findings above.");
        free(v);
        return;
    }
    pdf_doc_para(d, "Every resource named in the findings, by resource id: its finding ids and the page of each "
                    "finding's line, two resources a row. Passing results are not listed; the JSON report and the XLSX workbook hold them.");
    qsort(v, n, sizeof *v, entry_cmp);
    /* Two resources a row, left to right: an id takes two lines at half width as at full width. */
    static const double cols[2] = {0.5, 0.5};
    struct pdf_cell hdr[2] = {pdf_doc_hcell("Resource id, finding ids and pages"),
                              pdf_doc_hcell("Resource id, finding ids and pages")};
    /* Dense, as an index is: tight leading in the cells (5 pt mono stays legible at 1.12). */
    struct pdf_table t = {.zebra = true, .pad = 0.75, .leading = 1.12};
    pdf_table_begin(&d->lay, &t, 2, cols, hdr);
    struct sb_buf ids = {0}, other = {0};
    struct pdf_cell row[2];
    size_t filled = 0;
    for (size_t i = 0; i < n;) {
        size_t k = i;
        struct sb_buf *b = filled ? &other : &ids;
        b->len = 0;
        for (; k < n && strcmp(v[k].res->resource_id, v[i].res->resource_id) == 0; k++)
            sb_buf_printf(b, "%s%s p.%d", k > i ? "\n" : "", v[k].res->id, v[k].page);
        row[filled] = (struct pdf_cell){.fill = PDF_NO_FILL};
        pdf_cell_add_id(&row[filled], PDF_FONT_MONO, INDEX_SIZE, PDF_RGB_TEXT, v[i].res->resource_id, PDF_BREAK_SLASH);
        pdf_cell_add_id(&row[filled], PDF_FONT_MONO, INDEX_SIZE, PDF_RGB_MUTED, b->data, PDF_BREAK_NEVER);
        if (++filled == 2) {
            pdf_table_row(&d->lay, &t, row, 2);
            filled = 0;
        }
        i = k;
    }
    if (filled) {
        row[1] = (struct pdf_cell){.fill = PDF_NO_FILL};
        pdf_table_row(&d->lay, &t, row, 2);
    }
    sb_buf_free(&other);
    sb_buf_free(&ids);
    free(v);
}
