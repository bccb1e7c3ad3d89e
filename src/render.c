#include "render.h"

#include "err.h"
#include "util.h"

#include <cjson/cJSON.h>

#include <string.h>

const struct sb_renderer sb_renderers[] = {
    {"json", ".json", "machine-readable results (the stable contract other tools read)", true, false, 2, render_json},
    {"csv", ".csv", "one RFC 4180 row per result", true, false, 2, render_csv},
    {"md", ".md", "one-page summary for a change ticket", true, false, 0, render_md},
    {"pdf", ".pdf", "auditor-ready PDF report", true, false, 6, render_pdf},
    {"xlsx", ".xlsx", "auditor workbook (Excel / LibreOffice)", true, false, 10, render_xlsx},
    {"sarif", ".sarif", "SARIF 2.1.0 for code scanning (GitHub, Azure DevOps): failing and not-assessed results", false,
     false, 1, render_sarif},
    {"oscal", ".oscal.json", "OSCAL 1.0.6 assessment-results for GRC tools", false, true, 8, render_oscal},
    {NULL, NULL, NULL, false, false, 0, NULL},
};

_Static_assert(sizeof sb_renderers / sizeof sb_renderers[0] <= SB_MAX_FORMATS + 1, "raise SB_MAX_FORMATS");

const struct sb_renderer *render_find(const char *name)
{
    for (const struct sb_renderer *r = sb_renderers; r->name; r++)
        if (strcmp(r->name, name) == 0)
            return r;
    return NULL;
}
