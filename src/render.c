#include "render.h"

#include <string.h>

const struct sb_renderer sb_renderers[] = {
    {"json", ".json", "machine-readable results (the stable contract other tools read)", render_json},
    {"csv", ".csv", "one RFC 4180 row per result", render_csv},
    {"md", ".md", "one-page summary for a change ticket", render_md},
    {"pdf", ".pdf", "auditor-ready PDF report", render_pdf},
    {"xlsx", ".xlsx", "auditor workbook (Excel / LibreOffice)", render_xlsx},
    {NULL, NULL, NULL, NULL},
};

const struct sb_renderer *render_find(const char *name)
{
    for (const struct sb_renderer *r = sb_renderers; r->name; r++)
        if (strcmp(r->name, name) == 0)
            return r;
    return NULL;
}
