#include "csv_cell.h"

#include <string.h>

/* Spreadsheets execute cells starting with = + - @ (and TAB / CR before them); resource names and
 * evidence values are user-controlled, so such cells get a leading apostrophe, the convention
 * spreadsheet users know. The apostrophe is the only change: the value stays readable as recorded. */
void sb_csv_cell(struct sb_buf *b, const char *s, bool last)
{
    if (!s)
        s = "";
    bool formula = s[0] && strchr("=+-@\t\r", s[0]);
    bool quote = formula || strpbrk(s, ",\"\r\n") != NULL;
    if (quote)
        sb_buf_putc(b, '"');
    if (formula)
        sb_buf_putc(b, '\'');
    for (const char *p = s; *p; p++) {
        if (*p == '"')
            sb_buf_putc(b, '"');
        sb_buf_putc(b, *p);
    }
    if (quote)
        sb_buf_putc(b, '"');
    sb_buf_puts(b, last ? "\r\n" : ",");
}
