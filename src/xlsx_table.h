/**
 * @file xlsx_table.h
 * @brief A data sheet of the auditor workbook: a header row, then one row per item, continued on
 * "Name (2)", "Name (3)"... when a sheet is full. Each part gets the bold tinted header, a frozen
 * header row, an autofilter over its rows, column widths, and the optional status colouring and
 * auditor drop-down. Printed, a part is as many pages wide as its columns need and as many
 * pages tall as its text at a legible scale, the header row (and frozen columns) on each page. Rows are written strictly in order (constant_memory safe).
 */
#ifndef SB_XLSX_TABLE_H
#define SB_XLSX_TABLE_H

#include "xlsx_book.h"

/** Number of columns in a static column table. */
#define XLSX_LEN(cols) (sizeof(cols) / sizeof((cols)[0]))

struct xlsx_col {
    const char *header;
    double width;       /**< in characters */
    enum xlsx_fmt fmt;  /**< for text cells of the column */
};

struct xlsx_table {
    struct xlsx_book *b;
    const char *name;
    const struct xlsx_col *cols;
    size_t ncols;
    int status_col;        /**< column holding status words to colour, or -1 */
    int list_col;          /**< column given the auditor drop-down, or -1 */
    int date_col;          /**< column accepting only dates (management due date), or -1 */
    unsigned freeze_cols;  /**< leading columns kept in view (and repeated on printed pages) */
    size_t part_lines;     /**< estimated text lines on the current part, for print scaling */
    lxw_worksheet *ws;     /**< the current part */
    unsigned part;         /**< 1-based */
    size_t rows;           /**< data rows on the current part */
    size_t total;          /**< data rows over all parts */
    unsigned lines;        /**< text lines the current row needs (wrapped columns) */
};

/** Start the first part. status_col / list_col: -1 for none. */
void xlsx_table_open(struct xlsx_table *t, struct xlsx_book *b, const char *name,
                     const struct xlsx_col *cols, size_t ncols, int status_col, int list_col);
/** Keep the first `n` columns in view and on every printed page (call right after open). */
void xlsx_table_freeze_cols(struct xlsx_table *t, unsigned n);
/** Make `col` a date-entry column for the people filling the sheet in (date validation). */
void xlsx_table_date_entry(struct xlsx_table *t, int col);
/** Finish the table, then a titled block of text lines two rows below its data (the last part).
 *  xlsx_table_close() is still called afterwards and does nothing more. */
void xlsx_table_note(struct xlsx_table *t, const char *title, char *const *lines, size_t n);
/** Begin the next data row (opening a new part when the current one is full). */
void xlsx_table_row(struct xlsx_table *t);
void xlsx_table_str(struct xlsx_table *t, lxw_col_t col, const char *s);
void xlsx_table_num(struct xlsx_table *t, lxw_col_t col, double v);
/** A hyperlink cell (xlsx_url): `text` linked to `url`, the URL itself when text is NULL. */
void xlsx_table_url(struct xlsx_table *t, lxw_col_t col, const char *url, const char *text);
void xlsx_table_date(struct xlsx_table *t, lxw_col_t col, const char *s);
/** Finish the current part (filters, validation, colouring). */
void xlsx_table_close(struct xlsx_table *t);

#endif
