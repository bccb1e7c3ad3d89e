/* Placeholder until the pdf renderer lands. */
#include "render.h"

#include "err.h"

int render_pdf(const struct sb_report *r, const struct sb_render_opts *o, const char *out_path, struct sb_err *e)
{
    (void)r;
    (void)o;
    return sb_err_set(e, SB_EXIT_OUTPUT, "%s: the pdf format is not implemented yet", out_path);
}
