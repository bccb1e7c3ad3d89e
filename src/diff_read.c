/*
 * Reading a report for the comparison: from a report.json file one result at a time, from a parsed
 * report.json tree, or straight from the assessment in memory (what report.json would say, without it).
 */
/* madvise(MADV_DONTNEED), to give back the pages of a mapped report already read, is not POSIX
 * (posix_madvise's POSIX_MADV_DONTNEED is a no-op in glibc). */
#define _DEFAULT_SOURCE

#include "diff.h"
#include "diff_model.h"

#include "err.h"
#include "json_parse.h"
#include "json_split.h"
#include "strpool.h"
#include "util.h"

#include <openssl/evp.h>

#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

int diff_cmp_finding(const void *a, const void *b)
{
    return strcmp(((const struct dfinding *)a)->id, ((const struct dfinding *)b)->id);
}

int diff_cmp_exception(const void *a, const void *b)
{
    return strcmp(((const struct dexception *)a)->entry_id, ((const struct dexception *)b)->entry_id);
}

static struct diff_report *report_new(const char *name)
{
    struct diff_report *d = sb_xcalloc(1, sizeof *d);
    d->name = sb_xstrdup(name);
    return d;
}

void diff_report_free(struct diff_report *d)
{
    if (!d)
        return;
    for (size_t i = 0; i < d->nf; i++)
        free(d->f[i].ev);
    free(d->f);
    free(d->x);
    free(d->subs);
    for (size_t i = 0; i < d->nrids; i++)
        free(d->rids[i]);
    free(d->rids);
    sb_strpool_free(d->pool);
    free(d->name);
    free(d);
}

const char *diff_report_generated(const struct diff_report *d)
{
    return d ? d->generated : NULL;
}

/* Reading report.json: strict about the keys we use, silent about the rest. */

/* A string, or NULL for null/missing; -1 for any other type. */
static int opt_str(const char **out, const cJSON *obj, const char *key)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, key);
    *out = NULL;
    if (!v || cJSON_IsNull(v))
        return 0;
    if (!cJSON_IsString(v))
        return -1;
    *out = v->valuestring;
    return 0;
}

static int bad_type(struct sb_err *e, const struct diff_report *d, const char *where, size_t i, const char *key,
                    const char *what)
{
    return sb_err_set(e, SB_EXIT_INPUT, "%s: %s[%zu].%s: expected %s", d->name, where, i, key, what);
}

static int read_evidence(struct dfinding *f, const cJSON *arr, const struct diff_report *d, size_t ri,
                         struct sb_err *e)
{
    if (!arr || cJSON_IsNull(arr))
        return 0;
    if (!cJSON_IsArray(arr))
        return bad_type(e, d, "results", ri, "evidence", "an array");
    f->ev = sb_xcalloc((size_t)cJSON_GetArraySize(arr) + 1, sizeof *f->ev);
    size_t k = 0;
    for (const cJSON *x = arr->child; x; x = x->next, k++) {
        struct devidence *ev = &f->ev[f->nev++];
        const char *key = NULL, *what = "a string or null";
        if (!cJSON_IsObject(x))
            key = "", what = "an object";
        else if (opt_str(&ev->path, x, "path") != 0 || !ev->path)
            key = ".path", what = "a string";
        else if (opt_str(&ev->value, x, "value") != 0)
            key = ".value";
        else if (opt_str(&ev->resource_id, x, "resource_id") != 0)
            key = ".resource_id";
        if (key)
            return sb_err_set(e, SB_EXIT_INPUT, "%s: results[%zu].evidence[%zu]%s: expected %s", d->name, ri, k, key,
                              what);
    }
    return 0;
}

/* results[i].exception / .expired_exception: {entry_id, state: "applied"|"expired", expires}. */
static int read_result_exception(struct dfinding *f, const cJSON *r, const char *key, const struct diff_report *d,
                                 size_t i, struct sb_err *e)
{
    const cJSON *x = cJSON_GetObjectItemCaseSensitive(r, key);
    if (!x || cJSON_IsNull(x))
        return 0;
    char where[64];
    const char *entry, *state, *expires;
    if (!cJSON_IsObject(x))
        return bad_type(e, d, "results", i, key, "an object");
    snprintf(where, sizeof where, "%s.entry_id", key);
    if (opt_str(&entry, x, "entry_id") != 0 || sb_empty(entry))
        return bad_type(e, d, "results", i, where, "a non-empty string");
    snprintf(where, sizeof where, "%s.state", key);
    if (opt_str(&state, x, "state") != 0 || !state || (strcmp(state, "applied") != 0 && strcmp(state, "expired") != 0))
        return bad_type(e, d, "results", i, where, "\"applied\" or \"expired\"");
    snprintf(where, sizeof where, "%s.expires", key);
    if (opt_str(&expires, x, "expires") != 0)
        return bad_type(e, d, "results", i, where, "a string or null");
    if (strcmp(state, "applied") == 0) {
        f->applied = entry;
    } else {
        f->expired = entry;
        f->expired_expires = expires;
    }
    return 0;
}

static int read_result(struct dfinding *f, const cJSON *r, const struct diff_report *d, size_t i, struct sb_err *e)
{
    if (!cJSON_IsObject(r))
        return sb_err_set(e, SB_EXIT_INPUT, "%s: results[%zu]: expected an object", d->name, i);
    if (opt_str(&f->id, r, "id") != 0 || sb_empty(f->id))
        return bad_type(e, d, "results", i, "id", "a non-empty string");
    const char *status;
    if (opt_str(&status, r, "status") != 0 || sb_status_parse(status, &f->status) != 0)
        return bad_type(e, d, "results", i, "status", "one of pass, fail, manual, not_applicable, not_assessed");
    if (opt_str(&f->control, r, "control") != 0)
        return bad_type(e, d, "results", i, "control", "a string or null");
    if (opt_str(&f->feature, r, "feature") != 0)
        return bad_type(e, d, "results", i, "feature", "a string or null");
    if (opt_str(&f->resource_id, r, "resource_id") != 0)
        return bad_type(e, d, "results", i, "resource_id", "a string or null");
    if (sb_empty(f->resource_id))
        f->resource_id = NULL;
    if (opt_str(&f->subscription_id, r, "subscription_id") != 0)
        return bad_type(e, d, "results", i, "subscription_id", "a string or null");
    if (read_evidence(f, cJSON_GetObjectItemCaseSensitive(r, "evidence"), d, i, e) != 0)
        return -1;
    if (read_result_exception(f, r, "exception", d, i, e) != 0)
        return -1;
    return read_result_exception(f, r, "expired_exception", d, i, e);
}

static int read_exception(struct dexception *x, const cJSON *o, const struct diff_report *d, size_t i,
                          struct sb_err *e)
{
    if (!cJSON_IsObject(o))
        return sb_err_set(e, SB_EXIT_INPUT, "%s: exceptions[%zu]: expected an object", d->name, i);
    if (opt_str(&x->entry_id, o, "entry_id") != 0 || sb_empty(x->entry_id))
        return bad_type(e, d, "exceptions", i, "entry_id", "a non-empty string");
    static const char *const keys[] = {"kind", "finding_id", "control", "feature", "resource_pattern", "expires"};
    const char **slots[] = {&x->kind, &x->finding_id, &x->control, &x->feature, &x->resource_pattern, &x->expires};
    for (size_t k = 0; k < sizeof keys / sizeof keys[0]; k++)
        if (opt_str(slots[k], o, keys[k]) != 0)
            return bad_type(e, d, "exceptions", i, keys[k], "a string or null");
    const cJSON *exp = cJSON_GetObjectItemCaseSensitive(o, "expired");
    if (!cJSON_IsBool(exp))
        return bad_type(e, d, "exceptions", i, "expired", "true or false");
    x->expired = cJSON_IsTrue(exp);
    return 0;
}

/* The document is an object with a generation time. */
static int read_head(struct diff_report *d, const cJSON *doc, struct sb_err *e)
{
    if (!cJSON_IsObject(doc))
        return sb_err_set(e, SB_EXIT_INPUT, "%s: expected a report.json object", d->name);
    if (opt_str(&d->generated, doc, "generated") != 0 || !d->generated)
        return sb_err_set(e, SB_EXIT_INPUT, "%s: generated: expected a string", d->name);
    return 0;
}

static int check_unique_findings(struct diff_report *d, struct sb_err *e)
{
    sb_sort(d->f, d->nf, sizeof *d->f, diff_cmp_finding);
    for (size_t k = 1; k < d->nf; k++)
        if (strcmp(d->f[k - 1].id, d->f[k].id) == 0)
            return sb_err_set(e, SB_EXIT_INPUT, "%s: results: finding id \"%s\" appears twice", d->name, d->f[k].id);
    return 0;
}

static int check_unique_exceptions(struct diff_report *d, struct sb_err *e)
{
    sb_sort(d->x, d->nx, sizeof *d->x, diff_cmp_exception);
    for (size_t k = 1; k < d->nx; k++)
        if (strcmp(d->x[k - 1].entry_id, d->x[k].entry_id) == 0)
            return sb_err_set(e, SB_EXIT_INPUT, "%s: exceptions: entry id \"%s\" appears twice", d->name,
                              d->x[k].entry_id);
    return 0;
}

/* After the results: their ids are unique, then scope.subscriptions and exceptions. */
static int read_tail(struct diff_report *d, const cJSON *doc, struct sb_err *e)
{
    if (check_unique_findings(d, e) != 0)
        return -1;
    /* Optional (reports before issue 10 lack it): which subscriptions were read, and how completely. */
    const cJSON *subs = cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(doc, "scope"), "subscriptions");
    if (subs && !cJSON_IsArray(subs))
        return sb_err_set(e, SB_EXIT_INPUT, "%s: scope.subscriptions: expected an array", d->name);
    d->has_subs = subs != NULL;
    d->subs = sb_xcalloc((size_t)cJSON_GetArraySize(subs) + 1, sizeof *d->subs);
    size_t i = 0;
    for (const cJSON *o = subs ? subs->child : NULL; o; o = o->next, i++) {
        struct dsub *ds = &d->subs[d->nsubs];
        if (!cJSON_IsObject(o) || opt_str(&ds->id, o, "id") != 0 || !ds->id || opt_str(&ds->collected, o, "collected") != 0)
            return sb_err_set(e, SB_EXIT_INPUT, "%s: scope.subscriptions[%zu]: expected {id, collected} strings",
                              d->name, i);
        d->nsubs++;
    }

    const cJSON *excs = cJSON_GetObjectItemCaseSensitive(doc, "exceptions");
    if (excs && !cJSON_IsNull(excs) && !cJSON_IsArray(excs))
        return sb_err_set(e, SB_EXIT_INPUT, "%s: exceptions: expected an array", d->name);
    d->x = sb_xcalloc((size_t)cJSON_GetArraySize(excs) + 1, sizeof *d->x);
    i = 0;
    for (const cJSON *o = excs ? excs->child : NULL; o; o = o->next, i++)
        if (read_exception(&d->x[d->nx++], o, d, i, e) != 0)
            return -1;
    return check_unique_exceptions(d, e);
}

static int read_tree(struct diff_report *d, const cJSON *doc, struct sb_err *e)
{
    if (read_head(d, doc, e) != 0)
        return -1;
    const cJSON *results = cJSON_GetObjectItemCaseSensitive(doc, "results");
    if (!cJSON_IsArray(results))
        return sb_err_set(e, SB_EXIT_INPUT, "%s: results: expected an array", d->name);
    d->f = sb_xcalloc((size_t)cJSON_GetArraySize(results) + 1, sizeof *d->f);
    size_t i = 0;
    for (const cJSON *r = results->child; r; r = r->next, i++)
        if (read_result(&d->f[d->nf++], r, d, i, e) != 0)
            return -1;
    return read_tail(d, doc, e);
}

int diff_report_from_json(struct diff_report **out, const cJSON *doc, const char *name, struct sb_err *e)
{
    struct diff_report *d = report_new(name);
    *out = NULL;
    if (read_tree(d, doc, e) != 0) {
        diff_report_free(d);
        return -1;
    }
    *out = d;
    return 0;
}

/* Strings copied into the pool, for a view that outlives its trees. */

static void own_finding(struct sb_strpool *p, struct dfinding *f)
{
    const char **s[] = {&f->id, &f->subscription_id, &f->control, &f->feature, &f->resource_id,
                        &f->applied, &f->expired, &f->expired_expires};
    for (size_t k = 0; k < sizeof s / sizeof s[0]; k++)
        *s[k] = sb_strpool_intern(p, *s[k]);
    for (size_t k = 0; k < f->nev; k++) {
        f->ev[k].resource_id = sb_strpool_intern(p, f->ev[k].resource_id);
        f->ev[k].path = sb_strpool_intern(p, f->ev[k].path);
        f->ev[k].value = sb_strpool_intern(p, f->ev[k].value);
    }
}

static void own_rest(struct diff_report *d)
{
    struct sb_strpool *p = d->pool;
    d->generated = sb_strpool_intern(p, d->generated);
    for (size_t i = 0; i < d->nsubs; i++) {
        d->subs[i].id = sb_strpool_intern(p, d->subs[i].id);
        d->subs[i].collected = sb_strpool_intern(p, d->subs[i].collected);
    }
    for (size_t i = 0; i < d->nx; i++) {
        struct dexception *x = &d->x[i];
        const char **s[] = {&x->entry_id, &x->kind, &x->finding_id, &x->control, &x->feature,
                            &x->resource_pattern, &x->expires};
        for (size_t k = 0; k < sizeof s / sizeof s[0]; k++)
            *s[k] = sb_strpool_intern(p, *s[k]);
    }
}

/*
 * Reading report.json one result at a time. The file is cut into pieces (json_split.h): each element of
 * "results", then the document with its "results" array replaced by "[]" (the skeleton). Each piece is
 * parsed as strictly as the whole file would be; an error in one is restated for the whole file: its line
 * and column there, and for an element its place ("results[12]: malformed JSON").
 *
 * A file is mapped rather than read, and the pages already read are given back as the reading moves on,
 * so that a 180 MB report costs its compact list of findings, not its size (issue 12).
 */

/* The bytes of a report.json: a read-only mapping of the file, or a caller's buffer. */
struct source {
    const char *text;
    size_t len;
    bool mapped;
    size_t released; /* mapping: the pages before this offset have been given back */
};

#define RELEASE_STEP ((size_t)4 << 20)

/* Give back the mapped pages before `upto` (they are read again from the page cache if an error needs them). */
static void source_release(struct source *s, size_t upto)
{
    if (!s->mapped)
        return;
    size_t page = (size_t)sysconf(_SC_PAGESIZE);
    upto -= upto % page;
    if (upto < s->released + RELEASE_STEP)
        return;
    (void)madvise((void *)(s->text + s->released), upto - s->released, MADV_DONTNEED);
    s->released = upto;
}

/* Where piece offsets land in the file: below cut_at at base + o, from cut_at on at resume + (o - cut_at). */
struct piece_map {
    size_t base, cut_at, resume;
};

static size_t map_offset(const struct piece_map *m, size_t o)
{
    return o < m->cut_at ? m->base + o : m->resume + (o - m->cut_at);
}

/* msg is ":LINE:COL: what" from sb_json_parse of piece[0..plen) named "": say it of the file. */
static int restate(struct sb_err *e, const char *name, const struct source *src, const char *piece, size_t plen,
                   const struct piece_map *m, const char *where, const char *msg)
{
    size_t line = 0, col = 0;
    int n = 0;
    if (sscanf(msg, ":%zu:%zu: %n", &line, &col, &n) < 2 || n == 0)
        return sb_err_set(e, SB_EXIT_INPUT, "%s: %s%s%s", name, where ? where : "", where ? ": " : "",
                          msg[0] == ':' ? msg + 1 : msg);
    size_t o = 0;
    for (size_t l = 1; l < line && o < plen; o++)
        if (piece[o] == '\n')
            l++;
    o += col ? col - 1 : 0;
    size_t fl, fc, off = map_offset(m, o);
    sb_json_position(src->text, off < src->len ? off : src->len, &fl, &fc);
    const char *what = msg + n;
    if (!where)
        return sb_err_set(e, SB_EXIT_INPUT, "%s:%zu:%zu: %s", name, fl, fc, what);
    /* A duplicate key names its JSON path inside the piece: make it the path in the file. */
    static const char dup[] = ": duplicate key";
    size_t wl = strlen(what);
    if (wl > sizeof dup - 1 && strcmp(what + wl - (sizeof dup - 1), dup) == 0)
        return sb_err_set(e, SB_EXIT_INPUT, "%s:%zu:%zu: %s%s%s", name, fl, fc, where, what[0] == '[' ? "" : ".",
                          what);
    return sb_err_set(e, SB_EXIT_INPUT, "%s:%zu:%zu: %s: %s", name, fl, fc, where, what);
}

static bool json_blank(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (s[i] != ' ' && s[i] != '\t' && s[i] != '\n' && s[i] != '\r')
            return false;
    return true;
}

/* Parse results[i], the bytes p of the source (copied into piece, which the parser wants NUL-terminated). */
static int parse_element(cJSON **out, const struct diff_report *d, const struct source *src, struct sb_buf *piece,
                         struct json_span p, int depth, size_t i, struct sb_err *e)
{
    const char *text = src->text;
    char where[48];
    snprintf(where, sizeof where, "results[%zu]", i);
    size_t line, col;
    size_t sep = p.end; /* the ',' or ']' after the element, or the end of the text */
    /* Between array elements cJSON skips every byte from 1 to ' ' (sb_json_parse allows fewer after a whole
     * text): what the whole file accepts there, the piece must too. A NUL stays, to be refused. */
    while (p.end > p.start && text[p.end - 1] != '\0' && (unsigned char)text[p.end - 1] <= ' ')
        p.end--;
    if (json_blank(text + p.start, p.end - p.start)) {
        sb_json_position(text, sep, &line, &col);
        return sb_err_set(e, SB_EXIT_INPUT, "%s:%zu:%zu: %s: malformed JSON%s", d->name, line, col, where,
                          sep >= src->len ? " (unexpected end of input)" : "");
    }
    /* The element sits two levels down (the document, "results"): the whole file's limit applies. */
    if (depth > SB_JSON_MAX_DEPTH - 2) {
        sb_json_position(text, json_split_depth_at(text, p, SB_JSON_MAX_DEPTH - 1), &line, &col);
        return sb_err_set(e, SB_EXIT_INPUT, "%s:%zu:%zu: %s: JSON nested deeper than %d levels", d->name, line, col,
                          where, SB_JSON_MAX_DEPTH);
    }
    /* cJSON skips a byte order mark at the start of what it is given: here that is not the file's start. */
    if (p.end - p.start >= 3 && memcmp(text + p.start, "\xEF\xBB\xBF", 3) == 0) {
        sb_json_position(text, p.start, &line, &col);
        return sb_err_set(e, SB_EXIT_INPUT, "%s:%zu:%zu: %s: malformed JSON", d->name, line, col, where);
    }
    piece->len = 0;
    sb_buf_add(piece, text + p.start, p.end - p.start);
    struct sb_err pe = {0};
    if (sb_json_parse(out, piece->data, piece->len, "", &pe) == 0)
        return 0;
    struct piece_map m = {p.start, SIZE_MAX, 0};
    return restate(e, d->name, src, piece->data, piece->len, &m, where, pe.msg);
}

/* The elements of the array at src->text[start], one at a time; *it tells where the array ended. */
static int read_elements(struct diff_report *d, struct source *src, size_t start, struct json_elements *it,
                         struct sb_err *e)
{
    struct json_span p;
    struct sb_buf piece = {0};
    int depth, rc = 0;
    size_t cap = 0;
    json_elements_begin(it, src->text, src->len, start);
    for (size_t i = 0; rc == 0 && json_elements_next(it, &p, &depth); i++) {
        cJSON *el = NULL;
        if ((rc = parse_element(&el, d, src, &piece, p, depth, i, e)) != 0)
            break;
        sb_grow((void **)&d->f, &cap, d->nf + 1, sizeof *d->f);
        struct dfinding *f = &d->f[d->nf++];
        memset(f, 0, sizeof *f);
        if ((rc = read_result(f, el, d, i, e)) == 0)
            own_finding(d->pool, f);
        cJSON_Delete(el);
        source_release(src, p.end);
    }
    sb_buf_free(&piece);
    return rc;
}

static int read_pieces(struct diff_report *d, struct source *src, size_t start, struct sb_err *e)
{
    struct json_elements it;
    if (read_elements(d, src, start, &it, e) != 0)
        return -1;
    /* The skeleton: the document around the results (what precedes "results" and what follows its ']'). */
    struct sb_buf sk = {0};
    sb_buf_add(&sk, src->text, start);
    sb_buf_add(&sk, "[]", 2);
    sb_buf_add(&sk, src->text + it.array_end, src->len - it.array_end);
    cJSON *skeleton = NULL;
    struct sb_err pe = {0};
    int rc = -1;
    if (sb_json_parse(&skeleton, sk.data, sk.len, "", &pe) != 0) {
        struct piece_map m = {0, start + 2, it.array_end};
        restate(e, d->name, src, sk.data, sk.len, &m, NULL, pe.msg);
    } else if (read_head(d, skeleton, e) == 0 && read_tail(d, skeleton, e) == 0) {
        own_rest(d);
        rc = 0;
    }
    cJSON_Delete(skeleton);
    sb_buf_free(&sk);
    return rc;
}

static int read_source(struct diff_report **out, struct source *src, const char *name, struct sb_err *e)
{
    *out = NULL;
    struct diff_report *d = report_new(name);
    d->pool = sb_strpool_new();
    size_t start;
    int rc;
    if (json_split_member(&start, src->text, src->len, "results") && src->text[start] == '[') {
        rc = read_pieces(d, src, start, e);
    } else {
        /* Not a shape that can be cut (no report, or "results" is not an array): the whole text says what it
         * is. The parser wants the text NUL-terminated, which a mapping is not. */
        char *copy = sb_xmalloc(src->len + 1);
        memcpy(copy, src->text, src->len);
        copy[src->len] = '\0';
        cJSON *doc = NULL;
        rc = sb_json_parse(&doc, copy, src->len, name, e);
        if (rc == 0 && (rc = read_tree(d, doc, e)) == 0) {
            for (size_t i = 0; i < d->nf; i++)
                own_finding(d->pool, &d->f[i]);
            own_rest(d);
        }
        cJSON_Delete(doc);
        free(copy);
    }
    if (rc != 0) {
        diff_report_free(d);
        return -1;
    }
    *out = d;
    return 0;
}

int diff_report_parse(struct diff_report **out, const char *text, size_t len, const char *name, struct sb_err *e)
{
    struct source src = {text, len, false, 0};
    return read_source(out, &src, name, e);
}

/* OpenSSL's digest fails only when it cannot allocate: fatal, as everywhere (err.h). */
static void digest_failed(void)
{
    fputs("mcsb-audit: out of memory\n", stderr);
    exit(SB_EXIT_OUTPUT);
}

/* The SHA-256 of the mapped file, giving its pages back as it goes. */
static void hash_source(struct source *src, char out[65])
{
    EVP_MD_CTX *ctx = EVP_MD_CTX_new();
    unsigned char md[EVP_MAX_MD_SIZE];
    unsigned int mdlen = 0;
    if (!ctx || EVP_DigestInit_ex(ctx, EVP_sha256(), NULL) != 1)
        digest_failed();
    for (size_t off = 0; off < src->len; off += RELEASE_STEP) {
        size_t n = src->len - off < RELEASE_STEP ? src->len - off : RELEASE_STEP;
        if (EVP_DigestUpdate(ctx, src->text + off, n) != 1)
            digest_failed();
        source_release(src, off + n);
    }
    if (EVP_DigestFinal_ex(ctx, md, &mdlen) != 1 || mdlen != 32)
        digest_failed();
    EVP_MD_CTX_free(ctx);
    sb_hex(out, md, 32);
    src->released = 0; /* read again from the start: nothing of it is held now */
}

int diff_report_read(struct diff_report **out, char out_sha256[65], const char *path, struct sb_err *e)
{
    *out = NULL;
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    struct stat st;
    if (fd >= 0 && fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && st.st_size > 0
        && (uintmax_t)st.st_size <= DIFF_REPORT_MAX) {
        void *map = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
        close(fd);
        if (map != MAP_FAILED) {
            struct source src = {map, (size_t)st.st_size, true, 0};
            hash_source(&src, out_sha256);
            int rc = read_source(out, &src, path, e);
            munmap(map, (size_t)st.st_size);
            return rc;
        }
    } else if (fd >= 0) {
        close(fd);
    }
    /* Anything else (a pipe, an empty or oversized file, an error) is read whole, which says what it is. */
    char *text = NULL;
    size_t len = 0;
    if (sb_read_file(&text, &len, path, DIFF_REPORT_MAX, e) != 0)
        return -1;
    sb_sha256_hex(text, len, out_sha256);
    int rc = diff_report_parse(out, text, len, path, e);
    free(text);
    return rc;
}

/*
 * The assessment in memory, read as report.json would say it (render_json.c writes each key used here:
 * result id, control id, feature name, resource_id with "" read as absent, subscription_id, evidence
 * {resource_id, path, value}, exception / expired_exception {entry_id, expires}; scope.subscriptions
 * {id, collected}; exceptions[] with kind, match fields, expires, expired). Strings are borrowed from r.
 * The checks report.json's reader makes are made here too, with the same messages, so that both routes
 * accept and refuse the same reports.
 */
int diff_report_from_model(struct diff_report **out, const struct sb_report *r, const char *name, struct sb_err *e)
{
    *out = NULL;
    struct diff_report *d = report_new(name);
    int rc = -1;
    d->generated = r->generated;
    d->f = sb_xcalloc(r->nresults + 1, sizeof *d->f);
    for (size_t i = 0; i < r->nresults; i++) {
        const struct sb_result *res = &r->results[i];
        struct dfinding *f = &d->f[d->nf++];
        f->id = res->id;
        if (sb_empty(f->id)) {
            bad_type(e, d, "results", i, "id", "a non-empty string");
            goto done;
        }
        f->status = res->status;
        f->control = res->control ? res->control->id : NULL;
        f->feature = res->feature ? res->feature->name : NULL;
        f->resource_id = sb_empty(res->resource_id) ? NULL : res->resource_id;
        f->subscription_id = res->subscription_id;
        f->ev = sb_xcalloc(res->nevidence + 1, sizeof *f->ev);
        for (size_t k = 0; k < res->nevidence; k++, f->nev++) {
            const struct sb_evidence *ev = &res->evidence[k];
            if (!ev->path) {
                sb_err_set(e, SB_EXIT_INPUT, "%s: results[%zu].evidence[%zu].path: expected a string", d->name, i, k);
                goto done;
            }
            f->ev[k] = (struct devidence){ev->resource_id, ev->path, ev->value, false};
        }
        const struct sb_exception *x = res->exception;
        if (x && sb_empty(x->entry_id)) {
            bad_type(e, d, "results", i, "exception.entry_id", "a non-empty string");
            goto done;
        }
        f->applied = x ? x->entry_id : NULL;
        x = res->expired_exception;
        if (x && sb_empty(x->entry_id)) {
            bad_type(e, d, "results", i, "expired_exception.entry_id", "a non-empty string");
            goto done;
        }
        f->expired = x ? x->entry_id : NULL;
        f->expired_expires = x ? x->expires : NULL;
    }
    if (check_unique_findings(d, e) != 0)
        goto done;
    d->has_subs = true; /* report.json always writes scope.subscriptions */
    d->subs = sb_xcalloc(r->scope.nsubscriptions + 1, sizeof *d->subs);
    for (size_t i = 0; i < r->scope.nsubscriptions; i++, d->nsubs++) {
        const struct sb_subscription *s = &r->scope.subscriptions[i];
        if (!s->id) {
            sb_err_set(e, SB_EXIT_INPUT, "%s: scope.subscriptions[%zu]: expected {id, collected} strings", d->name, i);
            goto done;
        }
        d->subs[i] = (struct dsub){s->id, sb_sub_collected_id(s->collected)};
    }
    d->x = sb_xcalloc(r->nexceptions + 1, sizeof *d->x);
    for (size_t i = 0; i < r->nexceptions; i++, d->nx++) {
        const struct sb_exception *x = &r->exceptions[i];
        if (sb_empty(x->entry_id)) {
            bad_type(e, d, "exceptions", i, "entry_id", "a non-empty string");
            goto done;
        }
        d->x[i] = (struct dexception){x->entry_id, sb_exception_kind_id(x->kind), x->finding_id, x->control,
                                      x->feature, x->resource_pattern, x->expires, x->expired};
    }
    rc = check_unique_exceptions(d, e);
done:
    if (rc != 0) {
        diff_report_free(d);
        return -1;
    }
    *out = d;
    return 0;
}
