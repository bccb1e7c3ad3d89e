#include "xlsx_table.h"

#include "util.h"

#include <stdlib.h>
#include <string.h>

static void open_part(struct xlsx_table *t)
{
    char *name = t->part == 1 ? sb_xstrdup(t->name) : sb_xasprintf("%s (%u)", t->name, t->part);
    t->ws = xlsx_add_sheet(t->b, name);
    free(name);
    t->rows = 0;
    if (!t->ws)
        return;
    unsigned lines = 1;
    for (size_t c = 0; c < t->ncols; c++) {
        xlsx_check(t->b, t->ws, 0, (lxw_col_t)c,
                   worksheet_set_column(t->ws, (lxw_col_t)c, (lxw_col_t)c, t->cols[c].width,
                                        (int)c == t->date_col ? t->b->fmt[XF_DATE] : NULL),
                   "column width");
        xlsx_str(t->b, t->ws, 0, (lxw_col_t)c, t->cols[c].header, t->cols[c].fmt == XF_NUM ? XF_HEADER_NUM : XF_HEADER);
        unsigned n = xlsx_text_lines(t->cols[c].header, t->cols[c].width);
        lines = n > lines ? n : lines;
    }
    xlsx_row_lines(t->b, t->ws, 0, lines);
    t->part_lines = lines;
    worksheet_freeze_panes(t->ws, 1, (lxw_col_t)t->freeze_cols);
    xlsx_check(t->b, t->ws, 0, 0, worksheet_repeat_rows(t->ws, 0, 0), "print titles");
    if (t->freeze_cols)
        xlsx_check(t->b, t->ws, 0, 0, worksheet_repeat_columns(t->ws, 0, (lxw_col_t)(t->freeze_cols - 1)),
                   "print title columns");
    /* Rows first, then the columns to their right: a printed page reads like the screen. */
    worksheet_print_across(t->ws);
}

/* Landscape A4 holds about 35 lines of 11 pt text; 40 keeps the print at ~90 % (legible), where
 * fitting every column on one page width printed the Findings at ~21 %. */
#define PRINT_LINES_PER_PAGE 40

static void print_scale(struct xlsx_table *t)
{
    size_t pages = (t->part_lines + PRINT_LINES_PER_PAGE - 1) / PRINT_LINES_PER_PAGE;
    if (pages < 1)
        pages = 1;
    if (pages > 32767) /* Excel's limit for fitToHeight */
        pages = 32767;
    worksheet_fit_to_pages(t->ws, 0, (uint16_t)pages);
}

static void add_date_entry(struct xlsx_table *t, lxw_row_t last)
{
    lxw_datetime from = {.year = 2000, .month = 1, .day = 1}, to = {.year = 2099, .month = 12, .day = 31};
    lxw_data_validation dv = {
        .validate = LXW_VALIDATION_TYPE_DATE,
        .criteria = LXW_VALIDATION_CRITERIA_BETWEEN,
        .minimum_datetime = from,
        .maximum_datetime = to,
        .input_title = "Due date",
        .input_message = "A date (YYYY-MM-DD) by which the finding is remediated",
        .error_title = "Due date",
        .error_message = "Enter a date between 2000-01-01 and 2099-12-31, e.g. 2027-03-31.",
    };
    lxw_col_t col = (lxw_col_t)t->date_col;
    xlsx_check(t->b, t->ws, 1, col, worksheet_data_validation_range(t->ws, 1, col, last, col, &dv), "date entry");
}

static void colour_statuses(struct xlsx_table *t, lxw_row_t last)
{
    /* A cell rule per status word: the fill follows the text even after the auditor sorts. */
    for (int s = 0; s < SB_STATUS_COUNT; s++) {
        char *value = sb_xasprintf("\"%s\"", sb_status_label((enum sb_status)s));
        lxw_conditional_format cf = {
            .type = LXW_CONDITIONAL_TYPE_CELL,
            .criteria = LXW_CONDITIONAL_CRITERIA_EQUAL_TO,
            .value_string = value,
            .format = t->b->status_cf[s],
        };
        lxw_col_t col = (lxw_col_t)t->status_col;
        xlsx_check(t->b, t->ws, 1, col, worksheet_conditional_format_range(t->ws, 1, col, last, col, &cf),
                   "status colours");
        free(value);
    }
}

static void add_dropdown(struct xlsx_table *t, lxw_row_t last)
{
    char *choices[] = {"Agree", "Disagree", "Needs evidence", NULL};
    lxw_data_validation dv = {
        .validate = LXW_VALIDATION_TYPE_LIST,
        .value_list = choices,
        .input_title = "Auditor conclusion",
        .input_message = "Agree, Disagree or Needs evidence",
        .error_title = "Auditor conclusion",
        .error_message = "Pick Agree, Disagree or Needs evidence from the list.",
    };
    lxw_col_t col = (lxw_col_t)t->list_col;
    xlsx_check(t->b, t->ws, 1, col, worksheet_data_validation_range(t->ws, 1, col, last, col, &dv),
               "auditor drop-down");
}

/* Size the row just written; constant_memory allows that until the next row starts. */
static void end_row(struct xlsx_table *t)
{
    if (t->rows) {
        xlsx_row_lines(t->b, t->ws, (lxw_row_t)t->rows, t->lines);
        t->part_lines += t->lines;
    }
    t->lines = 1;
}

static void close_part(struct xlsx_table *t)
{
    end_row(t);
    if (!t->ws || t->b->failed)
        return;
    lxw_row_t last = (lxw_row_t)t->rows;
    xlsx_check(t->b, t->ws, 0, 0, worksheet_autofilter(t->ws, 0, 0, last, (lxw_col_t)(t->ncols - 1)),
               "autofilter");
    if (t->rows && t->status_col >= 0)
        colour_statuses(t, last);
    if (t->rows && t->list_col >= 0)
        add_dropdown(t, last);
    if (t->rows && t->date_col >= 0)
        add_date_entry(t, last);
    print_scale(t);
}

void xlsx_table_open(struct xlsx_table *t, struct xlsx_book *b, const char *name,
                     const struct xlsx_col *cols, size_t ncols, int status_col, int list_col)
{
    memset(t, 0, sizeof *t);
    t->b = b;
    t->name = name;
    t->cols = cols;
    t->ncols = ncols;
    t->status_col = status_col;
    t->list_col = list_col;
    t->date_col = -1;
    t->part = 1;
    t->lines = 1;
    open_part(t);
}

void xlsx_table_freeze_cols(struct xlsx_table *t, unsigned n)
{
    t->freeze_cols = n;
    if (!t->ws || t->b->failed)
        return;
    worksheet_freeze_panes(t->ws, 1, (lxw_col_t)n);
    if (n)
        xlsx_check(t->b, t->ws, 0, 0, worksheet_repeat_columns(t->ws, 0, (lxw_col_t)(n - 1)), "print title columns");
}

void xlsx_table_date_entry(struct xlsx_table *t, int col)
{
    t->date_col = col;
    if (t->ws && !t->b->failed) /* shown as dates however they are typed */
        xlsx_check(t->b, t->ws, 0, (lxw_col_t)col,
                   worksheet_set_column(t->ws, (lxw_col_t)col, (lxw_col_t)col, t->cols[col].width, t->b->fmt[XF_DATE]),
                   "date column");
}

void xlsx_table_note(struct xlsx_table *t, const char *title, char *const *lines, size_t n)
{
    /* Filters and validations first: constant_memory refuses ranges over rows already flushed. */
    close_part(t);
    if (t->ws && !t->b->failed) {
        lxw_row_t row = (lxw_row_t)t->rows + 2;
        xlsx_str(t->b, t->ws, row++, 0, title, XF_SECTION);
        for (size_t i = 0; i < n; i++)
            xlsx_str(t->b, t->ws, row++, 0, lines[i], XF_TEXT);
    }
    t->ws = NULL;
}

void xlsx_table_row(struct xlsx_table *t)
{
    end_row(t);
    if (t->rows == t->b->max_rows) {
        close_part(t);
        t->part++;
        open_part(t);
    }
    t->rows++;
    t->total++;
}

void xlsx_table_str(struct xlsx_table *t, lxw_col_t col, const char *s)
{
    enum xlsx_fmt f = t->cols[col].fmt;
    xlsx_str(t->b, t->ws, (lxw_row_t)t->rows, col, s, f);
    if (f == XF_WRAP || f == XF_MONO_WRAP) {
        unsigned n = xlsx_text_lines(s, t->cols[col].width);
        t->lines = n > t->lines ? n : t->lines;
    }
}

void xlsx_table_url(struct xlsx_table *t, lxw_col_t col, const char *url, const char *text)
{
    const char *shown = text ? text : url;
    xlsx_url(t->b, t->ws, (lxw_row_t)t->rows, col, url, shown);
    unsigned n = xlsx_text_lines(shown, t->cols[col].width);
    t->lines = n > t->lines ? n : t->lines;
}

void xlsx_table_num(struct xlsx_table *t, lxw_col_t col, double v)
{
    xlsx_num(t->b, t->ws, (lxw_row_t)t->rows, col, v, XF_NUM);
}

void xlsx_table_date(struct xlsx_table *t, lxw_col_t col, const char *s)
{
    xlsx_date_text(t->b, t->ws, (lxw_row_t)t->rows, col, s);
}

void xlsx_table_close(struct xlsx_table *t)
{
    if (t->ws) /* not already finished by xlsx_table_note */
        close_part(t);
    t->ws = NULL;
}
