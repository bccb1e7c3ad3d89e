#include "cli.h"

#include "err.h"
#include "util.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

void cli_getopt_table(const struct sb_option *opts, struct option **longopts, char **shortopts)
{
    size_t n = 0;
    while (opts[n].name)
        n++;
    struct option *lo = sb_xcalloc(n + 1, sizeof *lo);
    struct sb_buf so = {0};
    sb_buf_putc(&so, ':'); /* report missing arguments as ':' */
    for (size_t i = 0; i < n; i++) {
        lo[i].name = opts[i].name;
        lo[i].has_arg = opts[i].has_arg;
        lo[i].flag = NULL;
        lo[i].val = opts[i].key;
        if (opts[i].key > 0 && opts[i].key < 128) {
            sb_buf_putc(&so, (char)opts[i].key);
            if (opts[i].has_arg == required_argument)
                sb_buf_putc(&so, ':');
        }
    }
    *longopts = lo;
    *shortopts = sb_buf_take(&so);
}

void cli_print_options(FILE *f, const struct sb_option *opts)
{
    for (const struct sb_option *o = opts; o->name; o++) {
        char left[64];
        if (o->key > 0 && o->key < 128)
            snprintf(left, sizeof left, "-%c, --%s%s%s", o->key, o->name, o->arg_name ? " " : "",
                     o->arg_name ? o->arg_name : "");
        else
            snprintf(left, sizeof left, "    --%s%s%s", o->name, o->arg_name ? " " : "", o->arg_name ? o->arg_name : "");
        fprintf(f, "  %-30s %s\n", left, o->help);
    }
}

int cli_usage_error(const char *cmd, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fputs("mcsb-audit: ", stderr);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fprintf(stderr, "\nTry 'mcsb-audit %s%s--help'.\n", cmd ? cmd : "", cmd ? " " : "");
    return SB_EXIT_USAGE;
}

int cli_report_error(const struct sb_err *e)
{
    fprintf(stderr, "mcsb-audit: %s\n", e->msg[0] ? e->msg : "unknown error");
    return e->code ? e->code : SB_EXIT_OUTPUT;
}

static int has_templates(const char *dir)
{
    char *p = sb_path_join(dir, "templates/baselines");
    struct stat st;
    int ok = stat(p, &st) == 0 && S_ISDIR(st.st_mode);
    free(p);
    return ok;
}

const char *cli_data_dir(const char *override)
{
    if (override)
        return override;
    const char *env = getenv("MCSB_AUDIT_DATA_DIR");
    if (env && *env)
        return env;
    if (has_templates(SB_DEFAULT_DATA_DIR))
        return SB_DEFAULT_DATA_DIR;
    /* An installed binary: <prefix>/bin/mcsb-audit -> <prefix>/share/mcsb-audit */
    static const char installed[] = "/usr/local/share/mcsb-audit";
    if (has_templates(installed))
        return installed;
    return "/usr/share/mcsb-audit";
}
