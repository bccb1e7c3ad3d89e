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
                   worksheet_set_column(t->ws, (lxw_col_t)c, (lxw_col_t)c, t->cols[c].width, NULL),
                   "column width");
        xlsx_str(t->b, t->ws, 0, (lxw_col_t)c, t->cols[c].header, XF_HEADER);
        unsigned n = xlsx_text_lines(t->cols[c].header, t->cols[c].width);
        lines = n > lines ? n : lines;
    }
    xlsx_row_lines(t->b, t->ws, 0, lines);
    worksheet_freeze_panes(t->ws, 1, 0);
    xlsx_check(t->b, t->ws, 0, 0, worksheet_repeat_rows(t->ws, 0, 0), "print titles");
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
    if (t->rows)
        xlsx_row_lines(t->b, t->ws, (lxw_row_t)t->rows, t->lines);
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
    t->part = 1;
    t->lines = 1;
    open_part(t);
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
    close_part(t);
    t->ws = NULL;
}
