/* `mcsb-audit baseline show`: the responsibility matrix as a text table. */
#include "cli.h"

#include "baseline.h"
#include "err.h"
#include "util.h"

#include <stdlib.h>
#include <string.h>

enum { OPT_BASELINE = 256, OPT_DATA_DIR };

static const struct sb_option baseline_options[] = {
    {"baseline", required_argument, OPT_BASELINE, "FILE", "baseline file (default: the ExpressRoute baseline)"},
    {"data-dir", required_argument, OPT_DATA_DIR, "DIR", "where templates/ and fonts/ are"},
    {"help", no_argument, 'h', NULL, "show this help"},
    {NULL, 0, 0, NULL, NULL},
};

int cmd_baseline(int argc, char **argv)
{
    const char *path = NULL, *data_dir = NULL;
    struct option *lo;
    char *so;
    cli_getopt_table(baseline_options, &lo, &so);
    int rc = 0, c;
    optind = 0;
    opterr = 0;
    while (rc == 0 && (c = getopt_long(argc, argv, so, lo, NULL)) != -1) {
        if (c == OPT_BASELINE) {
            path = optarg;
        } else if (c == OPT_DATA_DIR) {
            data_dir = optarg;
        } else if (c == 'h') {
            fputs("Usage: mcsb-audit baseline show [options]\n\nPrint the baseline's responsibility matrix.\n\nOptions:\n",
                  stdout);
            cli_print_options(stdout, baseline_options);
            free(lo);
            free(so);
            return SB_EXIT_OK;
        } else {
            rc = cli_usage_error("baseline", "unknown option or missing argument '%s'", argv[optind - 1]);
        }
    }
    free(lo);
    free(so);
    if (rc)
        return rc;
    if (optind >= argc || strcmp(argv[optind], "show") != 0 || optind + 1 < argc)
        return cli_usage_error("baseline", "expected 'baseline show'");
    char *def = NULL;
    struct sb_err e = {0};
    if (!path) {
        char *dir = NULL;
        if (cli_data_dir(&dir, data_dir, &e) != 0)
            return cli_report_error(&e);
        path = def = sb_path_join(dir, "templates/baselines/expressroute.json");
        free(dir);
    }
    struct sb_baseline *b = NULL;
    if (baseline_load(&b, path, &e) != 0) {
        rc = cli_report_error(&e);
    } else {
        baseline_print_matrix(b, stdout);
        rc = cli_stdout_finish();
    }
    baseline_free(b);
    free(def);
    return rc;
}
