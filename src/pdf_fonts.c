#include "pdf_fonts.h"

#include <hpdf_font.h>
#include <hpdf_objects.h>
#include <hpdf_streams.h>

#include <stdbool.h>
#include <stdint.h>
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

/* W entries per inner array: a long run of used codes is split so no array grows without bound. */
#define W_RUN 500

static HPDF_STATUS used_widths(HPDF_Dict cid_font, HPDF_FontDef def, const uint16_t *codes, size_t n)
{
    HPDF_Array w = HPDF_Array_New(cid_font->mmgr);
    if (!w)
        return HPDF_FAILD_TO_ALLOC_MEM;
    HPDF_STATUS st = HPDF_Dict_RemoveElement(cid_font, "W");
    if (st == HPDF_OK || st == HPDF_DICT_ITEM_NOT_FOUND)
        st = HPDF_Dict_Add(cid_font, "W", w); /* owns w from here, even on failure */
    else
        HPDF_Array_Free(w);
    HPDF_Array run = NULL;
    for (size_t i = 0, len = 0; i < n && st == HPDF_OK; i++, len++) {
        if (!run || codes[i] != codes[i - 1] + 1 || len == W_RUN) {
            st = HPDF_Array_AddNumber(w, codes[i]);
            run = st == HPDF_OK ? HPDF_Array_New(cid_font->mmgr) : NULL;
            if (!run)
                return st == HPDF_OK ? HPDF_FAILD_TO_ALLOC_MEM : st;
            if ((st = HPDF_Array_Add(w, run)) != HPDF_OK)
                return st;
            len = 0;
        }
        HPDF_UINT16 gid = HPDF_TTFontDef_GetGlyphid(def, codes[i]);
        st = HPDF_Array_AddNumber(run, HPDF_TTFontDef_GetGidWidth(def, gid));
    }
    return st;
}

static HPDF_STATUS used_gids(HPDF_Dict map, HPDF_FontDef def, const uint16_t *codes, size_t n)
{
    HPDF_Stream s = map->stream;
    HPDF_MemStream_FreeData(s);
    HPDF_STATUS st = HPDF_OK;
    uint32_t next = 0;
    static const HPDF_BYTE zero[2] = {0, 0};
    for (size_t i = 0; i < n && st == HPDF_OK; i++) {
        for (; next < codes[i] && st == HPDF_OK; next++)
            st = HPDF_Stream_Write(s, zero, 2);
        HPDF_UINT16 gid = HPDF_TTFontDef_GetGlyphid(def, codes[i]);
        HPDF_BYTE be[2] = {(HPDF_BYTE)(gid >> 8), (HPDF_BYTE)gid};
        if (st == HPDF_OK)
            st = HPDF_Stream_Write(s, be, 2);
        next = codes[i] + 1u;
    }
    return st;
}

HPDF_STATUS pdf_fonts_trim(HPDF_Font font, const uint16_t *codes, size_t n)
{
    if (!font || !font->attr || n == 0)
        return HPDF_INVALID_OBJECT;
    HPDF_FontAttr attr = (HPDF_FontAttr)font->attr;
    HPDF_FontDef def = attr->fontdef;
    HPDF_Array desc = HPDF_Dict_GetItem(font, "DescendantFonts", HPDF_OCLASS_ARRAY);
    HPDF_Dict cid_font = desc ? HPDF_Array_GetItem(desc, 0, HPDF_OCLASS_DICT) : NULL;
    if (!def || def->type != HPDF_FONTDEF_TYPE_TRUETYPE || !cid_font || !attr->map_stream ||
        HPDF_Dict_GetItem(cid_font, "CIDToGIDMap", HPDF_OCLASS_DICT) != attr->map_stream)
        return HPDF_INVALID_OBJECT;
    HPDF_STATUS st = used_widths(cid_font, def, codes, n);
    if (st == HPDF_OK)
        st = used_gids(attr->map_stream, def, codes, n);
    if (st == HPDF_OK) {
        /* libharu copies the post table whole; a zero length is what it writes for a table the font
         * lacks, and readers treat that as absent (it is not among a CIDFontType2's required tables). */
        HPDF_TTFontDefAttr tt = (HPDF_TTFontDefAttr)def->attr;
        for (HPDF_UINT i = 0; i < tt->offset_tbl.num_tables; i++)
            if (memcmp(tt->offset_tbl.table[i].tag, "post", 4) == 0)
                tt->offset_tbl.table[i].length = 0;
    }
    return st;
}

/* Big-endian reads of the font file for pdf_fonts_mark_components. */
static bool read_u16(FILE *f, uint16_t *v)
{
    unsigned char b[2];
    if (fread(b, 1, 2, f) != 2)
        return false;
    *v = (uint16_t)(b[0] << 8 | b[1]);
    return true;
}

/* Mark the components of glyph gid (TrueType glyf: numberOfContours -1, then component records). Returns
 * false on a read error; sets *more when it marked a glyph below gid (which the caller's pass has gone by). */
static bool mark_glyph_components(HPDF_TTFontDefAttr a, FILE *f, HPDF_UINT gid, bool *more)
{
    enum { WORDS = 1, SCALE = 8, MORE = 32, XY_SCALE = 64, TWO_BY_TWO = 128 };
    HPDF_UINT32 start = a->glyph_tbl.offsets[gid], end = a->glyph_tbl.offsets[gid + 1];
    if (end <= start)
        return true; /* no outline (a space) */
    long unit = a->header.index_to_loc_format == 0 ? 2 : 1;
    uint16_t contours, flags, comp;
    if (fseek(f, (long)a->glyph_tbl.base_offset + (long)start * unit, SEEK_SET) != 0 || !read_u16(f, &contours))
        return false;
    if (contours != 0xFFFF)
        return true;
    if (fseek(f, 8, SEEK_CUR) != 0) /* the bounding box */
        return false;
    do {
        if (!read_u16(f, &flags) || !read_u16(f, &comp))
            return false;
        long skip = (flags & WORDS ? 4 : 2) + (flags & SCALE ? 2 : flags & XY_SCALE ? 4 : flags & TWO_BY_TWO ? 8 : 0);
        if (fseek(f, skip, SEEK_CUR) != 0)
            return false;
        if (comp < a->num_glyphs && !a->glyph_tbl.flgs[comp]) {
            a->glyph_tbl.flgs[comp] = 1;
            *more |= comp < gid;
        }
    } while (flags & MORE);
    return true;
}

HPDF_STATUS pdf_fonts_mark_components(HPDF_FontDef def, const char *path)
{
    if (!def || def->type != HPDF_FONTDEF_TYPE_TRUETYPE || !path)
        return HPDF_INVALID_OBJECT;
    HPDF_TTFontDefAttr a = (HPDF_TTFontDefAttr)def->attr;
    if (!a->embedding || !a->glyph_tbl.flgs || !a->glyph_tbl.offsets)
        return HPDF_OK;
    FILE *f = fopen(path, "rb");
    if (!f)
        return HPDF_FILE_IO_ERROR;
    HPDF_STATUS st = HPDF_OK;
    /* Components marked below the current glyph may be composites themselves: pass again until none is new. */
    for (bool more = true; more && st == HPDF_OK;) {
        more = false;
        for (HPDF_UINT gid = 0; gid < a->num_glyphs && st == HPDF_OK; gid++)
            if (a->glyph_tbl.flgs[gid] && !mark_glyph_components(a, f, gid, &more))
                st = HPDF_FILE_IO_ERROR;
    }
    fclose(f);
    return st;
}
