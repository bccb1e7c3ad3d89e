#include "manifest.h"

#include "err.h"
#include "out_set.h"
#include "report.h"
#include "sign.h"
#include "util.h"

#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cjson/cJSON.h>
#include <openssl/evp.h>

struct entry {
    char *name;
    const char *path; /* where the bytes are now (borrowed) */
    uint64_t size;
    char sha256[65];
};

int manifest_hash_fd(int fd, const char *name, uint64_t *out_size, char out_hex[65], int err_code, struct sb_err *e)
{
    EVP_MD_CTX *ctx = EVP_MD_CTX_new();
    if (!ctx || EVP_DigestInit_ex(ctx, EVP_sha256(), NULL) != 1) {
        EVP_MD_CTX_free(ctx);
        return sb_err_set(e, SB_EXIT_OUTPUT, "%s: cannot initialise SHA-256", name);
    }
    unsigned char chunk[65536];
    uint64_t total = 0;
    int ok = 1, rerr = 0;
    for (;;) {
        ssize_t got = read(fd, chunk, sizeof chunk);
        if (got < 0 && errno == EINTR)
            continue;
        if (got < 0)
            rerr = errno;
        if (got <= 0)
            break;
        if (EVP_DigestUpdate(ctx, chunk, (size_t)got) != 1)
            ok = 0;
        total += (uint64_t)got;
    }
    unsigned char md[EVP_MAX_MD_SIZE];
    unsigned int mdlen = 0;
    if (EVP_DigestFinal_ex(ctx, md, &mdlen) != 1 || mdlen != 32)
        ok = 0;
    EVP_MD_CTX_free(ctx);
    if (rerr)
        return sb_err_set(e, err_code, "%s: read error: %s", name, strerror(rerr));
    if (!ok)
        return sb_err_set(e, SB_EXIT_OUTPUT, "%s: SHA-256 failed", name);
    sb_hex(out_hex, md, 32);
    *out_size = total;
    return 0;
}

int manifest_hash_file(const char *path, uint64_t *out_size, char out_hex[65], int err_code, struct sb_err *e)
{
    int fd = open(path, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
    if (fd < 0)
        return sb_err_set(e, err_code, "%s: %s", path, errno == ELOOP ? "a symbolic link" : strerror(errno));
    struct stat st;
    if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
        close(fd);
        return sb_err_set(e, err_code, "%s: not a regular file", path);
    }
    int rc = manifest_hash_fd(fd, path, out_size, out_hex, err_code, e);
    close(fd);
    return rc;
}

/* Bytes a terminal would act on (C0, DEL), the escape character itself, and every byte of a name
 * that is not UTF-8 are shown as \xNN; so are C1 controls and bidirectional overrides, which can
 * reorder what a reader sees. */
char *manifest_name_escape(const char *name)
{
    struct sb_buf b = {0};
    bool utf8 = sb_utf8_valid(name, strlen(name), NULL);
    for (const unsigned char *p = (const unsigned char *)name; *p; p++) {
        size_t seq = 1;
        bool hide = *p < 0x20 || *p == 0x7f || *p == '\\' || (*p >= 0x80 && !utf8);
        if (utf8 && p[0] == 0xc2 && p[1] >= 0x80 && p[1] <= 0x9f)
            hide = true, seq = 2; /* U+0080..U+009F */
        else if (utf8 && p[0] == 0xe2 && p[1] == 0x80 && p[2] >= 0xaa && p[2] <= 0xae)
            hide = true, seq = 3; /* U+202A..U+202E */
        else if (utf8 && p[0] == 0xe2 && p[1] == 0x81 && p[2] >= 0xa6 && p[2] <= 0xa9)
            hide = true, seq = 3; /* U+2066..U+2069 */
        if (!hide) {
            sb_buf_putc(&b, (char)*p);
            continue;
        }
        for (size_t i = 0; i < seq; i++)
            sb_buf_printf(&b, "\\x%02x", p[i]);
        p += seq - 1;
    }
    return sb_buf_take(&b);
}

int manifest_name_is_safe(const char *name)
{
    if (!name || !*name || name[0] == '/')
        return 0;
    for (const char *p = name; *p; p++)
        if (*p == '\\' || (unsigned char)*p < 0x20 || *p == 0x7f)
            return 0;
    const char *seg = name;
    for (;;) {
        const char *slash = strchr(seg, '/');
        size_t len = slash ? (size_t)(slash - seg) : strlen(seg);
        if (len == 0 || (len == 1 && seg[0] == '.') || (len == 2 && seg[0] == '.' && seg[1] == '.'))
            return 0;
        if (!slash)
            return 1;
        seg = slash + 1;
    }
}

static int is_manifest_file(const char *name)
{
    return strcmp(name, SB_MANIFEST_JSON) == 0 || strcmp(name, SB_MANIFEST_SHA256) == 0
           || strcmp(name, SB_MANIFEST_SIG) == 0;
}

/* The name of an output relative to out_dir: accept "name", "./name" and "out_dir/name". */
static const char *relative_name(const char *out_dir, const char *path)
{
    size_t dl = strlen(out_dir);
    while (dl > 1 && out_dir[dl - 1] == '/')
        dl--;
    if (strncmp(path, out_dir, dl) == 0 && path[dl] == '/')
        path += dl + 1;
    while (path[0] == '.' && path[1] == '/')
        path += 2;
    return path;
}

static int cmp_entry(const void *a, const void *b)
{
    return strcmp(((const struct entry *)a)->name, ((const struct entry *)b)->name);
}

static void free_entries(struct entry *v, size_t n)
{
    for (size_t i = 0; i < n; i++)
        free(v[i].name);
    free(v);
}

/*
 * Hash the outputs: sorted by name, without duplicates or the manifest's own files. names[i] is
 * what the manifest lists; paths[i] is where its bytes are now (a temporary before the rename).
 */
static int collect_outputs(struct entry **out, size_t *out_n, const char *const *names, const char *const *paths,
                           size_t n, struct sb_err *e)
{
    struct entry *v = sb_xcalloc(n ? n : 1, sizeof *v);
    size_t nv = 0;
    for (size_t i = 0; i < n; i++) {
        if (!manifest_name_is_safe(names[i])) {
            free_entries(v, nv);
            return sb_err_set(e, SB_EXIT_OUTPUT, "%s: not a file inside the output directory; cannot list it in "
                              "the manifest", paths[i]);
        }
        if (!is_manifest_file(names[i])) {
            v[nv].name = sb_xstrdup(names[i]);
            v[nv++].path = paths[i];
        }
    }
    sb_sort(v, nv, sizeof *v, cmp_entry);
    size_t w = 0;
    for (size_t i = 0; i < nv; i++) {
        if (w && strcmp(v[w - 1].name, v[i].name) == 0) {
            free(v[i].name);
            continue;
        }
        v[w++] = v[i];
    }
    nv = w;
    for (size_t i = 0; i < nv; i++) {
        if (manifest_hash_file(v[i].path, &v[i].size, v[i].sha256, SB_EXIT_OUTPUT, e) != 0) {
            free_entries(v, nv);
            return -1;
        }
    }
    *out = v;
    *out_n = nv;
    return 0;
}

static void add_str(cJSON *obj, const char *key, const char *val)
{
    cJSON_AddItemToObject(obj, key, val ? cJSON_CreateString(val) : cJSON_CreateNull());
}

/* Exact integer text: cJSON's number printer would go through a double. */
static void add_u64(cJSON *obj, const char *key, uint64_t v)
{
    char num[32];
    snprintf(num, sizeof num, "%llu", (unsigned long long)v);
    cJSON_AddItemToObject(obj, key, cJSON_CreateRaw(num));
}

static char *manifest_json_text(const struct sb_report *r, const struct entry *outs, size_t nouts)
{
    cJSON *root = cJSON_CreateObject();
    cJSON_AddItemToObject(root, "manifest_version", cJSON_CreateRaw("1"));
    cJSON *tool = cJSON_AddObjectToObject(root, "tool");
    add_str(tool, "name", r->tool_name);
    add_str(tool, "version", r->tool_version);
    cJSON *bl = cJSON_AddObjectToObject(root, "baseline");
    const struct sb_baseline *b = r->baseline;
    add_str(bl, "id", b ? b->id : NULL);
    add_str(bl, "mcsb_version", b ? b->mcsb_version : NULL);
    add_str(bl, "sha256", b ? b->sha256 : NULL);
    add_str(root, "generated", r->generated);
    cJSON *ins = cJSON_AddArrayToObject(root, "inputs");
    for (size_t i = 0; i < r->ninputs; i++) {
        const struct sb_report_input *in = &r->inputs[i];
        cJSON *o = cJSON_CreateObject();
        add_str(o, "role", in->role);
        add_str(o, "name", in->name);
        add_u64(o, "size", in->size);
        add_str(o, "sha256", in->sha256);
        cJSON_AddItemToArray(ins, o);
    }
    cJSON *outs_arr = cJSON_AddArrayToObject(root, "outputs");
    for (size_t i = 0; i < nouts; i++) {
        cJSON *o = cJSON_CreateObject();
        add_str(o, "name", outs[i].name);
        add_u64(o, "size", outs[i].size);
        add_str(o, "sha256", outs[i].sha256);
        cJSON_AddItemToArray(outs_arr, o);
    }
    char *printed = cJSON_Print(root);
    cJSON_Delete(root);
    if (!printed) {
        fputs("mcsb-audit: out of memory\n", stderr);
        exit(SB_EXIT_OUTPUT);
    }
    char *text = sb_xasprintf("%s\n", printed);
    cJSON_free(printed);
    return text;
}

/* sha256sum -c lines, sorted by name, manifest.json among them. */
static char *sha256_text(const struct entry *outs, size_t nouts, const char *manifest_hex)
{
    struct sb_buf b = {0};
    int placed = 0;
    for (size_t i = 0; i <= nouts; i++) {
        if (!placed && (i == nouts || strcmp(SB_MANIFEST_JSON, outs[i].name) < 0)) {
            sb_buf_printf(&b, "%s  %s\n", manifest_hex, SB_MANIFEST_JSON);
            placed = 1;
        }
        if (i < nouts)
            sb_buf_printf(&b, "%s  %s\n", outs[i].sha256, outs[i].name);
    }
    return sb_buf_take(&b);
}

int manifest_build(struct manifest_files *out, const struct sb_report *r, const char *const *names,
                   const char *const *paths, size_t n, const char *sign_key_path, struct sb_err *e)
{
    memset(out, 0, sizeof *out);
    struct entry *outs = NULL;
    size_t nouts = 0;
    if (collect_outputs(&outs, &nouts, names, paths, n, e) != 0)
        return -1;
    out->json = manifest_json_text(r, outs, nouts);
    out->json_len = strlen(out->json);
    char json_hex[65];
    sb_sha256_hex(out->json, out->json_len, json_hex);
    out->sums = sha256_text(outs, nouts, json_hex);
    free_entries(outs, nouts);
    if (sign_key_path && sb_sign(&out->sig, &out->sig_len, out->json, out->json_len, sign_key_path, e) != 0) {
        manifest_files_free(out);
        return -1;
    }
    return 0;
}

void manifest_files_free(struct manifest_files *m)
{
    if (!m)
        return;
    free(m->json);
    free(m->sums);
    free(m->sig);
    memset(m, 0, sizeof *m);
}

int manifest_add_to_outset(const char *out_dir, const struct manifest_files *m, struct sb_err *e)
{
    char *json_path = sb_path_join(out_dir, SB_MANIFEST_JSON);
    char *sums_path = sb_path_join(out_dir, SB_MANIFEST_SHA256);
    char *sig_path = sb_path_join(out_dir, SB_MANIFEST_SIG);
    /* manifest.json with its signature, then manifest.sha256 (which covers manifest.json) last.
     * Without a signature, one left from an earlier run is removed: it would not match. */
    int rc = sb_outset_write(json_path, m->json, m->json_len, e);
    if (rc == 0)
        rc = m->sig ? sb_outset_write(sig_path, m->sig, m->sig_len, e) : sb_outset_remove(sig_path, e);
    if (rc == 0)
        rc = sb_outset_write(sums_path, m->sums, strlen(m->sums), e);
    free(json_path);
    free(sums_path);
    free(sig_path);
    return rc;
}

int manifest_write(const char *out_dir, const struct sb_report *r, const char *const *output_files, size_t n,
                   const char *sign_key_path, struct sb_err *e)
{
    const char **names = sb_xcalloc(n ? n : 1, sizeof *names);
    char **paths = sb_xcalloc(n ? n : 1, sizeof *paths);
    for (size_t i = 0; i < n; i++) {
        names[i] = relative_name(out_dir, output_files[i]);
        paths[i] = sb_path_join(out_dir, names[i]);
    }
    struct manifest_files m;
    int rc = manifest_build(&m, r, names, (const char *const *)paths, n, sign_key_path, e);
    if (rc == 0 && (rc = sb_outset_begin(e)) == 0) {
        rc = manifest_add_to_outset(out_dir, &m, e);
        if (rc == 0)
            rc = sb_outset_commit(e);
        sb_outset_end();
    }
    manifest_files_free(&m);
    for (size_t i = 0; i < n; i++)
        free(paths[i]);
    free(paths);
    free(names);
    return rc;
}
