/* Tests for sb_read_file (src/util.c): sized from fstat, growing for files that report no size. */
#include "err.h"
#include "util.h"

#include "testutil.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static char *write_bytes(const char *dir, const char *name, size_t n)
{
    char *path = sb_path_join(dir, name);
    FILE *f = fopen(path, "wb");
    ck_assert_ptr_nonnull(f);
    for (size_t i = 0; i < n; i++)
        fputc('a' + (int)(i % 26), f);
    ck_assert_int_eq(fclose(f), 0);
    return path;
}

START_TEST(reads_whole_file_nul_terminated)
{
    char *dir = tu_tmpdir("read-file");
    static const size_t sizes[] = {0, 1, 65535, 65536, 65537, 300001};
    for (size_t k = 0; k < sizeof sizes / sizeof *sizes; k++) {
        char *path = write_bytes(dir, "f.txt", sizes[k]);
        char *buf;
        size_t len;
        struct sb_err e = {0};
        ck_assert_int_eq(sb_read_file(&buf, &len, path, 1u << 20, &e), 0);
        ck_assert_uint_eq(len, sizes[k]);
        ck_assert_int_eq(buf[len], '\0');
        for (size_t i = 0; i < len; i++)
            ck_assert_int_eq(buf[i], 'a' + (int)(i % 26));
        free(buf);
        free(path);
    }
    free(dir);
}
END_TEST

START_TEST(limit_is_inclusive)
{
    char *dir = tu_tmpdir("read-limit");
    char *path = write_bytes(dir, "f.txt", 1000);
    char *buf;
    size_t len;
    struct sb_err e = {0};
    ck_assert_int_eq(sb_read_file(&buf, &len, path, 1000, &e), 0);
    ck_assert_uint_eq(len, 1000);
    free(buf);
    ck_assert_int_eq(sb_read_file(&buf, &len, path, 999, &e), -1);
    ck_assert_int_eq(e.code, SB_EXIT_INPUT);
    ck_assert_ptr_nonnull(strstr(e.msg, "larger than the 999-byte limit"));
    ck_assert_ptr_null(buf);
    free(path);
    free(dir);
}
END_TEST

START_TEST(file_reporting_no_size_still_read)
{
    /* /proc files say st_size 0: the buffer must grow. */
    char *buf;
    size_t len;
    struct sb_err e = {0};
    ck_assert_int_eq(sb_read_file(&buf, &len, "/proc/self/status", 1u << 20, &e), 0);
    ck_assert_uint_gt(len, 100);
    ck_assert_ptr_nonnull(strstr(buf, "Name:"));
    ck_assert_uint_eq(strlen(buf), len);
    free(buf);
}
END_TEST

START_TEST(directory_and_missing_file_fail)
{
    char *dir = tu_tmpdir("read-dir");
    char *buf;
    size_t len;
    struct sb_err e = {0};
    ck_assert_int_eq(sb_read_file(&buf, &len, dir, 100, &e), -1);
    ck_assert_ptr_nonnull(strstr(e.msg, "is a directory"));
    char *missing = sb_path_join(dir, "none.json");
    e = (struct sb_err){0};
    ck_assert_int_eq(sb_read_file(&buf, &len, missing, 100, &e), -1);
    ck_assert_int_eq(e.code, SB_EXIT_INPUT);
    ck_assert_ptr_nonnull(strstr(e.msg, "none.json"));
    free(missing);
    free(dir);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("read_file");
    TCase *t = tcase_create("read_file");
    tcase_add_test(t, reads_whole_file_nul_terminated);
    tcase_add_test(t, limit_is_inclusive);
    tcase_add_test(t, file_reporting_no_size_still_read);
    tcase_add_test(t, directory_and_missing_file_fail);
    suite_add_tcase(s, t);
    return tu_run(s);
}
