/*
 * The bare-library floor for bench/report_bench.sh: the least work libxlsxwriter and libharu need
 * to write what a report writes. `floor xlsx OUT CELLS COLS` writes CELLS string cells, COLS a
 * row, with libxlsxwriter in constant_memory mode; `floor pdf OUT PAGES FONTDIR` writes PAGES A4
 * pages of 70 lines of text each in the report's three embedded DejaVu faces, compressed.
 * Build: cc -O2 -o floor bench/floor.c $(pkg-config --cflags --libs xlsxwriter) -lhpdf
 */
#include <hpdf.h>
#include <xlsxwriter.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int floor_xlsx(const char *out, long cells, long cols)
{
    lxw_workbook_options opt = {.constant_memory = LXW_TRUE, .tmpdir = NULL};
    lxw_workbook *wb = workbook_new_opt(out, &opt);
    if (!wb)
        return 1;
    lxw_worksheet *ws = workbook_add_worksheet(wb, "Findings");
    char text[64];
    for (long i = 0; i < cells; i++) {
        snprintf(text, sizeof text, "expressroute-NS-1-%016lx", (unsigned long)i * 2654435761u);
        worksheet_write_string(ws, (lxw_row_t)(i / cols), (lxw_col_t)(i % cols), text, NULL);
    }
    return workbook_close(wb) == LXW_NO_ERROR ? 0 : 1;
}

static void on_error(HPDF_STATUS no, HPDF_STATUS detail, void *data)
{
    (void)data;
    fprintf(stderr, "libharu error 0x%04X (%u)\n", (unsigned)no, (unsigned)detail);
    exit(1);
}

static int floor_pdf(const char *out, long pages, const char *font_dir)
{
    static const char *const files[3] = {"DejaVuSans.ttf", "DejaVuSans-Bold.ttf", "DejaVuSansMono.ttf"};
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
    char line[160];
    for (long p = 0; p < pages; p++) {
        HPDF_Page page = HPDF_AddPage(doc);
        HPDF_Page_SetSize(page, HPDF_PAGE_SIZE_A4, HPDF_PAGE_PORTRAIT);
        HPDF_Page_BeginText(page);
        for (int k = 0; k < 70; k++) {
            snprintf(line, sizeof line, "%08lx-0000-4000-8000-000000000000 rg-net virtualNetworks/vnet-hub/subnets/snet-%d "
                     "expressroute-NS-1-%016lx as above", p, k, (unsigned long)(p * 70 + k) * 2654435761u);
            HPDF_Page_SetFontAndSize(page, font[k % 3], 5.8f);
            HPDF_Page_SetTextMatrix(page, 1, 0, 0, 1, 51, (HPDF_REAL)(780 - k * 10));
            HPDF_Page_ShowText(page, line);
        }
        HPDF_Page_EndText(page);
    }
    HPDF_STATUS st = HPDF_SaveToFile(doc, out);
    HPDF_Free(doc);
    return st == HPDF_OK ? 0 : 1;
}

int main(int argc, char **argv)
{
    if (argc == 5 && strcmp(argv[1], "xlsx") == 0)
        return floor_xlsx(argv[2], atol(argv[3]), atol(argv[4]));
    if (argc == 5 && strcmp(argv[1], "pdf") == 0)
        return floor_pdf(argv[2], atol(argv[3]), argv[4]);
    fprintf(stderr, "usage: floor xlsx OUT CELLS COLS | floor pdf OUT PAGES FONTDIR\n");
    return 2;
}
