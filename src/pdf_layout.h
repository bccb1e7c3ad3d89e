/**
 * @file pdf_layout.h
 * @brief Page layout for the PDF report, kept apart from libharu (as mandoc keeps term.c apart
 *        from term_ps.c): measuring, UTF-8 word wrap, paragraphs, headings and tables with
 *        repeated headers, all drawn through a small device of function pointers.
 *
 * Coordinates are PDF points with the origin at the bottom left of the page. The layout keeps
 * a cursor `y` (the top of the next block) that moves down the page; a block that does not fit
 * starts a new page. With `dry` set nothing is drawn and no page is created on the device: the
 * layout only counts pages (the renderer's first passes, which learn the page numbers).
 *
 * Ownership: the layout borrows the device and every string it is given; it keeps none after a
 * call returns.
 */
#ifndef SB_PDF_LAYOUT_H
#define SB_PDF_LAYOUT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum pdf_font { PDF_FONT_SANS = 0, PDF_FONT_BOLD, PDF_FONT_MONO, PDF_FONT_COUNT };

/** No fill: a cell or rectangle left transparent. */
#define PDF_NO_FILL 0xFFFFFFFFu

/** The drawing device. Every text is UTF-8 and need not be NUL-terminated. */
struct pdf_dev {
    void *ctx;
    /** Advance width in points of n bytes of text; must agree exactly with what text() draws. */
    double (*width)(void *ctx, enum pdf_font f, double size, const char *s, size_t n);
    /** Draw text with its baseline at y. */
    void (*text)(void *ctx, enum pdf_font f, double size, uint32_t rgb, double x, double y,
                 const char *s, size_t n);
    /** Fill a rectangle whose lower left corner is (x, y). */
    void (*rect)(void *ctx, double x, double y, double w, double h, uint32_t rgb);
    void (*line)(void *ctx, double x0, double y0, double x1, double y1, double lw, uint32_t rgb);
    /** Start a new page of w x h points. */
    void (*page)(void *ctx, double w, double h);
    /** A bookmark at height y of the current page; level 0 = top of the outline. */
    void (*mark)(void *ctx, int level, const char *title, double y);
    /** Make the rectangle (x, y, w, h) of the current page a link to height `to_y` of page
     *  `to_page` (1-based; the page may not exist yet). May be NULL. */
    void (*link)(void *ctx, double x, double y, double w, double h, int to_page, double to_y);
    /** Make the rectangle (x, y, w, h) of the current page a link to the web address `url`
     *  (an absolute https URL, validated by the baseline loader). May be NULL. */
    void (*uri)(void *ctx, double x, double y, double w, double h, const char *url);
};

/** One line of wrapped text: bytes [off, off + len) of the wrapped string. */
struct pdf_span {
    size_t off;
    size_t len;
};

/**
 * Greedy UTF-8 word wrap to `width` points. Breaks at ASCII spaces and '\n'; a word wider
 * than the line is broken after a '/' (resource ids) when one fits, else at a code-point
 * boundary, never inside a UTF-8 sequence. Every line has at least one code point except the
 * empty lines that "\n\n" asks for. Returns the number of lines; caller frees *out.
 * An empty or NULL text gives 0 lines.
 */
size_t pdf_wrap(struct pdf_span **out, const struct pdf_dev *dev, enum pdf_font f, double size,
                const char *text, double width);

/** Line height for a font size (baseline-to-baseline distance). */
double pdf_line_height(double size);

struct pdf_lay;
/** Called after each new page is started (running header and footer). */
typedef void (*pdf_decorate_fn)(struct pdf_lay *l, void *arg);

struct pdf_lay {
    const struct pdf_dev *dev;
    bool dry;                 /**< measure and paginate only */
    double page_w, page_h;
    double left, right;       /**< content box, x */
    double top, bottom;       /**< content box, y (top > bottom) */
    double y;                 /**< top of the next block */
    int page;                 /**< current page, 1-based; 0 before the first */
    /** A drawing pass that draws only pages [draw_first, draw_last] (one volume of a long report): the
     *  others are laid out as in a dry pass. 0, 0: every page. */
    int draw_first, draw_last;
    pdf_decorate_fn decorate;
    void *decorate_arg;
};

void pdf_lay_init(struct pdf_lay *l, const struct pdf_dev *dev, bool dry, double page_w,
                  double page_h, double margin);
void pdf_lay_new_page(struct pdf_lay *l);
/** Start a new page unless h points still fit below the cursor. */
void pdf_lay_need(struct pdf_lay *l, double h);
void pdf_lay_space(struct pdf_lay *l, double h);

/* Drawing primitives that honour `dry`. */
void pdf_lay_text(struct pdf_lay *l, enum pdf_font f, double size, uint32_t rgb, double x, double y,
                  const char *s);
void pdf_lay_rect(struct pdf_lay *l, double x, double y, double w, double h, uint32_t rgb);
void pdf_lay_line(struct pdf_lay *l, double x0, double y0, double x1, double y1, double lw,
                  uint32_t rgb);
void pdf_lay_mark(struct pdf_lay *l, int level, const char *title);
void pdf_lay_link(struct pdf_lay *l, double x, double y, double w, double h, int to_page, double to_y);
void pdf_lay_uri(struct pdf_lay *l, double x, double y, double w, double h, const char *url);
double pdf_lay_width(const struct pdf_lay *l, enum pdf_font f, double size, const char *s);

/** Height of a wrapped paragraph (to keep a short block together with pdf_lay_need). */
double pdf_lay_para_height(const struct pdf_lay *l, enum pdf_font f, double size, double indent, const char *text);

/** A wrapped paragraph at x offset `indent` from the left margin, breaking pages between lines. */
void pdf_lay_para(struct pdf_lay *l, enum pdf_font f, double size, uint32_t rgb, double indent,
                  const char *text);

/**
 * pdf_lay_para() whose bytes [from, to) of `text` link to `url` (no link when url is NULL or the
 * range is empty): on every line the range reaches, the words it covers become a link rectangle
 * and are underlined, so a printed copy still shows what was a link.
 */
void pdf_lay_para_link(struct pdf_lay *l, enum pdf_font f, double size, uint32_t rgb, double indent,
                       const char *text, size_t from, size_t to, const char *url);

/**
 * Where an identifier may break. A finding id never breaks (PDF_BREAK_NEVER) and a resource id
 * breaks only after a '/' (PDF_BREAK_SLASH), so that a reader's search and pdftotext find it whole:
 * when the column is too narrow the run's type is made smaller instead (down to PDF_MIN_ID_SIZE).
 */
enum pdf_break { PDF_BREAK_WORDS = 0, PDF_BREAK_NEVER, PDF_BREAK_SLASH };

/** The smallest type an identifier is shrunk to before it has to break after all. */
#define PDF_MIN_ID_SIZE 4.0

/** One wrapped block inside a table cell. */
struct pdf_run {
    enum pdf_font font;
    double size;
    uint32_t rgb;
    const char *text;         /**< NULL or "" is skipped */
    enum pdf_break brk;
};

#define PDF_CELL_RUNS 8

struct pdf_cell {
    struct pdf_run runs[PDF_CELL_RUNS];
    size_t nruns;
    uint32_t fill;            /**< PDF_NO_FILL: zebra or white */
    size_t span;              /**< columns covered; 0 means 1 */
};

#define PDF_TABLE_COLS 10

struct pdf_table {
    size_t ncols;
    double widths[PDF_TABLE_COLS]; /**< points; their sum is the table width */
    double pad;                    /**< cell padding, points */
    double leading;                /**< line height / type size in the cells; 0: the body's (1.25) */
    const struct pdf_cell *header; /**< ncols cells repeated after each page break, or NULL */
    uint32_t header_fill;
    uint32_t rule_rgb;             /**< grid colour */
    bool zebra;                    /**< tint every other body row */
    size_t nrows;                  /**< body rows drawn so far (zebra phase) */
    int ruled_page;                /**< page and height of the last band's bottom rule, which is the next */
    double ruled_y;                /**< band's top rule (drawn once) */
};

/** Append a run to a cell (ignored when text is empty or the cell is full). */
void pdf_cell_add(struct pdf_cell *c, enum pdf_font f, double size, uint32_t rgb, const char *text);
/** The same for an identifier that breaks only as `brk` allows. */
void pdf_cell_add_id(struct pdf_cell *c, enum pdf_font f, double size, uint32_t rgb, const char *text,
                     enum pdf_break brk);

/**
 * The type size at which `text` obeys `brk` within `width`: `size` itself, or smaller (not below
 * PDF_MIN_ID_SIZE) when the whole text (NEVER) or its longest '/'-segment (SLASH) is wider.
 */
double pdf_fit_size(const struct pdf_dev *dev, enum pdf_font f, double size, const char *text, double width,
                    enum pdf_break brk);

/** Start a table: widths scaled from `fractions` to the content width; draws the header. */
void pdf_table_begin(struct pdf_lay *l, struct pdf_table *t, size_t ncols, const double *fractions,
                     const struct pdf_cell *header);
/**
 * Draw a row of cells (their spans add up to ncols). A row that does not fit moves to a new
 * page under a repeated header; a row taller than a whole page is split between lines.
 */
void pdf_table_row(struct pdf_lay *l, struct pdf_table *t, const struct pdf_cell *cells, size_t ncells);

#endif
