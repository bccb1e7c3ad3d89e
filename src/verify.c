/* `mcsb-audit verify DIR [--pubkey KEY]`: check a report directory against its manifest. */
#include "manifest.h"

#include "cli.h"
#include "err.h"
#include "json_parse.h"
#include "safe_open.h"
#include "sign.h"
#include "util.h"

#include <errno.h>
#include <fcntl.h>
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
    char *shown;           /* the name as printed: control characters escaped */
    const char *json_sha;  /* from manifest.json (borrowed from the cJSON tree) */
    double json_size;      /* -1 when unknown */
    char sums_sha[65];     /* from manifest.sha256; "" when not listed there */
};

struct vstate {
    const char *dir;
    int dfd;               /* the directory every name is opened from */
    struct vfile *files;
    size_t n, cap;
    size_t *slots;         /* hash index of files by name: index + 1, 0 empty (a hostile manifest can list
                              millions of names: no quadratic look-ups) */
    size_t nslots;         /* a power of two, or 0 */
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
    fputs("\nPrints NAME: OK | MISMATCH | MISSING | NOT A REGULAR FILE | UNSAFE NAME per file (control\n"
          "characters in names shown as \\xNN), then the signature: signature OK | BAD SIGNATURE | MISSING\n"
          "with --pubkey, unsigned | not checked without. Exit status: 0 all good (also when unsigned\n"
          "without --pubkey); 8 a hash or signature did not match, a file is missing, not a regular file\n"
          "(symbolic links, FIFOs) or a name is unsafe; 3 malformed manifest or unusable key; 2 usage error.\n",
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

static size_t name_hash(const char *name)
{
    uint64_t h = 14695981039346656037u; /* FNV-1a */
    for (const unsigned char *p = (const unsigned char *)name; *p; p++)
        h = (h ^ *p) * 1099511628211u;
    return (size_t)h;
}

static struct vfile *find_file(struct vstate *s, const char *name)
{
    if (!s->nslots)
        return NULL;
    for (size_t i = name_hash(name) & (s->nslots - 1);; i = (i + 1) & (s->nslots - 1)) {
        if (!s->slots[i])
            return NULL;
        if (strcmp(s->files[s->slots[i] - 1].name, name) == 0)
            return &s->files[s->slots[i] - 1];
    }
}

static void index_file(struct vstate *s, size_t k)
{
    size_t i = name_hash(s->files[k].name) & (s->nslots - 1);
    while (s->slots[i])
        i = (i + 1) & (s->nslots - 1);
    s->slots[i] = k + 1;
}

static struct vfile *add_file(struct vstate *s, const char *name)
{
    sb_grow((void **)&s->files, &s->cap, s->n + 1, sizeof *s->files);
    struct vfile *f = &s->files[s->n++];
    memset(f, 0, sizeof *f);
    f->name = sb_xstrdup(name);
    f->shown = manifest_name_escape(name);
    f->json_size = -1;
    if (s->n * 2 > s->nslots) {
        free(s->slots);
        s->nslots = s->nslots ? s->nslots * 2 : 64;
        s->slots = sb_xcalloc(s->nslots, sizeof *s->slots);
        for (size_t k = 0; k < s->n; k++)
            index_file(s, k);
    } else {
        index_file(s, s->n - 1);
    }
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
            return sb_err_set(e, SB_EXIT_INPUT, "%s: outputs[%d].name: the same name is listed twice", path, i);
        struct vfile *f = add_file(s, name->valuestring);
        f->json_sha = sha->valuestring;
        f->json_size = size->valuedouble;
    }
    return 0;
}

/*
 * manifest.sha256: "<64 hex><space><space or *><name>" per line, as sha256sum writes it. The text
 * is untrusted bytes: a NUL is refused (it would end the name early), never taken as the end.
 */
static int load_sums(struct vstate *s, const char *text, size_t len, const char *path, struct sb_err *e)
{
    if (len && text[len - 1] != '\n')
        return sb_err_set(e, SB_EXIT_INPUT, "%s: last line has no newline", path);
    int lineno = 0;
    for (size_t at = 0; at < len;) {
        const char *line = text + at;
        size_t n = (size_t)((const char *)memchr(line, '\n', len - at) - line);
        at += n + 1;
        lineno++;
        if (memchr(line, '\0', n))
            return sb_err_set(e, SB_EXIT_INPUT, "%s:%d: NUL byte", path, lineno);
        if (n < 67 || line[64] != ' ' || (line[65] != ' ' && line[65] != '*'))
            return sb_err_set(e, SB_EXIT_INPUT, "%s:%d: expected \"<sha256>  <name>\"", path, lineno);
        char hex[65];
        memcpy(hex, line, 64);
        hex[64] = '\0';
        if (!is_hex64(hex))
            return sb_err_set(e, SB_EXIT_INPUT, "%s:%d: expected 64 lower-case hex digits", path, lineno);
        char *name = sb_xstrndup(line + 66, n - 66);
        struct vfile *f = find_file(s, name);
        if (f && f->sums_sha[0]) {
            sb_err_set(e, SB_EXIT_INPUT, "%s:%d: \"%s\" is listed twice", path, lineno, f->shown);
            free(name);
            return -1;
        }
        if (!f)
            f = add_file(s, name);
        free(name);
        memcpy(f->sums_sha, hex, 65);
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
            problem(s, "%s: manifest.json lists itself as \"%s\"", s->dir, f->shown);
        if (!have_sums || self)
            continue;
        if (!f->json_sha)
            problem(s, "%s: %s is in manifest.sha256 but not in manifest.json", s->dir, f->shown);
        else if (!f->sums_sha[0])
            problem(s, "%s: %s is in manifest.json but not in manifest.sha256", s->dir, f->shown);
        else if (strcmp(f->json_sha, f->sums_sha) != 0)
            problem(s, "%s: manifest.json and manifest.sha256 disagree about %s", s->dir, f->shown);
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

/* The verdict word and the explanation for a name that could not be opened. */
static const char *refusal(enum sb_opened o, int err, const char **why)
{
    switch (o) {
    case SB_OPEN_GONE:
        *why = "No such file";
        return "MISSING";
    case SB_OPEN_SYMLINK:
        *why = "a symbolic link (only regular files inside the directory are checked)";
        return "NOT A REGULAR FILE";
    case SB_OPEN_NOT_REGULAR:
        *why = "not a regular file (only regular files inside the directory are checked)";
        return "NOT A REGULAR FILE";
    default:
        *why = strerror(err);
        return "MISSING";
    }
}

/*
 * Read one of the manifest files through sb_open_inside; prints its refusal line and counts the
 * problem when it cannot (`if_absent`: the explanation when the file does not exist).
 */
static int read_inside(struct vstate *s, char **out, size_t *out_len, const char *name, size_t max,
                       const char *if_absent)
{
    int fd, err;
    enum sb_opened o = sb_open_inside(&fd, s->dfd, name, &err);
    if (o != SB_OPENED) {
        const char *why;
        printf("%s: %s\n", name, refusal(o, err, &why));
        if (o == SB_OPEN_GONE)
            problem(s, "%s: %s", s->dir, if_absent);
        else
            problem(s, "%s/%s: %s", s->dir, name, why);
        return -1;
    }
    struct sb_err e = {0};
    int rc = sb_read_fd(out, out_len, fd, name, max, &e);
    close(fd);
    if (rc != 0) {
        printf("%s: MISSING\n", name);
        problem(s, "%s/%s", s->dir, e.msg);
    }
    return rc;
}

static void check_files(struct vstate *s)
{
    /* Sorting moves the entries: the name index is not used after this point. */
    free(s->slots);
    s->slots = NULL;
    s->nslots = 0;
    if (s->n)
        sb_sort(s->files, s->n, sizeof *s->files, cmp_vfile);
    for (size_t i = 0; i < s->n; i++) {
        struct vfile *f = &s->files[i];
        if (!manifest_name_is_safe(f->name)) {
            problem(s, "%s: unsafe file name in manifest: \"%s\" (absolute, outside the directory or with control "
                    "characters)", s->dir, f->shown);
            printf("%s: UNSAFE NAME\n", f->shown);
            continue;
        }
        int fd, err;
        enum sb_opened o = sb_open_inside(&fd, s->dfd, f->name, &err);
        if (o != SB_OPENED) {
            const char *why;
            printf("%s: %s\n", f->shown, refusal(o, err, &why));
            problem(s, "%s/%s: %s", s->dir, f->shown, why);
            continue;
        }
        uint64_t size = 0;
        char hex[65];
        struct sb_err e = {0};
        int hrc = manifest_hash_fd(fd, f->shown, &size, hex, SB_EXIT_VERIFY, &e);
        close(fd);
        if (hrc != 0) {
            printf("%s: MISSING\n", f->shown);
            problem(s, "%s/%s", s->dir, e.msg);
        } else if ((f->json_sha && strcmp(f->json_sha, hex) != 0) || (f->sums_sha[0] && strcmp(f->sums_sha, hex) != 0)
                   || (f->json_size >= 0 && f->json_size != (double)size)) {
            printf("%s: MISMATCH\n", f->shown);
            problem(s, "%s/%s: SHA-256 or size does not match the manifest", s->dir, f->shown);
        } else {
            printf("%s: OK\n", f->shown);
        }
    }
}

static int check_signature(struct vstate *s, const char *json, size_t json_len, const char *pubkey)
{
    char *sig = NULL;
    size_t sig_len = 0;
    int rc = 0;
    if (read_inside(s, &sig, &sig_len, SB_MANIFEST_SIG, SIG_MAX, "manifest is not signed (no " SB_MANIFEST_SIG ")")
        == 0) {
        bool good = false;
        struct sb_err e = {0};
        if (sb_verify_signature(&good, json, json_len, (const unsigned char *)sig, sig_len, pubkey, &e) != 0) {
            fprintf(stderr, "mcsb-audit: verify: %s\n", e.msg);
            rc = e.code;
        } else if (good) {
            printf("%s: signature OK\n", SB_MANIFEST_SIG);
        } else {
            printf("%s: BAD SIGNATURE\n", SB_MANIFEST_SIG);
            problem(s, "%s/%s: signature does not verify with %s", s->dir, SB_MANIFEST_SIG, pubkey);
        }
    }
    free(sig);
    return rc;
}

/* Without --pubkey: say whether there is a signature at all, so "OK" is never read as "signed". */
static void report_signature_state(struct vstate *s)
{
    struct stat st;
    if (fstatat(s->dfd, SB_MANIFEST_SIG, &st, AT_SYMLINK_NOFOLLOW) != 0) {
        printf("%s: unsigned\n", SB_MANIFEST_SIG);
        fprintf(stderr, "mcsb-audit: verify: note: %s: the manifest is unsigned: the hashes show the files are "
                        "intact, not who made them\n", s->dir);
    } else if (!S_ISREG(st.st_mode)) {
        printf("%s: NOT A REGULAR FILE\n", SB_MANIFEST_SIG);
        problem(s, "%s/%s: not a regular file", s->dir, SB_MANIFEST_SIG);
    } else {
        printf("%s: not checked\n", SB_MANIFEST_SIG);
        fprintf(stderr, "mcsb-audit: verify: note: %s/%s is present but not checked; pass --pubkey\n", s->dir,
                SB_MANIFEST_SIG);
    }
}

static int run_verify(const char *dir, const char *pubkey)
{
    struct vstate s = {.dir = dir, .dfd = -1};
    struct sb_err e = {0};
    char *json_path = sb_path_join(dir, SB_MANIFEST_JSON);
    char *sums_path = sb_path_join(dir, SB_MANIFEST_SHA256);
    char *json = NULL, *sums = NULL;
    size_t json_len = 0, sums_len = 0;
    cJSON *root = NULL;
    int rc;

    s.dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (s.dfd < 0) {
        fprintf(stderr, "mcsb-audit: verify: %s: %s\n", dir,
                errno == ENOENT ? "No such directory" : errno == ENOTDIR ? "not a directory" : strerror(errno));
        rc = SB_EXIT_INPUT;
        goto cleanup;
    }
    if (read_inside(&s, &json, &json_len, SB_MANIFEST_JSON, MANIFEST_MAX, "no " SB_MANIFEST_JSON) != 0) {
        rc = SB_EXIT_VERIFY;
        goto cleanup;
    }
    if (sb_json_parse(&root, json, json_len, json_path, &e) != 0 || load_json_entries(&s, root, json_path, &e) != 0) {
        fprintf(stderr, "mcsb-audit: verify: %s\n", e.msg);
        rc = SB_EXIT_INPUT;
        goto cleanup;
    }
    bool have_sums = read_inside(&s, &sums, &sums_len, SB_MANIFEST_SHA256, MANIFEST_MAX, "no " SB_MANIFEST_SHA256) == 0;
    if (have_sums && load_sums(&s, sums, sums_len, sums_path, &e) != 0) {
        fprintf(stderr, "mcsb-audit: verify: %s\n", e.msg);
        rc = SB_EXIT_INPUT;
        goto cleanup;
    }
    cross_check(&s, have_sums);
    check_files(&s);
    if (pubkey)
        rc = check_signature(&s, json, json_len, pubkey);
    else {
        report_signature_state(&s);
        rc = 0;
    }
    if (rc == 0 && s.problems) {
        fprintf(stderr, "mcsb-audit: verify: %s: %zu problem%s\n", dir, s.problems, s.problems == 1 ? "" : "s");
        rc = SB_EXIT_VERIFY;
    }
cleanup:
    for (size_t i = 0; i < s.n; i++) {
        free(s.files[i].name);
        free(s.files[i].shown);
    }
    free(s.files);
    free(s.slots);
    if (s.dfd >= 0)
        close(s.dfd);
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
    if (fflush(stdout) != 0 && rc == SB_EXIT_OK && !cli_stdout_reader_gone())
        rc = SB_EXIT_OUTPUT;
    return rc;
}
