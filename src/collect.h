/**
 * @file collect.h
 * @brief `mcsb-audit collect`: read the ExpressRoute estate from Azure (Resource Graph + ARM)
 * into a snapshot file (docs/snapshot-format.md). See docs/collect.md.
 */
#ifndef SB_COLLECT_H
#define SB_COLLECT_H

#include <getopt.h>
#include <stdio.h>

/**
 * `mcsb-audit collect ...` with argv[0] == "collect". Parses its own options (getopt_long, one
 * option table feeds both parsing and collect_usage), runs, prints diagnostics as
 * "mcsb-audit: ..." on stderr, and returns an enum sb_exit code (src/err.h): 0 complete,
 * 5 snapshot written with gaps, 6 auth, 7 nothing collected, 2 usage, 4 output/system.
 * `--help` prints usage to stdout and returns 0.
 */
int collect_command(int argc, char **argv);

/** The long options of collect (getopt struct option array, zero-terminated), so `run` can route them. */
const struct option *collect_long_options(void);

/** Usage text of collect (generated from the option table). */
void collect_usage(FILE *f);
/** collect's option lines without the one named `except` (for `run --help`, which sets --output). */
void collect_print_options_except(FILE *f, const char *except);

#endif
