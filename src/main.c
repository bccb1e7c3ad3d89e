/* mcsb-audit: a thin dispatcher over the core library's commands. */
#include "cli.h"
#include "collect.h"
#include "diff.h"
#include "manifest.h"
#include "err.h"

#include <signal.h>
#include <stdio.h>
#include <string.h>

static void usage(FILE *f)
{
    fputs("Usage: mcsb-audit COMMAND [options]\n\n"
          "Turn the state of an Azure estate into audit evidence for the Microsoft cloud security benchmark\n"
          "baseline of ExpressRoute.\n\n"
          "Commands:\n"
          "  report         evaluate resource state and write reports (json, csv, md, pdf, xlsx)\n"
          "  collect        collect resource state from Azure into a snapshot\n"
          "  run            collect, then report (the scheduled quarterly job)\n"
          "  verify DIR     check a report directory against its manifest (and signature)\n"
          "  diff OLD NEW   compare two reports (report.json files or report directories)\n"
          "  baseline show  print the baseline's responsibility matrix\n\n"
          "Run 'mcsb-audit COMMAND --help' for a command's options.\n"
          "Exit codes: 0 ok, 1 findings at or above --fail-on, 2 usage, 3 invalid input, 4 output or system error,\n"
          "5 collection incomplete, 6 authentication failed, 7 nothing collected, 8 verification failed.\n",
          f);
}

int main(int argc, char **argv)
{
    /* No death by SIGPIPE mid-write (report files are written atomically, never half): a write to a
     * closed pipe fails with EPIPE instead, and a reader that has gone is not an error. */
    signal(SIGPIPE, SIG_IGN);
    if (argc < 2)
        return usage(stderr), SB_EXIT_USAGE;
    const char *cmd = argv[1];
    if (strcmp(cmd, "--help") == 0 || strcmp(cmd, "-h") == 0 || strcmp(cmd, "help") == 0) {
        usage(stdout);
        return cli_stdout_finish();
    }
    if (strcmp(cmd, "--version") == 0 || strcmp(cmd, "-V") == 0) {
        printf("mcsb-audit %s\n", SB_VERSION);
        return cli_stdout_finish();
    }
    int rc;
    if (strcmp(cmd, "report") == 0)
        rc = cmd_report(argc - 1, argv + 1);
    else if (strcmp(cmd, "baseline") == 0)
        rc = cmd_baseline(argc - 1, argv + 1);
    else if (strcmp(cmd, "collect") == 0)
        rc = collect_command(argc - 1, argv + 1);
    else if (strcmp(cmd, "run") == 0)
        rc = cmd_run(argc - 1, argv + 1);
    else if (strcmp(cmd, "verify") == 0)
        rc = verify_command(argc - 1, argv + 1);
    else if (strcmp(cmd, "diff") == 0)
        rc = diff_command(argc - 1, argv + 1);
    else
        return cli_usage_error(NULL, "unknown command '%s'", cmd);
    /* A command that failed has already said why; do not report its stdout error twice. */
    if (rc == SB_EXIT_OK)
        return cli_stdout_finish();
    return rc;
}
