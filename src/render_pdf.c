/*
 * The auditor-ready PDF report (libharu). The document is laid out twice: a dry pass learns
 * where each heading lands and how many pages there are, and the drawing pass prints the table
 * of contents and "Page N of M" with those numbers. The dry pass leaves the contents out: it
 * takes one line per entry and starts and ends on a page of its own, so its length follows from
 * the number of entries alone, and every later page moves down by exactly that many pages.
 */
#include "render.h"

#include "err.h"
#include "pdf_device.h"
#include "pdf_doc.h"
#include "util.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define MM (72.0 / 25.4)
#define MARGIN (18 * MM)

static void write_document(struct pdf_doc *d)
{
    pdf_doc_cover(d);
    pdf_doc_contents(d);
    pdf_doc_summary(d);
    pdf_doc_profile(d);
    pdf_doc_matrix(d);
    pdf_doc_findings(d);
    pdf_doc_exceptions(d);
    pdf_doc_gaps(d);
    pdf_doc_changes(d);
    pdf_doc_method(d);
    pdf_doc_resource_index(d);
}

static int paper_size(const char *paper, double *w, double *h, struct sb_err *e)
{
    if (!paper || strcmp(paper, "a4") == 0) {
        *w = 210 * MM;
        *h = 297 * MM;
    } else if (strcmp(paper, "letter") == 0) {
        *w = 612;
        *h = 792;
    } else {
        return sb_err_set(e, SB_EXIT_USAGE, "--paper: unknown paper size '%s' (use a4 or letter)", paper);
    }
    return 0;
}

static void doc_init(struct pdf_doc *d, const struct sb_report *r, const struct pdf_dev *dev, bool dry,
                     double w, double h, char *title, bool full)
{
    memset(d, 0, sizeof *d);
    d->r = r;
    d->detail_full = full;
    d->title = title;
    pdf_lay_init(&d->lay, dev, dry, w, h, MARGIN);
    d->lay.decorate = pdf_doc_decorate;
    d->lay.decorate_arg = d;
}

static bool same_pages(const struct pdf_toc_entry *a, size_t na, const struct pdf_toc_entry *b, size_t nb)
{
    if (na != nb)
        return false;
    for (size_t i = 0; i < na; i++)
        if (a[i].page != b[i].page)
            return false;
    return true;
}

int render_pdf(const struct sb_report *r, const struct sb_render_opts *o, const char *out_path, struct sb_err *e)
{
    double pw = 0, ph = 0;
    if (paper_size(o ? o->paper : NULL, &pw, &ph, e) < 0)
        return -1;
    const char *detail = o && o->pdf_detail ? o->pdf_detail : "grouped";
    if (strcmp(detail, "grouped") != 0 && strcmp(detail, "full") != 0)
        return sb_err_set(e, SB_EXIT_USAGE, "--pdf-detail: unknown level '%s' (use grouped or full)", detail);
    bool full = strcmp(detail, "full") == 0;
    char *font_dir = sb_path_join(o && o->data_dir ? o->data_dir : ".", "fonts");
    struct pdf_hpdf *h = NULL;
    char *title = sb_xasprintf("%s security baseline assessment",
                               r->baseline->service ? r->baseline->service : r->baseline->title);
    struct pdf_toc_entry *toc = NULL;
    size_t ntoc = 0;
    int total = 0, rc = -1;
    if (pdf_hpdf_open(&h, font_dir, e) < 0)
        goto cleanup;
    const struct pdf_dev *dev = pdf_hpdf_dev(h);

    /* One layout pass without the contents, whose length depends only on its number of entries;
     * then the contents alone, to learn its pages; then everything after it moves down by that. */
    struct pdf_doc d;
    doc_init(&d, r, dev, true, pw, ph, title, full);
    d.defer_contents = true;
    write_document(&d);
    free(d.index);
    toc = d.toc;
    ntoc = d.ntoc;
    total = d.lay.page;
    int after = d.contents_after;
    size_t own = d.contents_entry;
    doc_init(&d, r, dev, true, pw, ph, title, full);
    d.prev_toc = toc;
    d.nprev = ntoc;
    pdf_lay_new_page(&d.lay); /* stands for the pages before the contents */
    int before = d.lay.page;
    pdf_doc_contents(&d);
    int contents_pages = d.lay.page - before;
    pdf_doc_free_toc(d.toc, d.ntoc);
    for (size_t i = 0; i < ntoc; i++)
        if (toc[i].page > after && i != own)
            toc[i].page += contents_pages;
    total += contents_pages;

    doc_init(&d, r, dev, false, pw, ph, title, full);
    d.prev_toc = toc;
    d.nprev = ntoc;
    d.total_pages = total;
    write_document(&d);
    free(d.index);
    bool ok = d.lay.page == total && same_pages(toc, ntoc, d.toc, d.ntoc);
    pdf_doc_free_toc(d.toc, d.ntoc);
    if (!ok) {
        sb_err_set(e, SB_EXIT_OUTPUT, "%s: internal error: PDF pagination did not settle", out_path);
        goto cleanup;
    }

    char *producer = sb_xasprintf("%s %s", r->tool_name ? r->tool_name : "mcsb-audit",
                                  r->tool_version ? r->tool_version : "");
    rc = pdf_hpdf_info(h, title, r->organisation, producer, r->generated_at, e);
    free(producer);
    if (rc == 0 && (rc = pdf_hpdf_save(h, out_path, e)) < 0)
        unlink(out_path);
cleanup:
    pdf_doc_free_toc(toc, ntoc);
    pdf_hpdf_free(h);
    free(title);
    free(font_dir);
    return rc;
}
