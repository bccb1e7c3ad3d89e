/* Tests for the data directory lookup (src/data_dir.c): the order, and an error naming every path searched. */
#include "data_dir.h"
#include "err.h"
#include "util.h"

#include "testutil.h"

#include <check.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* A fake install prefix: PREFIX/bin/mcsb-audit and, with data, PREFIX/share/mcsb-audit/templates/baselines. */
static char *make_prefix(const char *name, int with_data)
{
    char *root = tu_tmpdir(name);
    char *bin = sb_path_join(root, "bin");
    ck_assert_int_eq(mkdir(bin, 0777), 0);
    char *exe = sb_path_join(bin, "mcsb-audit");
    tu_write(exe, "");
    if (with_data) {
        const char *parts[] = {"share", "share/mcsb-audit", "share/mcsb-audit/templates",
                               "share/mcsb-audit/templates/baselines"};
        for (size_t i = 0; i < 4; i++) {
            char *d = sb_path_join(root, parts[i]);
            ck_assert_int_eq(mkdir(d, 0777), 0);
            free(d);
        }
    }
    free(bin);
    free(exe);
    return root;
}

START_TEST(test_override_and_env_win)
{
    struct sb_err e = {0};
    char *out = NULL;
    struct sb_data_dir_lookup l = {"/x/override", "/x/env", "/opt/p/bin/mcsb-audit", "../share/mcsb-audit", tu_src_dir()};
    ck_assert_int_eq(sb_data_dir_find(&out, &l, &e), 0);
    ck_assert_str_eq(out, "/x/override");
    free(out);
    l.override = NULL;
    ck_assert_int_eq(sb_data_dir_find(&out, &l, &e), 0);
    ck_assert_str_eq(out, "/x/env");
    free(out);
    l.env = ""; /* an empty variable is unset */
    ck_assert_int_eq(sb_data_dir_find(&out, &l, &e), 0);
    ck_assert_str_eq(out, tu_src_dir());
    free(out);
}
END_TEST

START_TEST(test_beside_executable_before_build_tree)
{
    char *root = make_prefix("data-dir-installed", 1);
    char *exe = sb_path_join(root, "bin/mcsb-audit");
    struct sb_err e = {0};
    char *out = NULL;
    /* The build tree exists too, but an installed binary must use its own data. */
    struct sb_data_dir_lookup l = {NULL, NULL, exe, "../share/mcsb-audit", tu_src_dir()};
    ck_assert_int_eq(sb_data_dir_find(&out, &l, &e), 0);
    char *want = sb_xasprintf("%s/bin/../share/mcsb-audit", root);
    ck_assert_str_eq(out, want);
    free(want);
    free(out);
    free(exe);
    free(root);
}
END_TEST

START_TEST(test_build_tree_when_not_installed)
{
    char *root = make_prefix("data-dir-build", 0);
    char *exe = sb_path_join(root, "bin/mcsb-audit");
    struct sb_err e = {0};
    char *out = NULL;
    struct sb_data_dir_lookup l = {NULL, NULL, exe, "../share/mcsb-audit", tu_src_dir()};
    ck_assert_int_eq(sb_data_dir_find(&out, &l, &e), 0);
    ck_assert_str_eq(out, tu_src_dir());
    free(out);
    free(exe);
    free(root);
}
END_TEST

START_TEST(test_error_lists_every_path)
{
    char *root = make_prefix("data-dir-none", 0);
    char *exe = sb_path_join(root, "bin/mcsb-audit");
    char *gone = sb_path_join(root, "no-such-source-tree");
    struct sb_err e = {0};
    char *out = (char *)"sentinel";
    struct sb_data_dir_lookup l = {NULL, "", exe, "../share/mcsb-audit", gone};
    ck_assert_int_eq(sb_data_dir_find(&out, &l, &e), -1);
    ck_assert_ptr_null(out);
    ck_assert_int_eq(e.code, SB_EXIT_OUTPUT);
    char *beside = sb_xasprintf("%s/bin/../share/mcsb-audit", root);
    ck_assert_msg(strstr(e.msg, beside) != NULL, "%s", e.msg);
    ck_assert_msg(strstr(e.msg, gone) != NULL, "%s", e.msg);
    ck_assert_msg(strstr(e.msg, "MCSB_AUDIT_DATA_DIR") != NULL, "%s", e.msg);
    ck_assert_msg(strstr(e.msg, "--data-dir") != NULL, "%s", e.msg);
    free(beside);
    free(gone);
    free(exe);
    free(root);
}
END_TEST

START_TEST(test_unknown_exe_path)
{
    struct sb_err e = {0};
    char *out = NULL;
    struct sb_data_dir_lookup l = {NULL, NULL, NULL, "../share/mcsb-audit", NULL};
    ck_assert_int_eq(sb_data_dir_find(&out, &l, &e), -1);
    ck_assert_msg(strstr(e.msg, "executable path unknown") != NULL, "%s", e.msg);
}
END_TEST

START_TEST(test_exe_path_is_absolute)
{
    char *p = sb_exe_path();
    ck_assert_ptr_nonnull(p);
    ck_assert_int_eq(p[0], '/');
    ck_assert_msg(strstr(p, "check_data_dir") != NULL, "%s", p);
    free(p);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("data_dir");
    TCase *tc = tcase_create("lookup");
    tcase_add_test(tc, test_override_and_env_win);
    tcase_add_test(tc, test_beside_executable_before_build_tree);
    tcase_add_test(tc, test_build_tree_when_not_installed);
    tcase_add_test(tc, test_error_lists_every_path);
    tcase_add_test(tc, test_unknown_exe_path);
    tcase_add_test(tc, test_exe_path_is_absolute);
    suite_add_tcase(s, tc);
    return tu_run(s);
}
