#include "util.h"

#include "err.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <openssl/evp.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static void out_of_memory(void)
{
    fputs("mcsb-audit: out of memory\n", stderr);
    exit(SB_EXIT_OUTPUT);
}

void *sb_xmalloc(size_t n)
{
    void *p = malloc(n ? n : 1);
    if (!p)
        out_of_memory();
    return p;
}

void *sb_xcalloc(size_t count, size_t size)
{
    void *p = calloc(count ? count : 1, size ? size : 1);
    if (!p)
        out_of_memory();
    return p;
}

void *sb_xrealloc(void *p, size_t n)
{
    void *q = realloc(p, n ? n : 1);
    if (!q)
        out_of_memory();
    return q;
}

char *sb_xstrdup(const char *s)
{
    return s ? sb_xstrndup(s, strlen(s)) : NULL;
}

char *sb_xstrndup(const char *s, size_t n)
{
    if (!s)
        return NULL;
    char *p = sb_xmalloc(n + 1);
    memcpy(p, s, n);
    p[n] = '\0';
    return p;
}

char *sb_xasprintf(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n < 0)
        out_of_memory();
    char *p = sb_xmalloc((size_t)n + 1);
    va_start(ap, fmt);
    vsnprintf(p, (size_t)n + 1, fmt, ap);
    va_end(ap);
    return p;
}

void sb_sort(void *base, size_t n, size_t size, int (*cmp)(const void *, const void *))
{
    if (base && n > 1)
        qsort(base, n, size, cmp);
}

void sb_grow(void **arr, size_t *cap, size_t need, size_t elem)
{
    if (need <= *cap)
        return;
    size_t n = *cap ? *cap : 8;
    while (n < need) {
        if (n > SIZE_MAX / 2 / elem)
            out_of_memory();
        n *= 2;
    }
    *arr = sb_xrealloc(*arr, n * elem);
    *cap = n;
}

void sb_buf_add(struct sb_buf *b, const char *s, size_t n)
{
    void *d = b->data;
    sb_grow(&d, &b->cap, b->len + n + 1, 1);
    b->data = d;
    memcpy(b->data + b->len, s, n);
    b->len += n;
    b->data[b->len] = '\0';
}

void sb_buf_puts(struct sb_buf *b, const char *s)
{
    if (s)
        sb_buf_add(b, s, strlen(s));
}

void sb_buf_putc(struct sb_buf *b, char c)
{
    sb_buf_add(b, &c, 1);
}

void sb_buf_printf(struct sb_buf *b, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n < 0)
        return;
    void *d = b->data;
    sb_grow(&d, &b->cap, b->len + (size_t)n + 1, 1);
    b->data = d;
    va_start(ap, fmt);
    vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
    va_end(ap);
    b->len += (size_t)n;
}

char *sb_buf_take(struct sb_buf *b)
{
    char *p = b->data ? b->data : sb_xstrdup("");
    b->data = NULL;
    b->len = b->cap = 0;
    return p;
}

void sb_buf_free(struct sb_buf *b)
{
    free(b->data);
    b->data = NULL;
    b->len = b->cap = 0;
}

bool sb_empty(const char *s)
{
    return !s || !*s;
}

bool sb_ieq(const char *a, const char *b)
{
    if (sb_empty(a) || sb_empty(b))
        return sb_empty(a) && sb_empty(b);
    for (; *a && *b; a++, b++)
        if (tolower((unsigned char)*a) != tolower((unsigned char)*b))
            return false;
    return *a == *b;
}

bool sb_istarts(const char *s, const char *prefix)
{
    if (!s || !prefix)
        return false;
    for (; *prefix; s++, prefix++)
        if (!*s || tolower((unsigned char)*s) != tolower((unsigned char)*prefix))
            return false;
    return true;
}

bool sb_iends(const char *s, const char *suffix)
{
    if (!s || !suffix)
        return false;
    size_t ls = strlen(s), lx = strlen(suffix);
    return ls >= lx && sb_ieq(s + ls - lx, suffix);
}

bool sb_icontains(const char *hay, const char *needle)
{
    if (!hay || !needle)
        return false;
    for (; *hay; hay++)
        if (sb_istarts(hay, needle))
            return true;
    return !*needle;
}

char *sb_lower(const char *s)
{
    if (!s)
        return NULL;
    char *p = sb_xstrdup(s);
    for (char *q = p; *q; q++)
        *q = (char)tolower((unsigned char)*q);
    return p;
}

bool sb_utf8_valid(const char *s, size_t n, size_t *bad_offset)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t i = 0;
    while (i < n) {
        unsigned c = p[i];
        size_t len;
        uint32_t cp, min;
        if (c < 0x80) {
            i++;
            continue;
        } else if ((c & 0xE0) == 0xC0) {
            len = 2; cp = c & 0x1F; min = 0x80;
        } else if ((c & 0xF0) == 0xE0) {
            len = 3; cp = c & 0x0F; min = 0x800;
        } else if ((c & 0xF8) == 0xF0) {
            len = 4; cp = c & 0x07; min = 0x10000;
        } else {
            goto bad;
        }
        if (i + len > n)
            goto bad;
        for (size_t k = 1; k < len; k++) {
            if ((p[i + k] & 0xC0) != 0x80)
                goto bad;
            cp = (cp << 6) | (p[i + k] & 0x3F);
        }
        if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
            goto bad;
        i += len;
    }
    return true;
bad:
    if (bad_offset)
        *bad_offset = i;
    return false;
}

void sb_iso8601(time_t t, char out[32])
{
    struct tm tm;
    gmtime_r(&t, &tm);
    strftime(out, 32, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

/* timegm is not in POSIX; days-from-civil keeps this exact and locale-free. */
static time_t utc_seconds(int y, int mon, int d, int h, int mi, int s)
{
    y -= mon <= 2;
    long era = (y >= 0 ? y : y - 399) / 400;
    long yoe = y - era * 400;
    long doy = (153 * (mon + (mon > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    long days = era * 146097 + doe - 719468;
    return (time_t)days * 86400 + h * 3600 + mi * 60 + s;
}

static bool valid_ymd(int y, int m, int d)
{
    static const int mdays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (y < 1970 || y > 9999 || m < 1 || m > 12 || d < 1)
        return false;
    int md = mdays[m - 1];
    if (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
        md = 29;
    return d <= md;
}

int sb_parse_date(const char *s, time_t *out)
{
    int y, m, d, n = 0;
    if (!s || sscanf(s, "%4d-%2d-%2d%n", &y, &m, &d, &n) != 3 || n != 10 || s[10] != '\0')
        return -1;
    if (!valid_ymd(y, m, d))
        return -1;
    *out = utc_seconds(y, m, d, 0, 0, 0);
    return 0;
}

int sb_parse_datetime(const char *s, time_t *out)
{
    int y, m, d, hh, mm, ss, n = 0;
    if (!s || sscanf(s, "%4d-%2d-%2dT%2d:%2d:%2d%n", &y, &m, &d, &hh, &mm, &ss, &n) != 6 || n != 19)
        return -1;
    if (!valid_ymd(y, m, d) || hh > 23 || mm > 59 || ss > 60)
        return -1;
    const char *p = s + 19;
    if (*p == '.')
        for (p++; isdigit((unsigned char)*p); p++)
            ;
    long off = 0;
    if (*p == 'Z' || *p == 'z') {
        p++;
    } else if (*p == '+' || *p == '-') {
        int oh, om, k = 0;
        if (sscanf(p + 1, "%2d:%2d%n", &oh, &om, &k) != 2 || k != 5)
            return -1;
        off = (oh * 3600L + om * 60L) * (*p == '+' ? 1 : -1);
        p += 6;
    } else {
        return -1;
    }
    if (*p)
        return -1;
    *out = utc_seconds(y, m, d, hh, mm, ss) - off;
    return 0;
}

int sb_now(time_t *out, struct sb_err *e)
{
    const char *sde = getenv("SOURCE_DATE_EPOCH");
    if (sde && *sde) {
        char *end;
        errno = 0;
        long long v = strtoll(sde, &end, 10);
        if (errno || *end || v < 0 || v > 253402300799LL)
            return sb_err_set(e, SB_EXIT_USAGE,
                              "SOURCE_DATE_EPOCH: not a non-negative integer of seconds: '%s'", sde);
        *out = (time_t)v;
        return 0;
    }
    *out = time(NULL);
    return 0;
}

void sb_sha256_hex(const void *data, size_t n, char out[65])
{
    unsigned char md[EVP_MAX_MD_SIZE];
    unsigned int mdlen = 0;
    if (!EVP_Digest(data, n, md, &mdlen, EVP_sha256(), NULL) || mdlen != 32)
        out_of_memory(); /* only fails on allocation inside OpenSSL */
    sb_hex(out, md, 32);
}

void sb_hex(char *out, const unsigned char *bytes, size_t n)
{
    static const char hex[] = "0123456789abcdef";
    for (size_t i = 0; i < n; i++) {
        out[2 * i] = hex[bytes[i] >> 4];
        out[2 * i + 1] = hex[bytes[i] & 15];
    }
    out[2 * n] = '\0';
}

int sb_read_file(char **out, size_t *out_len, const char *path, size_t max_bytes, struct sb_err *e)
{
    *out = NULL;
    *out_len = 0;
    FILE *f = fopen(path, "rb");
    if (!f)
        return sb_err_set(e, SB_EXIT_INPUT, "%s: %s", path, strerror(errno));
    struct stat st;
    if (fstat(fileno(f), &st) != 0)
        st.st_mode = 0; /* unknown: read it as a stream */
    if (S_ISDIR(st.st_mode)) {
        fclose(f);
        return sb_err_set(e, SB_EXIT_INPUT, "%s: is a directory", path);
    }
    /* A regular file is read into a buffer of its own size (+1 for the NUL, +1 to notice that it grew);
     * a pipe or a file that grows meanwhile falls back to doubling. */
    size_t cap = S_ISREG(st.st_mode) && st.st_size >= 0 && (uintmax_t)st.st_size <= max_bytes
                     ? (size_t)st.st_size + 2
                     : 65536;
    char *buf = sb_xmalloc(cap);
    size_t len = 0, n;
    while ((n = fread(buf + len, 1, cap - 1 - len, f)) > 0) {
        len += n;
        if (len > max_bytes) {
            fclose(f);
            free(buf);
            return sb_err_set(e, SB_EXIT_INPUT, "%s: larger than the %zu-byte limit", path, max_bytes);
        }
        if (len == cap - 1) {
            cap = cap * 2 > max_bytes + 2 ? max_bytes + 2 : cap * 2;
            buf = sb_xrealloc(buf, cap);
        }
    }
    int rerr = ferror(f);
    fclose(f);
    if (rerr) {
        free(buf);
        return sb_err_set(e, SB_EXIT_INPUT, "%s: read error", path);
    }
    buf[len] = '\0';
    *out_len = len;
    *out = buf;
    return 0;
}

int sb_temp_sibling(char *tmp_path, size_t tmp_size, const char *path, struct sb_err *e)
{
    int n = snprintf(tmp_path, tmp_size, "%s.tmp.XXXXXX", path);
    if (n < 0 || (size_t)n >= tmp_size)
        return sb_err_set(e, SB_EXIT_OUTPUT, "%s: path too long", path);
    int fd = mkstemp(tmp_path);
    if (fd < 0)
        return sb_err_set(e, SB_EXIT_OUTPUT, "%s: cannot create file: %s", path, strerror(errno));
    /* mkstemp makes 0600; reports are ordinary files, so honour the umask like fopen would. */
    mode_t um = umask(0);
    umask(um);
    fchmod(fd, 0666 & ~um);
    close(fd);
    return 0;
}

FILE *sb_atomic_open(const char *path, char *tmp_path, size_t tmp_size, struct sb_err *e)
{
    if (sb_temp_sibling(tmp_path, tmp_size, path, e) != 0)
        return NULL;
    FILE *f = fopen(tmp_path, "wb");
    if (!f) {
        sb_err_set(e, SB_EXIT_OUTPUT, "%s: cannot write: %s", path, strerror(errno));
        unlink(tmp_path);
        return NULL;
    }
    return f;
}

int sb_rename_into_place(const char *tmp_path, const char *path, struct sb_err *e)
{
    if (rename(tmp_path, path) != 0) {
        int err = errno;
        unlink(tmp_path);
        return sb_err_set(e, SB_EXIT_OUTPUT, "%s: cannot rename into place: %s", path, strerror(err));
    }
    return 0;
}

int sb_atomic_commit(FILE *f, const char *tmp_path, const char *path, struct sb_err *e)
{
    int bad = fflush(f) != 0 || ferror(f);
    int err = errno;
    if (!bad && fsync(fileno(f)) != 0 && errno != EINVAL)
        bad = 1, err = errno;
    if (fclose(f) != 0 && !bad)
        bad = 1, err = errno;
    if (bad) {
        unlink(tmp_path);
        return sb_err_set(e, SB_EXIT_OUTPUT, "%s: write failed: %s", path, strerror(err));
    }
    return sb_rename_into_place(tmp_path, path, e);
}

void sb_atomic_abort(FILE *f, const char *tmp_path)
{
    if (f)
        fclose(f);
    if (tmp_path && *tmp_path)
        unlink(tmp_path);
}

int sb_write_file(const char *path, const void *data, size_t n, struct sb_err *e)
{
    FILE *f = fopen(path, "wb");
    if (!f)
        return sb_err_set(e, SB_EXIT_OUTPUT, "%s: cannot write: %s", path, strerror(errno));
    int rc = 0;
    if (n && fwrite(data, 1, n, f) != n)
        rc = sb_err_set(e, SB_EXIT_OUTPUT, "%s: write failed: %s", path, strerror(errno));
    if (fclose(f) != 0 && rc == 0)
        rc = sb_err_set(e, SB_EXIT_OUTPUT, "%s: write failed: %s", path, strerror(errno));
    return rc;
}

int sb_stream_open(struct sb_stream *s, const char *path, struct sb_err *e)
{
    s->err = 0;
    s->f = fopen(path, "wb");
    if (!s->f)
        return sb_err_set(e, SB_EXIT_OUTPUT, "%s: cannot write: %s", path, strerror(errno));
    /* Large writes: fewer system calls for a report of many megabytes. */
    setvbuf(s->f, NULL, _IOFBF, 1 << 16);
    return 0;
}

void sb_stream_write(struct sb_stream *s, const void *data, size_t n)
{
    if (!s->err && n && fwrite(data, 1, n, s->f) != n)
        s->err = errno ? errno : EIO;
}

int sb_stream_close(struct sb_stream *s, const char *path, struct sb_err *e)
{
    if (!s->f)
        return -1;
    if (fclose(s->f) != 0 && !s->err)
        s->err = errno ? errno : EIO;
    s->f = NULL;
    if (s->err)
        return sb_err_set(e, SB_EXIT_OUTPUT, "%s: write failed: %s", path, strerror(s->err));
    return 0;
}

int sb_write_file_atomic(const char *path, const void *data, size_t n, struct sb_err *e)
{
    char tmp[PATH_MAX];
    FILE *f = sb_atomic_open(path, tmp, sizeof tmp, e);
    if (!f)
        return -1;
    if (n && fwrite(data, 1, n, f) != n) {
        int err = errno;
        sb_atomic_abort(f, tmp);
        return sb_err_set(e, SB_EXIT_OUTPUT, "%s: write failed: %s", path, strerror(err));
    }
    return sb_atomic_commit(f, tmp, path, e);
}

char *sb_path_join(const char *dir, const char *name)
{
    size_t l = strlen(dir);
    if (l && dir[l - 1] == '/')
        return sb_xasprintf("%s%s", dir, name);
    return sb_xasprintf("%s/%s", dir, name);
}

const char *sb_basename(const char *path)
{
    const char *s = strrchr(path, '/');
    return s ? s + 1 : path;
}
