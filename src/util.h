/**
 * @file util.h
 * @brief Allocation (fatal on exhaustion), growable strings, case-insensitive and UTF-8 helpers.
 */
#ifndef SB_UTIL_H
#define SB_UTIL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

void *sb_xmalloc(size_t n);
void *sb_xcalloc(size_t count, size_t size);
void *sb_xrealloc(void *p, size_t n);
/** strdup that exits 4 on exhaustion; NULL in gives NULL out. Caller frees. */
char *sb_xstrdup(const char *s);
char *sb_xstrndup(const char *s, size_t n);
/** printf into a new string. Caller frees. */
char *sb_xasprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/** qsort that accepts an empty (NULL) array: C leaves qsort(NULL, 0, ...) undefined. */
void sb_sort(void *base, size_t n, size_t size, int (*cmp)(const void *, const void *));

/** Grow a dynamic array: ensures room for `need` elements of `elem` bytes. */
void sb_grow(void **arr, size_t *cap, size_t need, size_t elem);

/** A growable NUL-terminated byte string. Zero-initialise; free with sb_buf_free. */
struct sb_buf {
    char *data;
    size_t len;
    size_t cap;
};
void sb_buf_add(struct sb_buf *b, const char *s, size_t n);
void sb_buf_puts(struct sb_buf *b, const char *s);
void sb_buf_putc(struct sb_buf *b, char c);
void sb_buf_printf(struct sb_buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/** Take ownership of the contents (never NULL); leaves b empty. */
char *sb_buf_take(struct sb_buf *b);
void sb_buf_free(struct sb_buf *b);

/** NULL and "" are the same "empty" (Azure sends missing, null and "" alike). */
bool sb_empty(const char *s);
/** ASCII case-insensitive equality; NULL equals only NULL or "". */
bool sb_ieq(const char *a, const char *b);
bool sb_istarts(const char *s, const char *prefix);
bool sb_iends(const char *s, const char *suffix);
/** ASCII case-insensitive substring test. */
bool sb_icontains(const char *hay, const char *needle);
/** New lower-cased (ASCII) copy. Caller frees. */
char *sb_lower(const char *s);

/** True if the n bytes are well-formed UTF-8 (no overlongs, no surrogates, <= U+10FFFF). */
bool sb_utf8_valid(const char *s, size_t n, size_t *bad_offset);

/** Format t (UTC) as "YYYY-MM-DDTHH:MM:SSZ" into out (>= 21 bytes). */
void sb_iso8601(time_t t, char out[32]);
/** Parse "YYYY-MM-DD" (a date, UTC midnight). Returns 0 or -1. */
int sb_parse_date(const char *s, time_t *out);
/** Parse RFC 3339 "YYYY-MM-DDTHH:MM:SS[.frac](Z|+hh:mm)" to UTC. Returns 0 or -1. */
int sb_parse_datetime(const char *s, time_t *out);

/**
 * The report time: SOURCE_DATE_EPOCH when set (reproducible builds convention),
 * else the current time. Returns -1 with `e` set when SOURCE_DATE_EPOCH is malformed.
 */
struct sb_err;
int sb_now(time_t *out, struct sb_err *e);

/** Lower-case hex SHA-256 of a buffer (OpenSSL libcrypto). out: 65 bytes. */
void sb_sha256_hex(const void *data, size_t n, char out[65]);
/** n bytes as 2n lower-case hex digits and a NUL (a digest's printed form). */
void sb_hex(char *out, const unsigned char *bytes, size_t n);

/**
 * Read a whole regular file (at most max_bytes) into a NUL-terminated buffer.
 * Errors name the file: "FILE: No such file", "FILE: larger than N bytes", "FILE: is a directory".
 * Caller frees *out.
 */
int sb_read_file(char **out, size_t *out_len, const char *path, size_t max_bytes, struct sb_err *e);

/**
 * Atomic output: write to "PATH.tmp.XXXXXX" in the same directory, then rename over PATH.
 * sb_atomic_open returns a FILE* and fills tmp_path (PATH_MAX). sb_atomic_commit fflush/fsync/
 * fclose/rename; sb_atomic_abort closes and unlinks. Both leave no temp file behind.
 */
#include <stdio.h>
FILE *sb_atomic_open(const char *path, char *tmp_path, size_t tmp_size, struct sb_err *e);
int sb_atomic_commit(FILE *f, const char *tmp_path, const char *path, struct sb_err *e);
void sb_atomic_abort(FILE *f, const char *tmp_path);
/** Make a temp file name next to path (for libraries that open the file themselves). */
int sb_temp_sibling(char *tmp_path, size_t tmp_size, const char *path, struct sb_err *e);
/** rename(tmp, path) with a clear message; unlinks tmp on failure. */
int sb_rename_into_place(const char *tmp_path, const char *path, struct sb_err *e);
/** Write a whole buffer to path (not atomic: renderers write to a temp path the driver renames). */
int sb_write_file(const char *path, const void *data, size_t n, struct sb_err *e);

/**
 * A file written piece by piece (a report streamed as it is produced). Writes after a failure
 * are skipped; sb_stream_close reports the first failure ("PATH: write failed: <reason>") and
 * closes the file either way. The caller removes a file that failed.
 */
struct sb_stream {
    FILE *f;
    int err;
};
int sb_stream_open(struct sb_stream *s, const char *path, struct sb_err *e);
void sb_stream_write(struct sb_stream *s, const void *data, size_t n);
int sb_stream_close(struct sb_stream *s, const char *path, struct sb_err *e);
/** Write a whole buffer atomically to path. */
int sb_write_file_atomic(const char *path, const void *data, size_t n, struct sb_err *e);

/** Join dir and name with one '/'. Caller frees. */
char *sb_path_join(const char *dir, const char *name);
/** The last path component (borrowed pointer into path). */
const char *sb_basename(const char *path);

#endif
