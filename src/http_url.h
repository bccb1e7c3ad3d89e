/**
 * @file http_url.h
 * @brief URL policy and helpers: https only, plain http to loopback (and the metadata address)
 * only; same-origin checks so a bearer token never leaves the ARM host.
 */
#ifndef SB_HTTP_URL_H
#define SB_HTTP_URL_H

#include <stdbool.h>

struct sb_err;

/** True for 127.0.0.0/8, ::1 and localhost. */
bool http_host_is_loopback(const char *host);

/**
 * Check an endpoint URL: parseable, scheme https, or http to a loopback host (or to
 * 169.254.169.254 when allow_metadata). `what` names the setting in the error message.
 */
int http_url_check(const char *url, bool allow_metadata, const char *what, struct sb_err *e);

/** "scheme://host[:port]" of url, lower-cased, without trailing slash; NULL if unparseable. Caller frees. */
char *http_url_origin(const char *url);

/** True when url has the same origin as `origin` (as returned by http_url_origin). */
bool http_url_same_origin(const char *url, const char *origin);

/** "METHOD /path" of url without host and query (for gaps and logs). Caller frees. */
char *http_request_label(const char *method, const char *url);

/** Percent-encode a resource path (keeps '/' and RFC 3986 sub-delims). Caller frees. */
char *http_path_escape(const char *path);

/** Drop trailing slashes of an endpoint (copy). Caller frees. */
char *http_trim_endpoint(const char *url);

#endif
