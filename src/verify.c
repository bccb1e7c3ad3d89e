/* `mcsb-audit verify DIR [--pubkey KEY]`: check a report directory against its manifest. */
#include "manifest.h"

#include "cli.h"
#include "err.h"
#include "json_parse.h"
#include "sign.h"
#include "util.h"

#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cjson/cJSON.h>

#define MANIFEST_MAX (64u * 1024 * 1024)
#define SIG_MAX (64u * 1024)

/* One file the manifest vouches for, with the hash each manifest file claims (NULL: not listed). */
struct vfile {
    char *name;
    const char *json_sha;  /* from manifest.json (borrowed from the cJSON tree) */
    double json_size;      /* -1 when unknown */
    char sums_sha[65];     /* from manifest.sha256; "" when not listed there */
};

struct vstate {
    const char *dir;
    struct vfile *files;
    size_t n, cap;
    size_t problems;
};

enum { OPT_PUBKEY = 256 };

static const struct sb_option verify_options[] = {
    {"pubkey", required_argument, OPT_PUBKEY, "KEY", "also check manifest.json.sig with this public key (PEM or certificate)"},
    {"help", no_argument, 'h', NULL, "show this help"},
    {NULL, 0, 0, NULL, NULL},
};

static void print_help(FILE *f)
{
    fputs("Usage: mcsb-audit verify DIR [--pubkey KEY.pub]\n\n"
          "Check every file listed in DIR/manifest.sha256 and DIR/manifest.json against its SHA-256.\n\n"
          "Options:\n",
          f);
    cli_print_options(f, verify_options);
    fputs("\nPrints NAME: OK | MISMATCH | MISSING per file. Exit status: 0 all good; 8 a hash or\n"
          "signature did not match, a file is missing or a name is unsafe; 3 malformed manifest or\n"
          "unusable key; 2 usage error.\n",
          f);
}

/* Every problem is counted and explained on stderr; the per-file verdicts go to stdout. */
static void problem(struct vstate *s, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void problem(struct vstate *s, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    s->problems++;
    fputs("mcsb-audit: verify: ", stderr);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
}

static struct vfile *find_file(struct vstate *s, const char *name)
{
    for (size_t i = 0; i < s->n; i++)
        if (strcmp(s->files[i].name, name) == 0)
            return &s->files[i];
    return NULL;
}

static struct vfile *add_file(struct vstate *s, const char *name)
{
    sb_grow((void **)&s->files, &s->cap, s->n + 1, sizeof *s->files);
    struct vfile *f = &s->files[s->n++];
    memset(f, 0, sizeof *f);
    f->name = sb_xstrdup(name);
    f->json_size = -1;
    return f;
}

static bool is_hex64(const char *s)
{
    if (!s || strlen(s) != 64)
        return false;
    for (size_t i = 0; i < 64; i++)
        if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f')))
            return false;
    return true;
}

/* manifest.json: the outputs array is what we need; everything else is informational. */
static int load_json_entries(struct vstate *s, const cJSON *root, const char *path, struct sb_err *e)
{
    if (!cJSON_IsObject(root))
        return sb_err_set(e, SB_EXIT_INPUT, "%s: expected a JSON object", path);
    const cJSON *ver = cJSON_GetObjectItemCaseSensitive(root, "manifest_version");
    if (!cJSON_IsNumber(ver))
        return sb_err_set(e, SB_EXIT_INPUT, "%s: manifest_version: expected a number", path);
    if (ver->valuedouble != SB_MANIFEST_VERSION)
        return sb_err_set(e, SB_EXIT_INPUT, "%s: manifest_version: %g is not supported (expected %d)", path,
                          ver->valuedouble, SB_MANIFEST_VERSION);
    const cJSON *outs = cJSON_GetObjectItemCaseSensitive(root, "outputs");
    if (!cJSON_IsArray(outs))
        return sb_err_set(e, SB_EXIT_INPUT, "%s: outputs: expected an array", path);
    int i = 0;
    for (const cJSON *o = outs->child; o; o = o->next, i++) {
        const cJSON *name = cJSON_GetObjectItemCaseSensitive(o, "name");
        const cJSON *size = cJSON_GetObjectItemCaseSensitive(o, "size");
        const cJSON *sha = cJSON_GetObjectItemCaseSensitive(o, "sha256");
        if (!cJSON_IsObject(o))
            return sb_err_set(e, SB_EXIT_INPUT, "%s: outputs[%d]: expected an object", path, i);
        if (!cJSON_IsString(name))
            return sb_err_set(e, SB_EXIT_INPUT, "%s: outputs[%d].name: expected a string", path, i);
        if (!cJSON_IsNumber(size) || size->valuedouble < 0)
            return sb_err_set(e, SB_EXIT_INPUT, "%s: outputs[%d].size: expected a non-negative number", path, i);
        if (!cJSON_IsString(sha) || !is_hex64(sha->valuestring))
            return sb_err_set(e, SB_EXIT_INPUT, "%s: outputs[%d].sha256: expected 64 lower-case hex digits",
                              path, i);
        if (find_file(s, name->valuestring))
            return sb_err_set(e, SB_EXIT_INPUT, "%s: outputs[%d].name: \"%s\" is listed twice", path, i,
                              name->valuestring);
        struct vfile *f = add_file(s, name->valuestring);
        f->json_sha = sha->valuestring;
        f->json_size = size->valuedouble;
    }
    return 0;
}

/* manifest.sha256: "<64 hex><space><space or *><name>" per line, as sha256sum writes it. */
static int load_sums(struct vstate *s, char *text, size_t len, const char *path, struct sb_err *e)
{
    if (len && text[len - 1] != '\n')
        return sb_err_set(e, SB_EXIT_INPUT, "%s: last line has no newline", path);
    int lineno = 0;
    for (char *line = text; *line; ) {
        char *nl = strchr(line, '\n');
        *nl = '\0';
        lineno++;
        if (strlen(line) < 67 || line[64] != ' ' || (line[65] != ' ' && line[65] != '*'))
            return sb_err_set(e, SB_EXIT_INPUT, "%s:%d: expected \"<sha256>  <name>\"", path, lineno);
        line[64] = '\0';
        if (!is_hex64(line))
            return sb_err_set(e, SB_EXIT_INPUT, "%s:%d: expected 64 lower-case hex digits", path, lineno);
        const char *name = line + 66;
        struct vfile *f = find_file(s, name);
        if (f && f->sums_sha[0])
            return sb_err_set(e, SB_EXIT_INPUT, "%s:%d: \"%s\" is listed twice", path, lineno, name);
        if (!f)
            f = add_file(s, name);
        memcpy(f->sums_sha, line, 65);
        line = nl + 1;
    }
    return 0;
}

/* Both manifests must describe the same files with the same hashes. */
static void cross_check(struct vstate *s, bool have_sums)
{
    for (size_t i = 0; i < s->n; i++) {
        struct vfile *f = &s->files[i];
        bool self = strcmp(f->name, SB_MANIFEST_JSON) == 0;
        if (self && f->json_sha)
            problem(s, "%s: manifest.json lists itself as \"%s\"", s->dir, f->name);
        if (!have_sums || self)
            continue;
        if (!f->json_sha)
            problem(s, "%s: %s is in manifest.sha256 but not in manifest.json", s->dir, f->name);
        else if (!f->sums_sha[0])
            problem(s, "%s: %s is in manifest.json but not in manifest.sha256", s->dir, f->name);
        else if (strcmp(f->json_sha, f->sums_sha) != 0)
            problem(s, "%s: manifest.json and manifest.sha256 disagree about %s", s->dir, f->name);
    }
    if (have_sums) {
        const struct vfile *self = find_file(s, SB_MANIFEST_JSON);
        if (!self || !self->sums_sha[0])
            problem(s, "%s: manifest.sha256 does not cover %s", s->dir, SB_MANIFEST_JSON);
    }
}

static int cmp_vfile(const void *a, const void *b)
{
    return strcmp(((const struct vfile *)a)->name, ((const struct vfile *)b)->name);
}

static void check_files(struct vstate *s)
{
    if (s->n)
        sb_sort(s->files, s->n, sizeof *s->files, cmp_vfile);
    for (size_t i = 0; i < s->n; i++) {
        struct vfile *f = &s->files[i];
        if (!manifest_name_is_safe(f->name)) {
            problem(s, "%s: unsafe file name in manifest: \"%s\" (absolute or outside the directory)", s->dir,
                    f->name);
            printf("%s: UNSAFE NAME\n", f->name);
            continue;
        }
        char *path = sb_path_join(s->dir, f->name);
        uint64_t size = 0;
        char hex[65];
        struct sb_err e = {0};
        if (manifest_hash_file(path, &size, hex, SB_EXIT_VERIFY, &e) != 0) {
            printf("%s: MISSING\n", f->name);
            problem(s, "%s", e.msg);
        } else if ((f->json_sha && strcmp(f->json_sha, hex) != 0) || (f->sums_sha[0] && strcmp(f->sums_sha, hex) != 0)
                   || (f->json_size >= 0 && f->json_size != (double)size)) {
            printf("%s: MISMATCH\n", f->name);
            problem(s, "%s: SHA-256 or size does not match the manifest", path);
        } else {
            printf("%s: OK\n", f->name);
        }
        free(path);
    }
}

static int check_signature(struct vstate *s, const char *json, size_t json_len, const char *pubkey)
{
    char *sig_path = sb_path_join(s->dir, SB_MANIFEST_SIG);
    char *sig = NULL;
    size_t sig_len = 0;
    struct sb_err e = {0};
    int rc = 0;
    if (sb_read_file(&sig, &sig_len, sig_path, SIG_MAX, &e) != 0) {
        printf("%s: MISSING\n", SB_MANIFEST_SIG);
        problem(s, "%s: manifest is not signed (%s)", s->dir, e.msg);
    } else {
        bool good = false;
        if (sb_verify_signature(&good, json, json_len, (const unsigned char *)sig, sig_len, pubkey, &e) != 0) {
            fprintf(stderr, "mcsb-audit: verify: %s\n", e.msg);
            rc = e.code;
        } else if (good) {
            printf("%s: signature OK\n", SB_MANIFEST_SIG);
        } else {
            printf("%s: BAD SIGNATURE\n", SB_MANIFEST_SIG);
            problem(s, "%s: signature does not verify with %s", sig_path, pubkey);
        }
    }
    free(sig);
    free(sig_path);
    return rc;
}

static int run_verify(const char *dir, const char *pubkey)
{
    struct vstate s = {.dir = dir};
    struct sb_err e = {0};
    char *json_path = sb_path_join(dir, SB_MANIFEST_JSON);
    char *sums_path = sb_path_join(dir, SB_MANIFEST_SHA256);
    char *json = NULL, *sums = NULL;
    size_t json_len = 0, sums_len = 0;
    cJSON *root = NULL;
    int rc;

    struct stat st;
    if (stat(dir, &st) != 0 || !S_ISDIR(st.st_mode)) {
        fprintf(stderr, "mcsb-audit: verify: %s: %s\n", dir, errno == ENOENT ? "No such directory" : "not a directory");
        rc = SB_EXIT_INPUT;
        goto cleanup;
    }
    if (sb_read_file(&json, &json_len, json_path, MANIFEST_MAX, &e) != 0) {
        printf("%s: MISSING\n", SB_MANIFEST_JSON);
        fprintf(stderr, "mcsb-audit: verify: %s\n", e.msg);
        rc = SB_EXIT_VERIFY;
        goto cleanup;
    }
    if (sb_json_parse(&root, json, json_len, json_path, &e) != 0 || load_json_entries(&s, root, json_path, &e) != 0) {
        fprintf(stderr, "mcsb-audit: verify: %s\n", e.msg);
        rc = SB_EXIT_INPUT;
        goto cleanup;
    }
    bool have_sums = sb_read_file(&sums, &sums_len, sums_path, MANIFEST_MAX, &e) == 0;
    if (!have_sums) {
        printf("%s: MISSING\n", SB_MANIFEST_SHA256);
        problem(&s, "%s", e.msg);
        sb_err_clear(&e);
    } else if (load_sums(&s, sums, sums_len, sums_path, &e) != 0) {
        fprintf(stderr, "mcsb-audit: verify: %s\n", e.msg);
        rc = SB_EXIT_INPUT;
        goto cleanup;
    }
    cross_check(&s, have_sums);
    check_files(&s);
    rc = pubkey ? check_signature(&s, json, json_len, pubkey) : 0;
    if (!pubkey) {
        char *sig_path = sb_path_join(dir, SB_MANIFEST_SIG);
        if (access(sig_path, F_OK) == 0)
            fprintf(stderr, "mcsb-audit: verify: note: %s is present but not checked; pass --pubkey\n", sig_path);
        free(sig_path);
    }
    if (rc == 0 && s.problems) {
        fprintf(stderr, "mcsb-audit: verify: %s: %zu problem%s\n", dir, s.problems, s.problems == 1 ? "" : "s");
        rc = SB_EXIT_VERIFY;
    }
cleanup:
    for (size_t i = 0; i < s.n; i++)
        free(s.files[i].name);
    free(s.files);
    cJSON_Delete(root);
    free(json);
    free(sums);
    free(json_path);
    free(sums_path);
    return rc;
}

int verify_command(int argc, char **argv)
{
    struct option *lo;
    char *so;
    cli_getopt_table(verify_options, &lo, &so);
    const char *pubkey = NULL;
    int rc = -1, c;
    optind = 0;
    opterr = 0;
    while (rc < 0 && (c = getopt_long(argc, argv, so, lo, NULL)) != -1) {
        switch (c) {
        case OPT_PUBKEY:
            pubkey = optarg;
            break;
        case 'h':
            print_help(stdout);
            rc = fflush(stdout) == 0 ? SB_EXIT_OK : SB_EXIT_OUTPUT;
            break;
        case ':':
            rc = cli_usage_error("verify", "option '%s' needs an argument", argv[optind - 1]);
            break;
        default:
            rc = cli_usage_error("verify", "unknown option '%s'", argv[optind - 1]);
            break;
        }
    }
    free(lo);
    free(so);
    if (rc >= 0)
        return rc;
    if (optind >= argc)
        return cli_usage_error("verify", "missing the report directory");
    if (argc - optind > 1)
        return cli_usage_error("verify", "unexpected argument '%s'", argv[optind + 1]);
    rc = run_verify(argv[optind], pubkey);
    if (fflush(stdout) != 0 && rc == SB_EXIT_OK)
        rc = SB_EXIT_OUTPUT;
    return rc;
}
