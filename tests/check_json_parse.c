/* sb_json_parse: the strict front door every input goes through (duplicate keys, \u0000, positions). */
#include "err.h"
#include "json_parse.h"
#include "testutil.h"
#include "util.h"

#include <check.h>
#include <stdlib.h>
#include <string.h>

/* Parse a literal; returns the error message ("" when it parsed). */
static const char *parse(const char *text)
{
    static struct sb_err e;
    memset(&e, 0, sizeof e);
    cJSON *root = (cJSON *)1;
    int rc = sb_json_parse(&root, text, strlen(text), "in.json", &e);
    if (rc == 0) {
        ck_assert_ptr_nonnull(root);
        cJSON_Delete(root);
        return "";
    }
    ck_assert_int_eq(rc, -1);
    ck_assert_ptr_null(root);
    ck_assert_int_eq(e.code, SB_EXIT_INPUT);
    return e.msg;
}

#define ck_assert_err(text, want) ck_assert_str_eq(parse(text), want)

START_TEST(test_duplicate_keys)
{
    ck_assert_err("{\"a\": 1, \"a\": 2}", "in.json:1:10: a: duplicate key");
    /* Decoded keys compare: an escape does not hide a duplicate. */
    ck_assert_err("{\"a\": 1, \"\\u0061\": 2}", "in.json:1:10: a: duplicate key");
    /* Nested, on another line, in an array of objects, after white space cJSON skips (\f, \v). */
    ck_assert_err("{\"value\": [\n  {\"id\": \"x\"},\n  {\"id\": \"y\",\f\"p\": {\"k\": [1, {}], \"k\": null}}\n]}",
                  "in.json:3:35: value[1].p.k: duplicate key");
    /* The first duplicate in the text is named, whatever the key order. */
    ck_assert_err("{\"z\": 1, \"b\": 1, \"b\": 2, \"z\": 2}", "in.json:1:18: b: duplicate key");
    /* Hostile keys are shown escaped in the path; an empty key is shown as "". */
    ck_assert_err("[{}, {\"x\\n\\u001b\": {\"\": 1, \"\": 2}}]", "in.json:1:28: [1].x\\x0a\\x1b.\"\": duplicate key");
    /* A byte order mark before the document does not shift the walk. */
    ck_assert_err("\xEF\xBB\xBF{\"k\": \"x\", \"k\": \"y\"}", "in.json:1:15: k: duplicate key");
}
END_TEST

START_TEST(test_no_false_duplicates)
{
    ck_assert_err("{\"a\": {\"a\": {\"a\": 1}}, \"b\": [{\"a\": 1}, {\"a\": 2}]}", "");
    ck_assert_err("{\"a\": 1, \"A\": 2, \"a \": 3, \"\": 4}", "");
    ck_assert_err("{\"s\": \"\\\"a\\\": 1, \\\"a\\\"\", \"a\": \"}{,:\"}", "");
    ck_assert_err("[1, -2.5e3, true, false, null, \"x\", [], {}]", "");
    ck_assert_err("\"just a string\"", "");
    /* A large object: sorted, not compared pairwise. */
    struct sb_buf b = {0};
    sb_buf_putc(&b, '{');
    for (int i = 0; i < 50000; i++)
        sb_buf_printf(&b, "%s\"k%d\": %d", i ? ", " : "", i, i);
    sb_buf_puts(&b, "}");
    ck_assert_err(b.data, "");
    sb_buf_puts(&b, "");
    b.data[b.len - 1] = ',';
    sb_buf_puts(&b, " \"k49999\": 0}");
    const char *m = parse(b.data);
    ck_assert_msg(strstr(m, ": k49999: duplicate key") != NULL, "got: %s", m);
    sb_buf_free(&b);
}
END_TEST

START_TEST(test_nul_escape)
{
    ck_assert_err("{\"name\": \"ab\\u0000cd\"}", "in.json:1:13: \\u0000 (NUL) in a JSON string");
    ck_assert_err("{\"a\\u0000b\": 1}", "in.json:1:4: \\u0000 (NUL) in a JSON string");
    /* An escaped backslash followed by "u0000" is text, not an escape. */
    ck_assert_err("{\"p\": \"C:\\\\u0000\"}", "");
    ck_assert_err("{\"p\": \"\\u0001\\u00e9\"}", "");
}
END_TEST

int main(void)
{
    Suite *s = suite_create("json_parse");
    TCase *tc = tcase_create("core");
    tcase_add_test(tc, test_duplicate_keys);
    tcase_add_test(tc, test_no_false_duplicates);
    tcase_add_test(tc, test_nul_escape);
    suite_add_tcase(s, tc);
    return tu_run(s);
}
