/**
 * @file xlsx_book.h
 * @brief The libxlsxwriter layer of the auditor workbook: one workbook, its fixed format table,
 * sheet naming, and cell writers that validate before the library sees anything.
 *
 * Every writer records the first failure in the book (with the sheet and cell named) and turns
 * later calls into no-ops, so the sheet code reads straight through and checks once at the end.
 * Nothing here prints: bad names, invalid UTF-8 and oversized strings are caught before the
 * library would warn on stderr or write a corrupt part.
 *
 * Ownership: the book owns the workbook until xlsx_book_close() or xlsx_book_abandon(), which
 * both free it; formats and worksheets are owned by the workbook.
 */
#ifndef SB_XLSX_BOOK_H
#define SB_XLSX_BOOK_H

#include <stdbool.h>
#include <stddef.h>
#include <time.h>

#include <xlsxwriter.h>

#include "report.h"

struct sb_err;

/** Data rows a sheet holds below its header row (Excel's 1,048,576 rows minus the header). */
#define XLSX_SHEET_ROWS_MAX ((size_t)LXW_ROW_MAX - 1)
/** Excel's cell limit, in UTF-16 code units. */
#define XLSX_CELL_MAX 32767u
/** Appended to a cut cell so the reader sees it was cut. */
#define XLSX_TRUNC_MARKER "\xe2\x80\xa6 [truncated]"

/** Knobs the tests turn; xlsx_opts_default() gives what `--format xlsx` uses. */
struct xlsx_opts {
    size_t max_rows;      /**< data rows per sheet before "Findings (2)" etc.; 1..XLSX_SHEET_ROWS_MAX */
    bool constant_memory; /**< libxlsxwriter constant_memory mode (sheets written strictly row-major) */
    bool letter;          /**< print setup on US Letter instead of A4 */
};
void xlsx_opts_default(struct xlsx_opts *o);

/** Write the whole workbook for r to out_path. Returns 0, or -1 with e set (exit code 4). */
int xlsx_render(const struct sb_report *r, const struct xlsx_opts *o, const char *out_path, struct sb_err *e);

/** The fixed format table (formats must not change after first use, so all are made up front). */
enum xlsx_fmt {
    XF_NONE = 0,
    XF_TEXT,      /**< plain, top-aligned */
    XF_WRAP,      /**< long text, wrapped */
    XF_MONO,      /**< ids and hashes */
    XF_MONO_WRAP, /**< resource ids, evidence */
    XF_NUM,       /**< integer counts */
    XF_DATE,      /**< yyyy-mm-dd */
    XF_DATETIME,  /**< yyyy-mm-dd hh:mm:ss (UTC) */
    XF_HEADER,    /**< bold on a tinted fill, wrapped */
    XF_HEADER_NUM, /**< the same, right-aligned: over a column of numbers */
    XF_TITLE,     /**< sheet title */
    XF_LABEL,     /**< bold label in a label/value layout */
    XF_SECTION,   /**< bold section heading */
    XF_LINK,      /**< a hyperlink: blue, underlined, wrapped */
    XF_COUNT
};

struct xlsx_book {
    lxw_workbook *wb;
    const char *path;
    struct sb_err *e;
    bool failed;
    size_t max_rows;
    uint8_t paper;                           /**< libxlsxwriter paper code for print setup */
    lxw_format *fmt[XF_COUNT];
    lxw_format *status_cf[SB_STATUS_COUNT];   /**< conditional-format look per status */
    lxw_format *status_cell[SB_STATUS_COUNT]; /**< the same look as a plain cell format */
    char **names;                            /**< sheet names so far, ASCII lower-cased */
    size_t nnames;
    size_t capnames;
};

/** Statuses in display order (most urgent first, sb_status_rank), for count columns. */
extern const enum sb_status xlsx_status_order[SB_STATUS_COUNT];

/** Start a workbook (nothing touches out_path until xlsx_book_close). */
int xlsx_book_open(struct xlsx_book *b, const char *path, const struct xlsx_opts *o,
                   const lxw_doc_properties *props, struct sb_err *e);
/** Write the file, or on an earlier failure abandon it; frees the workbook either way. 0 or -1. */
int xlsx_book_close(struct xlsx_book *b);

/**
 * A valid, unused sheet name for `wanted`: forbidden characters []:*?/\ become '_', apostrophes
 * at either end go, at most 31 characters, and a " (2)", " (3)"... suffix when the name is taken
 * case-insensitively (Excel's reserved "History" counts as taken). Caller frees.
 */
char *xlsx_sheet_name(char *const *used_lc, size_t nused, const char *wanted);
/** Add a sheet under xlsx_sheet_name(wanted), set up to print landscape one page wide;
 * NULL (book failed) on error. */
lxw_worksheet *xlsx_add_sheet(struct xlsx_book *b, const char *wanted);

/**
 * If s (n bytes of UTF-8) is longer than XLSX_CELL_MAX UTF-16 units, a copy cut at a code-point
 * boundary with XLSX_TRUNC_MARKER appended so it fits exactly; else NULL. Caller frees.
 */
char *xlsx_fit_cell(const char *s, size_t n);

/**
 * Lines a wrapped cell of `width` characters needs for s: an estimate (wide characters count
 * double, words are not measured), at least 1, at most what Excel's tallest row (409 pt) holds.
 */
unsigned xlsx_text_lines(const char *s, double width);
/** Give a row the height of `lines` lines of text (no-op for one line). Failures are recorded. */
void xlsx_row_lines(struct xlsx_book *b, lxw_worksheet *ws, lxw_row_t row, unsigned lines);

/** Cell writers: NULL/empty strings leave the cell blank. Failures are recorded in b. */
void xlsx_str(struct xlsx_book *b, lxw_worksheet *ws, lxw_row_t row, lxw_col_t col, const char *s,
              enum xlsx_fmt f);
void xlsx_num(struct xlsx_book *b, lxw_worksheet *ws, lxw_row_t row, lxw_col_t col, double v,
              enum xlsx_fmt f);
void xlsx_time(struct xlsx_book *b, lxw_worksheet *ws, lxw_row_t row, lxw_col_t col, time_t t,
               enum xlsx_fmt f);
/** A "YYYY-MM-DD" or RFC 3339 text as a date cell; text it cannot parse is written as text. */
void xlsx_date_text(struct xlsx_book *b, lxw_worksheet *ws, lxw_row_t row, lxw_col_t col,
                    const char *s);
/**
 * A hyperlink cell to `url` (an https URL the baseline loader validated) showing `text`, or the
 * URL itself when text is NULL; with no url, text alone as a plain wrapped cell. Failures
 * (Excel's 2079-character and 65,530-links-per-sheet limits among them) are recorded in b.
 */
void xlsx_url(struct xlsx_book *b, lxw_worksheet *ws, lxw_row_t row, lxw_col_t col, const char *url,
              const char *text);
/** Record a library error for a cell (no-op for LXW_NO_ERROR). */
void xlsx_check(struct xlsx_book *b, lxw_worksheet *ws, lxw_row_t row, lxw_col_t col, lxw_error err,
                const char *what);

#endif
