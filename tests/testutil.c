#include "testutil.h"

#include "assess.h"
#include "baseline.h"
#include "err.h"
#include "report.h"
#include "util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

char *tu_data(const char *rel)
{
    return sb_path_join(SB_TEST_DATA_DIR, rel);
}

const char *tu_src_dir(void)
{
    return SB_DEFAULT_DATA_DIR;
}

static void rm_rf(const char *path)
{
    char *cmd = sb_xasprintf("rm -rf '%s'", path);
    if (system(cmd) != 0)
        fprintf(stderr, "cannot remove %s\n", path);
    free(cmd);
}

char *tu_tmpdir(const char *name)
{
    char *base = sb_path_join(SB_TEST_BUILD_DIR, "test-tmp");
    mkdir(base, 0777);
    char *dir = sb_xasprintf("%s/%s.%ld", base, name, (long)getpid());
    free(base);
    rm_rf(dir);
    mkdir(dir, 0777);
    return dir;
}

char *tu_slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    struct sb_buf b = {0};
    char chunk[8192];
    size_t n;
    while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
        sb_buf_add(&b, chunk, n);
    fclose(f);
    if (len)
        *len = b.len;
    return sb_buf_take(&b);
}

void tu_write(const char *path, const char *text)
{
    FILE *f = fopen(path, "wb");
    if (!f)
        abort();
    fputs(text, f);
    fclose(f);
}

/* Up to `n` bytes of s from `at`, with control bytes, quotes and backslashes escaped. */
static void excerpt(struct sb_buf *out, const char *s, size_t at, size_t n)
{
    size_t len = strlen(s);
    sb_buf_putc(out, '"');
    for (size_t i = at; i < len && i < at + n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c == '\n')
            sb_buf_puts(out, "\\n");
        else if (c < 0x20 || c == 0x7F || c == '"' || c == '\\')
            sb_buf_printf(out, "\\x%02X", c);
        else
            sb_buf_putc(out, (char)c);
    }
    sb_buf_puts(out, at + n < len ? "\"..." : "\"");
}

char *tu_text_diff(const char *a, const char *b)
{
    a = a ? a : "(null)";
    b = b ? b : "(null)";
    size_t i = 0, line = 1, col = 1;
    while (a[i] && a[i] == b[i]) {
        if (a[i] == '\n') {
            line++;
            col = 1;
        } else {
            col++;
        }
        i++;
    }
    if (a[i] == b[i])
        return NULL;
    size_t from = i > 20 ? i - 20 : 0;
    struct sb_buf out = {0};
    sb_buf_printf(&out, "first difference at byte %zu (line %zu, column %zu; lengths %zu and %zu): ", i, line, col,
                  strlen(a), strlen(b));
    excerpt(&out, a, from, 60);
    sb_buf_puts(&out, " vs ");
    excerpt(&out, b, from, 60);
    return sb_buf_take(&out);
}

int tu_run(Suite *s)
{
    SRunner *sr = srunner_create(s);
    srunner_run_all(sr, CK_ENV);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}

void tu_sample_report(struct sb_baseline **b, struct sb_report **r, const char *organisation)
{
    const char *src = tu_src_dir();
    char *bpath = sb_path_join(src, "templates/baselines/expressroute.json");
    char *in[3] = {sb_path_join(src, "sample-reports/estate/snapshot-contoso.json"),
                   sb_path_join(src, "sample-reports/estate/arg-export-fabrikam.json"),
                   sb_path_join(src, "sample-reports/estate/diagnostic-settings-fabrikam.json")};
    char *exc = sb_path_join(src, "sample-reports/estate/exceptions.json");
    struct sb_err e = {0};
    struct sb_assess_opts o = {.inputs = (const char *const *)in, .ninputs = 3, .exceptions_path = exc,
                               .organisation = organisation};
    ck_assert_msg(baseline_load(b, bpath, &e) == 0, "%s", e.msg);
    ck_assert_msg(assess_run(r, *b, &o, &e) == 0, "%s", e.msg);
    for (int i = 0; i < 3; i++)
        free(in[i]);
    free(exc);
    free(bpath);
}
