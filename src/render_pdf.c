/*
 * The auditor-ready PDF report (libharu). The document is laid out twice: a dry pass learns
 * where each heading lands and how many pages there are, and the drawing pass prints the table
 * of contents and "Page N of M" with those numbers. The dry pass leaves the contents out: it
 * takes one line per entry and starts and ends on a page of its own, so its length follows from
 * the number of entries alone, and every later page moves down by exactly that many pages.
 *
 * A report longer than a volume (--pdf-volume-pages, 1,200 pages by default) is drawn into several
 * files, report.pdf, report-2.pdf, ...: each drawing pass lays out the whole report but draws only
 * its volume's pages, into a document of its own that is saved and freed before the next one, so
 * libharu never holds more than one volume. Page numbers run on across the volumes.
 */
#include "render.h"

#include "err.h"
#include "pdf_device.h"
#include "pdf_doc.h"
#include "util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define MM (72.0 / 25.4)
#define MARGIN (18 * MM)
/* The issue of scale: a volume an auditor can still open and search (about 100,000 results). */
#define PDF_VOLUME_PAGES 1200u

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
                     double w, double h, char *title, bool full, unsigned volume_pages)
{
    memset(d, 0, sizeof *d);
    d->r = r;
    d->detail_full = full;
    d->volume_pages = volume_pages;
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

/* The drawing pass for one volume (pages [(v-1) * per + 1, v * per]), saved to path. */
static int draw_volume(struct pdf_hpdf *h, struct pdf_doc *d, const struct sb_report *r, const struct pdf_toc_entry *toc,
                       size_t ntoc, int total, double pw, double ph, char *title, bool full, unsigned given_volume,
                       int v, int nvol, const char *name, int per, const char *path, struct sb_err *e)
{
    pdf_hpdf_set_first_page(h, (v - 1) * per + 1);
    doc_init(d, r, pdf_hpdf_dev(h), false, pw, ph, title, full, given_volume);
    d->prev_toc = toc;
    d->nprev = ntoc;
    d->total_pages = total;
    if (nvol > 1) {
        d->lay.draw_first = (v - 1) * per + 1;
        d->lay.draw_last = v * per;
        d->lay.dry = v > 1;
        d->volume = v;
        d->nvolumes = nvol;
        d->volume_name = name;
    }
    write_document(d);
    free(d->index);
    bool ok = d->lay.page == total && same_pages(toc, ntoc, d->toc, d->ntoc);
    pdf_doc_free_toc(d->toc, d->ntoc);
    if (!ok)
        return sb_err_set(e, SB_EXIT_OUTPUT, "%s: internal error: PDF pagination did not settle", path);
    char *producer = sb_xasprintf("%s %s", r->tool_name ? r->tool_name : "mcsb-audit",
                                  r->tool_version ? r->tool_version : "");
    int rc = pdf_hpdf_info(h, title, r->organisation, producer, r->generated_at, e);
    free(producer);
    if (rc == 0 && (rc = pdf_hpdf_save(h, path, e)) < 0)
        unlink(path);
    return rc;
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
    unsigned given_volume = o ? o->pdf_volume_pages : 0;
    if (pdf_hpdf_open(&h, font_dir, e) < 0)
        goto cleanup;
    const struct pdf_dev *dev = pdf_hpdf_dev(h);

    /* One layout pass without the contents, whose length depends only on its number of entries;
     * then the contents alone, to learn its pages; then everything after it moves down by that. */
    struct pdf_doc d;
    doc_init(&d, r, dev, true, pw, ph, title, full, given_volume);
    d.defer_contents = true;
    write_document(&d);
    free(d.index);
    toc = d.toc;
    ntoc = d.ntoc;
    total = d.lay.page;
    int after = d.contents_after;
    size_t own = d.contents_entry;
    doc_init(&d, r, dev, true, pw, ph, title, full, given_volume);
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

    unsigned per = given_volume ? given_volume : PDF_VOLUME_PAGES;
    int nvol = (int)(((unsigned)total + per - 1) / per);
    if (nvol > 1 + SB_MAX_EXTRA_OUTPUTS) { /* larger volumes rather than more files than a run may write */
        nvol = 1 + SB_MAX_EXTRA_OUTPUTS;
        per = ((unsigned)total + (unsigned)nvol - 1) / (unsigned)nvol;
    }
    if (nvol > 1 && (!o || !o->add_output))
        nvol = 1;
    const char *names[1 + SB_MAX_EXTRA_OUTPUTS] = {o && o->file_name ? o->file_name : "report.pdf"};
    const char *paths[1 + SB_MAX_EXTRA_OUTPUTS] = {out_path};
    for (int v = 2; v <= nvol; v++) {
        char suffix[16];
        snprintf(suffix, sizeof suffix, "-%d", v);
        if (o->add_output(o->add_output_ctx, suffix, ".pdf", &names[v - 1], &paths[v - 1], e) != 0)
            goto cleanup;
    }
    for (int v = 1; v <= nvol; v++) {
        /* The first volume is drawn on the measuring document; each is freed once saved. */
        struct pdf_hpdf *vh = h;
        h = NULL;
        if (!vh && pdf_hpdf_open(&vh, font_dir, e) < 0) {
            rc = -1;
            break;
        }
        rc = draw_volume(vh, &d, r, toc, ntoc, total, pw, ph, title, full, given_volume, v, nvol, names[v - 1],
                         (int)per, paths[v - 1], e);
        pdf_hpdf_free(vh);
        if (rc != 0)
            break;
    }
cleanup:
    pdf_doc_free_toc(toc, ntoc);
    pdf_hpdf_free(h);
    free(title);
    free(font_dir);
    return rc;
}
