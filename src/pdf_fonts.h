/**
 * @file pdf_fonts.h
 * @brief Font work around libharu 2.3.0 that the device (pdf_device.c) hooks into.
 */
#ifndef SB_PDF_FONTS_H
#define SB_PDF_FONTS_H

#include <hpdf.h>

#include <stddef.h>
#include <stdint.h>

/**
 * Give a UTF-8 (Identity-H) TrueType font a valid ToUnicode CMap.
 *
 * libharu 2.3.0 attaches its *encoding* CMap as the font's /ToUnicode (a `begincidrange` block,
 * which a ToUnicode CMap may not contain), so poppler prints "Invalid 'begincidrange' operator in
 * ToUnicode CMap" for every font on every page. The codes libharu shows are the Unicode code points
 * themselves (Identity-H, CIDToGIDMap from the font's cmap), so the right map is the identity, written
 * as `bfrange`s that differ only in their last byte, as the PDF specification requires. The same
 * stream object is rewritten in place: text stays extractable and searchable, and no orphan object
 * is left. Returns HPDF_OK, or an error status (the font is left as libharu made it).
 */
HPDF_STATUS pdf_fonts_fix_to_unicode(HPDF_Font font);

/**
 * Mark the components of every used composite glyph of a TrueType font definition as used, reading the
 * glyph table from the font file at `path`, so that they are embedded too.
 *
 * libharu 2.3.0 is meant to do this when a glyph is first measured, but its check misses them for
 * WenQuanYi Zen Hei (whose Hangul syllables are composites of jamo glyphs): the syllables came out
 * blank, though their text was extractable. Nested composites are followed. Returns HPDF_OK, or
 * HPDF_FILE_IO_ERROR when the file cannot be read as the definition describes it.
 */
HPDF_STATUS pdf_fonts_mark_components(HPDF_FontDef def, const char *path);

/**
 * Shrink a UTF-8 TrueType font to the code points drawn with it, before the document is saved.
 *
 * libharu 2.3.0 embeds only the used glyphs' outlines, but writes a width (W) and a CIDToGIDMap
 * entry for every character of the font and copies the tables hmtx, loca and post whole. For a CJK
 * font of 30 000 glyphs that is about 500 kB per document for a few names. This keeps in W and
 * CIDToGIDMap only `codes` (ascending BMP code points, n > 0; other codes keep the default width
 * and map to glyph 0, and are never shown) and drops the post table (glyph names, which PDF does
 * not use). Returns HPDF_OK, or an error status (out of memory: libharu's error handler has been
 * told, and the document will not save).
 */
HPDF_STATUS pdf_fonts_trim(HPDF_Font font, const uint16_t *codes, size_t n);

#endif
