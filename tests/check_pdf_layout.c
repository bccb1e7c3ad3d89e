/* Tests for the PDF layout layer (src/pdf_layout.c) through a fake device that records calls. */
#include "pdf_doc.h"
#include "pdf_layout.h"
#include "util.h"

#include "testutil.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- the fake device: every code point is half an em wide ---- */

struct drawn {
    char *s;
    int page;
    double x, y, size, w;
};

struct fake {
    struct drawn *v;
    size_t n, cap;
    int pages;
    size_t rects, lines, marks;
};

static size_t count_cps(const char *s, size_t n)
{
    size_t k = 0;
    for (size_t i = 0; i < n; i++)
        k += ((unsigned char)s[i] & 0xC0) != 0x80;
    return k;
}

static double fake_width(void *ctx, enum pdf_font f, double size, const char *s, size_t n)
{
    (void)ctx;
    (void)f;
    return (double)count_cps(s, n) * size * 0.5;
}

static void fake_text(void *ctx, enum pdf_font f, double size, uint32_t rgb, double x, double y, const char *s,
                      size_t n)
{
    struct fake *fk = ctx;
    (void)rgb;
    sb_grow((void **)&fk->v, &fk->cap, fk->n + 1, sizeof *fk->v);
    fk->v[fk->n++] = (struct drawn){sb_xstrndup(s, n), fk->pages, x, y, size, fake_width(ctx, f, size, s, n)};
}

static void fake_rect(void *ctx, double x, double y, double w, double h, uint32_t rgb)
{
    (void)x, (void)y, (void)w, (void)h, (void)rgb;
    ((struct fake *)ctx)->rects++;
}

static void fake_line(void *ctx, double x0, double y0, double x1, double y1, double lw, uint32_t rgb)
{
    (void)x0, (void)y0, (void)x1, (void)y1, (void)lw, (void)rgb;
    ((struct fake *)ctx)->lines++;
}

static void fake_page(void *ctx, double w, double h)
{
    (void)w, (void)h;
    ((struct fake *)ctx)->pages++;
}

static void fake_mark(void *ctx, int level, const char *title, double y)
{
    (void)level, (void)title, (void)y;
    ((struct fake *)ctx)->marks++;
}

static struct pdf_dev fake_dev(struct fake *fk)
{
    memset(fk, 0, sizeof *fk);
    return (struct pdf_dev){fk, fake_width, fake_text, fake_rect, fake_line, fake_page, fake_mark, NULL, NULL};
}

/* A drawing layout on a fake device, w x h points with 20-point margins. */
static void fake_lay(struct fake *fk, struct pdf_dev *dev, struct pdf_lay *l, double w, double h)
{
    *dev = fake_dev(fk);
    pdf_lay_init(l, dev, false, w, h, 20);
}

static void fake_free(struct fake *fk)
{
    for (size_t i = 0; i < fk->n; i++)
        free(fk->v[i].s);
    free(fk->v);
}

/* Every glyph box (ascent 0.93 em, descent 0.24 em) inside the content box. */
static void assert_inside_margins(const struct fake *fk, const struct pdf_lay *l)
{
    for (size_t i = 0; i < fk->n; i++) {
        const struct drawn *d = &fk->v[i];
        ck_assert_msg(d->x >= l->left - 1e-6 && d->x + d->w <= l->right + 1e-6, "'%s' outside x margins", d->s);
        ck_assert_msg(d->y - 0.24 * d->size >= l->bottom - 1e-6 && d->y + 0.93 * d->size <= l->top + 1e-6,
                      "'%s' outside y margins (y=%g)", d->s, d->y);
    }
}

static char *span_str(const char *text, const struct pdf_span *sp)
{
    return sb_xstrndup(text + sp->off, sp->len);
}

/* ---- wrapping ---- */

START_TEST(wrap_words_greedy)
{
    struct fake fk;
    struct pdf_dev dev = fake_dev(&fk);
    struct pdf_span *sp;
    /* 10 pt: 5 points per character; 50 points = 10 characters a line. */
    const char *text = "the quick brown fox jumps over the lazy dog";
    size_t n = pdf_wrap(&sp, &dev, PDF_FONT_SANS, 10, text, 50);
    const char *want[] = {"the quick", "brown fox", "jumps over", "the lazy", "dog"};
    ck_assert_uint_eq(n, 5);
    for (size_t i = 0; i < n; i++) {
        char *s = span_str(text, &sp[i]);
        ck_assert_str_eq(s, want[i]);
        free(s);
    }
    free(sp);
    ck_assert_uint_eq(pdf_wrap(&sp, &dev, PDF_FONT_SANS, 10, "", 50), 0);
    ck_assert_uint_eq(pdf_wrap(&sp, &dev, PDF_FONT_SANS, 10, NULL, 50), 0);
}
END_TEST

START_TEST(wrap_hard_newlines)
{
    struct fake fk;
    struct pdf_dev dev = fake_dev(&fk);
    struct pdf_span *sp;
    const char *text = "alpha\n\nbeta";
    size_t n = pdf_wrap(&sp, &dev, PDF_FONT_SANS, 10, text, 200);
    ck_assert_uint_eq(n, 3);
    ck_assert_uint_eq(sp[1].len, 0);
    char *s = span_str(text, &sp[2]);
    ck_assert_str_eq(s, "beta");
    free(s);
    free(sp);
}
END_TEST

START_TEST(wrap_utf8_never_splits_a_code_point)
{
    struct fake fk;
    struct pdf_dev dev = fake_dev(&fk);
    struct pdf_span *sp;
    /* One long word of 2-, 3- and 4-byte sequences; 4 code points per 20-point line. */
    const char *text = "\xc3\xa9\xc3\xa9\xe2\x80\x94\xc5\x82\xf0\x9f\x98\x80\xc3\xa9\xe2\x82\xac\xc3\xa9\xc3\xa9";
    size_t n = pdf_wrap(&sp, &dev, PDF_FONT_SANS, 10, text, 20);
    ck_assert_uint_eq(n, 3);
    struct sb_buf joined = {0};
    for (size_t i = 0; i < n; i++) {
        ck_assert_msg(((unsigned char)text[sp[i].off] & 0xC0) != 0x80, "line %zu starts mid code point", i);
        size_t end = sp[i].off + sp[i].len;
        ck_assert_msg(text[end] == '\0' || ((unsigned char)text[end] & 0xC0) != 0x80, "line %zu ends mid code point", i);
        ck_assert(sb_utf8_valid(text + sp[i].off, sp[i].len, NULL));
        ck_assert(fake_width(NULL, PDF_FONT_SANS, 10, text + sp[i].off, sp[i].len) <= 20);
        sb_buf_add(&joined, text + sp[i].off, sp[i].len);
    }
    tu_assert_text_eq(joined.data, text);
    sb_buf_free(&joined);
    free(sp);
}
END_TEST

START_TEST(wrap_breaks_ids_at_slash)
{
    struct fake fk;
    struct pdf_dev dev = fake_dev(&fk);
    struct pdf_span *sp;
    const char *id = "/subscriptions/00000000-aaaa/resourceGroups/rg-net/providers/Microsoft.Network/"
                     "expressRouteCircuits/er-london";
    double width = 30 * 5; /* 30 characters at 10 pt */
    size_t n = pdf_wrap(&sp, &dev, PDF_FONT_MONO, 10, id, width);
    ck_assert_uint_ge(n, 4);
    struct sb_buf joined = {0};
    for (size_t i = 0; i < n; i++) {
        ck_assert(fake_width(NULL, PDF_FONT_MONO, 10, id + sp[i].off, sp[i].len) <= width);
        if (i + 1 < n)
            ck_assert_msg(id[sp[i].off + sp[i].len - 1] == '/', "line %zu does not end at '/'", i);
        sb_buf_add(&joined, id + sp[i].off, sp[i].len);
    }
    ck_assert_str_eq(joined.data, id);
    sb_buf_free(&joined);
    free(sp);
}
END_TEST

START_TEST(wrap_glyph_wider_than_line_progresses)
{
    struct fake fk;
    struct pdf_dev dev = fake_dev(&fk);
    struct pdf_span *sp;
    size_t n = pdf_wrap(&sp, &dev, PDF_FONT_SANS, 10, "abc", 1);
    ck_assert_uint_eq(n, 3);
    for (size_t i = 0; i < n; i++)
        ck_assert_uint_eq(sp[i].len, 1);
    free(sp);
}
END_TEST

START_TEST(fit_line_cuts_with_ellipsis_inside_width)
{
    struct fake fk;
    struct pdf_dev dev;
    struct pdf_lay l;
    fake_lay(&fk, &dev, &l, 300, 200);
    char *cut = pdf_doc_fit_line(&l, PDF_FONT_SANS, 10, "abcdefghij", 25);
    ck_assert_str_eq(cut, "abcd\xe2\x80\xa6");
    ck_assert(fake_width(NULL, PDF_FONT_SANS, 10, cut, strlen(cut)) <= 25);
    char *whole = pdf_doc_fit_line(&l, PDF_FONT_SANS, 10, "abcde", 25);
    ck_assert_str_eq(whole, "abcde");
    free(cut);
    free(whole);
}
END_TEST

/* ---- paragraphs and pages ---- */

START_TEST(paragraph_breaks_pages_inside_margins)
{
    struct fake fk;
    struct pdf_dev dev;
    struct pdf_lay l;
    fake_lay(&fk, &dev, &l, 300, 200);
    struct sb_buf b = {0};
    for (int i = 0; i < 200; i++)
        sb_buf_printf(&b, "word%d ", i);
    pdf_lay_para(&l, PDF_FONT_SANS, 10, 0, 0, b.data);
    ck_assert_int_gt(l.page, 2);
    ck_assert_int_eq(fk.pages, l.page);
    assert_inside_margins(&fk, &l);
    /* Every word drawn exactly once, in order. */
    struct sb_buf joined = {0};
    for (size_t i = 0; i < fk.n; i++)
        sb_buf_printf(&joined, "%s ", fk.v[i].s);
    tu_assert_text_eq(joined.data, b.data);
    sb_buf_free(&joined);
    sb_buf_free(&b);
    fake_free(&fk);
}
END_TEST

START_TEST(dry_run_paginates_identically)
{
    struct fake a, b;
    struct pdf_dev da = fake_dev(&a), db = fake_dev(&b);
    struct pdf_lay la, lb;
    pdf_lay_init(&la, &da, false, 300, 200, 20);
    pdf_lay_init(&lb, &db, true, 300, 200, 20);
    const char *text = "lorem ipsum dolor sit amet consectetur adipiscing elit sed do eiusmod tempor";
    for (int i = 0; i < 30; i++) {
        pdf_lay_para(&la, PDF_FONT_SANS, 9, 0, 0, text);
        pdf_lay_para(&lb, PDF_FONT_SANS, 9, 0, 0, text);
        pdf_lay_mark(&la, 0, "x");
        pdf_lay_mark(&lb, 0, "x");
    }
    ck_assert_int_eq(la.page, lb.page);
    ck_assert_double_eq_tol(la.y, lb.y, 1e-9);
    ck_assert_uint_eq(b.n, 0);
    ck_assert_int_eq(b.pages, 0);
    ck_assert_uint_eq(b.marks, 0);
    ck_assert_uint_eq(a.marks, 30);
    fake_free(&a);
}
END_TEST

/* ---- tables ---- */

static const double cols3[3] = {0.25, 0.25, 0.5};

/* Which column a text's x falls in, and whether it stays inside that cell's padding. */
static void assert_inside_cells(const struct fake *fk, const struct pdf_lay *l, const struct pdf_table *t)
{
    for (size_t i = 0; i < fk->n; i++) {
        const struct drawn *d = &fk->v[i];
        double x = l->left;
        size_t c = 0;
        while (c + 1 < t->ncols && d->x >= x + t->widths[c])
            x += t->widths[c++];
        ck_assert_msg(d->x >= x + t->pad - 1e-6 && d->x + d->w <= x + t->widths[c] - t->pad + 1e-6,
                      "'%s' outside its cell (col %zu)", d->s, c);
    }
}

/* A web-link recorder for the fake device (pdf_dev.uri). */
struct uri_rec {
    double x, y, w, h;
    char url[64];
    int page;
};
static struct uri_rec uris[8];
static size_t nuris;

static void fake_uri(void *ctx, double x, double y, double w, double h, const char *url)
{
    ck_assert_uint_lt(nuris, 8);
    uris[nuris] = (struct uri_rec){x, y, w, h, {0}, ((struct fake *)ctx)->pages};
    snprintf(uris[nuris].url, sizeof uris[nuris].url, "%s", url);
    nuris++;
}

/* The linked bytes become one rectangle per line they reach, over exactly those words, underlined. */
START_TEST(paragraph_link_covers_the_linked_words)
{
    struct fake fk;
    struct pdf_dev dev;
    struct pdf_lay l;
    fake_lay(&fk, &dev, &l, 220, 400); /* 180 points: 36 code points of 5 points at size 10 */
    dev.uri = fake_uri;
    nuris = 0;
    /* "Learn more" ends the first line, "Reference words" straddles the break. */
    const char *text = "Service supports a VNet. Learn more. Reference words here";
    size_t from = (size_t)(strstr(text, "Learn more") - text);
    pdf_lay_new_page(&l);
    double top = l.y;
    size_t lines0 = fk.lines;
    pdf_lay_para_link(&l, PDF_FONT_SANS, 10, 0, 0, text, from, from + 10, "https://learn.example.test/a");
    ck_assert_uint_eq(fk.n, 2);
    ck_assert_str_eq(fk.v[0].s, "Service supports a VNet. Learn more.");
    ck_assert_uint_eq(nuris, 1);
    ck_assert_str_eq(uris[0].url, "https://learn.example.test/a");
    ck_assert_double_eq_tol(uris[0].x, 20 + 25 * 5, 1e-9);
    ck_assert_double_eq_tol(uris[0].w, 10 * 5, 1e-9);
    ck_assert_double_eq_tol(uris[0].y + uris[0].h, top, 1e-9);
    ck_assert_double_eq_tol(uris[0].h, pdf_line_height(10), 1e-9);
    ck_assert_uint_eq(fk.lines, lines0 + 1);

    /* Across a line break: two rectangles, each over its line's part. */
    size_t r = (size_t)(strstr(text, "more. Reference") - text);
    pdf_lay_para_link(&l, PDF_FONT_SANS, 10, 0, 0, text, r, r + 15, "https://learn.example.test/b");
    ck_assert_uint_eq(nuris, 3);
    ck_assert_double_eq_tol(uris[1].x, 20 + 31 * 5, 1e-9);
    ck_assert_double_eq_tol(uris[1].w, 5 * 5, 1e-9); /* "more." */
    ck_assert_double_eq_tol(uris[2].x, 20, 1e-9);
    ck_assert_double_eq_tol(uris[2].w, 9 * 5, 1e-9); /* "Reference" */
    ck_assert_double_eq_tol(uris[2].y + uris[2].h, uris[1].y, 1e-9);

    /* No URL, an empty range, a dry layout, or a device without the callback: no link, same text. */
    size_t texts = fk.n;
    pdf_lay_para_link(&l, PDF_FONT_SANS, 10, 0, 0, text, from, from + 10, NULL);
    pdf_lay_para_link(&l, PDF_FONT_SANS, 10, 0, 0, text, 5, 5, "https://learn.example.test/c");
    ck_assert_uint_eq(nuris, 3);
    ck_assert_uint_eq(fk.n, texts + 4);
    l.dry = true;
    pdf_lay_para_link(&l, PDF_FONT_SANS, 10, 0, 0, text, from, from + 10, "https://learn.example.test/d");
    l.dry = false;
    dev.uri = NULL;
    pdf_lay_para_link(&l, PDF_FONT_SANS, 10, 0, 0, text, from, from + 10, "https://learn.example.test/e");
    ck_assert_uint_eq(nuris, 3);
    ck_assert_uint_eq(fk.n, texts + 6);
    fake_free(&fk);
}
END_TEST

START_TEST(table_repeats_header_and_keeps_rows_whole)
{
    struct fake fk;
    struct pdf_dev dev;
    struct pdf_lay l;
    fake_lay(&fk, &dev, &l, 400, 300);
    struct pdf_cell hdr[3] = {{.fill = PDF_NO_FILL}, {.fill = PDF_NO_FILL}, {.fill = PDF_NO_FILL}};
    pdf_cell_add(&hdr[0], PDF_FONT_BOLD, 8, 0, "HDR-A");
    pdf_cell_add(&hdr[1], PDF_FONT_BOLD, 8, 0, "HDR-B");
    pdf_cell_add(&hdr[2], PDF_FONT_BOLD, 8, 0, "HDR-C");
    struct pdf_table t = {.zebra = true};
    pdf_table_begin(&l, &t, 3, cols3, hdr);
    char texts[60][3][96];
    for (int r = 0; r < 60; r++) {
        struct pdf_cell row[3] = {{.fill = PDF_NO_FILL}, {.fill = PDF_NO_FILL}, {.fill = PDF_NO_FILL}};
        snprintf(texts[r][0], sizeof texts[r][0], "r%d", r);
        snprintf(texts[r][1], sizeof texts[r][1], "/subscriptions/x/resourceGroups/rg%d/providers/y", r);
        snprintf(texts[r][2], sizeof texts[r][2], "row %d has a few words of evidence that wrap over lines", r);
        pdf_cell_add(&row[0], PDF_FONT_SANS, 8, 0, texts[r][0]);
        pdf_cell_add(&row[1], PDF_FONT_MONO, 7, 0, texts[r][1]);
        pdf_cell_add(&row[2], PDF_FONT_SANS, 8, 0, texts[r][2]);
        pdf_table_row(&l, &t, row, 3);
    }
    ck_assert_int_gt(l.page, 3);
    /* The header heads every page. */
    for (int p = 1; p <= l.page; p++) {
        int seen = 0;
        for (size_t i = 0; i < fk.n; i++)
            seen += fk.v[i].page == p && strcmp(fk.v[i].s, "HDR-A") == 0;
        ck_assert_msg(seen == 1, "page %d has %d headers", p, seen);
    }
    /* A row that fits on a page is never split: all its lines share one page, below the header. */
    for (int r = 0; r < 60; r++) {
        int page = -1;
        char tag[16], rg[16];
        snprintf(tag, sizeof tag, "row %d ", r);
        snprintf(rg, sizeof rg, "/rg%d/", r);
        int lines = 0;
        for (size_t i = 0; i < fk.n; i++) {
            bool mine = strcmp(fk.v[i].s, texts[r][0]) == 0 || strncmp(fk.v[i].s, tag, strlen(tag)) == 0 ||
                        strstr(fk.v[i].s, rg) != NULL;
            lines += mine;
            if (!mine)
                continue;
            if (page < 0)
                page = fk.v[i].page;
            ck_assert_msg(fk.v[i].page == page, "row %d split across pages", r);
        }
        ck_assert_int_gt(page, 0);
        ck_assert_int_ge(lines, 3);
    }
    assert_inside_margins(&fk, &l);
    assert_inside_cells(&fk, &l, &t);
    ck_assert_uint_gt(fk.rects, 60 / 2); /* zebra fills */
    fake_free(&fk);
}
END_TEST

START_TEST(table_row_taller_than_page_splits_between_lines)
{
    struct fake fk;
    struct pdf_dev dev;
    struct pdf_lay l;
    fake_lay(&fk, &dev, &l, 400, 300);
    struct pdf_cell hdr[3] = {{.fill = PDF_NO_FILL}, {.fill = PDF_NO_FILL}, {.fill = PDF_NO_FILL}};
    pdf_cell_add(&hdr[0], PDF_FONT_BOLD, 8, 0, "HDR-A");
    struct pdf_table t = {0};
    pdf_table_begin(&l, &t, 3, cols3, hdr);
    struct sb_buf b = {0};
    for (int i = 0; i < 120; i++)
        sb_buf_printf(&b, "%sline-%03d", i ? "\n" : "", i);
    struct pdf_cell row[3] = {{.fill = PDF_NO_FILL}, {.fill = 0xFF0000}, {.fill = PDF_NO_FILL}};
    pdf_cell_add(&row[0], PDF_FONT_SANS, 8, 0, "tall");
    pdf_cell_add(&row[1], PDF_FONT_SANS, 8, 0, "Fail");
    pdf_cell_add(&row[2], PDF_FONT_MONO, 8, 0, b.data);
    pdf_table_row(&l, &t, row, 3);
    ck_assert_int_ge(l.page, 4);
    /* Every line drawn exactly once, whole, in order, and each page after the first has the header. */
    int next = 0;
    for (size_t i = 0; i < fk.n; i++) {
        if (strncmp(fk.v[i].s, "line-", 5) != 0)
            continue;
        char want[16];
        snprintf(want, sizeof want, "line-%03d", next++);
        ck_assert_str_eq(fk.v[i].s, want);
    }
    ck_assert_int_eq(next, 120);
    for (int p = 1; p <= l.page; p++) {
        int seen = 0;
        for (size_t i = 0; i < fk.n; i++)
            seen += fk.v[i].page == p && strcmp(fk.v[i].s, "HDR-A") == 0;
        ck_assert_int_eq(seen, 1);
    }
    assert_inside_margins(&fk, &l);
    assert_inside_cells(&fk, &l, &t);
    sb_buf_free(&b);
    fake_free(&fk);
}
END_TEST

START_TEST(table_spanning_cell_uses_full_width)
{
    struct fake fk;
    struct pdf_dev dev;
    struct pdf_lay l;
    fake_lay(&fk, &dev, &l, 400, 300);
    struct pdf_table t = {0};
    pdf_table_begin(&l, &t, 3, cols3, NULL);
    struct pdf_cell group = {.fill = PDF_NO_FILL, .span = 3};
    /* 60 characters at 8 pt = 240 points: wider than any single column, narrower than the table. */
    pdf_cell_add(&group, PDF_FONT_BOLD, 8, 0, "NS-1 Establish network segmentation boundaries in the estate");
    pdf_table_row(&l, &t, &group, 1);
    ck_assert_uint_eq(fk.n, 1);
    ck_assert_double_eq_tol(fk.v[0].x, l.left + t.pad, 1e-9);
    fake_free(&fk);
}
END_TEST

START_TEST(ids_shrink_rather_than_break)
{
    struct fake fk;
    struct pdf_dev dev = fake_dev(&fk);
    /* 10 code points at 8 pt = 40 points. */
    ck_assert_double_eq(pdf_fit_size(&dev, PDF_FONT_MONO, 8, "abcdefghij", 100, PDF_BREAK_NEVER), 8);
    ck_assert_double_eq_tol(pdf_fit_size(&dev, PDF_FONT_MONO, 8, "abcdefghij", 30, PDF_BREAK_NEVER), 6, 0.011);
    ck_assert_double_eq(pdf_fit_size(&dev, PDF_FONT_MONO, 8, "abcdefghij", 5, PDF_BREAK_NEVER), PDF_MIN_ID_SIZE);
    /* A resource id only needs its longest segment ("bbbbbbbb/", 36 points) to fit. */
    ck_assert_double_eq(pdf_fit_size(&dev, PDF_FONT_MONO, 8, "/aa/bbbbbbbb/c", 40, PDF_BREAK_SLASH), 8);
    ck_assert_double_eq_tol(pdf_fit_size(&dev, PDF_FONT_MONO, 8, "/aa/bbbbbbbb/c", 18, PDF_BREAK_SLASH), 4, 0.011);
    ck_assert_double_eq(pdf_fit_size(&dev, PDF_FONT_MONO, 8, "a b", 1, PDF_BREAK_WORDS), 8);

    /* In a table: the finding id on one line (smaller), the resource id broken only after '/'. */
    struct pdf_lay l;
    fake_lay(&fk, &dev, &l, 140, 300); /* 100 points of content */
    static const double half[2] = {0.5, 0.5};
    struct pdf_table t = {.pad = 2};
    pdf_table_begin(&l, &t, 2, half, NULL);
    struct pdf_cell row[2] = {{.fill = PDF_NO_FILL}, {.fill = PDF_NO_FILL}};
    pdf_cell_add_id(&row[0], PDF_FONT_MONO, 8, 0, "expressroute-NS-1-0123", PDF_BREAK_NEVER);
    pdf_cell_add_id(&row[1], PDF_FONT_MONO, 4, 0, "/subscriptions/s1/resourceGroups/rg/providers/x", PDF_BREAK_SLASH);
    pdf_table_row(&l, &t, row, 2);
    ck_assert_str_eq(fk.v[0].s, "expressroute-NS-1-0123");
    ck_assert(fk.v[0].size < 8);
    for (size_t i = 2; i < fk.n; i++)
        ck_assert_msg(fk.v[i - 1].s[strlen(fk.v[i - 1].s) - 1] == '/', "'%s' broken elsewhere than after '/'",
                      fk.v[i - 1].s);
    ck_assert_uint_gt(fk.n, 2);
    fake_free(&fk);
}
END_TEST

static Suite *layout_suite(void)
{
    Suite *s = suite_create("pdf_layout");
    TCase *w = tcase_create("wrap");
    tcase_add_test(w, wrap_words_greedy);
    tcase_add_test(w, wrap_hard_newlines);
    tcase_add_test(w, wrap_utf8_never_splits_a_code_point);
    tcase_add_test(w, wrap_breaks_ids_at_slash);
    tcase_add_test(w, wrap_glyph_wider_than_line_progresses);
    tcase_add_test(w, fit_line_cuts_with_ellipsis_inside_width);
    suite_add_tcase(s, w);
    TCase *p = tcase_create("pages");
    tcase_add_test(p, paragraph_breaks_pages_inside_margins);
    tcase_add_test(p, dry_run_paginates_identically);
    tcase_add_test(p, paragraph_link_covers_the_linked_words);
    suite_add_tcase(s, p);
    TCase *t = tcase_create("tables");
    tcase_add_test(t, table_repeats_header_and_keeps_rows_whole);
    tcase_add_test(t, table_row_taller_than_page_splits_between_lines);
    tcase_add_test(t, table_spanning_cell_uses_full_width);
    tcase_add_test(t, ids_shrink_rather_than_break);
    suite_add_tcase(s, t);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(layout_suite());
    srunner_run_all(sr, CK_ENV);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
