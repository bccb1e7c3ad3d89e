/* Headings, paragraphs, the running header/footer and the table of contents of the PDF report. */
#include "pdf_doc.h"

#include "util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Room a heading needs below it so it never ends a page alone. */
#define KEEP_WITH_NEXT 48.0

static void toc_add(struct pdf_doc *d, int level, const char *title)
{
    sb_grow((void **)&d->toc, &d->captoc, d->ntoc + 1, sizeof *d->toc);
    d->toc[d->ntoc].level = level;
    d->toc[d->ntoc].title = sb_xstrdup(title);
    d->toc[d->ntoc].page = d->lay.page;
    d->toc[d->ntoc].y = d->lay.y;
    d->ntoc++;
}

void pdf_doc_free_toc(struct pdf_toc_entry *toc, size_t n)
{
    for (size_t i = 0; i < n; i++)
        free(toc[i].title);
    free(toc);
}

void pdf_doc_keep(struct pdf_doc *d, void (*block)(struct pdf_doc *d, const void *arg), const void *arg)
{
    struct pdf_lay *l = &d->lay;
    if (l->page == 0 || l->y >= l->top - 1e-6)
        return;
    struct pdf_doc trial = *d;
    trial.lay.dry = true;
    trial.lay.draw_last = 0; /* a trial never draws, whatever page it reaches */
    trial.lay.decorate = NULL;
    trial.toc = NULL;
    trial.ntoc = trial.captoc = 0;
    trial.index = NULL;
    trial.nindex = trial.capindex = 0;
    block(&trial, arg);
    pdf_doc_free_toc(trial.toc, trial.ntoc);
    free(trial.index);
    if (trial.lay.page != l->page)
        pdf_lay_new_page(l);
}

static void heading(struct pdf_doc *d, double size, uint32_t rgb, const char *title)
{
    pdf_lay_para(&d->lay, PDF_FONT_BOLD, size, rgb, 0, title);
}

void pdf_doc_section(struct pdf_doc *d, const char *title)
{
    struct pdf_lay *l = &d->lay;
    pdf_lay_new_page(l);
    pdf_lay_mark(l, 0, title);
    toc_add(d, 0, title);
    heading(d, PDF_SZ_H1, PDF_RGB_ACCENT, title);
    pdf_lay_line(l, l->left, l->y - 2, l->right, l->y - 2, 1.0, PDF_RGB_ACCENT);
    pdf_lay_space(l, 10);
}

void pdf_doc_h2(struct pdf_doc *d, const char *title)
{
    struct pdf_lay *l = &d->lay;
    pdf_lay_space(l, 6);
    pdf_lay_need(l, pdf_line_height(PDF_SZ_H2) + KEEP_WITH_NEXT);
    pdf_lay_mark(l, 1, title);
    toc_add(d, 1, title);
    heading(d, PDF_SZ_H2, PDF_RGB_ACCENT, title);
    pdf_lay_space(l, 3);
}

static void h3(struct pdf_doc *d, const char *title, bool bookmark)
{
    struct pdf_lay *l = &d->lay;
    pdf_lay_space(l, 4);
    pdf_lay_need(l, pdf_line_height(PDF_SZ_H3) + KEEP_WITH_NEXT);
    if (bookmark)
        pdf_lay_mark(l, 2, title);
    heading(d, PDF_SZ_H3, PDF_RGB_TEXT, title);
    pdf_lay_space(l, 2);
}

void pdf_doc_h3(struct pdf_doc *d, const char *title)
{
    h3(d, title, false);
}

void pdf_doc_h3_bookmarked(struct pdf_doc *d, const char *title)
{
    h3(d, title, true);
}

void pdf_doc_text(struct pdf_doc *d, enum pdf_font f, double size, uint32_t rgb, const char *text)
{
    pdf_lay_para(&d->lay, f, size, rgb, 0, text);
}

void pdf_doc_para(struct pdf_doc *d, const char *text)
{
    pdf_lay_para(&d->lay, PDF_FONT_SANS, PDF_SZ_BODY, PDF_RGB_TEXT, 0, text);
    pdf_lay_space(&d->lay, 4);
}

void pdf_doc_para_link(struct pdf_doc *d, const char *text, size_t from, size_t to, const char *url)
{
    pdf_lay_para_link(&d->lay, PDF_FONT_SANS, PDF_SZ_BODY, PDF_RGB_TEXT, 0, text, from, to, url);
    pdf_lay_space(&d->lay, 4);
}

void pdf_doc_url_line(struct pdf_doc *d, const char *label, const char *url)
{
    if (sb_empty(url))
        return;
    char *s = label ? sb_xasprintf("%s %s", label, url) : sb_xstrdup(url);
    size_t from = strlen(s) - strlen(url);
    pdf_lay_para_link(&d->lay, PDF_FONT_SANS, PDF_SZ_SMALL, PDF_RGB_MUTED, 0, s, from, strlen(s), url);
    free(s);
}

struct pdf_cell pdf_doc_hcell(const char *text)
{
    struct pdf_cell c = {.fill = PDF_NO_FILL};
    pdf_cell_add(&c, PDF_FONT_BOLD, PDF_SZ_TABLE, PDF_RGB_TEXT, text);
    return c;
}

struct pdf_cell pdf_doc_cell(enum pdf_font f, const char *text)
{
    struct pdf_cell c = {.fill = PDF_NO_FILL};
    pdf_cell_add(&c, f, f == PDF_FONT_MONO ? PDF_SZ_SMALL : PDF_SZ_TABLE, PDF_RGB_TEXT, text);
    return c;
}

void pdf_doc_kv(struct pdf_doc *d, struct pdf_table *t, const char *key, const char *value, enum pdf_font vf)
{
    struct pdf_cell row[2] = {pdf_doc_cell(PDF_FONT_BOLD, key),
                              pdf_doc_cell(vf, sb_empty(value) ? "not recorded" : value)};
    if (sb_empty(value))
        row[1].runs[0].rgb = PDF_RGB_MUTED;
    pdf_table_row(&d->lay, t, row, 2);
}

#define HDR_SIZE (PDF_SZ_SMALL + 0.5)
#define HDR_MIN_SIZE 4.5
#define HDR_ROOM_ABOVE 30.0 /* from the header baseline up to the paper's edge, less a little */

/* The classification, right-aligned, never cut: one line beside the left part at the largest size that fits,
 * else wrapped onto lines stacked upwards, the left part dropping the title to make room. */
static void classification_label(struct pdf_lay *l, const char *label, double ytop, double room)
{
    for (double size = HDR_SIZE; size >= HDR_MIN_SIZE; size -= 0.5) {
        double w = pdf_lay_width(l, PDF_FONT_BOLD, size, label);
        if (w <= room) {
            pdf_lay_text(l, PDF_FONT_BOLD, size, PDF_RGB_ACCENT, l->right - w, ytop, label);
            return;
        }
    }
    double size = HDR_SIZE;
    struct pdf_span *sp = NULL;
    size_t n = 0;
    for (;; size -= 0.5) {
        free(sp);
        n = pdf_wrap(&sp, l->dev, PDF_FONT_BOLD, size, label, room);
        if ((double)(n - 1) * size * 1.15 <= HDR_ROOM_ABOVE || size - 0.5 < HDR_MIN_SIZE)
            break;
    }
    for (size_t i = 0; i < n; i++) {
        char *line = sb_xstrndup(label + sp[i].off, sp[i].len);
        double w = pdf_lay_width(l, PDF_FONT_BOLD, size, line);
        pdf_lay_text(l, PDF_FONT_BOLD, size, PDF_RGB_ACCENT, l->right - w, ytop + (double)(n - 1 - i) * size * 1.15,
                     line);
        free(line);
    }
    free(sp);
}

/* Title, "Population incomplete" when it is, and the classification label. */
static void header(struct pdf_doc *d, struct pdf_lay *l, double ytop)
{
    static const char incomplete[] = "Population incomplete";
    const char *cls = d->r->classification;
    bool partial = !d->r->scope.complete;
    double width = l->right - l->left;
    double title_w = pdf_lay_width(l, PDF_FONT_SANS, HDR_SIZE, d->title) + 12;
    double flag_w = partial ? pdf_lay_width(l, PDF_FONT_BOLD, HDR_SIZE, incomplete) + 12 : 0;
    bool title = true;
    if (!sb_empty(cls)) {
        /* The title is on the cover; the label and the completeness flag are not negotiable. */
        double need = pdf_lay_width(l, PDF_FONT_BOLD, HDR_MIN_SIZE, cls);
        title = need <= width - title_w - flag_w - 6;
    }
    double x = l->left;
    if (title) {
        pdf_lay_text(l, PDF_FONT_SANS, HDR_SIZE, PDF_RGB_MUTED, x, ytop, d->title);
        x += title_w;
    }
    if (partial) {
        pdf_lay_text(l, PDF_FONT_BOLD, HDR_SIZE, sb_status_text_rgb(SB_STATUS_FAIL), x, ytop, incomplete);
        x += flag_w;
    }
    if (!sb_empty(cls))
        classification_label(l, cls, ytop, l->right - x - 6);
}

void pdf_doc_decorate(struct pdf_lay *l, void *arg)
{
    struct pdf_doc *d = arg;
    if (l->dry)
        return;
    double ytop = l->top + 16, ybot = l->bottom - 22;
    /* The cover carries the title and classification itself: footer only. */
    if (l->page > 1) {
        header(d, l, ytop);
        pdf_lay_line(l, l->left, ytop - 4, l->right, ytop - 4, 0.5, 0xC8CDD4);
    } else if (!d->r->scope.complete) {
        pdf_lay_text(l, PDF_FONT_BOLD, HDR_SIZE, sb_status_text_rgb(SB_STATUS_FAIL), l->left, ytop,
                     "Population incomplete");
    }
    pdf_lay_line(l, l->left, ybot + 10, l->right, ybot + 10, 0.5, 0xC8CDD4);
    char *gen = sb_xasprintf("Generated %s", d->r->generated);
    pdf_lay_text(l, PDF_FONT_SANS, PDF_SZ_SMALL + 0.5, PDF_RGB_MUTED, l->left, ybot, gen);
    free(gen);
    char *pg = d->nvolumes > 1 ? sb_xasprintf("%s, volume %d of %d \xc2\xb7 Page %d of %d", d->volume_name, d->volume,
                                              d->nvolumes, l->page, d->total_pages)
               : d->total_pages ? sb_xasprintf("Page %d of %d", l->page, d->total_pages)
                                : sb_xasprintf("Page %d", l->page);
    double w = pdf_lay_width(l, PDF_FONT_SANS, PDF_SZ_SMALL + 0.5, pg);
    pdf_lay_text(l, PDF_FONT_SANS, PDF_SZ_SMALL + 0.5, PDF_RGB_MUTED, l->right - w, ybot, pg);
    free(pg);
}

char *pdf_doc_fit_line(const struct pdf_lay *l, enum pdf_font f, double size, const char *text, double width)
{
    static const char ellipsis[] = "\xe2\x80\xa6";
    struct pdf_span *sp;
    size_t n = pdf_wrap(&sp, l->dev, f, size, text, width);
    if (n <= 1) {
        char *line = n ? sb_xstrndup(text + sp[0].off, sp[0].len) : sb_xstrdup("");
        free(sp);
        return line;
    }
    free(sp);
    /* Cut again leaving room for the ellipsis. */
    n = pdf_wrap(&sp, l->dev, f, size, text, width - pdf_lay_width(l, f, size, ellipsis));
    char *line = sb_xasprintf("%.*s%s", (int)sp[0].len, text + sp[0].off, ellipsis);
    free(sp);
    return line;
}

/*
 * The table of contents prints the previous pass's headings. Each entry is exactly one line
 * whatever its page number, so the pages it takes depend only on the number of entries.
 */
void pdf_doc_contents(struct pdf_doc *d)
{
    struct pdf_lay *l = &d->lay;
    if (d->defer_contents) {
        /* Sections start on a new page, so the contents' own pages only shift what follows. */
        d->contents_after = l->page;
        toc_add(d, 0, "Contents");
        d->contents_entry = d->ntoc - 1;
        d->toc[d->ntoc - 1].page = l->page + 1;
        d->toc[d->ntoc - 1].y = l->top;
        return;
    }
    pdf_doc_section(d, "Contents");
    for (size_t i = 0; i < d->nprev; i++) {
        const struct pdf_toc_entry *t = &d->prev_toc[i];
        enum pdf_font f = t->level == 0 ? PDF_FONT_BOLD : PDF_FONT_SANS;
        double size = t->level == 0 ? PDF_SZ_BODY + 0.5 : PDF_SZ_BODY;
        double indent = t->level * 16.0;
        double lh = pdf_line_height(size) + (t->level == 0 ? 3 : 0);
        pdf_lay_need(l, lh);
        char num[16];
        snprintf(num, sizeof num, "%d", t->page);
        double nw = pdf_lay_width(l, f, size, num);
        double avail = l->right - l->left - indent - 40;
        char *line = pdf_doc_fit_line(l, f, size, t->title, avail);
        double base = l->y - size * 0.96 - (t->level == 0 ? 3 : 0);
        pdf_lay_text(l, f, size, PDF_RGB_TEXT, l->left + indent, base, line);
        pdf_lay_text(l, f, size, PDF_RGB_TEXT, l->right - nw, base, num);
        pdf_lay_link(l, l->left + indent, l->y - lh, l->right - l->left - indent, lh, t->page, t->y);
        free(line);
        l->y -= lh;
    }
}
