/* diff: input = old report.json, then FUZZ_SEP_NEW, then new report.json (none: compared with itself). */
#include "fuzz_util.h"

#include "diff.h"
#include "err.h"
#include "json_parse.h"
#include "report.h"
#include "util.h"

#include <stdlib.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *a, *b;
    size_t alen, blen;
    fuzz_split(data, size, FUZZ_SEP_NEW, &a, &alen, &b, &blen);
    struct sb_err e = {0};
    cJSON *old_doc = NULL, *new_doc = NULL;
    if (sb_json_parse(&old_doc, a, alen, "old.json", &e) == 0
        && (!b || sb_json_parse(&new_doc, b, blen, "new.json", &e) == 0)) {
        struct sb_changes *c = NULL;
        if (diff_reports_named(&c, old_doc, new_doc ? new_doc : old_doc, "old.json", "new.json", &e) == 0) {
            struct sb_diff_current cur = {.name = "new.json", .sha256 = NULL, .generated = "2026-09-30T00:00:00Z"};
            struct sb_buf out = {0};
            diff_render_md(c, &cur, &out);
            diff_render_json(c, &cur, &out);
            diff_render_csv(c, &out);
            diff_fail_on_new(c);
            sb_buf_free(&out);
        }
        sb_changes_free(c);
    }
    cJSON_Delete(old_doc);
    cJSON_Delete(new_doc);
    free(a);
    free(b);
    return 0;
}
