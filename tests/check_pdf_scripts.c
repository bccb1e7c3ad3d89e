/* Tests for the device's handling of scripts DejaVu lacks or draws right to left (src/pdf_device.c):
 * which face each code point is drawn from, the drawing order of a right-to-left line, and what
 * happens when no fallback font is installed. The fallback tests need fonts-wqy-zenhei; without it
 * they are left out and the program exits 77 (ctest: skipped) once the others have passed. */
#include "err.h"
#include "pdf_device.h"
#include "pdf_fonts.h"
#include "util.h"

#include "testutil.h"

#include <check.h>
#include <hpdf.h>
#include <hpdf_fontdef.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define ZENHEI "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc"
#define DROID "/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf"

static struct pdf_hpdf *open_doc(void)
{
    struct pdf_hpdf *h = NULL;
    struct sb_err e = {0};
    char *fonts = sb_path_join(tu_src_dir(), "fonts");
    ck_assert_msg(pdf_hpdf_open(&h, fonts, &e) == 0, "open: %s", e.msg);
    free(fonts);
    return h;
}

/* The glyphs of a text as "U+XXXX:face ..." (face: S, B, M for the DejaVu faces, F0.. fallbacks). */
static char *glyphs_of(struct pdf_hpdf *h, enum pdf_font f, const char *s)
{
    const struct pdf_glyph *g;
    size_t n = pdf_hpdf_glyphs(h, f, s, strlen(s), &g);
    struct sb_buf b = {0};
    for (size_t i = 0; i < n; i++) {
        static const char *const names[] = {"S", "B", "M"};
        if (g[i].face < PDF_FACE_FALLBACK)
            sb_buf_printf(&b, "%sU+%04X:%s", i ? " " : "", (unsigned)g[i].cp, names[g[i].face]);
        else
            sb_buf_printf(&b, "%sU+%04X:F%d", i ? " " : "", (unsigned)g[i].cp, g[i].face - PDF_FACE_FALLBACK);
    }
    sb_buf_putc(&b, '\0');
    return sb_buf_take(&b);
}

#define assert_glyphs(h, f, s, want)                 \
    do {                                             \
        char *got_ = glyphs_of((h), (f), (s));       \
        ck_assert_str_eq(got_, (want));              \
        free(got_);                                  \
    } while (0)

static const struct pdf_fallback_font zenhei_only[] = {{ZENHEI, 0, "fonts-wqy-zenhei"}};

START_TEST(cjk_comes_from_the_fallback_font)
{
    struct pdf_hpdf *h = open_doc();
    pdf_hpdf_set_fallbacks(h, zenhei_only, 1);
    /* Chinese and kanji, kana, hangul; Latin stays in the face asked for, whichever it is. */
    assert_glyphs(h, PDF_FONT_SANS, "ab\xe6\x9d\xb1\xe4\xba\xac", "U+0061:S U+0062:S U+6771:F0 U+4EAC:F0");
    assert_glyphs(h, PDF_FONT_BOLD, "a\xe3\x83\x97", "U+0061:B U+30D7:F0");
    assert_glyphs(h, PDF_FONT_MONO, "x-\xec\x84\x9c\xec\x9a\xb8", "U+0078:M U+002D:M U+C11C:F0 U+C6B8:F0");
    /* What is measured is what is drawn: the sum of the runs' widths. */
    long latin = pdf_hpdf_clean(h, PDF_FONT_SANS, "ab", 2, NULL);
    long one = pdf_hpdf_clean(h, PDF_FONT_SANS, "\xe6\x9d\xb1", 3, NULL);
    ck_assert_int_gt(one, 0);
    ck_assert_int_eq(pdf_hpdf_clean(h, PDF_FONT_SANS, "ab\xe6\x9d\xb1\xe6\x9d\xb1", 8, NULL), latin + 2 * one);
    pdf_hpdf_free(h);
}
END_TEST

static size_t used_glyphs(HPDF_FontDef def)
{
    HPDF_TTFontDefAttr a = (HPDF_TTFontDefAttr)def->attr;
    size_t n = 0;
    for (HPDF_UINT i = 0; i < a->num_glyphs; i++)
        n += a->glyph_tbl.flgs[i] != 0;
    return n;
}

/* WenQuanYi's Hangul syllables are composites of jamo glyphs, which libharu 2.3.0 left out of the
 * embedded font: the names came out blank (but extractable). pdf_fonts_mark_components adds them. */
START_TEST(hangul_syllables_embed_their_components)
{
    HPDF_Doc doc = HPDF_New(NULL, NULL);
    ck_assert_ptr_nonnull(doc);
    HPDF_UseUTFEncodings(doc);
    const char *name = HPDF_LoadTTFontFromFile2(doc, ZENHEI, 0, HPDF_TRUE);
    ck_assert_ptr_nonnull(name);
    HPDF_FontDef def = HPDF_GetFontDef(doc, name);
    ck_assert_ptr_nonnull(def);
    HPDF_TTFontDef_GetCharWidth(def, 0x6771); /* 東: a simple glyph */
    ck_assert_int_eq(pdf_fonts_mark_components(def, ZENHEI), HPDF_OK);
    size_t han = used_glyphs(def);
    HPDF_TTFontDef_GetCharWidth(def, 0xC11C); /* 서: two components */
    ck_assert_int_eq(pdf_fonts_mark_components(def, ZENHEI), HPDF_OK);
    ck_assert_uint_eq(used_glyphs(def), han + 3); /* the syllable and its two jamo, however libharu fares */
    ck_assert_int_eq(pdf_fonts_mark_components(def, "/nonexistent/font.ttc"), HPDF_FILE_IO_ERROR);
    HPDF_Free(doc);
}
END_TEST

/* The second font of the list, a plain .ttf (run only where fonts-droid-fallback is installed). */
START_TEST(droid_fallback_has_han_and_kana_but_no_hangul)
{
    static const struct pdf_fallback_font droid_only[] = {{DROID, -1, "fonts-droid-fallback"}};
    struct pdf_hpdf *h = open_doc();
    pdf_hpdf_set_fallbacks(h, droid_only, 1);
    assert_glyphs(h, PDF_FONT_SANS, "\xe6\x9d\xb1\xe3\x83\x97", "U+6771:F0 U+30D7:F0");
    fflush(stderr);
    int saved = dup(2), null = open("/dev/null", O_WRONLY);
    dup2(null, 2); /* the warning about the hangul */
    close(null);
    assert_glyphs(h, PDF_FONT_SANS, "\xec\x84\x9c", "U+FFFD:S");
    dup2(saved, 2);
    close(saved);
    pdf_hpdf_free(h);
}
END_TEST

START_TEST(right_to_left_lines_are_reordered_for_drawing)
{
    struct pdf_hpdf *h = open_doc();
    /* Hebrew inside a Latin line: the Hebrew word reversed in place, the Latin words kept. */
    assert_glyphs(h, PDF_FONT_SANS, "abc \xd7\xa9\xd7\x9c\xd7\x95\xd7\x9d def",
                  "U+0061:S U+0062:S U+0063:S U+0020:S U+05DD:S U+05D5:S U+05DC:S U+05E9:S U+0020:S "
                  "U+0064:S U+0065:S U+0066:S");
    /* A Hebrew name with a number: one right-to-left run, the digits still left to right. DejaVu Sans
     * Mono has no Hebrew: those letters come from DejaVu Sans, the rest stays mono. */
    assert_glyphs(h, PDF_FONT_MONO, "\xd7\xaa\xd7\x9c-12",
                  "U+0031:M U+0032:M U+002D:M U+05DC:S U+05EA:S");
    /* Arabic is joined: seen initial, lam-alef ligature (one glyph for two letters), meem isolated. */
    assert_glyphs(h, PDF_FONT_SANS, "\xd8\xb3\xd9\x84\xd8\xa7\xd9\x85", "U+FEE1:S U+FEFC:S U+FEB3:S");
    /* Left-to-right text is untouched, and so is the outline's copy (logical order). */
    assert_glyphs(h, PDF_FONT_SANS, "a-(b)", "U+0061:S U+002D:S U+0028:S U+0062:S U+0029:S");
    pdf_hpdf_free(h);
}
END_TEST

/* Run f(h) with stderr going to a file; returns what was written there. */
static char *stderr_of(void (*f)(struct pdf_hpdf *), struct pdf_hpdf *h)
{
    char *dir = tu_tmpdir("pdf_scripts_stderr");
    char *path = sb_path_join(dir, "stderr.txt");
    fflush(stderr);
    int saved = dup(2);
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
    ck_assert_int_ge(fd, 0);
    dup2(fd, 2);
    close(fd);
    f(h);
    fflush(stderr);
    dup2(saved, 2);
    close(saved);
    char *text = tu_slurp(path, NULL);
    free(path);
    free(dir);
    return text;
}

static void draw_cjk_twice(struct pdf_hpdf *h)
{
    assert_glyphs(h, PDF_FONT_SANS, "x\xe6\x9d\xb1\xe4\xba\xac", "U+0078:S U+FFFD:S U+FFFD:S");
    assert_glyphs(h, PDF_FONT_BOLD, "\xe4\xb8\xad", "U+FFFD:B");
}

START_TEST(without_a_fallback_font_one_warning_and_replacements)
{
    char *dir = tu_tmpdir("pdf_scripts_nofont");
    char *junk = sb_path_join(dir, "not-a-font.ttf");
    tu_write(junk, "this is not a TrueType font\n");
    const struct pdf_fallback_font none[] = {
        {junk, -1, "fonts-test-broken"},
        {"/nonexistent/mcsb-audit-test/font.ttf", -1, "fonts-test-absent"},
    };
    struct pdf_hpdf *h = open_doc();
    pdf_hpdf_set_fallbacks(h, none, 2);
    char *err = stderr_of(draw_cjk_twice, h);
    ck_assert_str_eq(err, "mcsb-audit: warning: no font has U+6771 (in \"x\xe6\x9d\xb1\xe4\xba\xac\"); the PDF shows "
                          "U+FFFD; install fonts-test-broken\n");
    /* The unreadable font left no libharu error behind: the document still saves. */
    const struct pdf_dev *dev = pdf_hpdf_dev(h);
    dev->page(dev->ctx, 595, 842);
    dev->text(dev->ctx, PDF_FONT_SANS, 10, 0, 72, 700, "x\xe6\x9d\xb1", 4);
    char *pdf = sb_path_join(dir, "out.pdf");
    struct sb_err e = {0};
    ck_assert_msg(pdf_hpdf_save(h, pdf, &e) == 0, "save: %s", e.msg);
    ck_assert_int_eq(access(pdf, F_OK), 0);
    pdf_hpdf_free(h);
    free(err);
    free(pdf);
    free(junk);
    free(dir);
}
END_TEST

int main(void)
{
    bool zenhei = access(ZENHEI, R_OK) == 0;
    Suite *s = suite_create("pdf_scripts");
    TCase *t = tcase_create("scripts");
    tcase_set_timeout(t, 60);
    tcase_add_test(t, right_to_left_lines_are_reordered_for_drawing);
    tcase_add_test(t, without_a_fallback_font_one_warning_and_replacements);
    if (zenhei) {
        tcase_add_test(t, cjk_comes_from_the_fallback_font);
        tcase_add_test(t, hangul_syllables_embed_their_components);
    }
    if (access(DROID, R_OK) == 0)
        tcase_add_test(t, droid_fallback_has_han_and_kana_but_no_hangul);
    suite_add_tcase(s, t);
    int rc = tu_run(s);
    if (rc == EXIT_SUCCESS && !zenhei) {
        printf("SKIP: " ZENHEI " is missing (Debian package fonts-wqy-zenhei): the CJK fallback is not tested\n");
        return 77;
    }
    return rc;
}
