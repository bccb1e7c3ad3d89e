#include "pdf_device.h"

#include "err.h"
#include "pdf_fonts.h"
#include "util.h"

#include <fribidi.h>
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

/* Debian's fonts for what DejaVu lacks (CJK): TrueType outlines, which libharu 2.3.0 can embed (it cannot
 * embed CFF, so Noto CJK is not here). Loaded only when a text needs one of their glyphs. */
const struct pdf_fallback_font pdf_fallback_fonts[] = {
    {"/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc", 0, "fonts-wqy-zenhei"},
    {"/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf", -1, "fonts-droid-fallback"},
};
const size_t pdf_fallback_count = sizeof pdf_fallback_fonts / sizeof pdf_fallback_fonts[0];

#define MAX_FALLBACK 4
#define NFACES (PDF_FACE_FALLBACK + MAX_FALLBACK)
enum { FB_UNTRIED = 0, FB_READY, FB_ABSENT };
/* How much of a text a warning quotes. */
#define QUOTE_MAX 60

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
    int first_page;     /* the report's page number of this document's first page (a volume's) */
    HPDF_Encoder utf8;
    /* Faces: the DejaVu ones (enum pdf_font), then the fallback fonts; a fallback's font (what is
     * embedded) is made from its definition on the first glyph drawn from it. */
    HPDF_Font font[NFACES];
    HPDF_FontDef def[NFACES];
    int32_t *widths[NFACES]; /* per BMP code point: 1/1000 em, GLYPH_MISSING, or unknown */
    const struct pdf_fallback_font *fallbacks;
    size_t nfallbacks;
    unsigned char fb_state[MAX_FALLBACK];
    bool warned;                     /* the missing-glyph warning is printed once */
    /* One text being measured or drawn: its code points in logical order, then in drawing order,
     * then as glyphs with their faces. */
    FriBidiChar *logical, *visual;
    size_t cap_logical, cap_visual;
    struct pdf_glyph *glyphs;
    size_t nglyphs, cap_glyphs;
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

static int32_t *new_width_table(void)
{
    int32_t *w = sb_xmalloc(65536 * sizeof *w);
    for (size_t i = 0; i < 65536; i++)
        w[i] = WIDTH_UNKNOWN;
    return w;
}

/* Width of a BMP code point in a loaded face, or GLYPH_MISSING. */
static int32_t glyph_width(struct pdf_hpdf *h, int face, uint32_t cp)
{
    int32_t *w = &h->widths[face][cp];
    if (*w == WIDTH_UNKNOWN) {
        /* Reading the font definition is an internal structure of libharu 2.3.0 (hpdf_font.h);
         * it is the only way to ask whether the face has a glyph. GetCharWidth also marks the glyph
         * as used, so that the embedded subset has it. */
        HPDF_FontDef def = h->def[face];
        if (HPDF_TTFontDef_GetGlyphid(def, (HPDF_UINT16)cp) == 0)
            *w = GLYPH_MISSING;
        else
            *w = HPDF_TTFontDef_GetCharWidth(def, (HPDF_UINT16)cp);
    }
    return *w;
}

/* A libharu failure while loading a fallback font only means that font is not used: forget the
 * error, or the document would refuse to save. */
static void forget_error(struct pdf_hpdf *h, HPDF_STATUS no, HPDF_STATUS detail)
{
    if (!no)
        HPDF_ResetError(h->doc);
    h->err_no = no;
    h->err_detail = detail;
}

/* Read the definition of fallback font i on first need: nothing is embedded yet. */
static bool fallback_ready(struct pdf_hpdf *h, size_t i)
{
    if (h->fb_state[i] != FB_UNTRIED)
        return h->fb_state[i] == FB_READY;
    h->fb_state[i] = FB_ABSENT;
    const struct pdf_fallback_font *ff = &h->fallbacks[i];
    FILE *probe = fopen(ff->path, "rb");
    if (!probe)
        return false;
    fclose(probe);
    HPDF_STATUS no = h->err_no, detail = h->err_detail;
    const char *name = ff->ttc_index >= 0 ? HPDF_LoadTTFontFromFile2(h->doc, ff->path, (HPDF_UINT)ff->ttc_index, HPDF_TRUE)
                                          : HPDF_LoadTTFontFromFile(h->doc, ff->path, HPDF_TRUE);
    HPDF_FontDef def = name ? HPDF_GetFontDef(h->doc, name) : NULL;
    if (!def || def->type != HPDF_FONTDEF_TYPE_TRUETYPE) {
        forget_error(h, no, detail);
        return false;
    }
    int face = PDF_FACE_FALLBACK + (int)i;
    h->def[face] = def;
    h->widths[face] = new_width_table();
    h->fb_state[i] = FB_READY;
    return true;
}

/* The embedded font of a fallback face, made when its first glyph is used. */
static bool fallback_font(struct pdf_hpdf *h, int face)
{
    if (h->font[face])
        return true;
    HPDF_STATUS no = h->err_no, detail = h->err_detail;
    HPDF_Font font = HPDF_GetFont(h->doc, h->def[face]->base_font, "UTF-8");
    if (!font) {
        forget_error(h, no, detail);
        h->fb_state[face - PDF_FACE_FALLBACK] = FB_ABSENT;
        return false;
    }
    pdf_fonts_fix_to_unicode(font);
    h->font[face] = font;
    return true;
}

/* The face that draws cp in a text set in face f, or -1: f itself; DejaVu Sans when f is the
 * bold or mono face (DejaVu Sans Mono has no Hebrew or Arabic); then the fallback fonts in order. */
static int face_for(struct pdf_hpdf *h, enum pdf_font f, uint32_t cp, int32_t *w)
{
    if ((*w = glyph_width(h, f, cp)) != GLYPH_MISSING)
        return f;
    if (f != PDF_FONT_SANS && (*w = glyph_width(h, PDF_FONT_SANS, cp)) != GLYPH_MISSING)
        return PDF_FONT_SANS;
    for (size_t i = 0; i < h->nfallbacks; i++) {
        int face = PDF_FACE_FALLBACK + (int)i;
        if (fallback_ready(h, i) && (*w = glyph_width(h, face, cp)) != GLYPH_MISSING && fallback_font(h, face))
            return face;
    }
    return -1;
}

/* Once per document: a character no font has, and the package that may have it. */
static void warn_missing(struct pdf_hpdf *h, uint32_t cp, const char *s, size_t n)
{
    if (h->warned)
        return;
    h->warned = true;
    struct sb_buf q = {0};
    size_t i = 0;
    while (i < n && q.len < QUOTE_MAX) {
        size_t len;
        uint32_t c = decode(s + i, n - i, &len);
        if (c < 0x20 || c == '"' || c == '\\' || (c >= 0x7F && c < 0xA0))
            sb_buf_putc(&q, '?');
        else
            sb_buf_add(&q, s + i, len);
        i += len;
    }
    const char *missing = NULL;
    for (size_t k = 0; k < h->nfallbacks && !missing; k++)
        if (h->fb_state[k] == FB_ABSENT)
            missing = h->fallbacks[k].package;
    fprintf(stderr, "mcsb-audit: warning: no font has U+%04X (in \"%s%s\"); the PDF shows U+FFFD%s%s\n",
            (unsigned)cp, q.len ? q.data : "", i < n ? "..." : "", missing ? "; install " : "", missing ? missing : "");
    sb_buf_free(&q);
}

static bool needs_bidi(uint32_t cp)
{
    return cp >= 0x0590 && FRIBIDI_IS_LETTER(fribidi_get_bidi_type(cp)) && FRIBIDI_IS_RTL(fribidi_get_bidi_type(cp));
}

/*
 * Lay s[0, n) out as glyphs (h->glyphs): the code points the device can draw, each with its face,
 * in drawing order when `visual` (right-to-left runs reversed and Arabic joined, by FriBidi, with
 * the line's base direction left-to-right, the report's language) or else in logical order.
 * Returns the advance width in 1/1000 em.
 */
static long layout_text(struct pdf_hpdf *h, enum pdf_font f, const char *s, size_t n, bool visual)
{
    size_t count = 0;
    bool bidi = false;
    sb_grow((void **)&h->logical, &h->cap_logical, n + 1, sizeof *h->logical);
    for (size_t i = 0; i < n;) {
        size_t len;
        uint32_t cp = decode(s + i, n - i, &len);
        i += len;
        if (cp == '\t')
            cp = ' ';
        else if (cp < 0x20 || (cp >= 0x7F && cp < 0xA0) || cp > 0xFFFF)
            cp = REPLACEMENT;
        bidi = bidi || needs_bidi(cp);
        h->logical[count++] = cp;
    }
    const FriBidiChar *cps = h->logical;
    if (visual && bidi) {
        sb_grow((void **)&h->visual, &h->cap_visual, count + 1, sizeof *h->visual);
        FriBidiParType dir = FRIBIDI_PAR_LTR;
        if (fribidi_log2vis(h->logical, (FriBidiStrIndex)count, &dir, h->visual, NULL, NULL, NULL)) {
            /* A lam-alef ligature leaves a filler where its second letter was. */
            size_t k = 0;
            for (size_t i = 0; i < count; i++)
                if (h->visual[i] != FRIBIDI_CHAR_FILL)
                    h->visual[k++] = h->visual[i];
            count = k;
            cps = h->visual;
        }
    }
    sb_grow((void **)&h->glyphs, &h->cap_glyphs, count + 1, sizeof *h->glyphs);
    long total = 0;
    for (size_t i = 0; i < count; i++) {
        uint32_t cp = cps[i];
        int32_t w = GLYPH_MISSING;
        int face = cp == REPLACEMENT ? -1 : face_for(h, f, cp, &w);
        if (face < 0) {
            if (cp != REPLACEMENT)
                warn_missing(h, cp, s, n);
            face = f;
            cp = REPLACEMENT;
            w = glyph_width(h, f, cp);
            if (w == GLYPH_MISSING) {
                cp = '?';
                w = glyph_width(h, f, cp);
            }
        }
        h->glyphs[i] = (struct pdf_glyph){cp, face};
        total += w > 0 ? w : 0;
    }
    h->nglyphs = count;
    return total;
}

/* Width in 1/1000 em of glyphs [a, b), all from one face. */
static long run_width(struct pdf_hpdf *h, size_t a, size_t b)
{
    long w = 0;
    for (size_t i = a; i < b; i++) {
        int32_t g = glyph_width(h, h->glyphs[i].face, h->glyphs[i].cp);
        w += g > 0 ? g : 0;
    }
    return w;
}

static void glyphs_utf8(const struct pdf_hpdf *h, size_t a, size_t b, struct sb_buf *out)
{
    for (size_t i = a; i < b; i++)
        put_utf8(out, h->glyphs[i].cp);
}

long pdf_hpdf_clean(struct pdf_hpdf *h, enum pdf_font f, const char *s, size_t n, struct sb_buf *out)
{
    long total = layout_text(h, f, s, n, true);
    if (out)
        glyphs_utf8(h, 0, h->nglyphs, out);
    return total;
}

size_t pdf_hpdf_glyphs(struct pdf_hpdf *h, enum pdf_font f, const char *s, size_t n, const struct pdf_glyph **out)
{
    layout_text(h, f, s, n, true);
    *out = h->glyphs;
    return h->nglyphs;
}

void pdf_hpdf_set_fallbacks(struct pdf_hpdf *h, const struct pdf_fallback_font *list, size_t n)
{
    h->fallbacks = list;
    h->nfallbacks = n < MAX_FALLBACK ? n : MAX_FALLBACK;
}

static double dev_width(void *ctx, enum pdf_font f, double size, const char *s, size_t n)
{
    return (double)layout_text(ctx, f, s, n, true) * size / 1000.0;
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
    layout_text(h, f, s, n, true);
    if (!h->in_text) {
        HPDF_Page_BeginText(h->page);
        h->in_text = true;
    }
    /* One show per run of glyphs from one face, each at its absolute position. */
    long advance = 0;
    for (size_t a = 0, b; a < h->nglyphs || a == 0; a = b) {
        int face = h->nglyphs ? h->glyphs[a].face : (int)f;
        for (b = a + 1; b < h->nglyphs && h->glyphs[b].face == face; b++)
            ;
        h->buf.len = 0;
        if (h->nglyphs)
            glyphs_utf8(h, a, b, &h->buf);
        sb_buf_putc(&h->buf, '\0');
        if (h->cur_font != face || h->cur_size != size) {
            HPDF_Page_SetFontAndSize(h->page, h->font[face], (HPDF_REAL)size);
            h->cur_font = face;
            h->cur_size = size;
        }
        if (a == 0)
            set_fill(h, rgb);
        /* An absolute position: nothing accumulates from one text to the next. */
        HPDF_Page_SetTextMatrix(h->page, 1, 0, 0, 1, (HPDF_REAL)(x + (double)advance * size / 1000.0), (HPDF_REAL)y);
        HPDF_Page_ShowText(h->page, h->buf.data);
        if (b >= h->nglyphs)
            break;
        advance += run_width(h, a, b);
    }
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

/* A link to a web page (the baseline's "Learn more" and references): a URI action, no border. */
static void dev_uri(void *ctx, double x, double y, double w, double hh, const char *url)
{
    struct pdf_hpdf *h = ctx;
    if (!h->page)
        return;
    HPDF_Rect rect = {(HPDF_REAL)x, (HPDF_REAL)y, (HPDF_REAL)(x + w), (HPDF_REAL)(y + hh)};
    HPDF_Annotation a = HPDF_Page_CreateURILinkAnnot(h->page, rect, url);
    if (a)
        HPDF_LinkAnnot_SetBorderStyle(a, 0, 0, 0);
}

static void resolve_links(struct pdf_hpdf *h)
{
    for (size_t i = 0; i < h->nlinks; i++) {
        const struct pending_link *k = &h->links[i];
        /* A target in another volume gets no link: its page number is printed beside the entry. */
        long local = (long)k->to_page - h->first_page + 1;
        if (local < 1 || (size_t)local > h->npages)
            continue;
        HPDF_Destination dst = destination(h->pages[local - 1], k->to_y);
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
    /* Logical order: the viewer lays the outline out itself. */
    layout_text(h, PDF_FONT_SANS, title, strlen(title), false);
    h->buf.len = 0;
    glyphs_utf8(h, 0, h->nglyphs, &h->buf);
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
    h->widths[f] = new_width_table();
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
    pdf_hpdf_set_fallbacks(h, pdf_fallback_fonts, pdf_fallback_count);
    fresh_state(h);
    h->first_page = 1;
    h->dev = (struct pdf_dev){h, dev_width, dev_text, dev_rect, dev_line, dev_page, dev_mark, dev_link,
                             dev_uri};
    *out = h;
    return 0;
fail:
    pdf_hpdf_free(h);
    return -1;
}

void pdf_hpdf_set_first_page(struct pdf_hpdf *h, int first_page)
{
    h->first_page = first_page;
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

/* A fallback font keeps only what was drawn with it (pdf_fonts.h); on failure libharu has recorded
 * the error, and saving reports it. */
static void trim_fallbacks(struct pdf_hpdf *h)
{
    uint16_t *codes = NULL;
    size_t cap = 0;
    for (int face = PDF_FACE_FALLBACK; face < NFACES; face++) {
        if (!h->font[face])
            continue;
        size_t n = 0;
        for (uint32_t cp = 0; cp < 65536; cp++)
            if (h->widths[face][cp] >= 0) {
                sb_grow((void **)&codes, &cap, n + 1, sizeof *codes);
                codes[n++] = (uint16_t)cp;
            }
        /* The components of composite glyphs (Hangul syllables) are embedded too; on failure they come out
         * blank as before, and the text stays extractable. */
        pdf_fonts_mark_components(h->def[face], h->fallbacks[face - PDF_FACE_FALLBACK].path);
        if (n)
            pdf_fonts_trim(h->font[face], codes, n);
    }
    free(codes);
}

int pdf_hpdf_save(struct pdf_hpdf *h, const char *path, struct sb_err *e)
{
    end_text(h);
    resolve_links(h);
    trim_fallbacks(h);
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
    for (int f = 0; f < NFACES; f++)
        free(h->widths[f]);
    free(h->logical);
    free(h->visual);
    free(h->glyphs);
    sb_buf_free(&h->buf);
    free(h->pages);
    free(h->links);
    free(h);
}
