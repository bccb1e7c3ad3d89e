/* Strict JSON bodies whose numbers survive a parse/print round trip byte for byte. */
#include "http_multi.h"

#include "err.h"
#include "json_parse.h"
#include "util.h"

#include <stdlib.h>
#include <string.h>

struct num_tokens {
    const char *text;
    size_t *start, *len;
    size_t n, cap, next;
};

static bool is_digit(char c)
{
    return c >= '0' && c <= '9';
}

/* RFC 8259 number grammar; cJSON alone accepts "01" and "1." too. */
static bool json_number_ok(const char *s, size_t n)
{
    size_t i = 0;
    if (i < n && s[i] == '-')
        i++;
    if (i >= n)
        return false;
    if (s[i] == '0') {
        i++;
    } else if (is_digit(s[i])) {
        while (i < n && is_digit(s[i]))
            i++;
    } else {
        return false;
    }
    if (i < n && s[i] == '.') {
        i++;
        if (i >= n || !is_digit(s[i]))
            return false;
        while (i < n && is_digit(s[i]))
            i++;
    }
    if (i < n && (s[i] == 'e' || s[i] == 'E')) {
        i++;
        if (i < n && (s[i] == '+' || s[i] == '-'))
            i++;
        if (i >= n || !is_digit(s[i]))
            return false;
        while (i < n && is_digit(s[i]))
            i++;
    }
    return i == n;
}

/* Number tokens in document order (outside strings). */
static void scan_numbers(struct num_tokens *t, const char *buf, size_t len)
{
    bool in_str = false;
    for (size_t i = 0; i < len; i++) {
        char ch = buf[i];
        if (in_str) {
            if (ch == '\\')
                i++;
            else if (ch == '"')
                in_str = false;
            continue;
        }
        if (ch == '"') {
            in_str = true;
        } else if (ch == '-' || is_digit(ch)) {
            size_t j = i;
            while (j < len && (is_digit(buf[j]) || strchr("+-.eE", buf[j])))
                j++;
            sb_grow((void **)&t->start, &t->cap, t->n + 1, sizeof *t->start);
            size_t cap2 = t->cap;
            t->len = sb_xrealloc(t->len, cap2 * sizeof *t->len);
            t->start[t->n] = i;
            t->len[t->n] = j - i;
            t->n++;
            i = j - 1;
        }
    }
}

/* Replace every number node by a raw node holding the original digits. */
static bool rawify(cJSON *parent, struct num_tokens *t)
{
    cJSON *child = parent->child;
    while (child) {
        cJSON *next = child->next;
        if (cJSON_IsNumber(child)) {
            if (t->next >= t->n)
                return false;
            size_t s = t->start[t->next], n = t->len[t->next];
            t->next++;
            if (!json_number_ok(t->text + s, n))
                return false;
            char *digits = sb_xstrndup(t->text + s, n);
            cJSON *raw = cJSON_CreateRaw(digits);
            free(digits);
            if (!raw)
                return false;
            if (child->string) {
                /* ReplaceItemViaPointer keeps the position; the key moves over with it. */
                raw->string = child->string;
                raw->type |= child->type & cJSON_StringIsConst;
                child->string = NULL;
            }
            cJSON_ReplaceItemViaPointer(parent, child, raw);
        } else if ((cJSON_IsArray(child) || cJSON_IsObject(child)) && !rawify(child, t)) {
            return false;
        }
        child = next;
    }
    return true;
}

cJSON *http_parse_json(const char *buf, size_t len)
{
    struct sb_err e = {0};
    cJSON *root = NULL;
    if (sb_json_parse(&root, buf, len, "response", &e) != 0)
        return NULL;
    if (!cJSON_IsArray(root) && !cJSON_IsObject(root))
        return root;
    struct num_tokens t = {.text = buf};
    scan_numbers(&t, buf, len);
    bool ok = rawify(root, &t) && t.next == t.n;
    free(t.start);
    free(t.len);
    if (!ok) {
        cJSON_Delete(root);
        return NULL;
    }
    return root;
}

void http_error_fields(const cJSON *body, const char **code, const char **message)
{
    *code = NULL;
    *message = NULL;
    const cJSON *err = cJSON_GetObjectItemCaseSensitive(body, "error");
    const cJSON *src = cJSON_IsObject(err) ? err : body;
    *code = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(src, "code"));
    *message = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(src, "message"));
    if (!*code && cJSON_IsString(err))
        *code = err->valuestring; /* OAuth style {"error":"...","error_description":"..."} */
    if (!*message)
        *message = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(body, "error_description"));
}
