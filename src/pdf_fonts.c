#include "pdf_fonts.h"

#include <hpdf_font.h>
#include <hpdf_objects.h>
#include <hpdf_streams.h>

#include <stdio.h>
#include <string.h>

/* Codes per bfrange block: the specification allows at most 100 entries in one block. */
#define BLOCK 100

HPDF_STATUS pdf_fonts_fix_to_unicode(HPDF_Font font)
{
    if (!font || !font->attr)
        return HPDF_INVALID_OBJECT;
    HPDF_Dict cmap = ((HPDF_FontAttr)font->attr)->cmap_stream;
    /* Only the Type0 font over a TrueType face gets this stream as its /ToUnicode. */
    if (!cmap || !cmap->stream || HPDF_Dict_GetItem(font, "ToUnicode", HPDF_OCLASS_DICT) != cmap)
        return HPDF_INVALID_OBJECT;
    /* Every BMP high byte except the surrogates (D8-DF), each a range of 256 codes. */
    unsigned highs[256], n = 0;
    for (unsigned hi = 0; hi < 256; hi++)
        if (hi < 0xD8 || hi > 0xDF)
            highs[n++] = hi;
    HPDF_Stream s = cmap->stream;
    HPDF_MemStream_FreeData(s);
    HPDF_STATUS st = HPDF_Stream_WriteStr(s, "/CIDInit /ProcSet findresource begin\n"
                                             "12 dict begin\n"
                                             "begincmap\n"
                                             "/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def\n"
                                             "/CMapName /Adobe-Identity-UCS def\n"
                                             "/CMapType 2 def\n"
                                             "1 begincodespacerange\n<0000> <FFFF>\nendcodespacerange\n");
    for (unsigned i = 0; i < n && st == HPDF_OK; i += BLOCK) {
        unsigned k = n - i < BLOCK ? n - i : BLOCK;
        char line[64];
        snprintf(line, sizeof line, "%u beginbfrange\n", k);
        st = HPDF_Stream_WriteStr(s, line);
        for (unsigned j = 0; j < k && st == HPDF_OK; j++) {
            snprintf(line, sizeof line, "<%02X00> <%02XFF> <%02X00>\n", highs[i + j], highs[i + j], highs[i + j]);
            st = HPDF_Stream_WriteStr(s, line);
        }
        if (st == HPDF_OK)
            st = HPDF_Stream_WriteStr(s, "endbfrange\n");
    }
    if (st == HPDF_OK)
        st = HPDF_Stream_WriteStr(s, "endcmap\n"
                                     "CMapName currentdict /CMap defineresource pop\n"
                                     "end\n"
                                     "end\n");
    /* The keys of an encoding CMap do not belong on a ToUnicode stream. */
    if (st == HPDF_OK) {
        static const char *const keys[] = {"Type", "CMapName", "CIDSystemInfo", "WMode", "UseCMap"};
        for (size_t i = 0; i < sizeof keys / sizeof *keys; i++)
            HPDF_Dict_RemoveElement(cmap, keys[i]); /* HPDF_DICT_ITEM_NOT_FOUND is fine (and not an error) */
    }
    return st;
}
