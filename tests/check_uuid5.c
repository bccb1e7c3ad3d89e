/* Tests for name-based UUIDs (src/uuid5.c) against RFC 4122 / Python's uuid.uuid5 results. */
#include "uuid5.h"

#include "testutil.h"

#include <check.h>
#include <string.h>

START_TEST(test_rfc4122_vector)
{
    char u[37];
    /* python3 -c 'import uuid; print(uuid.uuid5(uuid.NAMESPACE_DNS, "python.org"))' */
    sb_uuid5(u, SB_UUID_NS_DNS, "python.org", strlen("python.org"));
    ck_assert_str_eq(u, "886313e1-3b8a-5372-9b90-0c9aee199e5d");
}
END_TEST

START_TEST(test_our_namespace_is_fixed)
{
    char u[37];
    /* NS = uuid5(NAMESPACE_URL, "urn:mcsb-audit:oscal"); uuid5(NS, "finding:x"). Changing either breaks every
     * UUID already published in OSCAL documents. */
    sb_uuid5_of(u, "finding", "x");
    ck_assert_str_eq(u, "cc2d9e8e-2da5-5107-95a9-81cbb851115b");
}
END_TEST

START_TEST(test_version_and_variant)
{
    char a[37], b[37];
    sb_uuid5_of(a, "finding", "expressroute-NS-1-0123456789abcdef");
    sb_uuid5_of(b, "observation", "expressroute-NS-1-0123456789abcdef");
    ck_assert_int_eq(strlen(a), 36);
    ck_assert_int_eq(a[14], '5');
    ck_assert_msg(strchr("89ab", a[19]) != NULL, "%s", a);
    ck_assert_str_ne(a, b); /* the kind is part of the name */
    sb_uuid5_of(b, "finding", "expressroute-NS-1-0123456789abcdef");
    ck_assert_str_eq(a, b);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("uuid5");
    TCase *tc = tcase_create("uuid5");
    tcase_add_test(tc, test_rfc4122_vector);
    tcase_add_test(tc, test_our_namespace_is_fixed);
    tcase_add_test(tc, test_version_and_variant);
    suite_add_tcase(s, tc);
    return tu_run(s);
}
