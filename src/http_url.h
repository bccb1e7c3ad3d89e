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

/**
 * "scheme://host:port" of url (default port spelled out), lower-cased; NULL if unparseable or if
 * the URL carries user info (user:password@), which would make curl send other credentials.
 * Caller frees.
 */
char *http_url_origin(const char *url);

/** True when url has the same origin as `origin` (as returned by http_url_origin). */
bool http_url_same_origin(const char *url, const char *origin);

/** "METHOD /path" of url without host and query (for gaps and logs). Caller frees. */
char *http_request_label(const char *method, const char *url);

/**
 * Check an ARM resource id from a server before it becomes part of a URL: it must start with
 * /subscriptions/ or /providers/ and contain no '@', '\\', '?', '#', "//", "://", dot segment
 * or control character, so joining it to the endpoint can only name a path on that endpoint.
 * Returns NULL when clean, else a static phrase saying what is wrong.
 */
const char *http_resource_id_problem(const char *id);

/**
 * Build endpoint + path (+ query) with curl's URL API: `path` is percent-encoded here and appended
 * to the endpoint's own path (NULL: the endpoint's path as it is); `query` is used as given
 * (already encoded; NULL: none). The
 * result must have the endpoint's origin; otherwise (or unparseable) NULL with `e` set
 * (SB_EXIT_INPUT). Caller frees.
 */
char *http_url_build(const char *endpoint, const char *path, const char *query, struct sb_err *e);

/** Percent-encode a resource path (keeps '/' and RFC 3986 sub-delims). Caller frees. */
char *http_path_escape(const char *path);

/** Drop trailing slashes of an endpoint (copy). Caller frees. */
char *http_trim_endpoint(const char *url);

#endif
