#include "xlsx_book.h"

#include "err.h"
#include "util.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define ACCENT_RGB 0x1F3864
#define HEADER_FILL_RGB 0xDCE3F0
#define MONO_FONT "Courier New" /* metric-compatible fallbacks exist everywhere (Liberation Mono) */

const enum sb_status xlsx_status_order[SB_STATUS_COUNT] = {
    SB_STATUS_FAIL, SB_STATUS_NOT_ASSESSED, SB_STATUS_MANUAL, SB_STATUS_PASS, SB_STATUS_NOT_APPLICABLE,
};

void xlsx_opts_default(struct xlsx_opts *o)
{
    o->max_rows = XLSX_SHEET_ROWS_MAX;
    /* Measured (docs/xlsx-report.md): for 100,000 results the default mode adds ~280 MB of RSS
     * on top of the report model, constant_memory ~2 MB, in the same ~3 s. */
    o->constant_memory = true;
    o->letter = false;
}

static lxw_format *new_format(lxw_workbook *wb)
{
    lxw_format *f = workbook_add_format(wb);
    format_set_align(f, LXW_ALIGN_VERTICAL_TOP);
    return f;
}

static void make_formats(struct xlsx_book *b)
{
    lxw_format **f = b->fmt;
    f[XF_NONE] = NULL;
    f[XF_TEXT] = new_format(b->wb);
    f[XF_WRAP] = new_format(b->wb);
    format_set_text_wrap(f[XF_WRAP]);
    f[XF_MONO] = new_format(b->wb);
    format_set_font_name(f[XF_MONO], MONO_FONT);
    format_set_font_size(f[XF_MONO], 10);
    f[XF_MONO_WRAP] = new_format(b->wb);
    format_set_font_name(f[XF_MONO_WRAP], MONO_FONT);
    format_set_font_size(f[XF_MONO_WRAP], 10);
    format_set_text_wrap(f[XF_MONO_WRAP]);
    f[XF_NUM] = new_format(b->wb);
    format_set_num_format(f[XF_NUM], "0");
    f[XF_DATE] = new_format(b->wb);
    format_set_num_format(f[XF_DATE], "yyyy-mm-dd");
    format_set_align(f[XF_DATE], LXW_ALIGN_LEFT);
    f[XF_DATETIME] = new_format(b->wb);
    format_set_num_format(f[XF_DATETIME], "yyyy-mm-dd hh:mm:ss \"UTC\"");
    format_set_align(f[XF_DATETIME], LXW_ALIGN_LEFT);
    f[XF_HEADER] = new_format(b->wb);
    format_set_bold(f[XF_HEADER]);
    format_set_text_wrap(f[XF_HEADER]);
    format_set_bg_color(f[XF_HEADER], HEADER_FILL_RGB);
    format_set_bottom(f[XF_HEADER], LXW_BORDER_THIN);
    f[XF_HEADER_NUM] = new_format(b->wb);
    format_set_bold(f[XF_HEADER_NUM]);
    format_set_text_wrap(f[XF_HEADER_NUM]);
    format_set_bg_color(f[XF_HEADER_NUM], HEADER_FILL_RGB);
    format_set_bottom(f[XF_HEADER_NUM], LXW_BORDER_THIN);
    format_set_align(f[XF_HEADER_NUM], LXW_ALIGN_RIGHT);
    f[XF_TITLE] = new_format(b->wb);
    format_set_bold(f[XF_TITLE]);
    format_set_font_size(f[XF_TITLE], 16);
    format_set_font_color(f[XF_TITLE], ACCENT_RGB);
    f[XF_LABEL] = new_format(b->wb);
    format_set_bold(f[XF_LABEL]);
    f[XF_SECTION] = new_format(b->wb);
    format_set_bold(f[XF_SECTION]);
    format_set_font_size(f[XF_SECTION], 12);
    format_set_font_color(f[XF_SECTION], ACCENT_RGB);
    f[XF_LINK] = new_format(b->wb);
    format_set_font_color(f[XF_LINK], LXW_COLOR_BLUE);
    format_set_underline(f[XF_LINK], LXW_UNDERLINE_SINGLE);
    format_set_text_wrap(f[XF_LINK]);
    for (int s = 0; s < SB_STATUS_COUNT; s++) {
        /* Separate objects: a format keeps one xf and one dxf index, and mixing uses confuses it. */
        b->status_cf[s] = workbook_add_format(b->wb);
        b->status_cell[s] = new_format(b->wb);
        lxw_format *both[] = {b->status_cf[s], b->status_cell[s]};
        for (size_t i = 0; i < 2; i++) {
            format_set_bg_color(both[i], sb_status_fill_rgb((enum sb_status)s));
            format_set_font_color(both[i], sb_status_text_rgb((enum sb_status)s));
        }
    }
}

int xlsx_book_open(struct xlsx_book *b, const char *path, const struct xlsx_opts *o,
                   const lxw_doc_properties *props, struct sb_err *e)
{
    memset(b, 0, sizeof *b);
    b->path = path;
    b->e = e;
    b->paper = o->letter ? 1 : 9; /* Excel's paper codes: 1 Letter, 9 A4 */
    b->max_rows = o->max_rows < 1 ? 1 : o->max_rows > XLSX_SHEET_ROWS_MAX ? XLSX_SHEET_ROWS_MAX : o->max_rows;
    lxw_workbook_options wo = {.constant_memory = o->constant_memory ? LXW_TRUE : LXW_FALSE};
    b->wb = workbook_new_opt(path, &wo);
    if (!b->wb)
        return sb_err_set(e, SB_EXIT_OUTPUT, "%s: cannot start the workbook (out of memory)", path);
    make_formats(b);
    /* The cast is the library's API: it copies every string and never writes through props. */
    lxw_error err = workbook_set_properties(b->wb, (lxw_doc_properties *)props);
    if (err != LXW_NO_ERROR) {
        b->failed = true;
        sb_err_set(e, SB_EXIT_OUTPUT, "%s: document properties: %s", path, lxw_strerror(err));
    }
    return b->failed ? -1 : 0;
}

static void free_names(struct xlsx_book *b)
{
    for (size_t i = 0; i < b->nnames; i++)
        free(b->names[i]);
    free(b->names);
    b->names = NULL;
    b->nnames = b->capnames = 0;
}

int xlsx_book_close(struct xlsx_book *b)
{
    free_names(b);
    if (b->failed) {
        /* Never reached workbook_close, so nothing exists at b->path (the library creates the
         * file only there); lxw_workbook_free also drops constant_memory temp files. */
        lxw_workbook_free(b->wb);
        b->wb = NULL;
        return -1;
    }
    /* Probe the path first: a failing workbook_close prints to stderr itself. */
    FILE *probe = fopen(b->path, "wb");
    if (!probe) {
        int saved = errno;
        lxw_workbook_free(b->wb);
        b->wb = NULL;
        return sb_err_set(b->e, SB_EXIT_OUTPUT, "%s: %s", b->path, strerror(saved));
    }
    fclose(probe);
    lxw_error err = workbook_close(b->wb); /* frees the workbook on every path */
    b->wb = NULL;
    if (err != LXW_NO_ERROR) {
        unlink(b->path);
        return sb_err_set(b->e, SB_EXIT_OUTPUT, "%s: cannot write the workbook: %s", b->path,
                          lxw_strerror(err));
    }
    return 0;
}

/* ---- sheet names ---- */

static bool name_taken(char *const *used_lc, size_t nused, const char *name)
{
    char *lc = sb_lower(name);
    bool taken = strcmp(lc, "history") == 0;
    for (size_t i = 0; i < nused && !taken; i++)
        taken = strcmp(used_lc[i], lc) == 0;
    free(lc);
    return taken;
}

/* Byte length of the first `chars` code points of s. */
static size_t prefix_bytes(const char *s, size_t chars)
{
    size_t i = 0;
    while (s[i] && chars) {
        i++;
        while (((unsigned char)s[i] & 0xC0) == 0x80)
            i++;
        chars--;
    }
    return i;
}

char *xlsx_sheet_name(char *const *used_lc, size_t nused, const char *wanted)
{
    struct sb_buf clean = {0};
    if (wanted && sb_utf8_valid(wanted, strlen(wanted), NULL)) {
        for (const char *p = wanted; *p; p++) {
            unsigned char c = (unsigned char)*p;
            sb_buf_putc(&clean, (c < 0x20 || strchr("[]:*?/\\", c)) ? '_' : (char)c);
        }
    }
    char *base = sb_buf_take(&clean);
    size_t start = strspn(base, "'");
    memmove(base, base + start, strlen(base + start) + 1);
    size_t len = strlen(base);
    while (len && base[len - 1] == '\'')
        base[--len] = '\0';
    if (!len) {
        free(base);
        base = sb_xstrdup("Sheet");
    }
    char *name = sb_xstrndup(base, prefix_bytes(base, LXW_SHEETNAME_MAX));
    for (unsigned k = 2; name_taken(used_lc, nused, name); k++) {
        char suffix[16];
        snprintf(suffix, sizeof suffix, " (%u)", k);
        free(name);
        size_t keep = prefix_bytes(base, LXW_SHEETNAME_MAX - strlen(suffix));
        name = sb_xasprintf("%.*s%s", (int)keep, base, suffix);
    }
    free(base);
    return name;
}

lxw_worksheet *xlsx_add_sheet(struct xlsx_book *b, const char *wanted)
{
    if (b->failed)
        return NULL;
    char *name = xlsx_sheet_name(b->names, b->nnames, wanted);
    lxw_error err = workbook_validate_sheet_name(b->wb, name);
    lxw_worksheet *ws = err == LXW_NO_ERROR ? workbook_add_worksheet(b->wb, name) : NULL;
    if (!ws) {
        b->failed = true;
        sb_err_set(b->e, SB_EXIT_OUTPUT, "%s: cannot add sheet '%s': %s", b->path, name,
                   err != LXW_NO_ERROR ? lxw_strerror(err) : "library refused it");
        free(name);
        return NULL;
    }
    worksheet_set_landscape(ws);
    worksheet_set_paper(ws, b->paper);
    worksheet_fit_to_pages(ws, 1, 0); /* every column on the page; as many pages down as needed */
    sb_grow((void **)&b->names, &b->capnames, b->nnames + 1, sizeof *b->names);
    b->names[b->nnames++] = sb_lower(name);
    free(name);
    return ws;
}

/* ---- cells ---- */

char *xlsx_fit_cell(const char *s, size_t n)
{
    const size_t marker_units = 13; /* "…" is one UTF-16 unit, " [truncated]" twelve */
    size_t units = 0, cut = 0;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if ((c & 0xC0) == 0x80)
            continue;
        if (units + (c >= 0xF0 ? 2 : 1) <= XLSX_CELL_MAX - marker_units)
            cut = i + (c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC0 ? 2 : 1);
        units += c >= 0xF0 ? 2 : 1; /* outside the BMP: a surrogate pair */
    }
    if (units <= XLSX_CELL_MAX)
        return NULL;
    return sb_xasprintf("%.*s%s", (int)cut, s, XLSX_TRUNC_MARKER);
}

/* True when the cell must be skipped: the book already failed, or there is no sheet. */
#define LINE_PT 15.0     /* Calibri 11 line, Excel's default row */
#define MAX_ROW_PT 409.0 /* Excel's limit */

unsigned xlsx_text_lines(const char *s, double width)
{
    /* Rows with wrapped text need an explicit height: LibreOffice keeps the default height on
     * import and the text would overlap the next row. Two columns of margin for word breaks. */
    size_t cap = width > 4 ? (size_t)width - 2 : 2, col = 0;
    unsigned lines = 1, max = (unsigned)(MAX_ROW_PT / LINE_PT);
    for (const unsigned char *p = (const unsigned char *)(s ? s : ""); *p && lines < max; p++) {
        if (*p == '\n') {
            lines++;
            col = 0;
            continue;
        }
        if ((*p & 0xC0) == 0x80)
            continue;
        size_t w = *p >= 0xE1 ? 2 : 1; /* from U+1000: CJK and other wide scripts */
        if (col + w > cap) {
            lines++;
            col = 0;
        }
        col += w;
    }
    return lines < max ? lines : max;
}

void xlsx_row_lines(struct xlsx_book *b, lxw_worksheet *ws, lxw_row_t row, unsigned lines)
{
    if (lines <= 1 || b->failed || !ws)
        return;
    xlsx_check(b, ws, row, 0, worksheet_set_row(ws, row, LINE_PT * lines, NULL), "row height");
}

static bool skip_cell(struct xlsx_book *b, const lxw_worksheet *ws)
{
    if (b->failed)
        return true;
    if (!ws) {
        b->failed = true;
        sb_err_set(b->e, SB_EXIT_OUTPUT, "%s: internal error: no sheet", b->path);
        return true;
    }
    return false;
}

void xlsx_check(struct xlsx_book *b, lxw_worksheet *ws, lxw_row_t row, lxw_col_t col, lxw_error err,
                const char *what)
{
    if (err == LXW_NO_ERROR || b->failed)
        return;
    char cell[LXW_MAX_CELL_NAME_LENGTH];
    lxw_rowcol_to_cell(cell, row, col);
    b->failed = true;
    sb_err_set(b->e, SB_EXIT_OUTPUT, "%s: sheet '%s' cell %s: %s: %s", b->path, ws ? ws->name : "?",
               cell, what, lxw_strerror(err));
}

void xlsx_str(struct xlsx_book *b, lxw_worksheet *ws, lxw_row_t row, lxw_col_t col, const char *s,
              enum xlsx_fmt f)
{
    if (skip_cell(b, ws) || sb_empty(s))
        return;
    size_t n = strlen(s), bad = 0;
    if (!sb_utf8_valid(s, n, &bad)) {
        char cell[LXW_MAX_CELL_NAME_LENGTH];
        lxw_rowcol_to_cell(cell, row, col);
        b->failed = true;
        sb_err_set(b->e, SB_EXIT_OUTPUT,
                   "%s: sheet '%s' cell %s: invalid UTF-8 at byte %zu; not writing a corrupt workbook",
                   b->path, ws->name, cell, bad);
        return;
    }
    char *fit = xlsx_fit_cell(s, n);
    xlsx_check(b, ws, row, col, worksheet_write_string(ws, row, col, fit ? fit : s, b->fmt[f]), "text");
    free(fit);
}

void xlsx_url(struct xlsx_book *b, lxw_worksheet *ws, lxw_row_t row, lxw_col_t col, const char *url,
              const char *text)
{
    if (sb_empty(url)) {
        xlsx_str(b, ws, row, col, text, XF_WRAP);
        return;
    }
    if (skip_cell(b, ws))
        return;
    size_t bad = 0;
    if (!sb_empty(text) && !sb_utf8_valid(text, strlen(text), &bad)) {
        xlsx_str(b, ws, row, col, text, XF_WRAP); /* reports the invalid UTF-8 */
        return;
    }
    char *fit = sb_empty(text) ? NULL : xlsx_fit_cell(text, strlen(text));
    const char *shown = fit ? fit : sb_empty(text) ? NULL : text;
    xlsx_check(b, ws, row, col, worksheet_write_url_opt(ws, row, col, url, b->fmt[XF_LINK], shown, NULL), "link");
    free(fit);
}

void xlsx_num(struct xlsx_book *b, lxw_worksheet *ws, lxw_row_t row, lxw_col_t col, double v,
              enum xlsx_fmt f)
{
    if (skip_cell(b, ws))
        return;
    xlsx_check(b, ws, row, col, worksheet_write_number(ws, row, col, v, b->fmt[f]), "number");
}

void xlsx_time(struct xlsx_book *b, lxw_worksheet *ws, lxw_row_t row, lxw_col_t col, time_t t,
               enum xlsx_fmt f)
{
    if (skip_cell(b, ws))
        return;
    xlsx_check(b, ws, row, col, worksheet_write_unixtime(ws, row, col, (int64_t)t, b->fmt[f]), "date");
}

void xlsx_date_text(struct xlsx_book *b, lxw_worksheet *ws, lxw_row_t row, lxw_col_t col,
                    const char *s)
{
    /* Excel's dates run from 1900-01-01 to 9999-12-31; anything else stays text. */
    const time_t first = -2208988800, end = 253402300800;
    time_t t;
    if (sb_empty(s))
        return;
    bool day = strlen(s) == 10 && sb_parse_date(s, &t) == 0;
    if (day || sb_parse_datetime(s, &t) == 0) {
        if (t >= first && t < end) {
            xlsx_time(b, ws, row, col, t, day ? XF_DATE : XF_DATETIME);
            return;
        }
    }
    xlsx_str(b, ws, row, col, s, XF_TEXT);
}
