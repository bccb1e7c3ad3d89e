#include "json_parse.h"

#include "err.h"
#include "util.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

void sb_json_position(const char *buf, size_t offset, size_t *line, size_t *col)
{
    size_t l = 1, c = 1;
    for (size_t i = 0; i < offset && buf[i]; i++) {
        if (buf[i] == '\n') {
            l++;
            c = 1;
        } else {
            c++;
        }
    }
    *line = l;
    *col = c;
}

/*
 * cJSON recurses once per nesting level and its limit is compiled into the shared library,
 * so measure depth ourselves first (outside strings) and refuse hostile nesting with our message.
 * The same pass finds "\u0000": cJSON would cut the decoded string there, so "ab\u0000cd" would
 * be read as "ab" and two different texts would mean the same value.
 */
enum scan_problem { SCAN_OK, SCAN_DEEP, SCAN_NUL_ESCAPE };

static enum scan_problem scan_text(const char *buf, size_t len, size_t *where)
{
    int depth = 0;
    int in_str = 0;
    for (size_t i = 0; i < len; i++) {
        char ch = buf[i];
        if (in_str) {
            if (ch == '\\') {
                if (i + 5 < len && buf[i + 1] == 'u' && memcmp(buf + i + 2, "0000", 4) == 0) {
                    *where = i;
                    return SCAN_NUL_ESCAPE;
                }
                i++;
            } else if (ch == '"') {
                in_str = 0;
            }
            continue;
        }
        if (ch == '"') {
            in_str = 1;
        } else if (ch == '{' || ch == '[') {
            if (++depth > SB_JSON_MAX_DEPTH) {
                *where = i;
                return SCAN_DEEP;
            }
        } else if (ch == '}' || ch == ']') {
            depth--;
        }
    }
    return SCAN_OK;
}

/*
 * Duplicate keys: cJSON keeps both and lookups return the first, so an input could say one thing
 * to us and another to a reader. cJSON records no positions, so walk the (already valid) text in
 * step with the tree: the tree gives decoded keys ("a" and "\u0061" are the same key), the text
 * gives where the second one starts.
 */
/* What cJSON skips as white space (every byte up to ' '), so the walk never loses step with it. */
static size_t skip_ws(const char *buf, size_t len, size_t i)
{
    while (i < len && (unsigned char)buf[i] <= ' ')
        i++;
    return i;
}

static size_t skip_string(const char *buf, size_t len, size_t i)
{
    for (i++; i < len && buf[i] != '"'; i++)
        if (buf[i] == '\\')
            i++;
    return i + 1;
}

struct key_at {
    const char *name;
    size_t offset;
};

static int cmp_key_at(const void *a, const void *b)
{
    const struct key_at *x = a, *y = b;
    int c = strcmp(x->name, y->name);
    if (c)
        return c;
    return x->offset < y->offset ? -1 : x->offset > y->offset;
}

struct walk {
    const char *buf;
    size_t len;
    struct sb_buf path;     /* JSON path of the value being walked: controls[0].features[1] */
    size_t dup;             /* offset of the first duplicate key, SIZE_MAX while none */
    struct sb_buf dup_path; /* its JSON path */
};

/* Append one key to a JSON path; control characters in a hostile key are shown as \xNN. */
static void path_add_key(struct sb_buf *b, const char *key)
{
    if (b->len)
        sb_buf_putc(b, '.');
    if (!*key)
        sb_buf_puts(b, "\"\"");
    for (const unsigned char *p = (const unsigned char *)key; *p; p++) {
        if (*p < 0x20 || *p == 0x7f || *p == '\\')
            sb_buf_printf(b, "\\x%02x", *p);
        else
            sb_buf_putc(b, (char)*p);
    }
}

/* Returns the offset just past the value at buf[i]; records the first duplicate key in w. */
static size_t walk_value(struct walk *w, size_t i, const cJSON *node)
{
    const char *buf = w->buf;
    size_t len = w->len;
    i = skip_ws(buf, len, i);
    if (i >= len)
        return len;
    if (cJSON_IsObject(node) || cJSON_IsArray(node)) {
        bool obj = cJSON_IsObject(node);
        size_t n = 0;
        for (const cJSON *c = node->child; c; c = c->next)
            n++;
        struct key_at *keys = obj && n > 1 ? sb_xcalloc(n, sizeof *keys) : NULL;
        size_t k = 0, here = w->path.len;
        i++; /* '{' or '[' */
        for (const cJSON *c = node->child; c; c = c->next, k++) {
            i = skip_ws(buf, len, i);
            if (i < len && buf[i] == ',')
                i = skip_ws(buf, len, i + 1);
            if (obj) {
                if (keys)
                    keys[k] = (struct key_at){c->string ? c->string : "", i};
                i = skip_ws(buf, len, skip_string(buf, len, i));
                i++; /* ':' */
                path_add_key(&w->path, c->string ? c->string : "");
            } else {
                sb_buf_printf(&w->path, "[%zu]", k);
            }
            i = walk_value(w, i, c);
            w->path.len = here;
            if (w->path.data)
                w->path.data[here] = '\0';
        }
        i = skip_ws(buf, len, i);
        if (keys) {
            sb_sort(keys, n, sizeof *keys, cmp_key_at);
            for (size_t j = 1; j < n; j++) {
                if (strcmp(keys[j - 1].name, keys[j].name) != 0 || keys[j].offset >= w->dup)
                    continue;
                w->dup = keys[j].offset;
                w->dup_path.len = 0;
                sb_buf_add(&w->dup_path, w->path.data ? w->path.data : "", here);
                path_add_key(&w->dup_path, keys[j].name);
            }
            free(keys);
        }
        return i + 1; /* '}' or ']' */
    }
    if (buf[i] == '"')
        return skip_string(buf, len, i);
    while (i < len && (unsigned char)buf[i] > ' ' && buf[i] != ',' && buf[i] != ']' && buf[i] != '}')
        i++;
    return i;
}

int sb_json_parse(cJSON **out, const char *buf, size_t len, const char *name, struct sb_err *e)
{
    *out = NULL;
    size_t line, col, off;
    size_t i = 0;
    while (i < len && (buf[i] == ' ' || buf[i] == '\t' || buf[i] == '\n' || buf[i] == '\r'))
        i++;
    if (i == len)
        return sb_err_set(e, SB_EXIT_INPUT, "%s: empty file (expected JSON)", name);
    const char *nul = memchr(buf, '\0', len);
    if (nul) {
        sb_json_position(buf, (size_t)(nul - buf), &line, &col);
        return sb_err_set(e, SB_EXIT_INPUT, "%s:%zu:%zu: NUL byte in JSON text", name, line, col);
    }
    if (!sb_utf8_valid(buf, len, &off)) {
        sb_json_position(buf, off, &line, &col);
        return sb_err_set(e, SB_EXIT_INPUT, "%s:%zu:%zu: invalid UTF-8", name, line, col);
    }
    enum scan_problem sp = scan_text(buf, len, &off);
    if (sp != SCAN_OK) {
        sb_json_position(buf, off, &line, &col);
        if (sp == SCAN_NUL_ESCAPE)
            return sb_err_set(e, SB_EXIT_INPUT, "%s:%zu:%zu: \\u0000 (NUL) in a JSON string", name, line, col);
        return sb_err_set(e, SB_EXIT_INPUT, "%s:%zu:%zu: JSON nested deeper than %d levels", name, line, col,
                          SB_JSON_MAX_DEPTH);
    }
    const char *end = NULL;
    cJSON *root = cJSON_ParseWithLengthOpts(buf, len + 1, &end, 0);
    if (!root) {
        off = end && end >= buf ? (size_t)(end - buf) : 0;
        if (off > len)
            off = len;
        sb_json_position(buf, off, &line, &col);
        if (off >= len)
            return sb_err_set(e, SB_EXIT_INPUT, "%s:%zu:%zu: malformed JSON (unexpected end of input)", name,
                              line, col);
        /* No excerpt of the text: it could carry a secret (serviceKey, authorizationKey). */
        return sb_err_set(e, SB_EXIT_INPUT, "%s:%zu:%zu: malformed JSON", name, line, col);
    }
    off = (size_t)(end - buf);
    while (off < len && (buf[off] == ' ' || buf[off] == '\t' || buf[off] == '\n' || buf[off] == '\r'))
        off++;
    if (off < len) {
        cJSON_Delete(root);
        sb_json_position(buf, off, &line, &col);
        return sb_err_set(e, SB_EXIT_INPUT, "%s:%zu:%zu: unexpected data after the JSON value", name, line, col);
    }
    struct walk w = {.buf = buf, .len = len, .dup = SIZE_MAX};
    /* cJSON skips a UTF-8 byte order mark; so must the walk. */
    walk_value(&w, len >= 3 && memcmp(buf, "\xEF\xBB\xBF", 3) == 0 ? 3 : 0, root);
    sb_buf_free(&w.path);
    if (w.dup != SIZE_MAX) {
        cJSON_Delete(root);
        sb_json_position(buf, w.dup, &line, &col);
        /* The path names keys only, never a value (values can be secrets). */
        sb_err_set(e, SB_EXIT_INPUT, "%s:%zu:%zu: %s: duplicate key", name, line, col, w.dup_path.data);
        sb_buf_free(&w.dup_path);
        return -1;
    }
    *out = root;
    return 0;
}
