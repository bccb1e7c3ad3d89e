#include "json_parse.h"

#include "err.h"
#include "util.h"

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
 */
static int check_depth(const char *buf, size_t len, size_t *where)
{
    int depth = 0;
    int in_str = 0;
    for (size_t i = 0; i < len; i++) {
        char ch = buf[i];
        if (in_str) {
            if (ch == '\\')
                i++;
            else if (ch == '"')
                in_str = 0;
            continue;
        }
        if (ch == '"') {
            in_str = 1;
        } else if (ch == '{' || ch == '[') {
            if (++depth > SB_JSON_MAX_DEPTH) {
                *where = i;
                return -1;
            }
        } else if (ch == '}' || ch == ']') {
            depth--;
        }
    }
    return 0;
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
    if (check_depth(buf, len, &off) != 0) {
        sb_json_position(buf, off, &line, &col);
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
    *out = root;
    return 0;
}
