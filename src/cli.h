/**
 * @file cli.h
 * @brief Shared command-line plumbing: one option table feeds getopt_long and --help.
 */
#ifndef SB_CLI_H
#define SB_CLI_H

#include <getopt.h>
#include <stdbool.h>
#include <stdio.h>

struct sb_option {
    const char *name;     /**< long name, without dashes */
    int has_arg;          /**< no_argument / required_argument */
    int key;              /**< value getopt_long returns (a short letter, or >= 256) */
    const char *arg_name; /**< e.g. "FILE", or NULL */
    const char *help;     /**< one line */
};

/** Build a zero-terminated getopt_long array and its short-option string from a NULL-terminated table.
 *  Caller frees both. */
void cli_getopt_table(const struct sb_option *opts, struct option **longopts, char **shortopts);
/** Print "  -x, --name ARG   help" lines. */
void cli_print_options(FILE *f, const struct sb_option *opts);
/** "mcsb-audit: message\nTry 'mcsb-audit CMD --help'." on stderr; returns SB_EXIT_USAGE. */
int cli_usage_error(const char *cmd, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/** True when standard output is a pipe or socket whose reader has gone (`mcsb-audit ... | head`):
 *  the reader asked for no more, so a failed write there is not an error. */
bool cli_stdout_reader_gone(void);
/** Flush stdout at the end of a command: 0, or SB_EXIT_OUTPUT after one "write error" line on
 *  stderr; a reader that has gone is not an error. */
int cli_stdout_finish(void);
/** Print an error context as "mcsb-audit: msg" and return its code. */
struct sb_err;
int cli_report_error(const struct sb_err *e);
/** Where templates/ and fonts/ live: --data-dir, $MCSB_AUDIT_DATA_DIR, <bindir>/../share/mcsb-audit, the
 *  build-time source dir (see data_dir.h). Caller frees *out; -1 with e (exit 4) listing the paths searched. */
int cli_data_dir(char **out, const char *override, struct sb_err *e);

int cmd_report(int argc, char **argv);
int cmd_baseline(int argc, char **argv);
int cmd_run(int argc, char **argv);
/** The report command's option table (for `run`, which forwards report options). */
const struct sb_option *report_option_table(void);

#endif
