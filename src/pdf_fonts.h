/**
 * @file pdf_fonts.h
 * @brief Font work around libharu 2.3.0 that the device (pdf_device.c) hooks into.
 */
#ifndef SB_PDF_FONTS_H
#define SB_PDF_FONTS_H

#include <hpdf.h>

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

#endif
