/**
 * @file pdf_device.h
 * @brief The libharu implementation of the layout device (pdf_layout.h): one PDF document with
 *        the three embedded DejaVu faces, UTF-8 text, vector fills and lines, and the outline.
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

/** Title, Author (UTF-8; either may be NULL), Producer, and CreationDate = `created` (UTC). */
int pdf_hpdf_info(struct pdf_hpdf *h, const char *title, const char *author, const char *producer,
                  time_t created, struct sb_err *e);

/** Write the document. On failure the file at path may be partial; the caller removes it. */
int pdf_hpdf_save(struct pdf_hpdf *h, const char *path, struct sb_err *e);
void pdf_hpdf_free(struct pdf_hpdf *h);

/**
 * Append to `out` the text the device really draws for s[0, n): code points outside the BMP,
 * malformed UTF-8, control characters and characters the face lacks become U+FFFD (or '?'
 * when the face has no U+FFFD); a tab becomes a space. Returns the advance width in 1/1000 em.
 */
long pdf_hpdf_clean(struct pdf_hpdf *h, enum pdf_font f, const char *s, size_t n, struct sb_buf *out);

#endif
