#include "testutil.h"

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

int tu_run(Suite *s)
{
    SRunner *sr = srunner_create(s);
    srunner_run_all(sr, CK_ENV);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
