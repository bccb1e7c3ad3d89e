/* Boundaries of a top-level member's value and of an array's elements (see json_split.h). */
#include "json_split.h"

#include <string.h>

/* What cJSON skips as white space (every byte up to ' '). */
static size_t skip_ws(const char *buf, size_t len, size_t i)
{
    while (i < len && (unsigned char)buf[i] <= ' ')
        i++;
    return i;
}

/* buf[i] is '"': just past the closing quote, or len when the string is not closed. */
static size_t skip_string(const char *buf, size_t len, size_t i)
{
    for (i++; i < len; i++) {
        if (buf[i] == '\\')
            i++;
        else if (buf[i] == '"')
            return i + 1;
    }
    return len;
}

/* Just past the value starting at buf[i] (brackets counted, not matched: the parser checks them). */
static size_t skip_value(const char *buf, size_t len, size_t i)
{
    if (i >= len)
        return len;
    if (buf[i] == '"')
        return skip_string(buf, len, i);
    if (buf[i] == '{' || buf[i] == '[') {
        size_t depth = 0;
        while (i < len) {
            char ch = buf[i];
            if (ch == '"') {
                i = skip_string(buf, len, i);
                continue;
            }
            if (ch == '{' || ch == '[')
                depth++;
            else if ((ch == '}' || ch == ']') && --depth == 0)
                return i + 1;
            i++;
        }
        return len;
    }
    while (i < len && (unsigned char)buf[i] > ' ' && buf[i] != ',' && buf[i] != ']' && buf[i] != '}')
        i++;
    return i;
}

bool json_split_member(size_t *out, const char *buf, size_t len, const char *key)
{
    size_t klen = strlen(key);
    size_t i = len >= 3 && memcmp(buf, "\xEF\xBB\xBF", 3) == 0 ? 3 : 0; /* cJSON skips a byte order mark */
    i = skip_ws(buf, len, i);
    if (i >= len || buf[i] != '{')
        return false;
    i++;
    for (;;) {
        i = skip_ws(buf, len, i);
        if (i >= len || buf[i] != '"')
            return false;
        size_t kstart = i + 1, kend = skip_string(buf, len, i);
        if (kend >= len)
            return false;
        bool match = kend - 1 - kstart == klen && memcmp(buf + kstart, key, klen) == 0;
        i = skip_ws(buf, len, kend);
        if (i >= len || buf[i] != ':')
            return false;
        i = skip_ws(buf, len, i + 1);
        if (i >= len)
            return false;
        if (match) {
            *out = i;
            return true;
        }
        /* Members before it go to the parser whole, so a miscount here is caught there. */
        i = skip_ws(buf, len, skip_value(buf, len, i));
        if (i >= len || buf[i] != ',')
            return false;
        i++;
    }
}

void json_elements_begin(struct json_elements *it, const char *buf, size_t len, size_t start)
{
    *it = (struct json_elements){.buf = buf, .len = len, .pos = start + 1, .array_end = len};
    size_t j = skip_ws(buf, len, start + 1);
    if (j < len && buf[j] == ']') { /* "[]", "[ ]": no elements */
        it->done = true;
        it->array_end = j + 1;
    }
}

bool json_elements_next(struct json_elements *it, struct json_span *out, int *depth)
{
    if (it->done)
        return false;
    const char *buf = it->buf;
    size_t i = it->pos, len = it->len;
    int d = 0, deepest = 0;
    /* Only ',' and ']' at the array's own level separate; a stray '}' there stays in the piece (and fails it). */
    while (i < len) {
        char ch = buf[i];
        if (ch == '"') {
            i = skip_string(buf, len, i);
            continue;
        }
        if (d == 0 && (ch == ',' || ch == ']'))
            break;
        if (ch == '{' || ch == '[') {
            if (++d > deepest)
                deepest = d;
        } else if (ch == '}' || ch == ']') {
            d--;
        }
        i++;
    }
    *out = (struct json_span){it->pos, i};
    *depth = deepest;
    if (i >= len) {
        it->done = it->cut_short = true;
        it->array_end = len;
    } else if (buf[i] == ']') {
        it->done = true;
        it->array_end = i + 1;
    } else {
        it->pos = i + 1;
    }
    return true;
}

size_t json_split_depth_at(const char *buf, struct json_span span, int level)
{
    int d = 0;
    for (size_t i = span.start; i < span.end; i++) {
        char ch = buf[i];
        if (ch == '"') {
            i = skip_string(buf, span.end, i) - 1;
        } else if (ch == '{' || ch == '[') {
            if (++d >= level)
                return i;
        } else if (ch == '}' || ch == ']') {
            d--;
        }
    }
    return span.end;
}
