/**
 * @file input_hints.h
 * @brief What went wrong with an input file that does not parse, in the user's terms: the common
 * ways `az` output reaches us damaged (`-o table` / `-o tsv` instead of JSON, UTF-16 from PowerShell
 * redirection, a `WARNING:` line from stderr mixed into the file).
 */
#ifndef SB_INPUT_HINTS_H
#define SB_INPUT_HINTS_H

#include <stddef.h>

struct sb_err;

/** A one-sentence hint for the first bytes of a file that failed to load, or NULL. Static text. */
const char *input_hint(const char *buf, size_t len);

/** Append "; hint: ..." to an input error (exit 3) when input_hint() knows the mistake. */
void input_hint_add(struct sb_err *e, const char *buf, size_t len);

#endif
