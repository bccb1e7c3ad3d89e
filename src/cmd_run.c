/* `mcsb-audit run`: collect into DIR/snapshot.json, then report from it — one scheduled command. */
#include "cli.h"

#include "collect.h"
#include "err.h"
#include "report_output.h"
#include "util.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

static const struct option *find_long(const struct option *opts, const char *name, size_t len);

static void run_usage(FILE *f)
{
    fputs("Usage: mcsb-audit run [collect options] [report options]\n\n"
          "Collect the estate into OUT-DIR/snapshot.json, then write the reports from it into OUT-DIR.\n"
          "Every option of 'collect' and of 'report' is accepted (except collect's --output and report's\n"
          "--input, which run sets). Exit: the report's error if any, else 1 for findings at or above\n"
          "--fail-on, else 5 when the collection had gaps, else 0; collection failures (2, 4, 6, 7) stop the run.\n\n"
          "Collect options:\n",
          f);
    collect_print_options_except(f, "output");
    fputs("\nReport options:\n", f);
    /* Only what run accepts and has not listed: not --input (run sets it), not --quiet/--help again. */
    for (const struct sb_option *o = report_option_table(); o->name; o++) {
        if (strcmp(o->name, "input") == 0 || find_long(collect_long_options(), o->name, strlen(o->name)))
            continue;
        /* run takes long options only: no "-f,"; laid out like the collect options above */
        char left[64];
        snprintf(left, sizeof left, "--%s%s%s", o->name, o->arg_name ? " " : "", o->arg_name ? o->arg_name : "");
        fprintf(f, "  %-26s %s\n", left, o->help);
    }
}

/* The getopt entry for a long option name, or NULL. */
static const struct option *find_long(const struct option *opts, const char *name, size_t len)
{
    for (; opts->name; opts++)
        if (strlen(opts->name) == len && strncmp(opts->name, name, len) == 0)
            return opts;
    return NULL;
}

static const struct sb_option *find_report(const char *name, size_t len)
{
    for (const struct sb_option *o = report_option_table(); o->name; o++)
        if (strlen(o->name) == len && strncmp(o->name, name, len) == 0)
            return o;
    return NULL;
}

static void push(char ***argv, int *argc, const char *s)
{
    *argv = sb_xrealloc(*argv, (size_t)(*argc + 2) * sizeof **argv);
    (*argv)[(*argc)++] = (char *)s;
    (*argv)[*argc] = NULL;
}

int cmd_run(int argc, char **argv)
{
    char **cargv = NULL, **rargv = NULL;
    int cargc = 0, rargc = 0;
    const char *out_dir = ".";
    int rc = 0;
    push(&cargv, &cargc, "collect");
    push(&rargv, &rargc, "report");
    for (int i = 1; i < argc && rc == 0; i++) {
        const char *a = argv[i];
        if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
            run_usage(stdout);
            free(cargv);
            free(rargv);
            return SB_EXIT_OK;
        }
        if (strncmp(a, "--", 2) != 0 || a[2] == '\0') {
            rc = cli_usage_error("run", "unexpected argument '%s' (run takes long options only)", a);
            break;
        }
        const char *name = a + 2;
        const char *eq = strchr(name, '=');
        size_t len = eq ? (size_t)(eq - name) : strlen(name);
        const struct option *co = find_long(collect_long_options(), name, len);
        const struct sb_option *ro = find_report(name, len);
        bool needs_arg = (co && co->has_arg == required_argument) || (ro && ro->has_arg == required_argument);
        const char *value = eq ? eq + 1 : NULL;
        if (!co && !ro) {
            rc = cli_usage_error("run", "unknown option '%s'", a);
            break;
        }
        if ((co && len == 6 && strncmp(name, "output", 6) == 0) || (ro && len == 5 && strncmp(name, "input", 5) == 0)) {
            rc = cli_usage_error("run", "'%s' is set by run (the snapshot is OUT-DIR/snapshot.json)", a);
            break;
        }
        if (needs_arg && !value) {
            if (i + 1 >= argc) {
                rc = cli_usage_error("run", "option '%s' needs an argument", a);
                break;
            }
            value = argv[++i];
        }
        if (ro && len == 7 && strncmp(name, "out-dir", 7) == 0)
            out_dir = value;
        /* Options both commands know (--quiet, --help handled above) go to both. */
        if (co) {
            push(&cargv, &cargc, a);
            if (needs_arg && !eq)
                push(&cargv, &cargc, value);
        }
        if (ro) {
            push(&rargv, &rargc, a);
            if (needs_arg && !eq)
                push(&rargv, &rargc, value);
        }
    }
    if (rc != 0) {
        free(cargv);
        free(rargv);
        return rc;
    }
    struct sb_err e = {0};
    char *snapshot = sb_path_join(out_dir, "snapshot.json");
    /* The snapshot lives beside the reports, so the directory must exist before collecting. */
    if (report_make_dirs(out_dir, &e) != 0) {
        free(snapshot);
        free(cargv);
        free(rargv);
        return cli_report_error(&e);
    }
    push(&cargv, &cargc, "--output");
    push(&cargv, &cargc, snapshot);
    int crc = collect_command(cargc, cargv);
    if (crc == SB_EXIT_OK || crc == SB_EXIT_INCOMPLETE) {
        push(&rargv, &rargc, "--input");
        push(&rargv, &rargc, snapshot);
        rc = cmd_report(rargc, rargv);
        if (rc == SB_EXIT_OK && crc == SB_EXIT_INCOMPLETE)
            rc = SB_EXIT_INCOMPLETE;
    } else {
        rc = crc;
    }
    free(snapshot);
    free(cargv);
    free(rargv);
    return rc;
}
