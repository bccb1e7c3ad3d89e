#include "data_dir.h"

#include "err.h"
#include "util.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static int has_templates(const char *dir)
{
    char *p = sb_path_join(dir, "templates/baselines");
    struct stat st;
    int ok = stat(p, &st) == 0 && S_ISDIR(st.st_mode);
    free(p);
    return ok;
}

/* "<dir of exe>/<rel>", or NULL when exe has no directory part. */
static char *beside_exe(const char *exe, const char *rel)
{
    const char *slash = strrchr(exe, '/');
    if (!slash)
        return NULL;
    char *dir = sb_xstrndup(exe, (size_t)(slash - exe));
    char *p = sb_path_join(*dir ? dir : "/", rel);
    free(dir);
    return p;
}

int sb_data_dir_find(char **out, const struct sb_data_dir_lookup *l, struct sb_err *e)
{
    *out = NULL;
    if (l->override) {
        *out = sb_xstrdup(l->override);
        return 0;
    }
    if (!sb_empty(l->env)) {
        *out = sb_xstrdup(l->env);
        return 0;
    }
    char *candidates[2] = {NULL, NULL};
    if (l->exe_path && l->rel_from_bin)
        candidates[0] = beside_exe(l->exe_path, l->rel_from_bin);
    if (!sb_empty(l->build_default))
        candidates[1] = sb_xstrdup(l->build_default);
    struct sb_buf searched = {0};
    for (size_t i = 0; i < 2; i++) {
        if (!candidates[i])
            continue;
        if (!*out && has_templates(candidates[i])) {
            *out = candidates[i];
            candidates[i] = NULL;
            continue;
        }
        sb_buf_printf(&searched, "%s%s", searched.len ? ", " : "", candidates[i]);
        free(candidates[i]);
    }
    int rc = 0;
    if (!*out)
        rc = sb_err_set(e, SB_EXIT_OUTPUT,
                        "no data directory with templates/baselines found (searched: %s); "
                        "use --data-dir DIR or set MCSB_AUDIT_DATA_DIR",
                        searched.len ? searched.data : "nothing: executable path unknown");
    sb_buf_free(&searched);
    return rc;
}

char *sb_exe_path(void)
{
    char buf[PATH_MAX];
    ssize_t n = readlink("/proc/self/exe", buf, sizeof buf - 1);
    if (n <= 0 || (size_t)n >= sizeof buf - 1)
        return NULL;
    buf[n] = '\0';
    return buf[0] == '/' ? sb_xstrdup(buf) : NULL;
}
