/*
 * The bare-library floor for bench/scale_bench.sh: the least work libxlsxwriter and libharu need
 * to write what a report writes. `floor xlsx OUT CELLS-FILE` writes the same cells (every string
 * and number of report.xlsx, from bench/floor_inputs.py) with libxlsxwriter in constant_memory
 * mode and no formats; `floor pdf OUT TEXT-FILE FONTDIR` writes the same pages with the same text
 * (pdftotext of report.pdf), a text call per line, in the report's three embedded DejaVu faces,
 * compressed: no measuring, wrapping, rules or fills.
 * Build: cc -O2 -o floor bench/floor.c $(pkg-config --cflags --libs xlsxwriter) -lhpdf
 */
#include <hpdf.h>
#include <xlsxwriter.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Undo floor_inputs.py's escapes in place. */
static void unescape(char *s)
{
    char *o = s;
    for (char *p = s; *p; p++) {
        if (*p != '\\' || !p[1]) {
            *o++ = *p;
            continue;
        }
        p++;
        *o++ = *p == 'n' ? '\n' : *p == 't' ? '\t' : *p == 'r' ? '\r' : *p;
    }
    *o = '\0';
}

/* Every cell of the report's workbook (floor_inputs.py cells), in order, no formats. */
static int floor_xlsx(const char *out, const char *cells_path)
{
    FILE *in = fopen(cells_path, "r");
    if (!in)
        return 1;
    lxw_workbook_options opt = {.constant_memory = LXW_TRUE, .tmpdir = NULL};
    lxw_workbook *wb = workbook_new_opt(out, &opt);
    if (!wb)
        return 1;
    lxw_worksheet *ws = NULL;
    long sheet = -1;
    char *line = NULL;
    size_t cap = 0;
    ssize_t n;
    while ((n = getline(&line, &cap, in)) > 0) {
        if (line[n - 1] == '\n')
            line[n - 1] = '\0';
        char *f[5], *p = line;
        for (int k = 0; k < 4; k++) {
            f[k] = p;
            p = strchr(p, '\t');
            if (!p)
                return 1;
            *p++ = '\0';
        }
        f[4] = p;
        long sh = atol(f[0]);
        while (sheet < sh) {
            ws = workbook_add_worksheet(wb, NULL);
            sheet++;
        }
        lxw_row_t row = (lxw_row_t)atol(f[1]);
        lxw_col_t col = (lxw_col_t)atol(f[2]);
        if (f[3][0] == 'n') {
            worksheet_write_number(ws, row, col, atof(f[4]), NULL);
        } else {
            unescape(f[4]);
            worksheet_write_string(ws, row, col, f[4], NULL);
        }
    }
    free(line);
    fclose(in);
    return workbook_close(wb) == LXW_NO_ERROR ? 0 : 1;
}

static void on_error(HPDF_STATUS no, HPDF_STATUS detail, void *data)
{
    (void)data;
    fprintf(stderr, "libharu error 0x%04X (%u)\n", (unsigned)no, (unsigned)detail);
    exit(1);
}

/* The text of every page of the report (pdftotext, pages separated by form feeds), a line per text call,
 * in the three faces in turn. */
static int floor_pdf(const char *out, const char *text_path, const char *font_dir)
{
    static const char *const files[3] = {"DejaVuSans.ttf", "DejaVuSans-Bold.ttf", "DejaVuSansMono.ttf"};
    FILE *in = fopen(text_path, "r");
    if (!in)
        return 1;
    HPDF_Doc doc = HPDF_New(on_error, NULL);
    HPDF_SetCompressionMode(doc, HPDF_COMP_ALL);
    HPDF_SetPagesConfiguration(doc, 64);
    HPDF_UseUTFEncodings(doc);
    HPDF_SetCurrentEncoder(doc, "UTF-8");
    HPDF_Font font[3];
    for (int f = 0; f < 3; f++) {
        char path[4096];
        snprintf(path, sizeof path, "%s/%s", font_dir, files[f]);
        font[f] = HPDF_GetFont(doc, HPDF_LoadTTFontFromFile(doc, path, HPDF_TRUE), "UTF-8");
    }
    HPDF_Page page = NULL;
    int k = 0;
    char *line = NULL;
    size_t cap = 0;
    ssize_t n;
    while ((n = getline(&line, &cap, in)) > 0) {
        if (line[n - 1] == '\n')
            line[--n] = '\0';
        char *text = line;
        if (!page || *text == '\f') {
            if (page)
                HPDF_Page_EndText(page);
            while (*text == '\f')
                text++;
            if (!*text && page && feof(in)) { /* the form feed after the last page */
                page = NULL;
                break;
            }
            page = HPDF_AddPage(doc);
            HPDF_Page_SetSize(page, HPDF_PAGE_SIZE_A4, HPDF_PAGE_PORTRAIT);
            HPDF_Page_BeginText(page);
            k = 0;
        }
        if (!*text)
            continue;
        HPDF_Page_SetFontAndSize(page, font[k % 3], 7.0f);
        HPDF_Page_SetTextMatrix(page, 1, 0, 0, 1, 51, (HPDF_REAL)(800 - (k % 100) * 8));
        HPDF_Page_ShowText(page, text);
        k++;
    }
    if (page)
        HPDF_Page_EndText(page);
    free(line);
    fclose(in);
    HPDF_STATUS st = HPDF_SaveToFile(doc, out);
    HPDF_Free(doc);
    return st == HPDF_OK ? 0 : 1;
}

int main(int argc, char **argv)
{
    if (argc == 4 && strcmp(argv[1], "xlsx") == 0)
        return floor_xlsx(argv[2], argv[3]);
    if (argc == 5 && strcmp(argv[1], "pdf") == 0)
        return floor_pdf(argv[2], argv[3], argv[4]);
    fprintf(stderr, "usage: floor xlsx OUT CELLS-FILE | floor pdf OUT TEXT-FILE FONTDIR\n");
    return 2;
}
