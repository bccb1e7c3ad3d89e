/**
 * @file http_multi.h
 * @brief A small scheduler over the libcurl multi interface for Azure REST calls: bearer auth,
 * bounded concurrency, per-request retry schedules (429 Retry-After, backoff with jitter),
 * quota-aware slow-down, size-capped bodies parsed strictly as JSON.
 *
 * Waiting never blocks: a request that must wait gets a "not before" time and the loop keeps
 * driving the others. Nothing here prints a request body, a token or an Authorization header.
 */
#ifndef SB_HTTP_MULTI_H
#define SB_HTTP_MULTI_H

#include <stdbool.h>
#include <stddef.h>
#include <time.h>

#include <cjson/cJSON.h>

struct sb_err;
struct auth;
struct redact_set;

/** Longest single wait a server can ask for (Retry-After, quota reset): 120 s. */
#define HTTP_MAX_WAIT_MS 120000L

/** Largest response body accepted (bytes). */
#define HTTP_MAX_BODY ((size_t)64 * 1024 * 1024)

/** Throttling classes: ARM and Resource Graph have separate quotas. */
enum http_class { HTTP_CLASS_ARM = 0, HTTP_CLASS_ARG = 1, HTTP_CLASS_COUNT };

struct http_options {
    long timeout_ms;      /**< limit of each attempt, connect to last byte */
    int max_parallel;     /**< concurrent transfers (>= 1) */
    int max_retries;      /**< retries after the first attempt */
    long retry_base_ms;   /**< first backoff step */
    const char *ca_bundle; /**< NULL: system default */
    bool verbose;         /**< one stderr line per finished attempt */
    bool progress;        /**< redraw a progress line on stderr */
    const char *origin;   /**< the only origin (http_url_origin) a request carrying the token may go to */
    long long deadline;   /**< http_now_ms() value after which nothing more is sent or awaited; 0: none */
    const struct redact_set *redact; /**< secrets to keep out of stderr (borrowed; may be NULL) */
};

/** Counters shown on the progress line; the collector updates the last three. */
struct http_progress {
    size_t requests, retries, active;
    size_t subscriptions, pages, resources;
};

/** What a finished request yields. On success `json` is the parsed body (set it to NULL to keep it). */
struct http_result {
    bool ok;
    long status;             /**< HTTP status; 0 when no response (timeout, reset) */
    cJSON *json;             /**< ok only; freed after the callback unless taken */
    const char *request;     /**< "METHOD /path" (no host, no query) */
    const char *error_code;  /**< failures: from the error body, or a fixed word */
    const char *message;     /**< failures: from the error body, or curl's text */
};

struct http_client;

/** Callback run from http_run once per request, after the last attempt. */
typedef void http_done_fn(struct http_client *c, struct http_result *res, void *ctx);

/** New client. Borrowed: `auth` must outlive the client. Caller frees with http_client_free. */
struct http_client *http_client_new(const struct http_options *o, struct auth *auth, struct sb_err *e);
void http_client_free(struct http_client *c);

/**
 * Queue a request to an absolute URL (already checked by the caller). `body` is a JSON text
 * for POST (copied), NULL for GET. `urgent` requests start before all others (discovery
 * pages that feed more work). `ctx` is passed back to `done`.
 */
void http_submit(struct http_client *c, const char *method, const char *url, const char *body,
                 enum http_class cls, bool urgent, http_done_fn *done, void *ctx);

/** Drive every queued request (and those the callbacks queue) to completion. */
int http_run(struct http_client *c, struct sb_err *e);

/** Borrowed progress counters (the collector increments subscriptions/pages/resources). */
struct http_progress *http_progress(struct http_client *c);

/** True once any request failed because the credential was refused (401 after a refresh). */
bool http_auth_failed(const struct http_client *c);

/** Monotonic milliseconds (the clock of http_options.deadline). */
long long http_now_ms(void);

/**
 * A Retry-After value (delta seconds or an HTTP date, RFC 9110) in milliseconds from `now`,
 * capped at HTTP_MAX_WAIT_MS; a past date gives 0; -1 when unparseable.
 */
long http_retry_after_ms(const char *value, time_t now);

/** Configure common TLS/protocol options on an easy handle; `url` decides http vs https. */
void http_easy_common(void *easy, const char *url, const char *ca_bundle, long timeout_ms);

/** Parse a body strictly; numbers keep their original text (cJSON raw nodes). NULL on failure. */
cJSON *http_parse_json(const char *buf, size_t len);

/** Pull code and message out of an ARM ({"error":{...}}) or flat ({"code","message"}) error body. */
void http_error_fields(const cJSON *body, const char **code, const char **message);

#endif
