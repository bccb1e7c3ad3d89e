#include "cli.h"

#include "data_dir.h"
#include "err.h"
#include "util.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <poll.h>
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

bool cli_stdout_reader_gone(void)
{
    struct stat st;
    if (fstat(STDOUT_FILENO, &st) != 0 || !(S_ISFIFO(st.st_mode) || S_ISSOCK(st.st_mode)))
        return false;
    /* Linux flags the write end of a pipe without readers POLLERR (a socket: POLLHUP). */
    struct pollfd p = {.fd = STDOUT_FILENO, .events = POLLOUT};
    return poll(&p, 1, 0) == 1 && (p.revents & (POLLERR | POLLHUP));
}

int cli_stdout_finish(void)
{
    if (fflush(stdout) == 0 && !ferror(stdout))
        return 0;
    if (cli_stdout_reader_gone())
        return 0;
    fputs("mcsb-audit: standard output: write error\n", stderr);
    return SB_EXIT_OUTPUT;
}

int cli_report_error(const struct sb_err *e)
{
    fprintf(stderr, "mcsb-audit: %s\n", e->msg[0] ? e->msg : "unknown error");
    return e->code ? e->code : SB_EXIT_OUTPUT;
}

#ifndef SB_REL_DATA_DIR
#define SB_REL_DATA_DIR "../share/mcsb-audit"
#endif

int cli_data_dir(char **out, const char *override, struct sb_err *e)
{
    char *exe = sb_exe_path();
    struct sb_data_dir_lookup l = {override, getenv("MCSB_AUDIT_DATA_DIR"), exe, SB_REL_DATA_DIR, SB_DEFAULT_DATA_DIR};
    int rc = sb_data_dir_find(out, &l, e);
    free(exe);
    return rc;
}
