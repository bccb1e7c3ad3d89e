/* Placeholder: the loader lands with the baseline data. */
#include "baseline.h"

#include "err.h"

int baseline_load(struct sb_baseline **out, const char *path, struct sb_err *e)
{
    *out = NULL;
    return sb_err_set(e, SB_EXIT_INPUT, "%s: baseline loader not implemented yet", path);
}

void baseline_free(struct sb_baseline *b)
{
    (void)b;
}

size_t baseline_feature_count(const struct sb_baseline *b)
{
    size_t n = 0;
    for (size_t i = 0; i < b->ncontrols; i++)
        n += b->controls[i].nfeatures;
    return n;
}

const char *sb_tri_str(enum sb_tri v)
{
    return v == SB_TRI_TRUE ? "True" : v == SB_TRI_FALSE ? "False" : "Not Applicable";
}

const char *sb_resp_str(enum sb_resp v)
{
    static const char *const s[] = {"Microsoft", "Customer", "Shared", "Not Applicable"};
    return v <= SB_RESP_NA ? s[v] : "Not Applicable";
}
