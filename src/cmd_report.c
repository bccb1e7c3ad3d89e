/* `mcsb-audit report`: inputs -> assessment -> report files, all or nothing. */
#include "cli.h"

#include "assess.h"
#include "baseline.h"
#include "err.h"
#include "manifest.h"
#include "render.h"
#include "report_output.h"
#include "util.h"

#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum {
    OPT_BASELINE = 256, OPT_EXCEPTIONS, OPT_FORMAT, OPT_OUT_DIR, OPT_BASENAME, OPT_ORGANISATION,
    OPT_CLASSIFICATION, OPT_PAPER, OPT_FAIL_ON, OPT_PREVIOUS, OPT_SIGN_KEY, OPT_DATA_DIR, OPT_MAX_EXC_DAYS, OPT_PDF_DETAIL,
    OPT_PERIOD, OPT_JOBS, OPT_PDF_VOLUME_PAGES
};

static const struct sb_option report_options[] = {
    {"input", required_argument, 'i', "FILE", "resource state: ARM list/array/resource, Resource Graph response or snapshot (repeatable)"},
    {"baseline", required_argument, OPT_BASELINE, "FILE", "baseline file (default: templates/baselines/expressroute.json)"},
    {"exceptions", required_argument, OPT_EXCEPTIONS, "FILE", "exceptions and attestations (docs/exceptions-format.md)"},
    {"max-exception-days", required_argument, OPT_MAX_EXC_DAYS, "N", "warn about exceptions expiring more than N days ahead (default 365)"},
    {"format", required_argument, 'f', "LIST", "comma list of formats below, or all (default: json,csv,md,pdf,xlsx)"},
    {"out-dir", required_argument, 'o', "DIR", "directory for the reports (default: .; created if missing)"},
    {"basename", required_argument, OPT_BASENAME, "NAME", "report file name without extension (default: report)"},
    {"organisation", required_argument, OPT_ORGANISATION, "TEXT", "organisation named on the cover"},
    {"classification", required_argument, OPT_CLASSIFICATION, "TEXT", "classification label, e.g. Confidential"},
    {"period", required_argument, OPT_PERIOD, "FROM..TO", "audit period shown on the cover, dates YYYY-MM-DD (e.g. 2026-07-01..2026-09-30)"},
    {"paper", required_argument, OPT_PAPER, "SIZE", "PDF paper: a4 (default) or letter"},
    {"pdf-detail", required_argument, OPT_PDF_DETAIL, "LEVEL", "PDF findings: grouped (default; passes counted) or full (every result with its evidence)"},
    {"pdf-volume-pages", required_argument, OPT_PDF_VOLUME_PAGES, "N", "split a longer PDF into volumes of N pages: report.pdf, report-2.pdf, ... (default 1200)"},
    {"fail-on", required_argument, OPT_FAIL_ON, "LEVEL", "exit 1 on: never (default), high, medium, low, fail, not_assessed, manual, new"},
    {"previous", required_argument, OPT_PREVIOUS, "FILE", "previous report.json (or its report directory): add a changes section"},
    {"sign-key", required_argument, OPT_SIGN_KEY, "KEY.pem", "sign manifest.json with this PEM private key: Ed25519, Ed448, RSA (2048 bits or more) or EC (ECDSA)"},
    {"data-dir", required_argument, OPT_DATA_DIR, "DIR", "where templates/ and fonts/ are (default: built-in)"},
    {"jobs", required_argument, OPT_JOBS, "N", "formats rendered at the same time (default: the processors, at most 4; the files are the same)"},
    {"quiet", no_argument, 'q', NULL, "print nothing on success"},
    {"help", no_argument, 'h', NULL, "show this help"},
    {NULL, 0, 0, NULL, NULL},
};

static void report_usage(FILE *f)
{
    fputs("Usage: mcsb-audit report --input FILE [--input FILE ...] [options]\n\n"
          "Evaluate resource state against the baseline and write the reports.\n\nOptions:\n", f);
    cli_print_options(f, report_options);
    fputs("\nFormats:\n", f);
    for (const struct sb_renderer *r = sb_renderers; r->name; r++)
        fprintf(f, "  %-6s %s\n", r->name, r->help);
}

const struct sb_option *report_option_table(void)
{
    return report_options;
}

/*
 * A basename whose report file would be one of the manifest's own files (manifest + .json) would be
 * overwritten by the manifest after it was hashed. Checked against every format, not only the chosen
 * ones, so the same --basename is valid or not whatever --format says.
 */
static int check_basename_collision(const char *basename)
{
    static const char *const manifest_files[] = {SB_MANIFEST_JSON, SB_MANIFEST_SHA256, SB_MANIFEST_SIG};
    for (const struct sb_renderer *r = sb_renderers; r->name; r++) {
        char *name = sb_xasprintf("%s%s", basename, r->extension);
        /* The manifest lists only names it can print and verify can open: refuse the rest now, not
         * after every format was rendered. */
        if (!manifest_name_is_safe(name)) {
            free(name);
            return cli_usage_error("report", "--basename: no control characters or backslashes");
        }
        for (size_t i = 0; i < sizeof manifest_files / sizeof *manifest_files; i++) {
            if (strcmp(name, manifest_files[i]) == 0) {
                int rc = cli_usage_error("report", "--basename: '%s' would make %s, which is the manifest's own file",
                                         basename, name);
                free(name);
                return rc;
            }
        }
        free(name);
    }
    return 0;
}

/* "FROM..TO", both real dates, FROM not after TO. *buf receives the copy the two pointers point into. */
static int parse_period(char **buf, const char **from, const char **to, const char *arg)
{
    free(*buf);
    *buf = sb_xstrdup(arg);
    char *dots = strstr(*buf, "..");
    time_t a, b;
    if (!dots)
        return cli_usage_error("report", "--period: expected FROM..TO with dates YYYY-MM-DD, got '%s'", arg);
    *dots = '\0';
    *from = *buf;
    *to = dots + 2;
    if (sb_parse_date(*from, &a) != 0 || sb_parse_date(*to, &b) != 0)
        return cli_usage_error("report", "--period: expected FROM..TO with dates YYYY-MM-DD, got '%s'", arg);
    if (a > b)
        return cli_usage_error("report", "--period: %s is after %s", *from, *to);
    return 0;
}

/* A decimal number from lo to hi for `option`, or a usage error naming the range. */
static int parse_number(long *out, const char *arg, const char *option, const char *what, long lo, long hi)
{
    char *end;
    long v = strtol(arg, &end, 10);
    if (*arg < '0' || *arg > '9' || *end || v < lo || v > hi)
        return cli_usage_error("report", "%s: expected %s from %ld to %ld", option, what, lo, hi);
    *out = v;
    return 0;
}

static int parse_formats(bool want[], const char *list)
{
    char *copy = sb_xstrdup(list);
    int rc = 0;
    char *save = NULL;
    for (char *tok = strtok_r(copy, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
        while (*tok == ' ')
            tok++;
        if (strcmp(tok, "all") == 0) {
            for (size_t i = 0; sb_renderers[i].name; i++)
                want[i] = true;
            continue;
        }
        const struct sb_renderer *r = render_find(tok);
        if (!r) {
            rc = cli_usage_error("report", "--format: unknown format '%s' (expected json, csv, md, pdf, xlsx, sarif, "
                                 "oscal or all)", tok);
            break;
        }
        want[r - sb_renderers] = true;
    }
    free(copy);
    return rc;
}

int cmd_report(int argc, char **argv)
{
    struct report_output_opts out = {0};
    struct sb_assess_opts ao = {0};
    const char **inputs = NULL;
    size_t ninputs = 0;
    const char *baseline_path = NULL, *data_dir = NULL;
    bool formats[SB_MAX_FORMATS] = {false};
    bool any_format = false, quiet = false;
    char *period = NULL;
    out.out_dir = ".";
    out.basename = "report";
    out.paper = "a4";
    out.fail_on = "never";

    struct option *lo;
    char *so;
    cli_getopt_table(report_options, &lo, &so);
    int rc = 0, c;
    optind = 0;
    opterr = 0;
    while (rc == 0 && (c = getopt_long(argc, argv, so, lo, NULL)) != -1) {
        switch (c) {
        case 'i':
            inputs = sb_xrealloc(inputs, (ninputs + 1) * sizeof *inputs);
            inputs[ninputs++] = optarg;
            break;
        case OPT_BASELINE: baseline_path = optarg; break;
        case OPT_EXCEPTIONS: ao.exceptions_path = optarg; break;
        case OPT_MAX_EXC_DAYS: {
            long v = 0;
            if ((rc = parse_number(&v, optarg, "--max-exception-days", "a number of days", 1, 36500)) == 0)
                ao.max_exception_days = (int)v;
            break;
        }
        case 'f':
            rc = parse_formats(formats, optarg);
            any_format = true;
            break;
        case 'o': out.out_dir = optarg; break;
        case OPT_BASENAME: out.basename = optarg; break;
        case OPT_ORGANISATION: ao.organisation = optarg; break;
        case OPT_CLASSIFICATION: ao.classification = optarg; break;
        case OPT_PAPER: out.paper = optarg; break;
        case OPT_PDF_DETAIL: out.pdf_detail = optarg; break;
        case OPT_FAIL_ON: out.fail_on = optarg; break;
        case OPT_PREVIOUS: out.previous = optarg; break;
        case OPT_SIGN_KEY: out.sign_key = optarg; break;
        case OPT_DATA_DIR: data_dir = optarg; break;
        case OPT_PERIOD: rc = parse_period(&period, &ao.period_from, &ao.period_to, optarg); break;
        case OPT_PDF_VOLUME_PAGES: {
            long v = 0;
            if ((rc = parse_number(&v, optarg, "--pdf-volume-pages", "a number of pages", 20, 1000000)) == 0)
                out.pdf_volume_pages = (unsigned)v;
            break;
        }
        case OPT_JOBS: {
            long v = 0;
            if ((rc = parse_number(&v, optarg, "--jobs", "a number", 1, 64)) == 0)
                out.jobs = (unsigned)v;
            break;
        }
        case 'q': quiet = true; break;
        case 'h':
            report_usage(stdout);
            free(lo);
            free(so);
            free(inputs);
            free(period);
            return SB_EXIT_OK;
        case ':':
            rc = cli_usage_error("report", "option '%s' needs an argument", argv[optind - 1]);
            break;
        default:
            rc = cli_usage_error("report", "unknown option '%s'", argv[optind - 1]);
            break;
        }
    }
    if (rc == 0 && optind < argc)
        rc = cli_usage_error("report", "unexpected argument '%s' (inputs are given with --input)", argv[optind]);
    if (rc == 0 && ninputs == 0)
        rc = cli_usage_error("report", "no input: give at least one --input FILE");
    if (rc == 0 && strcmp(out.paper, "a4") != 0 && strcmp(out.paper, "letter") != 0)
        rc = cli_usage_error("report", "--paper: expected a4 or letter");
    if (rc == 0 && out.pdf_detail && strcmp(out.pdf_detail, "grouped") != 0 && strcmp(out.pdf_detail, "full") != 0)
        rc = cli_usage_error("report", "--pdf-detail: expected grouped or full");
    if (rc == 0 && (sb_empty(out.basename) || strchr(out.basename, '/') || strcmp(out.basename, ".") == 0 ||
                    strcmp(out.basename, "..") == 0))
        rc = cli_usage_error("report", "--basename: a plain file name without '/'");
    if (rc == 0)
        rc = check_basename_collision(out.basename);
    if (rc == 0 && report_fail_on_valid(out.fail_on) != 0)
        rc = cli_usage_error("report", "--fail-on: expected never, high, medium, low, fail, not_assessed, manual or new");
    if (rc == 0 && strcmp(out.fail_on, "new") == 0 && !out.previous)
        rc = cli_usage_error("report", "--fail-on new needs --previous FILE");
    free(lo);
    free(so);
    if (rc != 0) {
        free(inputs);
        free(period);
        return rc;
    }
    if (!any_format)
        for (size_t i = 0; sb_renderers[i].name; i++)
            formats[i] = sb_renderers[i].by_default;
    for (size_t i = 0; sb_renderers[i].name; i++)
        if (formats[i])
            out.formats[out.nformats++] = &sb_renderers[i];
    out.quiet = quiet;

    struct sb_err e = {0};
    char *found_data_dir = NULL;
    if (cli_data_dir(&found_data_dir, data_dir, &e) != 0) {
        free(inputs);
        free(period);
        return cli_report_error(&e);
    }
    out.data_dir = found_data_dir;
    char *default_baseline = NULL;
    if (!baseline_path) {
        /* The built-in baseline is named the same on every machine, so reports do not depend on the install path. */
        baseline_path = default_baseline = sb_path_join(out.data_dir, "templates/baselines/expressroute.json");
        ao.baseline_name = "templates/baselines/expressroute.json (built-in)";
    }
    struct sb_baseline *b = NULL;
    struct sb_report *r = NULL;
    ao.inputs = inputs;
    ao.ninputs = ninputs;
    if (baseline_load(&b, baseline_path, &e) != 0 || assess_run(&r, b, &ao, &e) != 0) {
        rc = cli_report_error(&e);
    } else {
        if (!quiet)
            report_print_exception_warnings(stderr, r, ao.exceptions_path);
        if (r->scope.nresources == 0)
            fputs("mcsb-audit: warning: the inputs hold no resources: nothing can be assessed (the report says so; "
                  "it is not a clean result)\n", stderr);
        if (report_write_outputs(r, &out, &e) != 0) {
            rc = cli_report_error(&e);
        } else {
            rc = report_exit_status(r, &out);
            if (!quiet)
                report_print_summary(stderr, r, &out);
        }
    }
    report_free(r);
    baseline_free(b);
    free(default_baseline);
    free(found_data_dir);
    free(inputs);
    free(period);
    return rc;
}
