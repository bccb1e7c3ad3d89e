#include "redact.h"

#include "util.h"

#include <curl/curl.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct redact_set {
    char **v;  /* longest first, so a secret containing another is removed whole */
    size_t n, cap;
};

static const char TRUNCATED[] = "...[truncated]";

struct redact_set *redact_set_new(void)
{
    return sb_xcalloc(1, sizeof(struct redact_set));
}

static void wipe_free(char *s)
{
    if (!s)
        return;
    volatile char *p = s;
    while (*p)
        *p++ = 0;
    free(s);
}

void redact_set_free(struct redact_set *r)
{
    if (!r)
        return;
    for (size_t i = 0; i < r->n; i++)
        wipe_free(r->v[i]);
    free(r->v);
    free(r);
}

static int by_length_desc(const void *a, const void *b)
{
    size_t la = strlen(*(char *const *)a), lb = strlen(*(char *const *)b);
    return la == lb ? 0 : la > lb ? -1 : 1;
}

static void add_one(struct redact_set *r, const char *s)
{
    for (size_t i = 0; i < r->n; i++)
        if (strcmp(r->v[i], s) == 0)
            return;
    sb_grow((void **)&r->v, &r->cap, r->n + 1, sizeof *r->v);
    r->v[r->n++] = sb_xstrdup(s);
    qsort(r->v, r->n, sizeof *r->v, by_length_desc);
}

void redact_add(struct redact_set *r, const char *secret)
{
    if (!r || sb_empty(secret))
        return;
    add_one(r, secret);
    /* Servers echo form and query values as they received them: percent-encoded. */
    char *enc = curl_easy_escape(NULL, secret, 0);
    if (enc && strcmp(enc, secret) != 0)
        add_one(r, enc);
    if (enc) {
        volatile char *p = enc;
        while (*p)
            *p++ = 0;
        curl_free(enc);
    }
}

static bool b64url_char(char c)
{
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
}

/* Length of a JWT-shaped run at s ("eyJ" base64url, at least one '.'), else 0. Tokens we never
 * saw (another identity's, a refresh token) are credentials too. */
static size_t jwt_len(const char *s, size_t n)
{
    if (n < 3 || memcmp(s, "eyJ", 3) != 0)
        return 0;
    size_t i = 0, dots = 0;
    while (i < n && (b64url_char(s[i]) || s[i] == '.')) {
        dots += s[i] == '.';
        i++;
    }
    return dots >= 1 && i >= 16 ? i : 0;
}

/* Length of the credential after an echoed "Bearer " (any token, known or not), else 0. */
static size_t bearer_len(const char *s, size_t n)
{
    if (n < 7 || !sb_istarts(s, "bearer "))
        return 0;
    size_t i = 7;
    while (i < n && s[i] != ' ' && s[i] != '\'' && s[i] != '"' && s[i] != ',' && (unsigned char)s[i] > 0x20)
        i++;
    return i - 7 >= 8 ? i - 7 : 0;
}

static size_t secret_at(const struct redact_set *r, const char *s, size_t n)
{
    for (size_t i = 0; r && i < r->n; i++) {
        size_t len = strlen(r->v[i]);
        if (len <= n && memcmp(s, r->v[i], len) == 0)
            return len;
    }
    return jwt_len(s, n);
}

/* Cut text to at most `limit` bytes without leaving the start of a secret at the end. */
static size_t safe_cut(const struct redact_set *r, const char *text, size_t len, size_t limit)
{
    if (len <= limit)
        return len;
    size_t cut = limit;
    for (size_t i = 0; r && i < r->n; i++) {
        size_t sl = strlen(r->v[i]);
        for (size_t k = sl - 1 < limit ? sl - 1 : limit; k > 0; k--)
            if (memcmp(text + limit - k, r->v[i], k) == 0 && limit - k < cut) {
                cut = limit - k;
                break;
            }
    }
    return cut;
}

/* Code point of the UTF-8 sequence at s (length in *len), or -1 for an invalid byte. */
static long utf8_at(const unsigned char *s, size_t n, size_t *len)
{
    size_t need = s[0] >= 0xF0 ? 4 : s[0] >= 0xE0 ? 3 : s[0] >= 0xC0 ? 2 : 0;
    if (need == 0 || need > n || !sb_utf8_valid((const char *)s, need, NULL)) {
        *len = 1;
        return -1;
    }
    *len = need;
    long cp = s[0] & (need == 2 ? 0x1F : need == 3 ? 0x0F : 0x07);
    for (size_t i = 1; i < need; i++)
        cp = (cp << 6) | (s[i] & 0x3F);
    return cp;
}

/* Characters that move the cursor, recolour the terminal or reorder the line. */
static bool invisible_control(long cp)
{
    return (cp >= 0x80 && cp <= 0x9F) || cp == 0x200E || cp == 0x200F || (cp >= 0x2028 && cp <= 0x202E) ||
           (cp >= 0x2066 && cp <= 0x2069) || cp == 0xFEFF;
}

char *redact_text(const struct redact_set *r, const char *text, size_t max_bytes)
{
    if (!text)
        return sb_xstrdup("");
    size_t full = strlen(text);
    /* Past this much input the output is cut anyway (a secret can shrink it, hence the marker). */
    size_t limit = max_bytes ? max_bytes * 4 + 16 : full;
    size_t len = safe_cut(r, text, full, limit);

    struct sb_buf clean = {0};
    for (size_t i = 0; i < len;) {
        size_t k = secret_at(r, text + i, len - i);
        size_t b = k ? 0 : bearer_len(text + i, len - i);
        if (b) {
            sb_buf_add(&clean, text + i, 7);
            sb_buf_puts(&clean, REDACTED);
            i += 7 + b;
        } else if (k) {
            sb_buf_puts(&clean, REDACTED);
            i += k;
        } else {
            sb_buf_putc(&clean, text[i++]);
        }
    }

    struct sb_buf out = {0};
    size_t keep = max_bytes > sizeof TRUNCATED ? max_bytes - (sizeof TRUNCATED - 1) : 0;
    size_t cut = SIZE_MAX;
    const unsigned char *s = (const unsigned char *)(clean.data ? clean.data : "");
    size_t n = clean.len;
    for (size_t i = 0; i < n;) {
        char unit[24];
        size_t ulen = 1;
        if (s[i] < 0x20 || s[i] == 0x7F) {
            snprintf(unit, sizeof unit, "\\x%02X", s[i]);
        } else if (s[i] < 0x80) {
            unit[0] = (char)s[i];
            unit[1] = '\0';
        } else {
            long cp = utf8_at(s + i, n - i, &ulen);
            if (cp < 0)
                snprintf(unit, sizeof unit, "\\x%02X", s[i]);
            else if (invisible_control(cp))
                snprintf(unit, sizeof unit, "\\u{%04lX}", cp);
            else {
                memcpy(unit, s + i, ulen);
                unit[ulen] = '\0';
            }
        }
        size_t add = strlen(unit);
        if (out.len + add > keep && cut == SIZE_MAX)
            cut = out.len; /* the last whole unit that leaves room for the marker */
        sb_buf_puts(&out, unit);
        i += ulen;
    }
    if (max_bytes && (out.len > max_bytes || len < full)) {
        if (cut != SIZE_MAX) {
            out.len = cut;
            out.data[cut] = '\0';
        }
        sb_buf_puts(&out, TRUNCATED);
    }
    if (clean.data)
        memset(clean.data, 0, clean.len);
    sb_buf_free(&clean);
    return sb_buf_take(&out);
}

char *redact_known(const struct redact_set *r, const char *text)
{
    if (!r || !text || r->n == 0)
        return NULL;
    struct sb_buf out = {0};
    bool found = false;
    size_t len = strlen(text);
    for (size_t i = 0; i < len;) {
        size_t k = 0;
        for (size_t j = 0; j < r->n && !k; j++) {
            size_t sl = strlen(r->v[j]);
            if (sl <= len - i && memcmp(text + i, r->v[j], sl) == 0)
                k = sl;
        }
        if (k) {
            sb_buf_puts(&out, REDACTED);
            found = true;
            i += k;
        } else {
            sb_buf_putc(&out, text[i++]);
        }
    }
    if (!found) {
        sb_buf_free(&out);
        return NULL;
    }
    return sb_buf_take(&out);
}

void redact_buf(const struct redact_set *r, char *buf, size_t size)
{
    if (!buf || size == 0)
        return;
    char *t = redact_text(r, buf, size - 1);
    snprintf(buf, size, "%s", t);
    free(t);
}
