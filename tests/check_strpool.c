/* The string pool (src/strpool.c): one copy per distinct string, stable pointers across growth. */
#include "strpool.h"
#include "util.h"

#include "testutil.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

START_TEST(equal_strings_share_one_copy)
{
    struct sb_strpool *p = sb_strpool_new();
    char a[] = "Microsoft.Network/virtualNetworks", b[] = "Microsoft.Network/virtualNetworks";
    char *x = sb_strpool_intern(p, a);
    ck_assert_ptr_ne(x, a);
    ck_assert_str_eq(x, a);
    ck_assert_ptr_eq(sb_strpool_intern(p, b), x);
    ck_assert_ptr_null(sb_strpool_intern(p, NULL));
    char *empty = sb_strpool_intern(p, "");
    ck_assert_str_eq(empty, "");
    ck_assert_ptr_eq(sb_strpool_intern(p, ""), empty);
    /* Strings that differ only after 8 bytes, or only in length, stay apart. */
    ck_assert_ptr_ne(sb_strpool_intern(p, "properties.a"), sb_strpool_intern(p, "properties.b"));
    ck_assert_ptr_ne(sb_strpool_intern(p, "abcdefgh"), sb_strpool_intern(p, "abcdefgh\x01"));
    ck_assert_uint_eq(sb_strpool_count(p), 6);
    sb_strpool_free(p);
    sb_strpool_free(NULL);
}
END_TEST

START_TEST(pointers_survive_growth_and_long_strings)
{
    struct sb_strpool *p = sb_strpool_new();
    enum { N = 50000 };
    char **first = sb_xcalloc(N, sizeof *first);
    for (size_t i = 0; i < N; i++) {
        char key[48];
        snprintf(key, sizeof key, "/subscriptions/%zu/resourceGroups/rg", i);
        first[i] = sb_strpool_intern(p, key);
    }
    /* Longer than a block: a block of its own, between smaller strings. */
    size_t big = (size_t)3 << 20;
    char *longtext = sb_xmalloc(big + 1);
    memset(longtext, 'x', big);
    longtext[big] = '\0';
    char *l = sb_strpool_intern(p, longtext);
    ck_assert_uint_eq(strlen(l), big);
    ck_assert_ptr_eq(sb_strpool_intern(p, longtext), l);
    for (size_t i = 0; i < N; i++) {
        char key[48];
        snprintf(key, sizeof key, "/subscriptions/%zu/resourceGroups/rg", i);
        ck_assert_ptr_eq(sb_strpool_intern(p, key), first[i]);
        ck_assert_str_eq(first[i], key);
    }
    ck_assert_uint_eq(sb_strpool_count(p), N + 1);
    free(longtext);
    free(first);
    sb_strpool_free(p);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("strpool");
    TCase *t = tcase_create("strpool");
    tcase_add_test(t, equal_strings_share_one_copy);
    tcase_add_test(t, pointers_survive_growth_and_long_strings);
    suite_add_tcase(s, t);
    return tu_run(s);
}
