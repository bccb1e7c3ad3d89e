#include "pdf_layout.h"

#include "util.h"

#include <stdlib.h>
#include <string.h>

/* Baseline below the top of a line box, as a fraction of the font size: DejaVu's ascent is
 * 0.93 em and its descent 0.24 em, so a 1.25 em box holds both. */
#define ASCENT 0.96
#define LEADING 1.25
#define ZEBRA_RGB 0xF4F6F9u

double pdf_line_height(double size)
{
    return size * LEADING;
}

/* Length of the UTF-8 sequence at s (at most n bytes); a malformed byte counts as one. */
static size_t cp_len(const char *s, size_t n)
{
    unsigned char c = (unsigned char)s[0];
    size_t len = c < 0x80 ? 1 : (c >> 5) == 6 ? 2 : (c >> 4) == 14 ? 3 : (c >> 3) == 30 ? 4 : 1;
    if (len > n)
        return 1;
    for (size_t i = 1; i < len; i++)
        if (((unsigned char)s[i] & 0xC0) != 0x80)
            return 1;
    return len;
}

static bool is_blank(char c)
{
    return c == ' ' || c == '\t';
}

struct spans {
    struct pdf_span *v;
    size_t n, cap;
};

static void emit(struct spans *sp, size_t off, size_t len)
{
    sb_grow((void **)&sp->v, &sp->cap, sp->n + 1, sizeof *sp->v);
    sp->v[sp->n].off = off;
    sp->v[sp->n].len = len;
    sp->n++;
}

/*
 * Bytes of s[p, end) that fit in `width`: breaks after the last '/' that fits (a resource id
 * wraps at its segments), else after the last whole code point; always at least one code point
 * so that a glyph wider than the column cannot stall the loop.
 */
static size_t fit_prefix(const struct pdf_dev *dev, enum pdf_font f, double size, const char *s,
                         size_t p, size_t end, double width)
{
    double w = 0;
    size_t q = p, slash = 0;
    while (q < end) {
        size_t k = cp_len(s + q, end - q);
        double cw = dev->width(dev->ctx, f, size, s + q, k);
        if (w + cw > width)
            break;
        w += cw;
        q += k;
        if (s[q - 1] == '/' && q < end)
            slash = q - p;
    }
    if (q == end)
        return end - p;
    if (slash)
        return slash;
    if (q == p)
        return cp_len(s + p, end - p);
    return q - p;
}

static void wrap_line(struct spans *sp, const struct pdf_dev *dev, enum pdf_font f, double size,
                      const char *s, size_t a, size_t b, double width)
{
    size_t i = a;
    while (i < b && is_blank(s[i]))
        i++;
    if (i == b) {
        emit(sp, a, 0);
        return;
    }
    size_t ls = i, le = i;
    double lw = 0;
    while (i < b) {
        size_t ws = i;
        while (i < b && !is_blank(s[i]))
            i++;
        size_t we = i;
        if (le > ls) {
            double gw = dev->width(dev->ctx, f, size, s + le, we - le);
            if (lw + gw <= width) {
                lw += gw;
                le = we;
                goto next;
            }
            emit(sp, ls, le - ls);
        }
        double ww = dev->width(dev->ctx, f, size, s + ws, we - ws);
        if (ww <= width) {
            ls = ws;
            le = we;
            lw = ww;
        } else {
            size_t p = ws;
            for (;;) {
                size_t take = fit_prefix(dev, f, size, s, p, we, width);
                if (p + take == we) {
                    ls = p;
                    le = we;
                    lw = dev->width(dev->ctx, f, size, s + p, take);
                    break;
                }
                emit(sp, p, take);
                p += take;
            }
        }
next:
        while (i < b && is_blank(s[i]))
            i++;
    }
    emit(sp, ls, le - ls);
}

size_t pdf_wrap(struct pdf_span **out, const struct pdf_dev *dev, enum pdf_font f, double size,
                const char *text, double width)
{
    struct spans sp = {0};
    *out = NULL;
    if (sb_empty(text))
        return 0;
    size_t n = strlen(text), pos = 0;
    while (pos < n) {
        const char *nl = memchr(text + pos, '\n', n - pos);
        size_t eol = nl ? (size_t)(nl - text) : n;
        wrap_line(&sp, dev, f, size, text, pos, eol, width);
        pos = eol + 1;
    }
    *out = sp.v;
    return sp.n;
}

void pdf_lay_init(struct pdf_lay *l, const struct pdf_dev *dev, bool dry, double page_w,
                  double page_h, double margin)
{
    memset(l, 0, sizeof *l);
    l->dev = dev;
    l->dry = dry;
    l->page_w = page_w;
    l->page_h = page_h;
    l->left = margin;
    l->right = page_w - margin;
    l->top = page_h - margin;
    l->bottom = margin;
    l->y = l->top;
}

void pdf_lay_new_page(struct pdf_lay *l)
{
    l->page++;
    if (l->draw_last)
        l->dry = l->page < l->draw_first || l->page > l->draw_last;
    if (!l->dry)
        l->dev->page(l->dev->ctx, l->page_w, l->page_h);
    l->y = l->top;
    if (l->decorate)
        l->decorate(l, l->decorate_arg);
}

void pdf_lay_need(struct pdf_lay *l, double h)
{
    if (l->page == 0 || (l->y - h < l->bottom && l->y < l->top))
        pdf_lay_new_page(l);
}

void pdf_lay_space(struct pdf_lay *l, double h)
{
    if (l->y - h < l->bottom)
        l->y = l->bottom;
    else
        l->y -= h;
}

void pdf_lay_text(struct pdf_lay *l, enum pdf_font f, double size, uint32_t rgb, double x, double y,
                  const char *s)
{
    if (!l->dry && !sb_empty(s))
        l->dev->text(l->dev->ctx, f, size, rgb, x, y, s, strlen(s));
}

void pdf_lay_rect(struct pdf_lay *l, double x, double y, double w, double h, uint32_t rgb)
{
    if (!l->dry && rgb != PDF_NO_FILL && w > 0 && h > 0)
        l->dev->rect(l->dev->ctx, x, y, w, h, rgb);
}

void pdf_lay_line(struct pdf_lay *l, double x0, double y0, double x1, double y1, double lw,
                  uint32_t rgb)
{
    if (!l->dry)
        l->dev->line(l->dev->ctx, x0, y0, x1, y1, lw, rgb);
}

void pdf_lay_mark(struct pdf_lay *l, int level, const char *title)
{
    if (!l->dry && l->dev->mark)
        l->dev->mark(l->dev->ctx, level, title, l->y);
}

void pdf_lay_link(struct pdf_lay *l, double x, double y, double w, double h, int to_page, double to_y)
{
    if (!l->dry && l->dev->link)
        l->dev->link(l->dev->ctx, x, y, w, h, to_page, to_y);
}

void pdf_lay_uri(struct pdf_lay *l, double x, double y, double w, double h, const char *url)
{
    if (!l->dry && l->dev->uri && !sb_empty(url) && w > 0 && h > 0)
        l->dev->uri(l->dev->ctx, x, y, w, h, url);
}

double pdf_lay_para_height(const struct pdf_lay *l, enum pdf_font f, double size, double indent, const char *text)
{
    struct pdf_span *sp;
    size_t n = pdf_wrap(&sp, l->dev, f, size, text, l->right - l->left - indent);
    free(sp);
    return (double)n * pdf_line_height(size);
}

double pdf_lay_width(const struct pdf_lay *l, enum pdf_font f, double size, const char *s)
{
    return s ? l->dev->width(l->dev->ctx, f, size, s, strlen(s)) : 0;
}

void pdf_lay_para(struct pdf_lay *l, enum pdf_font f, double size, uint32_t rgb, double indent,
                  const char *text)
{
    struct pdf_span *sp;
    size_t n = pdf_wrap(&sp, l->dev, f, size, text, l->right - l->left - indent);
    double lh = pdf_line_height(size);
    for (size_t i = 0; i < n; i++) {
        pdf_lay_need(l, lh);
        if (!l->dry && sp[i].len)
            l->dev->text(l->dev->ctx, f, size, rgb, l->left + indent, l->y - size * ASCENT,
                         text + sp[i].off, sp[i].len);
        l->y -= lh;
    }
    free(sp);
}

void pdf_lay_para_link(struct pdf_lay *l, enum pdf_font f, double size, uint32_t rgb, double indent,
                       const char *text, size_t from, size_t to, const char *url)
{
    struct pdf_span *sp;
    size_t n = pdf_wrap(&sp, l->dev, f, size, text, l->right - l->left - indent);
    double lh = pdf_line_height(size), x0 = l->left + indent;
    for (size_t i = 0; i < n; i++) {
        pdf_lay_need(l, lh);
        const char *line = text + sp[i].off;
        double base = l->y - size * ASCENT;
        if (!l->dry && sp[i].len)
            l->dev->text(l->dev->ctx, f, size, rgb, x0, base, line, sp[i].len);
        size_t a = from > sp[i].off ? from : sp[i].off, b = to < sp[i].off + sp[i].len ? to : sp[i].off + sp[i].len;
        if (!l->dry && url && a < b) {
            /* Widths of prefixes: the device measures exactly what it draws. */
            double xa = x0 + l->dev->width(l->dev->ctx, f, size, line, a - sp[i].off);
            double w = l->dev->width(l->dev->ctx, f, size, text + a, b - a);
            pdf_lay_uri(l, xa, l->y - lh, w, lh, url);
            pdf_lay_line(l, xa, base - size * 0.12, xa + w, base - size * 0.12, size * 0.05, rgb);
        }
        l->y -= lh;
    }
    free(sp);
}

void pdf_cell_add_id(struct pdf_cell *c, enum pdf_font f, double size, uint32_t rgb, const char *text,
                     enum pdf_break brk)
{
    if (sb_empty(text) || c->nruns == PDF_CELL_RUNS)
        return;
    c->runs[c->nruns] = (struct pdf_run){f, size, rgb, text, brk};
    c->nruns++;
}

void pdf_cell_add(struct pdf_cell *c, enum pdf_font f, double size, uint32_t rgb, const char *text)
{
    pdf_cell_add_id(c, f, size, rgb, text, PDF_BREAK_WORDS);
}

/* Width of the widest piece of text that must stay on one line under `brk`. */
static double widest_unit(const struct pdf_dev *dev, enum pdf_font f, double size, const char *text,
                          enum pdf_break brk)
{
    double widest = 0;
    size_t n = strlen(text), a = 0;
    for (size_t i = 0; i <= n; i++) {
        bool end = i == n || text[i] == '\n' || (brk == PDF_BREAK_SLASH && (text[i] == '/' || is_blank(text[i])));
        if (!end)
            continue;
        size_t b = i < n && text[i] == '/' ? i + 1 : i;
        double w = dev->width(dev->ctx, f, size, text + a, b - a);
        if (w > widest)
            widest = w;
        a = i + 1;
    }
    return widest;
}

double pdf_fit_size(const struct pdf_dev *dev, enum pdf_font f, double size, const char *text, double width,
                    enum pdf_break brk)
{
    if (brk == PDF_BREAK_WORDS || sb_empty(text))
        return size;
    double w = widest_unit(dev, f, size, text, brk);
    if (w <= width)
        return size;
    double s = size * width / w;
    /* Widths scale with the size; the small step down absorbs rounding. */
    s = (double)(long)(s * 100) / 100.0;
    return s < PDF_MIN_ID_SIZE ? PDF_MIN_ID_SIZE : s;
}

/* ---- tables ---------------------------------------------------------------------------- */

struct cline {
    const struct pdf_run *run;
    size_t off, len;
    double size; /* the run's size, or smaller for an identifier that must not break */
    double h;
};

struct ccell {
    double x, w;
    uint32_t fill;
    struct cline *v;
    size_t n, cap, next;
};

/* Wrap every run of every cell into lines for its column width. */
static size_t prepare_cells(struct ccell *cc, const struct pdf_lay *l, const struct pdf_table *t,
                            const struct pdf_cell *cells, size_t ncells)
{
    double x = l->left;
    size_t col = 0;
    for (size_t c = 0; c < ncells && col < t->ncols; c++) {
        size_t span = cells[c].span ? cells[c].span : 1;
        double w = 0;
        for (size_t k = 0; k < span && col < t->ncols; k++)
            w += t->widths[col++];
        memset(&cc[c], 0, sizeof cc[c]);
        cc[c].x = x;
        cc[c].w = w;
        cc[c].fill = cells[c].fill;
        x += w;
        double inner = w - 2 * t->pad > 1 ? w - 2 * t->pad : 1;
        for (size_t r = 0; r < cells[c].nruns; r++) {
            const struct pdf_run *run = &cells[c].runs[r];
            struct pdf_span *sp;
            double size = pdf_fit_size(l->dev, run->font, run->size, run->text, inner, run->brk);
            /* An id that must not break stays whole even where the smallest size cannot fit it. */
            size_t n = pdf_wrap(&sp, l->dev, run->font, size, run->text, run->brk == PDF_BREAK_NEVER ? 1e9 : inner);
            for (size_t i = 0; i < n; i++) {
                sb_grow((void **)&cc[c].v, &cc[c].cap, cc[c].n + 1, sizeof *cc[c].v);
                cc[c].v[cc[c].n++] = (struct cline){run, sp[i].off, sp[i].len, size,
                                                    t->leading > 0 ? size * t->leading : pdf_line_height(size)};
            }
            free(sp);
        }
        if (col >= t->ncols)
            return c + 1;
    }
    return ncells < t->ncols ? ncells : t->ncols;
}

static double remaining_height(const struct ccell *cc)
{
    double h = 0;
    for (size_t i = cc->next; i < cc->n; i++)
        h += cc->v[i].h;
    return h;
}

/* Lines of a cell from cc->next that fit in h points. */
static size_t lines_fitting(const struct ccell *cc, double h)
{
    double sum = 0;
    size_t k = cc->next;
    while (k < cc->n && sum + cc->v[k].h <= h + 1e-9)
        sum += cc->v[k++].h;
    return k - cc->next;
}

/* Draw the lines [next, next + take[c]) of each cell as one band of height h. */
/* Fewer operators for the same picture: neighbouring cells of one fill share a rectangle, and a band's top
 * rule is left out when it is the previous band's bottom rule. */
static void draw_band(struct pdf_lay *l, struct pdf_table *t, struct ccell *cc, size_t n,
                      const size_t *take, double h, uint32_t row_fill)
{
    double y = l->y;
    for (size_t c = 0; c < n;) {
        uint32_t fill = cc[c].fill != PDF_NO_FILL ? cc[c].fill : row_fill;
        size_t e = c + 1;
        while (e < n && (cc[e].fill != PDF_NO_FILL ? cc[e].fill : row_fill) == fill)
            e++;
        pdf_lay_rect(l, cc[c].x, y - h, cc[e - 1].x + cc[e - 1].w - cc[c].x, h, fill);
        c = e;
    }
    for (size_t c = 0; c < n; c++) {
        double ty = y - t->pad;
        for (size_t i = cc[c].next; i < cc[c].next + take[c]; i++) {
            const struct cline *ln = &cc[c].v[i];
            if (!l->dry && ln->len)
                l->dev->text(l->dev->ctx, ln->run->font, ln->size, ln->run->rgb, cc[c].x + t->pad,
                             ty - ln->size * ASCENT, ln->run->text + ln->off, ln->len);
            ty -= ln->h;
        }
        cc[c].next += take[c];
    }
    double x1 = l->left;
    for (size_t i = 0; i < t->ncols; i++)
        x1 += t->widths[i];
    if (t->ruled_page != l->page || t->ruled_y != y)
        pdf_lay_line(l, l->left, y, x1, y, 0.4, t->rule_rgb);
    pdf_lay_line(l, l->left, y - h, x1, y - h, 0.4, t->rule_rgb);
    t->ruled_page = l->page;
    t->ruled_y = y - h;
    for (size_t c = 0; c < n; c++)
        pdf_lay_line(l, cc[c].x, y, cc[c].x, y - h, 0.4, t->rule_rgb);
    pdf_lay_line(l, x1, y, x1, y - h, 0.4, t->rule_rgb);
    l->y = y - h;
}

static void free_cells(struct ccell *cc, size_t n)
{
    for (size_t c = 0; c < n; c++)
        free(cc[c].v);
}

static double band_height(const struct pdf_table *t, const struct ccell *cc, size_t n)
{
    double h = 0;
    for (size_t c = 0; c < n; c++) {
        double ch = remaining_height(&cc[c]);
        if (ch > h)
            h = ch;
    }
    return h + 2 * t->pad;
}

/* Draw the header row; returns its height. The header is never split. */
static void draw_header(struct pdf_lay *l, struct pdf_table *t)
{
    struct ccell cc[PDF_TABLE_COLS];
    size_t take[PDF_TABLE_COLS] = {0};
    size_t n = prepare_cells(cc, l, t, t->header, t->ncols);
    for (size_t c = 0; c < n; c++)
        take[c] = cc[c].n;
    draw_band(l, t, cc, n, take, band_height(t, cc, n), t->header_fill);
    free_cells(cc, n);
}

static double header_height(const struct pdf_lay *l, const struct pdf_table *t)
{
    if (!t->header)
        return 0;
    struct ccell cc[PDF_TABLE_COLS];
    size_t n = prepare_cells(cc, l, t, t->header, t->ncols);
    double h = band_height(t, cc, n);
    free_cells(cc, n);
    return h;
}

static void table_page_break(struct pdf_lay *l, struct pdf_table *t)
{
    pdf_lay_new_page(l);
    if (t->header)
        draw_header(l, t);
}

void pdf_table_begin(struct pdf_lay *l, struct pdf_table *t, size_t ncols, const double *fractions,
                     const struct pdf_cell *header)
{
    if (ncols > PDF_TABLE_COLS)
        ncols = PDF_TABLE_COLS;
    t->ncols = ncols;
    for (size_t i = 0; i < ncols; i++)
        t->widths[i] = fractions[i] * (l->right - l->left);
    t->header = header;
    t->nrows = 0;
    t->ruled_page = 0;
    if (!t->pad)
        t->pad = 3;
    if (!t->rule_rgb)
        t->rule_rgb = 0xC8CDD4;
    if (!t->header_fill)
        t->header_fill = 0xDDE3EC;
    /* The header and at least one body line must share a page. */
    pdf_lay_need(l, header_height(l, t) + 2 * t->pad + pdf_line_height(8) * 2);
    if (t->header)
        draw_header(l, t);
}

void pdf_table_row(struct pdf_lay *l, struct pdf_table *t, const struct pdf_cell *cells, size_t ncells)
{
    struct ccell cc[PDF_TABLE_COLS];
    size_t take[PDF_TABLE_COLS] = {0};
    size_t n = prepare_cells(cc, l, t, cells, ncells);
    uint32_t zebra = t->zebra && (t->nrows % 2) ? ZEBRA_RGB : PDF_NO_FILL;
    double hh = header_height(l, t);
    double fresh_avail = l->top - l->bottom - hh;
    for (;;) {
        double h = band_height(t, cc, n);
        double avail = l->y - l->bottom;
        bool at_fresh_top = l->page > 0 && l->y >= l->top - hh - 1e-6;
        if (h <= avail + 1e-9) {
            for (size_t c = 0; c < n; c++)
                take[c] = cc[c].n - cc[c].next;
            draw_band(l, t, cc, n, take, h, zebra);
            break;
        }
        if (!at_fresh_top && h <= fresh_avail) {
            table_page_break(l, t);
            continue;
        }
        /* Taller than a page (or no room left): split between lines, never inside one. */
        double used = 0;
        bool any = false;
        for (size_t c = 0; c < n; c++) {
            take[c] = lines_fitting(&cc[c], avail - 2 * t->pad);
            double th = 0;
            for (size_t i = cc[c].next; i < cc[c].next + take[c]; i++)
                th += cc[c].v[i].h;
            if (th > used)
                used = th;
            any |= take[c] > 0;
        }
        if (!any && at_fresh_top) {
            /* A line taller than the page: draw it anyway rather than loop. */
            for (size_t c = 0; c < n && !any; c++)
                if (cc[c].next < cc[c].n) {
                    take[c] = 1;
                    used = cc[c].v[cc[c].next].h;
                    any = true;
                }
        }
        if (any)
            draw_band(l, t, cc, n, take, used + 2 * t->pad, zebra);
        bool done = true;
        for (size_t c = 0; c < n; c++)
            done &= cc[c].next == cc[c].n;
        if (done)
            break;
        table_page_break(l, t);
    }
    t->nrows++;
    free_cells(cc, n);
}
