/* Command line of `mcsb-audit collect`: one option table drives getopt_long and the usage text. */
#include "collect.h"

#include "collect_run.h"
#include "err.h"
#include "http_url.h"
#include "util.h"

#include <curl/curl.h>
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

enum {
    OPT_SUBSCRIPTION = 256,
    OPT_MANAGEMENT_GROUP,
    OPT_OUTPUT,
    OPT_CLOUD,
    OPT_ARM_ENDPOINT,
    OPT_AUTHORITY_HOST,
    OPT_TOKEN_FILE,
    OPT_MANAGED_IDENTITY,
    OPT_CA_BUNDLE,
    OPT_MAX_PARALLEL,
    OPT_MAX_RETRIES,
    OPT_TIMEOUT,
    OPT_MAX_PAGES,
    OPT_DEADLINE,
    OPT_QUIET,
    OPT_VERBOSE,
    OPT_HELP,
};

/* name, has_arg, id, argument name, help */
#define COLLECT_OPTIONS(X)                                                                                        \
    X("subscription", required_argument, OPT_SUBSCRIPTION, "ID",                                                  \
      "subscription to collect (repeatable); default: every subscription the identity can see")                  \
    X("management-group", required_argument, OPT_MANAGEMENT_GROUP, "ID",                                          \
      "management group to collect (repeatable)")                                                                 \
    X("output", required_argument, OPT_OUTPUT, "FILE", "snapshot file to write (required; written atomically)") \
    X("cloud", required_argument, OPT_CLOUD, "NAME", "AzureCloud (default), AzureUSGovernment or AzureChinaCloud") \
    X("arm-endpoint", required_argument, OPT_ARM_ENDPOINT, "URL", "Resource Manager endpoint (overrides --cloud)") \
    X("authority-host", required_argument, OPT_AUTHORITY_HOST, "URL",                                             \
      "Entra ID authority (overrides --cloud and AZURE_AUTHORITY_HOST)")                                          \
    X("token-file", required_argument, OPT_TOKEN_FILE, "FILE", "read the bearer token from FILE")                 \
    X("managed-identity", no_argument, OPT_MANAGED_IDENTITY, NULL,                                              \
      "use the managed identity (App Service endpoint or instance metadata service)")                             \
    X("ca-bundle", required_argument, OPT_CA_BUNDLE, "FILE", "CA certificates for TLS verification")              \
    X("max-parallel", required_argument, OPT_MAX_PARALLEL, "N", "concurrent requests, 1-256 (default 16)")        \
    X("max-retries", required_argument, OPT_MAX_RETRIES, "N", "retries per request, 0-20 (default 5)")            \
    X("timeout", required_argument, OPT_TIMEOUT, "SECONDS",                                                       \
      "limit of each HTTP attempt, token requests included, connect to last byte; 1-3600 (default 60)")        \
    X("max-pages", required_argument, OPT_MAX_PAGES, "N",                                                         \
      "pages read of one listing before the rest becomes a gap, 1-1000000 (default 1000)")                      \
    X("deadline", required_argument, OPT_DEADLINE, "DURATION",                                                    \
      "time for the whole collection, e.g. 90s, 30m, 2h, 1h30m (default 2h); unfinished requests become gaps")   \
    X("quiet", no_argument, OPT_QUIET, NULL, "no progress or summary on stderr (errors still shown)")            \
    X("verbose", no_argument, OPT_VERBOSE, NULL, "log every request (method, path, status, time) on stderr")      \
    X("help", no_argument, OPT_HELP, NULL, "show this help and exit")

#define AS_OPTION(name, has, id, arg, help) {name, has, NULL, id},
#define AS_HELP(name, has, id, arg, help) {arg, help},

static const struct option long_options[] = {COLLECT_OPTIONS(AS_OPTION){NULL, 0, NULL, 0}};
static const struct {
    const char *arg, *help;
} option_help[] = {COLLECT_OPTIONS(AS_HELP)};

const struct option *collect_long_options(void)
{
    return long_options;
}

void collect_usage(FILE *f)
{
    fputs("Usage: mcsb-audit collect --output FILE [--subscription ID ...] [--management-group ID ...] [options]\n"
          "\n"
          "Read the ExpressRoute estate (Resource Graph + Resource Manager) into a snapshot for\n"
          "`mcsb-audit report --input`.\n"
          "\n"
          "Options:\n",
          f);
    for (size_t i = 0; long_options[i].name; i++) {
        char left[64];
        snprintf(left, sizeof left, "--%s%s%s", long_options[i].name, option_help[i].arg ? " " : "",
                 option_help[i].arg ? option_help[i].arg : "");
        fprintf(f, "  %-26s %s\n", left, option_help[i].help);
    }
    fputs("\n"
          "Credentials (the first that applies): AZURE_ACCESS_TOKEN or --token-file; AZURE_TENANT_ID +\n"
          "AZURE_CLIENT_ID + AZURE_CLIENT_SECRET; AZURE_TENANT_ID + AZURE_CLIENT_ID +\n"
          "AZURE_FEDERATED_TOKEN_FILE (workload identity); managed identity (IDENTITY_ENDPOINT +\n"
          "IDENTITY_HEADER, else the instance metadata service on Azure VMs or with --managed-identity).\n"
          "\n"
          "Limits: a server may ask for a wait (Retry-After) of at most 120 s; a longer one is cut to\n"
          "120 s, and one that would end after --deadline ends that request as a gap. Reaching\n"
          "--max-pages or --deadline writes the snapshot with gaps (exit 5).\n"
          "\n"
          "Exit status: 0 complete; 5 snapshot written with gaps; 6 authentication failed;\n"
          "7 nothing collected; 2 usage error; 4 output or system error.\n",
          f);
}

void collect_print_options_except(FILE *f, const char *except)
{
    for (size_t i = 0; long_options[i].name; i++) {
        if (except && strcmp(long_options[i].name, except) == 0)
            continue;
        char left[64];
        snprintf(left, sizeof left, "--%s%s%s", long_options[i].name, option_help[i].arg ? " " : "",
                 option_help[i].arg ? option_help[i].arg : "");
        fprintf(f, "  %-26s %s\n", left, option_help[i].help);
    }
}

struct cloud {
    const char *name, *arm, *authority;
};

static const struct cloud clouds[] = {
    {"AzureCloud", "https://management.azure.com", "https://login.microsoftonline.com"},
    {"AzureUSGovernment", "https://management.usgovcloudapi.net", "https://login.microsoftonline.us"},
    {"AzureChinaCloud", "https://management.chinacloudapi.cn", "https://login.chinacloudapi.cn"},
};

struct collect_args {
    struct collect_config cfg;
    size_t cap_subs, cap_mgs;
    bool help;
};

static int parse_int(const char *s, long lo, long hi, const char *opt, long *out, struct sb_err *e)
{
    char *end;
    *out = 0; /* written on every path: callers may read it without tracking the result */
    errno = 0;
    long v = strtol(s, &end, 10);
    if (errno || end == s || *end || v < lo || v > hi)
        return sb_err_set(e, SB_EXIT_USAGE, "--%s: expected a whole number from %ld to %ld, got '%s'", opt, lo, hi, s);
    *out = v;
    return 0;
}

/* Accept "ID" or "/subscriptions/ID" (copy-paste from the portal); reject anything that would change the URL. */
static int scope_id(char **out, const char *arg, const char *prefix, const char *opt, struct sb_err *e)
{
    const char *id = sb_istarts(arg, prefix) ? arg + strlen(prefix) : arg;
    if (sb_empty(id) || strlen(id) > 128)
        return sb_err_set(e, SB_EXIT_USAGE, "--%s: '%s' is not an id", opt, arg);
    for (const char *p = id; *p; p++)
        if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') || strchr("-_.()", *p)))
            return sb_err_set(e, SB_EXIT_USAGE, "--%s: '%s' is not an id", opt, arg);
    *out = sb_xstrdup(id);
    return 0;
}

int collect_parse_duration(const char *s, long long *out_ms)
{
    static const long long week_ms = 7LL * 24 * 3600 * 1000;
    long long total = 0;
    const char *p = s;
    *out_ms = 0;
    if (sb_empty(s))
        return -1;
    while (*p) {
        if (*p < '0' || *p > '9')
            return -1;
        long long n = 0;
        while (*p >= '0' && *p <= '9') {
            n = n * 10 + (*p++ - '0');
            if (n > week_ms)
                return -1;
        }
        long long unit = 1000;
        switch (*p) {
        case 'd':
            unit = 24LL * 3600 * 1000;
            break;
        case 'h':
            unit = 3600LL * 1000;
            break;
        case 'm':
            unit = 60LL * 1000;
            break;
        case 's':
            break;
        case '\0':
            if (total != 0)
                return -1; /* "1h30": minutes or seconds? */
            break;         /* a bare number: seconds */
        default:
            return -1;
        }
        if (*p)
            p++;
        total += n * unit;
        if (total > week_ms)
            return -1;
    }
    if (total <= 0)
        return -1;
    *out_ms = total;
    return 0;
}

static void push(char ***v, size_t *n, size_t *cap, char *s)
{
    sb_grow((void **)v, cap, *n + 1, sizeof **v);
    (*v)[(*n)++] = s;
}

static int handle(struct collect_args *a, int id, const char *arg, struct sb_err *e)
{
    struct collect_config *c = &a->cfg;
    long v;
    char *s = NULL;
    switch (id) {
    case OPT_SUBSCRIPTION:
        if (scope_id(&s, arg, "/subscriptions/", "subscription", e) != 0)
            return -1;
        push(&c->subscriptions, &c->n_subscriptions, &a->cap_subs, s);
        return 0;
    case OPT_MANAGEMENT_GROUP:
        if (scope_id(&s, arg, "/providers/Microsoft.Management/managementGroups/", "management-group", e) != 0)
            return -1;
        push(&c->management_groups, &c->n_management_groups, &a->cap_mgs, s);
        return 0;
    case OPT_OUTPUT:
        c->output = arg;
        return 0;
    case OPT_CLOUD:
        c->cloud = arg;
        return 0;
    case OPT_ARM_ENDPOINT:
        c->arm_endpoint = arg;
        return 0;
    case OPT_AUTHORITY_HOST:
        c->authority_host = arg;
        return 0;
    case OPT_TOKEN_FILE:
        c->token_file = arg;
        return 0;
    case OPT_MANAGED_IDENTITY:
        c->managed_identity = true;
        return 0;
    case OPT_CA_BUNDLE:
        c->ca_bundle = arg;
        return 0;
    case OPT_MAX_PARALLEL:
        if (parse_int(arg, 1, 256, "max-parallel", &v, e) != 0)
            return -1;
        c->max_parallel = (int)v;
        return 0;
    case OPT_MAX_RETRIES:
        if (parse_int(arg, 0, 20, "max-retries", &v, e) != 0)
            return -1;
        c->max_retries = (int)v;
        return 0;
    case OPT_TIMEOUT:
        if (parse_int(arg, 1, 3600, "timeout", &v, e) != 0)
            return -1;
        c->timeout_ms = v * 1000;
        return 0;
    case OPT_MAX_PAGES:
        if (parse_int(arg, 1, 1000000, "max-pages", &v, e) != 0)
            return -1;
        c->max_pages = (int)v;
        return 0;
    case OPT_DEADLINE:
        if (collect_parse_duration(arg, &c->deadline_ms) != 0)
            return sb_err_set(e, SB_EXIT_USAGE,
                              "--deadline: expected a duration from 1s to 7d such as 90s, 30m, 2h or 1h30m, got '%s'",
                              arg);
        return 0;
    case OPT_QUIET:
        c->quiet = true;
        return 0;
    case OPT_VERBOSE:
        c->verbose = true;
        return 0;
    case OPT_HELP:
        a->help = true;
        return 0;
    }
    return sb_err_set(e, SB_EXIT_USAGE, "unhandled option");
}

static int parse_args(struct collect_args *a, int argc, char **argv, struct sb_err *e)
{
    struct collect_config *c = &a->cfg;
    c->max_parallel = 16;
    c->max_retries = 5;
    c->timeout_ms = 60000;
    c->retry_base_ms = 500;
    c->max_pages = COLLECT_DEFAULT_MAX_PAGES;
    c->deadline_ms = COLLECT_DEFAULT_DEADLINE_MS;
    optind = 0; /* main may have run getopt already; 0 makes glibc start over */
    opterr = 0;
    int ch;
    while ((ch = getopt_long(argc, argv, ":", long_options, NULL)) != -1) {
        if (ch == '?')
            return sb_err_set(e, SB_EXIT_USAGE, "collect: unknown option '%s'", argv[optind - 1]);
        if (ch == ':')
            return sb_err_set(e, SB_EXIT_USAGE, "collect: option '%s' needs a value", argv[optind - 1]);
        if (handle(a, ch, optarg, e) != 0)
            return -1;
    }
    if (a->help)
        return 0;
    if (optind < argc)
        return sb_err_set(e, SB_EXIT_USAGE, "collect: unexpected argument '%s'", argv[optind]);
    if (sb_empty(c->output))
        return sb_err_set(e, SB_EXIT_USAGE, "collect: --output FILE is required");

    const struct cloud *cl = NULL;
    const char *cloud = c->cloud ? c->cloud : "AzureCloud";
    for (size_t i = 0; i < sizeof clouds / sizeof clouds[0]; i++)
        if (sb_ieq(cloud, clouds[i].name))
            cl = &clouds[i];
    if (!cl)
        return sb_err_set(e, SB_EXIT_USAGE, "--cloud: unknown cloud '%s' (AzureCloud, AzureUSGovernment, AzureChinaCloud)",
                          cloud);
    c->cloud = cl->name;
    if (!c->arm_endpoint)
        c->arm_endpoint = cl->arm;
    if (!c->authority_host)
        c->authority_host = sb_empty(getenv("AZURE_AUTHORITY_HOST")) ? cl->authority : getenv("AZURE_AUTHORITY_HOST");
    if (http_url_check(c->arm_endpoint, false, "--arm-endpoint", e) != 0 ||
        http_url_check(c->authority_host, false, "authority host", e) != 0)
        return -1;
    return 0;
}

/* Refuse early when the snapshot could not be written anyway: a long collection should not end in EACCES. */
static int check_output_dir(const char *path, struct sb_err *e)
{
    const char *slash = strrchr(path, '/');
    char *dir = slash ? sb_xstrndup(path, (size_t)(slash - path) + (slash == path)) : sb_xstrdup(".");
    int rc = 0;
    if (access(dir, W_OK | X_OK) != 0)
        rc = sb_err_set(e, SB_EXIT_OUTPUT, "%s: cannot write into directory %s: %s", path, dir, strerror(errno));
    free(dir);
    return rc;
}

static void args_free(struct collect_args *a)
{
    for (size_t i = 0; i < a->cfg.n_subscriptions; i++)
        free(a->cfg.subscriptions[i]);
    free(a->cfg.subscriptions);
    for (size_t i = 0; i < a->cfg.n_management_groups; i++)
        free(a->cfg.management_groups[i]);
    free(a->cfg.management_groups);
}

int collect_command(int argc, char **argv)
{
    struct collect_args a = {0};
    struct sb_err e = {0};
    int rc;
    if (parse_args(&a, argc, argv, &e) != 0) {
        fprintf(stderr, "mcsb-audit: %s\nTry 'mcsb-audit collect --help'.\n", e.msg);
        rc = e.code ? e.code : SB_EXIT_USAGE;
        goto done;
    }
    if (a.help) {
        collect_usage(stdout);
        rc = fflush(stdout) == 0 ? SB_EXIT_OK : SB_EXIT_OUTPUT;
        goto done;
    }
    if (check_output_dir(a.cfg.output, &e) != 0) {
        fprintf(stderr, "mcsb-audit: %s\n", e.msg);
        rc = SB_EXIT_OUTPUT;
        goto done;
    }
    a.cfg.progress = !a.cfg.quiet && !a.cfg.verbose && isatty(STDERR_FILENO);
    if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) {
        fprintf(stderr, "mcsb-audit: cannot initialise libcurl\n");
        rc = SB_EXIT_OUTPUT;
        goto done;
    }
    rc = collect_run(&a.cfg, &e);
    curl_global_cleanup();
    if (rc != SB_EXIT_OK && rc != SB_EXIT_INCOMPLETE)
        fprintf(stderr, "mcsb-audit: %s\n", e.msg[0] ? e.msg : "collection failed");
done:
    args_free(&a);
    return rc;
}
