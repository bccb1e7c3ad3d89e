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

/* Just past the value starting at buf[i] (brackets counted, not matched: the parser checks them); *cut when
 * the text ends inside an array or object. */
static size_t skip_value(const char *buf, size_t len, size_t i, bool *cut)
{
    *cut = false;
    if (i >= len)
        return len;
    if (buf[i] == '"')
        return skip_string(buf, len, i); /* (whether it is closed does not matter: not an array to cut) */
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
        *cut = true;
        return len;
    }
    while (i < len && (unsigned char)buf[i] > ' ' && buf[i] != ',' && buf[i] != ']' && buf[i] != '}')
        i++;
    return i;
}

enum json_split_found json_split_member(struct json_span *out, const char *buf, size_t len, const char *key)
{
    size_t klen = strlen(key);
    size_t i = len >= 3 && memcmp(buf, "\xEF\xBB\xBF", 3) == 0 ? 3 : 0; /* cJSON skips a byte order mark */
    i = skip_ws(buf, len, i);
    if (i >= len || buf[i] != '{')
        return JSON_SPLIT_NONE;
    i++;
    for (;;) {
        i = skip_ws(buf, len, i);
        if (i >= len || buf[i] != '"')
            return JSON_SPLIT_NONE;
        size_t kstart = i + 1, kend = skip_string(buf, len, i);
        if (kend >= len)
            return JSON_SPLIT_NONE;
        bool match = kend - 1 - kstart == klen && memcmp(buf + kstart, key, klen) == 0;
        i = skip_ws(buf, len, kend);
        if (i >= len || buf[i] != ':')
            return JSON_SPLIT_NONE;
        i = skip_ws(buf, len, i + 1);
        if (i >= len)
            return JSON_SPLIT_NONE;
        bool cut;
        size_t vend = skip_value(buf, len, i, &cut);
        if (match) {
            *out = (struct json_span){i, vend};
            return cut ? JSON_SPLIT_CUT_SHORT : JSON_SPLIT_FOUND;
        }
        i = skip_ws(buf, len, vend);
        if (i >= len || buf[i] != ',')
            return JSON_SPLIT_NONE;
        i++;
    }
}

void json_elements_begin(struct json_elements *it, const char *buf, size_t len, struct json_span array,
                         bool cut_short)
{
    it->buf = buf;
    it->pos = array.start + 1;
    /* A closed array ends with its ']'; one cut short runs to the end of the text. */
    it->end = cut_short ? len : array.end - 1;
    /* "[]" and "[ ]": no elements (an empty piece anywhere else is an element that fails to parse). */
    it->done = !cut_short && skip_ws(buf, it->end, it->pos) == it->end;
}

bool json_elements_next(struct json_elements *it, struct json_span *out, int *depth)
{
    if (it->done)
        return JSON_SPLIT_NONE;
    const char *buf = it->buf;
    size_t i = it->pos, end = it->end;
    int d = 0, deepest = 0;
    while (i < end) {
        char ch = buf[i];
        if (ch == '"') {
            i = skip_string(buf, end, i);
            continue;
        }
        if (ch == '{' || ch == '[') {
            if (++d > deepest)
                deepest = d;
        } else if (ch == '}' || ch == ']') {
            d--;
        } else if (ch == ',' && d == 0) {
            break;
        }
        i++;
    }
    *out = (struct json_span){it->pos, i};
    *depth = deepest;
    if (i >= end)
        it->done = true;
    else
        it->pos = i + 1;
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
