#include "fuzz_util.h"

#include <dirent.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

char *fuzz_text(const uint8_t *data, size_t size)
{
    char *t = malloc(size + 1);
    if (!t)
        abort();
    if (size)
        memcpy(t, data, size);
    t[size] = '\0';
    return t;
}

void fuzz_split(const uint8_t *data, size_t size, const char *sep, char **a, size_t *alen, char **b, size_t *blen)
{
    size_t sl = strlen(sep);
    const uint8_t *hit = NULL;
    for (size_t i = 0; size >= sl && i <= size - sl && !hit; i++)
        if (memcmp(data + i, sep, sl) == 0)
            hit = data + i;
    size_t first = hit ? (size_t)(hit - data) : size;
    *a = fuzz_text(data, first);
    *alen = first;
    *b = NULL;
    *blen = 0;
    if (hit) {
        *blen = size - first - sl;
        *b = fuzz_text(hit + sl, *blen);
    }
}

static char dir[PATH_MAX - 64];

/* Remove what the harnesses made: files, and files one directory down. */
static void remove_tree(const char *path, int depth)
{
    DIR *d = opendir(path);
    if (d) {
        for (struct dirent *de; (de = readdir(d)) != NULL;) {
            if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
                continue;
            char p[PATH_MAX + 512];
            snprintf(p, sizeof p, "%s/%s", path, de->d_name);
            if (unlink(p) != 0 && depth < 1)
                remove_tree(p, depth + 1);
        }
        closedir(d);
    }
    rmdir(path);
}

static void remove_dir(void)
{
    remove_tree(dir, 0);
}

const char *fuzz_dir(void)
{
    if (!dir[0]) {
        const char *tmp = getenv("TMPDIR");
        snprintf(dir, sizeof dir, "%s/mcsb-fuzz.XXXXXX", tmp && *tmp ? tmp : "/tmp");
        if (!mkdtemp(dir))
            abort();
        atexit(remove_dir);
    }
    return dir;
}

const char *fuzz_write(const char *name, const void *data, size_t size)
{
    static char path[PATH_MAX + 64];
    if ((size_t)snprintf(path, sizeof path, "%s/%s", fuzz_dir(), name) >= sizeof path)
        abort();
    unlink(path); /* a FIFO or symlink left there must not be written through */
    FILE *f = fopen(path, "wb");
    if (!f || (size && fwrite(data, 1, size, f) != size) || fclose(f) != 0)
        abort();
    return path;
}
