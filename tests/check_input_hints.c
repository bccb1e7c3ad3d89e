/* Hints for input files that do not parse: az -o table / -o tsv output, UTF-16, a WARNING: line. */
#include <check.h>
#include <string.h>

#include "err.h"
#include "input_hints.h"
#include "testutil.h"

static const char *hint(const char *s, size_t n)
{
    return input_hint(s, n);
}
#define HINT(lit) hint(lit, sizeof(lit) - 1)

START_TEST(test_utf16)
{
    ck_assert_ptr_nonnull(strstr(HINT("\xff\xfe[\0]\0"), "UTF-16"));        /* PowerShell: UTF-16LE with BOM */
    ck_assert_ptr_nonnull(strstr(HINT("\xfe\xff\0[\0]"), "UTF-16"));        /* big-endian */
    ck_assert_ptr_nonnull(strstr(HINT("[\0{\0\"\0i\0"), "UTF-16"));         /* no BOM */
    ck_assert_ptr_null(HINT("\xef\xbb\xbf[]"));                              /* UTF-8 with BOM is fine */
}
END_TEST

START_TEST(test_az_messages)
{
    ck_assert_ptr_nonnull(strstr(HINT("WARNING: Command group 'graph' is experimental\n{\"data\":[]}"), "message from az"));
    ck_assert_ptr_nonnull(strstr(HINT("\xef\xbb\xbf\nERROR: (AuthorizationFailed)\n"), "message from az"));
    ck_assert_ptr_null(HINT("[{\"name\":\"WARNING: not at the start\"}]"));
}
END_TEST

START_TEST(test_table_and_tsv)
{
    ck_assert_ptr_nonnull(strstr(HINT("Name      ResourceGroup    Location\n--------  ---------------  ----------\n"
                                      "erc-1     rg-net           westeurope\n"), "-o table"));
    ck_assert_ptr_nonnull(strstr(HINT("Name\r\n------\r\nerc-1\r\n"), "-o table"));
    ck_assert_ptr_nonnull(strstr(HINT("erc-1\trg-net\twesteurope\n"), "-o tsv"));
    /* Broken JSON is not mistaken for either. */
    ck_assert_ptr_null(HINT("[{\"a\":\t1,\n"));
    ck_assert_ptr_null(HINT("{\n---\n"));
    ck_assert_ptr_null(HINT("Name\nerc-1\n"));
    ck_assert_ptr_null(HINT(""));
    ck_assert_ptr_null(input_hint(NULL, 0));
}
END_TEST

START_TEST(test_add)
{
    struct sb_err e = {0};
    const char tsv[] = "a\tb\n";
    sb_err_set(&e, SB_EXIT_INPUT, "x.json:1:1: malformed JSON");
    input_hint_add(&e, tsv, sizeof tsv - 1);
    ck_assert_str_eq(e.msg, "x.json:1:1: malformed JSON; hint: this looks like `az ... -o tsv` output: run the "
                            "command again with `-o json`");
    /* Not an input error (e.g. unreadable file, exit 4): no hint. */
    struct sb_err o = {0};
    sb_err_set(&o, SB_EXIT_OUTPUT, "x.json: I/O error");
    input_hint_add(&o, tsv, sizeof tsv - 1);
    ck_assert_str_eq(o.msg, "x.json: I/O error");
    /* A message that nearly fills the buffer stays whole, without a cut hint. */
    struct sb_err big = {0};
    char longmsg[1000];
    memset(longmsg, 'm', sizeof longmsg - 1);
    longmsg[sizeof longmsg - 1] = '\0';
    sb_err_set(&big, SB_EXIT_INPUT, "%s", longmsg);
    input_hint_add(&big, tsv, sizeof tsv - 1);
    ck_assert_str_eq(big.msg, longmsg);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("input_hints");
    TCase *tc = tcase_create("core");
    tcase_add_test(tc, test_utf16);
    tcase_add_test(tc, test_az_messages);
    tcase_add_test(tc, test_table_and_tsv);
    tcase_add_test(tc, test_add);
    suite_add_tcase(s, tc);
    return tu_run(s);
}
