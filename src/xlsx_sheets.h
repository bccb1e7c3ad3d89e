/**
 * @file xlsx_sheets.h
 * @brief The sheets of the auditor workbook, one writer each, called in sheet order by
 * xlsx_render(). Each reads only the report model and writes its rows top to bottom.
 */
#ifndef SB_XLSX_SHEETS_H
#define SB_XLSX_SHEETS_H

#include "xlsx_book.h"

void xlsx_sheet_summary(struct xlsx_book *b, const struct sb_report *r);
void xlsx_sheet_profile(struct xlsx_book *b, const struct sb_report *r);
void xlsx_sheet_matrix(struct xlsx_book *b, const struct sb_report *r);
void xlsx_sheet_findings(struct xlsx_book *b, const struct sb_report *r);
void xlsx_sheet_evidence(struct xlsx_book *b, const struct sb_report *r);
void xlsx_sheet_exceptions(struct xlsx_book *b, const struct sb_report *r);
void xlsx_sheet_gaps(struct xlsx_book *b, const struct sb_report *r);
void xlsx_sheet_policies(struct xlsx_book *b, const struct sb_report *r);
/** Only when r->changes is set. */
void xlsx_sheet_changes(struct xlsx_book *b, const struct sb_report *r);

#endif
