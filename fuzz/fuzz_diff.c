/* diff: input = old report.json, then FUZZ_SEP_NEW, then new report.json (none: compared with itself).
 * Both texts are read twice, whole (one cJSON tree) and one result at a time (diff_report_parse), and the
 * two readers must agree: both refuse a text, or both accept it and give the same changes. */
#include "fuzz_util.h"

#include "diff.h"
#include "err.h"
#include "json_parse.h"
#include "report.h"
#include "util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void disagree(const char *what, const char *detail)
{
    fprintf(stderr, "fuzz_diff: the streamed and whole-tree readers disagree: %s: %s\n", what, detail);
    abort();
}

/* The whole-tree view of text (NULL when refused), and the streamed one; they must agree on refusing. */
static void read_both(struct diff_report **tree, struct diff_report **stream, cJSON **doc, char *text, size_t len,
                      const char *name)
{
    struct sb_err et = {0}, es = {0};
    *tree = *stream = NULL;
    *doc = NULL;
    if (sb_json_parse(doc, text, len, name, &et) == 0 && diff_report_from_json(tree, *doc, name, &et) != 0) {
        cJSON_Delete(*doc);
        *doc = NULL;
    }
    int rs = diff_report_parse(stream, text, len, name, &es);
    if ((*tree != NULL) != (rs == 0))
        disagree(name, *tree ? es.msg : "the streamed reader accepts what the tree reader refuses");
    if (rs != 0 && (es.code != SB_EXIT_INPUT || strchr(es.msg, '\n')))
        disagree(name, "an error that is not one line with exit 3");
}

static void same_changes(const struct sb_changes *a, const struct sb_changes *b)
{
    if (a->n != b->n)
        disagree("changes", "a different number of changes");
    for (size_t i = 0; i < a->n; i++) {
        const struct sb_change *x = &a->items[i], *y = &b->items[i];
        const char *const xs[] = {x->finding_id, x->control, x->feature, x->resource_id, x->path, x->old_value,
                                  x->new_value, x->reason};
        const char *const ys[] = {y->finding_id, y->control, y->feature, y->resource_id, y->path, y->old_value,
                                  y->new_value, y->reason};
        if (x->kind != y->kind)
            disagree("changes", "a different kind");
        for (size_t k = 0; k < sizeof xs / sizeof xs[0]; k++)
            if ((xs[k] == NULL) != (ys[k] == NULL) || (xs[k] && strcmp(xs[k], ys[k]) != 0))
                disagree("changes", "a different field");
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *a, *b;
    size_t alen, blen;
    fuzz_split(data, size, FUZZ_SEP_NEW, &a, &alen, &b, &blen);
    struct diff_report *old_tree, *old_stream, *new_tree = NULL, *new_stream = NULL;
    cJSON *old_doc, *new_doc = NULL;
    read_both(&old_tree, &old_stream, &old_doc, a, alen, "old.json");
    if (old_tree && b)
        read_both(&new_tree, &new_stream, &new_doc, b, blen, "new.json");
    if (old_tree && (!b || new_tree)) {
        struct sb_err e = {0};
        struct sb_changes *c = NULL;
        if (diff_reports_named(&c, old_doc, new_doc ? new_doc : old_doc, "old.json", "new.json", &e) != 0)
            disagree("diff_reports_named", e.msg);
        /* The streamed views (a text compared with itself: a second streamed read of it). */
        struct diff_report *self = NULL;
        if (!b && diff_report_parse(&self, a, alen, "new.json", &e) != 0)
            disagree("second read", e.msg);
        struct sb_changes *s = diff_compare(old_stream, b ? new_stream : self);
        same_changes(c, s);
        diff_report_free(self);
        sb_changes_free(s);
        struct sb_diff_current cur = {.name = "new.json", .sha256 = NULL, .generated = "2026-09-30T00:00:00Z"};
        struct sb_buf out = {0};
        diff_render_md(c, &cur, &out);
        diff_render_json(c, &cur, &out);
        diff_render_csv(c, &out);
        diff_fail_on_new(c);
        sb_buf_free(&out);
        sb_changes_free(c);
    }
    diff_report_free(old_tree);
    diff_report_free(old_stream);
    diff_report_free(new_tree);
    diff_report_free(new_stream);
    cJSON_Delete(old_doc);
    cJSON_Delete(new_doc);
    free(a);
    free(b);
    return 0;
}
