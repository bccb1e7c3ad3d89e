/**
 * @file json_split.h
 * @brief Where a long array sits in a JSON text, and where each of its elements starts and ends,
 *        without parsing anything: so that a large document can be parsed one piece at a time.
 *
 * This finds boundaries only (it follows strings, escapes and bracket nesting, nothing else) and
 * accepts no text on its own: the caller parses every byte it is given here with sb_json_parse,
 * which validates each piece as strictly as it would the whole. The pieces cover the text exactly:
 * the document with the array replaced by "[]", and each element's bytes between the array's
 * separators (white space included), so that a text is valid exactly when every piece is.
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
 * The value of member `key` of the text's top-level object (its first member of that name, the
 * raw key bytes compared: a key written with escapes is not found). *out spans the value from its
 * first byte to just past its last, or to the end of the text when the text ends inside it.
 * Returns JSON_SPLIT_NONE when the text is not an object whose members can be followed up to that
 * key (the caller then parses the whole text, which says what is wrong or holds no such member).
 */
enum json_split_found { JSON_SPLIT_NONE = 0, JSON_SPLIT_FOUND, JSON_SPLIT_CUT_SHORT };
enum json_split_found json_split_member(struct json_span *out, const char *buf, size_t len, const char *key);

/** Walks the elements of an array value found by json_split_member. */
struct json_elements {
    const char *buf;
    size_t pos;      /* next element starts here */
    size_t end;      /* where the array's content ends: its closing ']', or the end of the text */
    bool done;
};

/** Start at the array spanning `array` in buf[0..len) (array.start is its '['); cut_short: the text ends
 *  inside it (JSON_SPLIT_CUT_SHORT), so its last element runs to the end of the text. */
void json_elements_begin(struct json_elements *it, const char *buf, size_t len, struct json_span array,
                         bool cut_short);

/**
 * The next element: its bytes between the separators. A text "[]" (or "[ ]") has no elements;
 * an empty piece ("[1,,2]", "[1,]") is returned like any other so that parsing it fails.
 * *depth is the deepest bracket nesting inside the piece (0 for a string or number).
 * Returns false after the last element.
 */
bool json_elements_next(struct json_elements *it, struct json_span *out, int *depth);

/** Offset of the first '{' or '[' in span (outside strings) that opens nesting level `level` (1 = outermost
 *  in the span), or span.end when none does: where a piece that is too deep says so. */
size_t json_split_depth_at(const char *buf, struct json_span span, int level);

#endif
