/* report.json and report.csv are streamed: the same bytes as the whole-document forms (src/render_json.c, render_csv.c). */
#include "assess.h"
#include "baseline.h"
#include "err.h"
#include "json_stream.h"
#include "render.h"
#include "report_json.h"
#include "util.h"

#include "testutil.h"

#include <check.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

struct fixture {
    struct sb_baseline *b;
    struct sb_report *r;
};

/* The sample estate with its exceptions: every key of the contract has a value somewhere. */
static struct fixture load(void)
{
    struct fixture fx = {0};
    tu_sample_report(&fx.b, &fx.r, "Org \"quoted\"\ttab");
    return fx;
}

static void add_changes(struct sb_report *r)
{
    struct sb_changes *c = sb_xcalloc(1, sizeof *c);
    c->previous_name = sb_xstrdup("q2/report.json");
    c->previous_sha256 = sb_xstrdup("00ff");
    c->previous_generated = sb_xstrdup("2026-06-30T00:00:00Z");
    c->n = 1;
    c->items = sb_xcalloc(1, sizeof *c->items);
    c->items[0] = (struct sb_change){.kind = SB_CHANGE_STATUS, .finding_id = sb_xstrdup(r->results[0].id),
                                     .control = sb_xstrdup("NS-1"),
                                     .feature = sb_xstrdup("Network Security Group Support"),
                                     .old_value = sb_xstrdup("pass"), .new_value = sb_xstrdup("fail")};
    r->changes = c;
}

static void json_matches_tree(struct sb_report *r, const char *name)
{
    char *dir = tu_tmpdir(name);
    char *path = sb_path_join(dir, "report.json");
    struct sb_err e = {0};
    ck_assert_msg(render_json(r, NULL, path, &e) == 0, "%s", e.msg);
    size_t n;
    char *got = tu_slurp(path, &n);
    cJSON *root = report_to_json(r);
    char *want = cJSON_Print(root);
    cJSON_Delete(root);
    size_t wn = strlen(want);
    ck_assert_uint_eq(n, wn + 1);
    ck_assert(memcmp(got, want, wn) == 0);
    ck_assert_int_eq(got[wn], '\n');
    cJSON_free(want);
    free(got);
    free(path);
    free(dir);
}

START_TEST(streamed_json_is_cjson_print)
{
    struct fixture fx = load();
    ck_assert_uint_gt(fx.r->nresults, 10);
    json_matches_tree(fx.r, "stream-json");
    add_changes(fx.r);
    json_matches_tree(fx.r, "stream-json-changes");
    report_free(fx.r);
    baseline_free(fx.b);
}
END_TEST

START_TEST(no_results_still_valid)
{
    struct fixture fx = load();
    size_t n = fx.r->nresults;
    fx.r->nresults = 0; /* the results stay owned: restored before freeing */
    json_matches_tree(fx.r, "stream-json-empty");
    fx.r->nresults = n;
    report_free(fx.r);
    baseline_free(fx.b);
}
END_TEST

START_TEST(csv_rows_and_write_errors)
{
    struct fixture fx = load();
    char *dir = tu_tmpdir("stream-csv");
    char *path = sb_path_join(dir, "report.csv");
    struct sb_err e = {0};
    ck_assert_msg(render_csv(fx.r, NULL, path, &e) == 0, "%s", e.msg);
    size_t n;
    char *got = tu_slurp(path, &n);
    size_t rows = 0;
    for (size_t i = 0; i + 1 < n; i++)
        rows += got[i] == '\r' && got[i + 1] == '\n';
    /* Header plus one row per result (evidence cells hold bare LFs only). */
    ck_assert_uint_eq(rows, fx.r->nresults + 1);
    ck_assert(strncmp(got, "id,control,", 11) == 0);
    free(got);
    /* A full device: the error names the file, and says the write failed. */
    struct sb_err full = {0};
    ck_assert_int_eq(render_csv(fx.r, NULL, "/dev/full", &full), -1);
    ck_assert_int_eq(full.code, SB_EXIT_OUTPUT);
    ck_assert_msg(strstr(full.msg, "/dev/full: write failed") != NULL, "%s", full.msg);
    struct sb_err fullj = {0};
    ck_assert_int_eq(render_json(fx.r, NULL, "/dev/full", &fullj), -1);
    ck_assert_msg(strstr(fullj.msg, "/dev/full: write failed") != NULL, "%s", fullj.msg);
    free(path);
    free(dir);
    report_free(fx.r);
    baseline_free(fx.b);
}
END_TEST

/* Element i of a lazy list: an object with nested containers, or NULL (filtered) for every third. */
static cJSON *sample_item(void *ctx, size_t i)
{
    (void)ctx;
    if (i % 3 == 2)
        return NULL;
    cJSON *o = cJSON_CreateObject();
    cJSON_AddNumberToObject(o, "i", (double)i);
    cJSON_AddStringToObject(o, "text", "tab\there \"quoted\"\nnewline");
    cJSON *a = cJSON_AddArrayToObject(o, "list");
    cJSON_AddItemToArray(a, cJSON_CreateObject());
    cJSON *inner = cJSON_CreateObject();
    cJSON_AddItemToObject(inner, "empty", cJSON_CreateArray());
    cJSON_AddItemToArray(a, inner);
    return o;
}

/* The skeleton of a document with two lazy slots at different depths (one inside an array), and
 * optionally the same document with the slots filled, for cJSON_Print to print whole. */
static cJSON *sample_doc(bool fill, const cJSON **slot_a, const cJSON **slot_b, size_t n)
{
    cJSON *root = cJSON_CreateObject();
    cJSON_AddStringToObject(root, "name", "doc");
    cJSON *outer = cJSON_AddArrayToObject(root, "runs");
    cJSON *run = cJSON_CreateObject();
    cJSON_AddItemToArray(outer, run);
    cJSON_AddItemToArray(outer, cJSON_CreateString("second"));
    cJSON_AddObjectToObject(run, "emptyObject");
    cJSON *a = cJSON_AddArrayToObject(run, "results");
    cJSON_AddTrueToObject(run, "after");
    cJSON *b = cJSON_AddArrayToObject(root, "top");
    cJSON_AddNullToObject(root, "last");
    for (size_t i = 0; fill && i < n; i++) {
        cJSON *x = sample_item(NULL, i);
        if (x)
            cJSON_AddItemToArray(a, x);
        x = sample_item(NULL, i);
        if (x)
            cJSON_AddItemToArray(b, x);
    }
    *slot_a = a;
    *slot_b = b;
    return root;
}

static void stream_matches_print(size_t n, const char *name)
{
    const cJSON *a, *b;
    cJSON *whole = sample_doc(true, &a, &b, n);
    char *want = cJSON_Print(whole);
    cJSON_Delete(whole);
    cJSON *skel = sample_doc(false, &a, &b, n);
    const struct json_lazy lazy[] = {{a, n, sample_item, NULL}, {b, n, sample_item, NULL}};
    char *dir = tu_tmpdir(name);
    char *path = sb_path_join(dir, "doc.json");
    struct sb_err e = {0};
    ck_assert_msg(json_stream_document(path, skel, lazy, 2, "test", &e) == 0, "%s", e.msg);
    size_t got_n;
    char *got = tu_slurp(path, &got_n);
    size_t wn = strlen(want);
    ck_assert_uint_eq(got_n, wn + 1);
    ck_assert_msg(memcmp(got, want, wn) == 0, "got:\n%s\nwant:\n%s", got, want);
    ck_assert_int_eq(got[wn], '\n');
    free(got);
    cJSON_free(want);
    free(path);
    free(dir);
}

START_TEST(lazy_slots_print_as_cjson_would)
{
    stream_matches_print(0, "lazy-0");
    stream_matches_print(2, "lazy-2");
    stream_matches_print(7, "lazy-7");
    /* A write failure is reported with the path, and the skeleton is freed either way (ASan checks). */
    const cJSON *a, *b;
    cJSON *skel = sample_doc(false, &a, &b, 5);
    const struct json_lazy lazy[] = {{a, 5, sample_item, NULL}, {b, 5, sample_item, NULL}};
    struct sb_err e = {0};
    ck_assert_int_eq(json_stream_document("/dev/full", skel, lazy, 2, "test", &e), -1);
    ck_assert_msg(strstr(e.msg, "/dev/full: write failed") != NULL, "%s", e.msg);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("render_stream");
    TCase *t = tcase_create("stream");
    tcase_add_test(t, streamed_json_is_cjson_print);
    tcase_add_test(t, no_results_still_valid);
    tcase_add_test(t, csv_rows_and_write_errors);
    tcase_add_test(t, lazy_slots_print_as_cjson_would);
    suite_add_tcase(s, t);
    return tu_run(s);
}
