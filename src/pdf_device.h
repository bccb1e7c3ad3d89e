/**
 * @file pdf_device.h
 * @brief The libharu implementation of the layout device (pdf_layout.h): one PDF document with
 *        the three embedded DejaVu faces (and a CJK fallback font when a text needs one), UTF-8
 *        text with right-to-left lines reordered, vector fills and lines, and the outline.
 *
 * Every libharu call of the report lives in pdf_device.c. Errors are never thrown with
 * longjmp: the first libharu error is recorded and reported at save time, and set-up calls
 * are checked one by one (STYLE.md §8.A).
 *
 * Ownership: pdf_hpdf_open() returns a document the caller frees with pdf_hpdf_free(), which
 * is a no-op on NULL. The device pointer is valid until then.
 */
#ifndef SB_PDF_DEVICE_H
#define SB_PDF_DEVICE_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "pdf_layout.h"

struct sb_err;
struct sb_buf;
struct pdf_hpdf;

/** The faces, in enum pdf_font order, looked up in `font_dir`. */
extern const char *const pdf_font_files[PDF_FONT_COUNT];

/**
 * New document with compression on and the fonts of `font_dir` embedded. A missing or
 * unreadable font is exit code 4: "DIR/fonts/DejaVuSans.ttf: cannot read font: No such file or directory".
 */
int pdf_hpdf_open(struct pdf_hpdf **out, const char *font_dir, struct sb_err *e);
const struct pdf_dev *pdf_hpdf_dev(struct pdf_hpdf *h);
/** The report's page number of this document's first page, when it holds one volume of a long report (default
 *  1): links name report pages, and a link to a page outside the document is left out. */
void pdf_hpdf_set_first_page(struct pdf_hpdf *h, int first_page);

/** Title, Author (UTF-8; either may be NULL), Producer, and CreationDate = `created` (UTC). */
int pdf_hpdf_info(struct pdf_hpdf *h, const char *title, const char *author, const char *producer,
                  time_t created, struct sb_err *e);

/** Write the document. On failure the file at path may be partial; the caller removes it. */
int pdf_hpdf_save(struct pdf_hpdf *h, const char *path, struct sb_err *e);
void pdf_hpdf_free(struct pdf_hpdf *h);

/** A font to draw what the DejaVu faces lack, looked for at run time (a Debian package's file). */
struct pdf_fallback_font {
    const char *path;
    int ttc_index;        /**< face in a TrueType collection, or -1 for a plain .ttf */
    const char *package;  /**< the Debian package that installs it, for the warning */
};

/** The fallback fonts in the order they are tried: fonts-wqy-zenhei, then fonts-droid-fallback. */
extern const struct pdf_fallback_font pdf_fallback_fonts[];
extern const size_t pdf_fallback_count;

/** Face number of the first fallback font in struct pdf_glyph (the next ones follow). */
#define PDF_FACE_FALLBACK PDF_FONT_COUNT

/**
 * Use `list` (borrowed, at most 4 are tried) instead of pdf_fallback_fonts; before any text.
 * Tests use it to stand for a machine without the font packages.
 */
void pdf_hpdf_set_fallbacks(struct pdf_hpdf *h, const struct pdf_fallback_font *list, size_t n);

/** One glyph as drawn: a BMP code point and the face it comes from. */
struct pdf_glyph {
    uint32_t cp;
    int face;             /**< enum pdf_font, or PDF_FACE_FALLBACK + i for the i-th fallback font */
};

/**
 * The glyphs the device draws for s[0, n) set in face f, in drawing order (left to right).
 *
 * Each code point is drawn from face f when it has the glyph, else from DejaVu Sans (the bold and
 * mono faces lack Hebrew and Arabic), else from the first fallback font that has it. A fallback
 * font is read on first need and embedded (as a subset) only once a glyph is drawn from it, so a
 * text without such characters makes the same document as before fallback fonts existed.
 * A line with right-to-left letters is put in drawing order by FriBidi (base direction
 * left-to-right; Arabic joined into presentation forms). Code points outside the BMP, malformed
 * UTF-8, control characters and characters no font has become U+FFFD of face f (or '?'); a tab
 * becomes a space. A character no font has prints one warning per document on stderr, naming the
 * package to install. The array is valid until the next call on h.
 */
size_t pdf_hpdf_glyphs(struct pdf_hpdf *h, enum pdf_font f, const char *s, size_t n, const struct pdf_glyph **out);

/**
 * Append to `out` the text the device really draws for s[0, n), in drawing order, as
 * pdf_hpdf_glyphs() makes it. Returns the advance width in 1/1000 em.
 */
long pdf_hpdf_clean(struct pdf_hpdf *h, enum pdf_font f, const char *s, size_t n, struct sb_buf *out);

#endif
