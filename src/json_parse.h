/**
 * @file json_parse.h
 * @brief Strict JSON parsing for every input we read: UTF-8 checked, no NUL bytes, no trailing
 * garbage, nesting bounded, and errors as "NAME:LINE:COL: message".
 */
#ifndef SB_JSON_PARSE_H
#define SB_JSON_PARSE_H

#include <stddef.h>

#include <cjson/cJSON.h>

struct sb_err;

/** Maximum nesting we accept (cJSON's compiled-in limit is 1000; we say so before it does). */
#define SB_JSON_MAX_DEPTH 512

/**
 * Parse `len` bytes (buf[len] must be '\0'). On failure *out is NULL and `e` holds
 * "NAME:LINE:COL: reason" with code SB_EXIT_INPUT. Caller owns *out (cJSON_Delete).
 */
int sb_json_parse(cJSON **out, const char *buf, size_t len, const char *name, struct sb_err *e);

/** Line and column (1-based, column in bytes) of a byte offset. */
void sb_json_position(const char *buf, size_t offset, size_t *line, size_t *col);

#endif
