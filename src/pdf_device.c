#include "pdf_device.h"

#include "err.h"
#include "pdf_fonts.h"
#include "util.h"

#include <hpdf.h>

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char *const pdf_font_files[PDF_FONT_COUNT] = {
    [PDF_FONT_SANS] = "DejaVuSans.ttf",
    [PDF_FONT_BOLD] = "DejaVuSans-Bold.ttf",
    [PDF_FONT_MONO] = "DejaVuSansMono.ttf",
};

#define OUTLINE_DEPTH 4
#define WIDTH_UNKNOWN INT32_MIN
#define GLYPH_MISSING (-1)
#define REPLACEMENT 0xFFFDu

/* A contents-page link, resolved at save time when its target page exists. */
struct pending_link {
    size_t from;        /* page index, 0-based */
    HPDF_Rect rect;
    int to_page;        /* 1-based */
    double to_y;
};

struct pdf_hpdf {
    HPDF_Doc doc;
    HPDF_Page page;
    HPDF_Page *pages;   /* every page, in order */
    size_t npages, cap_pages;
    struct pending_link *links;
    size_t nlinks, cap_links;
    HPDF_Encoder utf8;
    HPDF_Font font[PDF_FONT_COUNT];
    HPDF_FontDef def[PDF_FONT_COUNT];
    int32_t *widths[PDF_FONT_COUNT]; /* per BMP code point: 1/1000 em, GLYPH_MISSING, or unknown */
    HPDF_Outline outline[OUTLINE_DEPTH];
    /* What the current page's content stream has set already, so that a repeat is not written
     * again; text is drawn in one text object until something else is drawn. */
    int cur_font;                    /* -1: none yet */
    double cur_size, cur_lw;
    uint32_t cur_fill, cur_stroke;   /* NO_COLOUR: none yet */
    bool in_text;
    HPDF_STATUS err_no;              /* first libharu error, kept for the message */
    HPDF_STATUS err_detail;
    struct sb_buf buf;
    struct pdf_dev dev;
};

/* Record only the first error: later ones (0x1025 "invalid document") hide the cause. */
static void on_error(HPDF_STATUS error_no, HPDF_STATUS detail_no, void *user_data)
{
    struct pdf_hpdf *h = user_data;
    if (!h->err_no) {
        h->err_no = error_no;
        h->err_detail = detail_no;
    }
}

/* Width of a BMP code point, or GLYPH_MISSING. */
static int32_t glyph_width(struct pdf_hpdf *h, enum pdf_font f, uint32_t cp)
{
    int32_t *w = &h->widths[f][cp];
    if (*w == WIDTH_UNKNOWN) {
        /* Reading the font definition is an internal structure of libharu 2.3.0 (hpdf_font.h);
         * it is the only way to ask whether the face has a glyph. */
        HPDF_FontDef def = h->def[f];
        if (HPDF_TTFontDef_GetGlyphid(def, (HPDF_UINT16)cp) == 0)
            *w = GLYPH_MISSING;
        else
            *w = HPDF_TTFontDef_GetCharWidth(def, (HPDF_UINT16)cp);
    }
    return *w;
}

/* Decode one code point; the length follows the same rule as the layout's (pdf_layout.c). */
static uint32_t decode(const char *s, size_t n, size_t *len)
{
    unsigned char c = (unsigned char)s[0];
    size_t k = c < 0x80 ? 1 : (c >> 5) == 6 ? 2 : (c >> 4) == 14 ? 3 : (c >> 3) == 30 ? 4 : 0;
    if (k == 0 || k > n) {
        *len = 1;
        return REPLACEMENT;
    }
    uint32_t cp = k == 1 ? c : k == 2 ? (c & 0x1Fu) : k == 3 ? (c & 0x0Fu) : (c & 0x07u);
    for (size_t i = 1; i < k; i++) {
        unsigned char d = (unsigned char)s[i];
        if ((d & 0xC0) != 0x80) {
            *len = 1;
            return REPLACEMENT;
        }
        cp = (cp << 6) | (d & 0x3Fu);
    }
    *len = k;
    static const uint32_t min[5] = {0, 0, 0x80, 0x800, 0x10000};
    if (cp < min[k] || (cp >= 0xD800 && cp <= 0xDFFF) || cp > 0x10FFFF)
        return REPLACEMENT;
    return cp;
}

static void put_utf8(struct sb_buf *out, uint32_t cp)
{
    char b[3];
    if (cp < 0x80) {
        sb_buf_putc(out, (char)cp);
    } else if (cp < 0x800) {
        b[0] = (char)(0xC0 | (cp >> 6));
        b[1] = (char)(0x80 | (cp & 0x3F));
        sb_buf_add(out, b, 2);
    } else {
        b[0] = (char)(0xE0 | (cp >> 12));
        b[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
        b[2] = (char)(0x80 | (cp & 0x3F));
        sb_buf_add(out, b, 3);
    }
}

long pdf_hpdf_clean(struct pdf_hpdf *h, enum pdf_font f, const char *s, size_t n, struct sb_buf *out)
{
    long total = 0;
    size_t i = 0;
    while (i < n) {
        size_t len;
        uint32_t cp = decode(s + i, n - i, &len);
        i += len;
        if (cp == '\t')
            cp = ' ';
        else if (cp < 0x20 || (cp >= 0x7F && cp < 0xA0) || cp > 0xFFFF)
            cp = REPLACEMENT;
        int32_t w = glyph_width(h, f, cp);
        if (w == GLYPH_MISSING) {
            cp = REPLACEMENT;
            w = glyph_width(h, f, cp);
            if (w == GLYPH_MISSING) {
                cp = '?';
                w = glyph_width(h, f, cp);
            }
        }
        if (out)
            put_utf8(out, cp);
        total += w > 0 ? w : 0;
    }
    return total;
}

static double dev_width(void *ctx, enum pdf_font f, double size, const char *s, size_t n)
{
    return (double)pdf_hpdf_clean(ctx, f, s, n, NULL) * size / 1000.0;
}

#define NO_COLOUR 0xFFFFFFFFu

static void fresh_state(struct pdf_hpdf *h)
{
    h->cur_font = -1;
    h->cur_size = h->cur_lw = -1;
    h->cur_fill = h->cur_stroke = NO_COLOUR;
    h->in_text = false;
}

static void end_text(struct pdf_hpdf *h)
{
    if (h->in_text && h->page)
        HPDF_Page_EndText(h->page);
    h->in_text = false;
}

static void set_fill(struct pdf_hpdf *h, uint32_t rgb)
{
    if (h->cur_fill == rgb)
        return;
    h->cur_fill = rgb;
    HPDF_Page_SetRGBFill(h->page, (HPDF_REAL)((rgb >> 16) & 0xFF) / 255.0f,
                         (HPDF_REAL)((rgb >> 8) & 0xFF) / 255.0f, (HPDF_REAL)(rgb & 0xFF) / 255.0f);
}

static void dev_text(void *ctx, enum pdf_font f, double size, uint32_t rgb, double x, double y,
                     const char *s, size_t n)
{
    struct pdf_hpdf *h = ctx;
    if (!h->page)
        return;
    h->buf.len = 0;
    pdf_hpdf_clean(h, f, s, n, &h->buf);
    sb_buf_putc(&h->buf, '\0');
    if (!h->in_text) {
        HPDF_Page_BeginText(h->page);
        h->in_text = true;
    }
    if (h->cur_font != (int)f || h->cur_size != size) {
        HPDF_Page_SetFontAndSize(h->page, h->font[f], (HPDF_REAL)size);
        h->cur_font = (int)f;
        h->cur_size = size;
    }
    set_fill(h, rgb);
    /* An absolute position: nothing accumulates from one text to the next. */
    HPDF_Page_SetTextMatrix(h->page, 1, 0, 0, 1, (HPDF_REAL)x, (HPDF_REAL)y);
    HPDF_Page_ShowText(h->page, h->buf.data);
}

static void dev_rect(void *ctx, double x, double y, double w, double hh, uint32_t rgb)
{
    struct pdf_hpdf *h = ctx;
    if (!h->page)
        return;
    end_text(h);
    set_fill(h, rgb);
    HPDF_Page_Rectangle(h->page, (HPDF_REAL)x, (HPDF_REAL)y, (HPDF_REAL)w, (HPDF_REAL)hh);
    HPDF_Page_Fill(h->page);
}

static void dev_line(void *ctx, double x0, double y0, double x1, double y1, double lw, uint32_t rgb)
{
    struct pdf_hpdf *h = ctx;
    if (!h->page)
        return;
    end_text(h);
    if (h->cur_lw != lw) {
        HPDF_Page_SetLineWidth(h->page, (HPDF_REAL)lw);
        h->cur_lw = lw;
    }
    if (h->cur_stroke != rgb) {
        HPDF_Page_SetRGBStroke(h->page, (HPDF_REAL)((rgb >> 16) & 0xFF) / 255.0f,
                               (HPDF_REAL)((rgb >> 8) & 0xFF) / 255.0f, (HPDF_REAL)(rgb & 0xFF) / 255.0f);
        h->cur_stroke = rgb;
    }
    HPDF_Page_MoveTo(h->page, (HPDF_REAL)x0, (HPDF_REAL)y0);
    HPDF_Page_LineTo(h->page, (HPDF_REAL)x1, (HPDF_REAL)y1);
    HPDF_Page_Stroke(h->page);
}

static void dev_page(void *ctx, double w, double hh)
{
    struct pdf_hpdf *h = ctx;
    end_text(h);
    fresh_state(h);
    h->page = HPDF_AddPage(h->doc);
    if (!h->page)
        return;
    sb_grow((void **)&h->pages, &h->cap_pages, h->npages + 1, sizeof *h->pages);
    h->pages[h->npages++] = h->page;
    HPDF_Page_SetWidth(h->page, (HPDF_REAL)w);
    HPDF_Page_SetHeight(h->page, (HPDF_REAL)hh);
}

/* Show the page from a little above y, at 100 %. */
static HPDF_Destination destination(HPDF_Page page, double y)
{
    HPDF_Destination dst = HPDF_Page_CreateDestination(page);
    double top = y + 12 < HPDF_Page_GetHeight(page) ? y + 12 : HPDF_Page_GetHeight(page);
    if (dst && HPDF_Destination_SetXYZ(dst, 0, (HPDF_REAL)(top > 0 ? top : 0), 1) != HPDF_OK)
        return NULL;
    return dst;
}

static void dev_link(void *ctx, double x, double y, double w, double hh, int to_page, double to_y)
{
    struct pdf_hpdf *h = ctx;
    if (!h->page)
        return;
    sb_grow((void **)&h->links, &h->cap_links, h->nlinks + 1, sizeof *h->links);
    h->links[h->nlinks++] = (struct pending_link){
        h->npages - 1, {(HPDF_REAL)x, (HPDF_REAL)y, (HPDF_REAL)(x + w), (HPDF_REAL)(y + hh)}, to_page, to_y};
}

static void resolve_links(struct pdf_hpdf *h)
{
    for (size_t i = 0; i < h->nlinks; i++) {
        const struct pending_link *k = &h->links[i];
        if (k->to_page < 1 || (size_t)k->to_page > h->npages)
            continue;
        HPDF_Destination dst = destination(h->pages[k->to_page - 1], k->to_y);
        HPDF_Annotation a = dst ? HPDF_Page_CreateLinkAnnot(h->pages[k->from], k->rect, dst) : NULL;
        if (a)
            HPDF_LinkAnnot_SetBorderStyle(a, 0, 0, 0);
    }
    h->nlinks = 0;
}

static void dev_mark(void *ctx, int level, const char *title, double y)
{
    struct pdf_hpdf *h = ctx;
    if (!h->page || level < 0 || level >= OUTLINE_DEPTH)
        return;
    /* NULL parent = the root outline. */
    HPDF_Outline parent = level > 0 ? h->outline[level - 1] : NULL;
    h->buf.len = 0;
    pdf_hpdf_clean(h, PDF_FONT_SANS, title, strlen(title), &h->buf);
    sb_buf_putc(&h->buf, '\0');
    HPDF_Outline o = HPDF_CreateOutline(h->doc, parent, h->buf.data, h->utf8);
    if (!o)
        return;
    HPDF_Destination dst = destination(h->page, y);
    if (dst)
        HPDF_Outline_SetDestination(o, dst);
    HPDF_Outline_SetOpened(o, level == 0 ? HPDF_TRUE : HPDF_FALSE);
    h->outline[level] = o;
    for (int i = level + 1; i < OUTLINE_DEPTH; i++)
        h->outline[i] = NULL;
}

static int hpdf_fail(struct pdf_hpdf *h, struct sb_err *e, const char *what, HPDF_STATUS st)
{
    HPDF_STATUS no = h->err_no ? h->err_no : st;
    return sb_err_set(e, SB_EXIT_OUTPUT, "%s: libharu error 0x%04X (detail %u)", what,
                      (unsigned)no, (unsigned)h->err_detail);
}

static int load_font(struct pdf_hpdf *h, enum pdf_font f, const char *font_dir, struct sb_err *e)
{
    char *path = sb_path_join(font_dir, pdf_font_files[f]);
    int rc = -1;
    FILE *probe = fopen(path, "rb");
    if (!probe) {
        sb_err_set(e, SB_EXIT_OUTPUT, "%s: cannot read font: %s", path, strerror(errno));
        goto cleanup;
    }
    fclose(probe);
    const char *name = HPDF_LoadTTFontFromFile(h->doc, path, HPDF_TRUE);
    if (!name) {
        hpdf_fail(h, e, path, 0);
        goto cleanup;
    }
    h->font[f] = HPDF_GetFont(h->doc, name, "UTF-8");
    if (!h->font[f]) {
        hpdf_fail(h, e, path, 0);
        goto cleanup;
    }
    /* A ToUnicode CMap poppler accepts (pdf_fonts.h); the text stays extractable either way. */
    pdf_fonts_fix_to_unicode(h->font[f]);
    h->def[f] = ((HPDF_FontAttr)h->font[f]->attr)->fontdef;
    h->widths[f] = sb_xmalloc(65536 * sizeof *h->widths[f]);
    for (size_t i = 0; i < 65536; i++)
        h->widths[f][i] = WIDTH_UNKNOWN;
    rc = 0;
cleanup:
    free(path);
    return rc;
}

int pdf_hpdf_open(struct pdf_hpdf **out, const char *font_dir, struct sb_err *e)
{
    struct pdf_hpdf *h = sb_xcalloc(1, sizeof *h);
    *out = NULL;
    h->doc = HPDF_New(on_error, h);
    if (!h->doc) {
        free(h);
        return sb_err_set(e, SB_EXIT_OUTPUT, "libharu: cannot create a PDF document");
    }
    HPDF_STATUS st;
    if ((st = HPDF_SetCompressionMode(h->doc, HPDF_COMP_ALL)) != HPDF_OK) {
        hpdf_fail(h, e, "libharu: compression", st);
        goto fail;
    }
    /* A page tree of small nodes keeps thousands of pages cheap to write and to open. */
    if ((st = HPDF_SetPagesConfiguration(h->doc, 64)) != HPDF_OK) {
        hpdf_fail(h, e, "libharu: page tree", st);
        goto fail;
    }
    if ((st = HPDF_UseUTFEncodings(h->doc)) != HPDF_OK ||
        (st = HPDF_SetCurrentEncoder(h->doc, "UTF-8")) != HPDF_OK) {
        hpdf_fail(h, e, "libharu: UTF-8 encoder", st);
        goto fail;
    }
    h->utf8 = HPDF_GetEncoder(h->doc, "UTF-8");
    /* Open with the bookmarks shown: the auditor navigates by control. */
    if ((st = HPDF_SetPageMode(h->doc, HPDF_PAGE_MODE_USE_OUTLINE)) != HPDF_OK) {
        hpdf_fail(h, e, "libharu: page mode", st);
        goto fail;
    }
    for (int f = 0; f < PDF_FONT_COUNT; f++)
        if (load_font(h, (enum pdf_font)f, font_dir, e) < 0)
            goto fail;
    fresh_state(h);
    h->dev = (struct pdf_dev){h, dev_width, dev_text, dev_rect, dev_line, dev_page, dev_mark, dev_link};
    *out = h;
    return 0;
fail:
    pdf_hpdf_free(h);
    return -1;
}

const struct pdf_dev *pdf_hpdf_dev(struct pdf_hpdf *h)
{
    return &h->dev;
}

int pdf_hpdf_info(struct pdf_hpdf *h, const char *title, const char *author, const char *producer,
                  time_t created, struct sb_err *e)
{
    struct tm tm;
    if (!gmtime_r(&created, &tm))
        return sb_err_set(e, SB_EXIT_OUTPUT, "libharu: generation time out of range");
    /* ind '+' with zero offsets: libharu 2.3.0 mishandles 'Z' (STYLE.md §8.A). */
    HPDF_Date d = {tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min,
                   tm.tm_sec > 59 ? 59 : tm.tm_sec, '+', 0, 0};
    HPDF_STATUS st = HPDF_SetInfoAttr(h->doc, HPDF_INFO_PRODUCER, producer);
    if (st == HPDF_OK && title)
        st = HPDF_SetInfoAttr(h->doc, HPDF_INFO_TITLE, title);
    if (st == HPDF_OK && author)
        st = HPDF_SetInfoAttr(h->doc, HPDF_INFO_AUTHOR, author);
    if (st == HPDF_OK)
        st = HPDF_SetInfoDateAttr(h->doc, HPDF_INFO_CREATION_DATE, d);
    if (st != HPDF_OK)
        return hpdf_fail(h, e, "libharu: document information", st);
    return 0;
}

int pdf_hpdf_save(struct pdf_hpdf *h, const char *path, struct sb_err *e)
{
    end_text(h);
    resolve_links(h);
    if (h->err_no)
        return hpdf_fail(h, e, path, 0);
    HPDF_STATUS st = HPDF_SaveToFile(h->doc, path);
    if (st != HPDF_OK) {
        HPDF_STATUS no = h->err_no ? h->err_no : st;
        if (no == HPDF_FILE_OPEN_ERROR || no == HPDF_FILE_IO_ERROR)
            return sb_err_set(e, SB_EXIT_OUTPUT, "%s: cannot write the PDF file", path);
        return hpdf_fail(h, e, path, st);
    }
    return 0;
}

void pdf_hpdf_free(struct pdf_hpdf *h)
{
    if (!h)
        return;
    if (h->doc)
        HPDF_Free(h->doc);
    for (int f = 0; f < PDF_FONT_COUNT; f++)
        free(h->widths[f]);
    sb_buf_free(&h->buf);
    free(h->pages);
    free(h->links);
    free(h);
}
