/**
 * @file json_stream.h
 * @brief Write a large JSON document to a file as it is produced, byte for byte as cJSON_Print
 *        would print it, without ever holding the whole tree or the whole text.
 *
 * The caller builds the document's small skeleton as a cJSON tree and leaves an empty array
 * in it for each long list (results, observations, findings). Each such slot is named with a
 * json_lazy: its elements are made one at a time by a callback, printed, and freed. Memory is
 * then the skeleton plus one element, whatever the list's length.
 */
#ifndef SB_JSON_STREAM_H
#define SB_JSON_STREAM_H

#include <stddef.h>

struct cJSON;
struct sb_err;

/** One array of the skeleton whose elements are produced on demand. */
struct json_lazy {
    const struct cJSON *slot;   /**< the (empty) array in the skeleton that stands for the list */
    size_t n;                   /**< calls to make: item(ctx, 0) ... item(ctx, n - 1) */
    /** Element i as a new tree the writer frees, or NULL to leave it out (a filter). */
    struct cJSON *(*item)(void *ctx, size_t i);
    void *ctx;
};

/**
 * Print `root` (which the writer frees) to `path` as cJSON_Print would, plus a final newline,
 * with each lazy slot's elements in its place. Returns 0, or -1 with e set: a write failure
 * ("PATH: write failed: ...") or cJSON running out of memory ("PATH: out of memory while
 * printing WHAT"). The caller removes the file on failure.
 */
int json_stream_document(const char *path, struct cJSON *root, const struct json_lazy *lazy, size_t nlazy,
                         const char *what, struct sb_err *e);

#endif
