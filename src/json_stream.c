/* A cJSON_Print-compatible writer that streams the long arrays of a document (see json_stream.h).
 *
 * Only the containers on the way to a lazy slot are printed here; every other value is printed
 * by cJSON itself and re-indented by its depth in the document. That is exact because cJSON's
 * formatted output puts a newline only as formatting, never inside a string, and indents an
 * object's members by one tab per level: "{\n" TABS key ":\t" value ",\n" ... TABS "}", with
 * arrays on one line as "[a, b]" (an array is a level too: its elements' members get one more tab). */
#include "json_stream.h"

#include "err.h"
#include "util.h"

#include <cjson/cJSON.h>

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

struct writer {
    struct sb_stream out;
    const struct json_lazy *lazy;
    size_t nlazy;
    bool oom;
};

static void put(struct writer *w, const char *s, size_t n)
{
    sb_stream_write(&w->out, s, n);
}

static void put_tabs(struct writer *w, int n)
{
    static const char tabs[] = "\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t";
    while (n > 0) {
        int k = n < (int)(sizeof tabs - 1) ? n : (int)(sizeof tabs - 1);
        put(w, tabs, (size_t)k);
        n -= k;
    }
}

/* cJSON text printed at depth 0, shifted to `depth`: each formatting newline gains `depth` tabs. */
static void put_shifted(struct writer *w, const char *text, int depth)
{
    if (depth == 0) {
        put(w, text, strlen(text));
        return;
    }
    /* One write per value: stdio copies short pieces one call at a time. */
    size_t n = 0, lines = 0;
    for (const char *p = text; *p; p++, n++)
        lines += *p == '\n';
    char *out = sb_xmalloc(n + lines * (size_t)depth + 1);
    char *o = out;
    for (const char *p = text; *p; p++) {
        *o++ = *p;
        if (*p == '\n') {
            memset(o, '\t', (size_t)depth);
            o += depth;
        }
    }
    put(w, out, (size_t)(o - out));
    free(out);
}

static void put_plain(struct writer *w, const cJSON *item, int depth)
{
    char *text = cJSON_Print(item);
    if (!text) {
        w->oom = true;
        return;
    }
    put_shifted(w, text, depth);
    cJSON_free(text);
}

static const struct json_lazy *lazy_of(const struct writer *w, const cJSON *item)
{
    for (size_t i = 0; i < w->nlazy; i++)
        if (w->lazy[i].slot == item)
            return &w->lazy[i];
    return NULL;
}

static bool holds_lazy(const struct writer *w, const cJSON *item)
{
    if (lazy_of(w, item))
        return true;
    if (!cJSON_IsObject(item) && !cJSON_IsArray(item))
        return false;
    for (const cJSON *c = item->child; c; c = c->next)
        if (holds_lazy(w, c))
            return true;
    return false;
}

static void put_value(struct writer *w, const cJSON *item, int depth);

static void put_lazy(struct writer *w, const struct json_lazy *l, int depth)
{
    put(w, "[", 1);
    bool first = true;
    for (size_t i = 0; i < l->n && !w->oom && !w->out.err; i++) {
        cJSON *el = l->item(l->ctx, i);
        if (!el)
            continue;
        if (!first)
            put(w, ", ", 2);
        first = false;
        put_plain(w, el, depth + 1);
        cJSON_Delete(el);
    }
    put(w, "]", 1);
}

static void put_key(struct writer *w, const char *key)
{
    cJSON *k = cJSON_CreateString(key);
    char *text = k ? cJSON_PrintUnformatted(k) : NULL;
    cJSON_Delete(k);
    if (!text) {
        w->oom = true;
        return;
    }
    put(w, text, strlen(text));
    cJSON_free(text);
}

static void put_value(struct writer *w, const cJSON *item, int depth)
{
    const struct json_lazy *l = lazy_of(w, item);
    if (l) {
        put_lazy(w, l, depth);
    } else if (!holds_lazy(w, item)) {
        put_plain(w, item, depth);
    } else if (cJSON_IsArray(item)) {
        put(w, "[", 1);
        for (const cJSON *c = item->child; c && !w->oom; c = c->next) {
            put_value(w, c, depth + 1);
            if (c->next)
                put(w, ", ", 2);
        }
        put(w, "]", 1);
    } else {
        put(w, "{\n", 2);
        for (const cJSON *c = item->child; c && !w->oom; c = c->next) {
            put_tabs(w, depth + 1);
            put_key(w, c->string ? c->string : "");
            put(w, ":\t", 2);
            put_value(w, c, depth + 1);
            put(w, c->next ? ",\n" : "\n", c->next ? 2 : 1);
        }
        put_tabs(w, depth);
        put(w, "}", 1);
    }
}

int json_stream_document(const char *path, cJSON *root, const struct json_lazy *lazy, size_t nlazy, const char *what,
                         struct sb_err *e)
{
    struct writer w = {.lazy = lazy, .nlazy = nlazy};
    if (sb_stream_open(&w.out, path, e) != 0) {
        cJSON_Delete(root);
        return -1;
    }
    if (root)
        put_value(&w, root, 0);
    else
        w.oom = true;
    put(&w, "\n", 1);
    cJSON_Delete(root);
    int rc = sb_stream_close(&w.out, path, e);
    if (rc == 0 && w.oom)
        rc = sb_err_set(e, SB_EXIT_OUTPUT, "%s: out of memory while printing %s", path, what);
    return rc;
}
