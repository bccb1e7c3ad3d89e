/**
 * @file redact.h
 * @brief Make text safe to write: remove every secret the process knows and escape control
 * characters, so a server that echoes a credential or sends terminal escapes cannot get either
 * into stderr, a snapshot gap or a report.
 *
 * The set belongs to one collection (the collector creates it and hands it to auth and http);
 * there is no process-wide list. Credentials are added as they become known: the client secret,
 * the federated assertion, the identity header, every access token.
 */
#ifndef SB_REDACT_H
#define SB_REDACT_H

#include <stddef.h>

/** What replaces a secret. */
#define REDACTED "[REDACTED]"

struct redact_set;

/** Empty set. Caller frees with redact_set_free (which wipes the copies). */
struct redact_set *redact_set_new(void);
void redact_set_free(struct redact_set *r);

/**
 * Remember a secret (copied) and its percent-encoded form. NULL set or empty secret: no-op.
 * Adding a value already present does nothing.
 */
void redact_add(struct redact_set *r, const char *secret);

/**
 * A safe copy of `text` (NULL gives ""): each known secret and anything shaped like a JWT
 * becomes REDACTED; control characters (C0, DEL, C1), line and paragraph separators, bidi
 * overrides and invalid UTF-8 bytes are written as \\xHH or \\u{HHHH}; at most `max_bytes`
 * bytes of output (then "...[truncated]"). `r` may be NULL (escaping only). Caller frees.
 */
char *redact_text(const struct redact_set *r, const char *text, size_t max_bytes);

/**
 * Only the known secrets of `text` replaced (no escaping, no patterns: for evidence that must stay
 * verbatim otherwise). NULL when none occurs. Caller frees.
 */
char *redact_known(const struct redact_set *r, const char *text);

/** redact_text over a fixed buffer (an sb_err message), in place. */
void redact_buf(const struct redact_set *r, char *buf, size_t size);

#endif
