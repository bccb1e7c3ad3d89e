/**
 * @file json_split.h
 * @brief Where a long array sits in a JSON text, and where each of its elements starts and ends,
 *        without parsing anything: so that a large document can be parsed one piece at a time.
 *
 * This finds boundaries only (it follows strings, escapes and bracket nesting, nothing else) and
 * accepts no text on its own: the caller parses every byte with sb_json_parse, which validates each
 * piece as strictly as it would the whole. The pieces cover the text exactly: each element's bytes
 * between the array's separators (white space included), and the document with the array replaced
 * by "[]"; the array is closed only by a ']' at its own level. So a text is valid exactly when every
 * piece is (a piece with brackets that do not match fails to parse, wherever the cut fell).
 */
#ifndef SB_JSON_SPLIT_H
#define SB_JSON_SPLIT_H

#include <stdbool.h>
#include <stddef.h>

/** buf[start..end): a value, or the bytes between two separators. */
struct json_span {
    size_t start, end;
};

/**
 * Where the value of member `key` of the text's top-level object starts (its first member of that
 * name; the raw key bytes are compared, so a key written with escapes is not found). Returns false
 * when the text is not an object whose members can be followed up to that key; then the caller
 * parses the whole text, which says what is wrong or holds no such member.
 */
bool json_split_member(size_t *out, const char *buf, size_t len, const char *key);

/** Walks the elements of an array, reading the text once from front to back. */
struct json_elements {
    const char *buf;
    size_t len;
    size_t pos;       /* next element starts here */
    bool done;
    size_t array_end; /* once done: just past the array's ']', or len when the text ends inside it */
    bool cut_short;   /* once done: the text ends inside the array */
};

/** Start at the array whose '[' is buf[start]. */
void json_elements_begin(struct json_elements *it, const char *buf, size_t len, size_t start);

/**
 * The next element: its bytes between the separators. "[]" (or "[ ]") has no elements; an empty
 * piece ("[1,,2]", "[1,]") is returned like any other so that parsing it fails. *depth is the
 * deepest bracket nesting inside the piece (0 for a string or number). Returns false after the last.
 */
bool json_elements_next(struct json_elements *it, struct json_span *out, int *depth);

/** Offset of the first '{' or '[' in span (outside strings) that opens nesting level `level` (1 = outermost
 *  in the span), or span.end when none does: where a piece that is too deep says so. */
size_t json_split_depth_at(const char *buf, struct json_span span, int level);

#endif
