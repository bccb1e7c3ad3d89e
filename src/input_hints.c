#include "input_hints.h"

#include "err.h"

#include <stdbool.h>
#include <string.h>

/* Only the head of the file is looked at: the mistakes show in the first lines. */
#define HINT_SCAN 4096

static bool utf16(const unsigned char *p, size_t n)
{
    if (n >= 2 && ((p[0] == 0xFF && p[1] == 0xFE) || (p[0] == 0xFE && p[1] == 0xFF)))
        return true;
    /* Without a byte order mark: ASCII JSON as UTF-16 is a NUL beside each of its first characters. */
    return n >= 4 && ((p[0] && !p[1] && p[2] && !p[3]) || (!p[0] && p[1] && !p[2] && p[3]));
}

/* The first line of the text after a UTF-8 byte order mark and blank lines: [*line, end). */
static const char *first_line(const char *s, size_t n, const char **end)
{
    size_t i = n >= 3 && memcmp(s, "\xEF\xBB\xBF", 3) == 0 ? 3 : 0;
    while (i < n && (s[i] == '\n' || s[i] == '\r' || s[i] == ' ' || s[i] == '\t'))
        i++;
    size_t k = i;
    while (k < n && s[k] != '\n')
        k++;
    *end = s + k;
    return s + i;
}

static bool starts_with(const char *s, const char *end, const char *word)
{
    size_t w = strlen(word);
    return (size_t)(end - s) >= w && memcmp(s, word, w) == 0;
}

/* `-o table`: a header line, then a rule of dashes separated by spaces. */
static bool table(const char *line, const char *end, const char *stop)
{
    if (starts_with(line, end, "{") || starts_with(line, end, "["))
        return false;
    const char *next = end < stop ? end + 1 : stop;
    const char *nend = next;
    while (nend < stop && *nend != '\n')
        nend++;
    size_t dashes = 0;
    for (const char *p = next; p < nend; p++) {
        if (*p == '-')
            dashes++;
        else if (*p != ' ' && *p != '\r')
            return false;
    }
    return dashes >= 3;
}

/* `-o tsv`: tab-separated values on the first line, no JSON punctuation at its start. */
static bool tsv(const char *line, const char *end)
{
    if (starts_with(line, end, "{") || starts_with(line, end, "[") || starts_with(line, end, "\""))
        return false;
    return memchr(line, '\t', (size_t)(end - line)) != NULL;
}

const char *input_hint(const char *buf, size_t len)
{
    size_t n = len < HINT_SCAN ? len : HINT_SCAN;
    if (!buf || !n)
        return NULL;
    if (utf16((const unsigned char *)buf, n))
        return "the file is UTF-16 (PowerShell's > and Out-File write UTF-16): write UTF-8 instead, e.g. "
               "`az ... -o json | Out-File -Encoding utf8 FILE`, or convert it with `iconv -f UTF-16 -t UTF-8`";
    const char *end;
    const char *line = first_line(buf, n, &end);
    if (starts_with(line, end, "WARNING:") || starts_with(line, end, "ERROR:"))
        return "the file starts with a message from az (its stderr went into the file): remove that line, or "
               "redirect only standard output (`az ... -o json > FILE`, not `2>&1`)";
    if (table(line, end, buf + n))
        return "this looks like `az ... -o table` output: run the command again with `-o json`";
    if (tsv(line, end))
        return "this looks like `az ... -o tsv` output: run the command again with `-o json`";
    return NULL;
}

void input_hint_add(struct sb_err *e, const char *buf, size_t len)
{
    if (!e || e->code != SB_EXIT_INPUT)
        return;
    const char *hint = input_hint(buf, len);
    if (!hint)
        return;
    size_t used = strlen(e->msg);
    /* Keep the original message whole; the hint only when it fits. */
    if (used + strlen(hint) + 9 < sizeof e->msg) {
        memcpy(e->msg + used, "; hint: ", 8);
        strcpy(e->msg + used + 8, hint);
    }
}
