/**
 * @file csv_cell.h
 * @brief One RFC 4180 CSV cell, safe to open in a spreadsheet: shared by report.csv and diff.csv.
 */
#ifndef SB_CSV_CELL_H
#define SB_CSV_CELL_H

#include <stdbool.h>

#include "util.h"

/**
 * Append one cell and its separator (',' or, when `last`, CRLF). Quoted when it holds a comma,
 * quote, CR or LF (inner quotes doubled). A cell starting with = + - @ TAB or CR, which a
 * spreadsheet would run as a formula (CSV injection), is quoted and gets a leading apostrophe.
 * NULL is an empty cell.
 */
void sb_csv_cell(struct sb_buf *b, const char *s, bool last);

#endif
