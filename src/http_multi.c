#include "http_multi.h"

#include "auth_token.h"
#include "err.h"
#include "http_url.h"
#include "redact.h"
#include "util.h"

#include <curl/curl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#define QUOTA_LOW 10            /* remaining-* below this: slow down */
#define BACKOFF_CAP_MS 30000L
#define PROGRESS_EVERY_MS 250

struct http_req {
    struct http_req *next;
    char *method, *url, *body, *label;
    enum http_class cls;
    http_done_fn *done;
    void *ctx;
    int attempts;          /* attempts started */
    bool auth_retried;     /* the one retry after a 401 was used */
    bool urgent;
    bool force_token;
    unsigned token_gen;
    long long not_before;  /* monotonic ms */
    long long started;
    CURL *easy;
    struct curl_slist *hdr;
    struct sb_buf resp;
    bool too_big;
    long retry_after_ms;   /* -1: none */
    long quota_reset_ms;   /* -1: none */
    long remaining;        /* lowest remaining-quota header; -1: none */
    char errbuf[CURL_ERROR_SIZE];
};

/* Requests waiting to start (FIFO). */
struct http_queue {
    struct http_req *head, *tail;
};

struct http_client {
    struct http_options o;
    struct auth *auth;
    CURLM *multi;
    /* Urgent requests (discovery: listings, Resource Graph pages) start before detail GETs,
     * so the detail queue keeps filling while it drains. */
    struct http_queue queue[2];
    long long gate[HTTP_CLASS_COUNT];
    uint64_t rng;
    struct http_progress prog;
    bool auth_failed;
    bool auth_broken;      /* a token request failed: stop asking */
    char auth_msg[1024];
    long long last_draw;
    bool drew;
    struct http_req **running; /* transfers in the multi handle (abandoned at the deadline) */
    size_t n_running, cap_running;
};

long long http_now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static uint64_t next_rand(struct http_client *c)
{
    /* xorshift64*: jitter only, not security. */
    c->rng ^= c->rng >> 12;
    c->rng ^= c->rng << 25;
    c->rng ^= c->rng >> 27;
    return c->rng * 2685821657736338717ULL;
}

void http_easy_common(void *easy, const char *url, const char *ca_bundle, long timeout_ms)
{
    CURL *h = easy;
    curl_easy_setopt(h, CURLOPT_URL, url);
    /* The URL policy was enforced by the caller (http_url_check): http reaches here only for loopback. */
    curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, sb_istarts(url, "http://") ? "http,https" : "https");
    curl_easy_setopt(h, CURLOPT_FOLLOWLOCATION, 0L);
    curl_easy_setopt(h, CURLOPT_SSL_VERIFYPEER, 1L);
    curl_easy_setopt(h, CURLOPT_SSL_VERIFYHOST, 2L);
    if (ca_bundle)
        curl_easy_setopt(h, CURLOPT_CAINFO, ca_bundle);
    curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, timeout_ms);
    curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT_MS, timeout_ms < 10000 ? timeout_ms : 10000L);
    curl_easy_setopt(h, CURLOPT_HTTP_VERSION, (long)CURL_HTTP_VERSION_2TLS);
    curl_easy_setopt(h, CURLOPT_PIPEWAIT, 1L);
    curl_easy_setopt(h, CURLOPT_ACCEPT_ENCODING, "");
    curl_easy_setopt(h, CURLOPT_USERAGENT, "mcsb-audit/" SB_VERSION);
}

struct http_client *http_client_new(const struct http_options *o, struct auth *auth, struct sb_err *e)
{
    struct http_client *c = sb_xcalloc(1, sizeof *c);
    c->o = *o;
    if (c->o.max_parallel < 1)
        c->o.max_parallel = 1;
    c->auth = auth;
    c->multi = curl_multi_init();
    if (!c->multi) {
        free(c);
        sb_err_set(e, SB_EXIT_OUTPUT, "cannot initialise libcurl");
        return NULL;
    }
    curl_multi_setopt(c->multi, CURLMOPT_PIPELINING, (long)CURLPIPE_MULTIPLEX);
    curl_multi_setopt(c->multi, CURLMOPT_MAX_TOTAL_CONNECTIONS, (long)c->o.max_parallel);
    c->rng = (uint64_t)http_now_ms() * 6364136223846793005ULL ^ (uint64_t)getpid() ^ 0x9e3779b97f4a7c15ULL;
    if (c->rng == 0)
        c->rng = 1;
    return c;
}

static void req_free(struct http_req *r)
{
    if (!r)
        return;
    free(r->method);
    free(r->url);
    free(r->body);
    free(r->label);
    curl_slist_free_all(r->hdr);
    sb_buf_free(&r->resp);
    free(r);
}

void http_client_free(struct http_client *c)
{
    if (!c)
        return;
    for (int q = 0; q < 2; q++) {
        struct http_req *r = c->queue[q].head;
        while (r) {
            struct http_req *n = r->next;
            req_free(r);
            r = n;
        }
    }
    for (size_t i = 0; i < c->n_running; i++) {
        curl_multi_remove_handle(c->multi, c->running[i]->easy);
        curl_easy_cleanup(c->running[i]->easy);
        req_free(c->running[i]);
    }
    free(c->running);
    curl_multi_cleanup(c->multi);
    free(c);
}

struct http_progress *http_progress(struct http_client *c)
{
    return &c->prog;
}

bool http_auth_failed(const struct http_client *c)
{
    return c->auth_failed;
}

static void enqueue(struct http_client *c, struct http_req *r)
{
    struct http_queue *q = &c->queue[r->urgent ? 0 : 1];
    r->next = NULL;
    if (q->tail)
        q->tail->next = r;
    else
        q->head = r;
    q->tail = r;
}

void http_submit(struct http_client *c, const char *method, const char *url, const char *body,
                 enum http_class cls, bool urgent, http_done_fn *done, void *ctx)
{
    struct http_req *r = sb_xcalloc(1, sizeof *r);
    r->urgent = urgent;
    r->method = sb_xstrdup(method);
    r->url = sb_xstrdup(url);
    r->body = sb_xstrdup(body);
    r->label = http_request_label(method, url);
    r->cls = cls;
    r->done = done;
    r->ctx = ctx;
    enqueue(c, r);
}

/* Milliseconds from "hh:mm:ss" (Resource Graph's x-ms-user-quota-resets-after), capped like Retry-After. */
static long parse_hms(const char *s)
{
    unsigned h, m, sec;
    if (sscanf(s, "%u:%u:%u", &h, &m, &sec) != 3 || m > 59 || sec > 59 || h > 24)
        return -1;
    long ms = (long)((h * 3600 + m * 60 + sec) * 1000);
    return ms > HTTP_MAX_WAIT_MS ? HTTP_MAX_WAIT_MS : ms;
}

long http_retry_after_ms(const char *value, time_t now)
{
    if (sb_empty(value))
        return -1;
    const char *p = value;
    while (*p >= '0' && *p <= '9')
        p++;
    if (p != value && *p == '\0') {
        /* Delta seconds; any number of digits (10^9, or more than a long holds) is capped. */
        size_t digits = (size_t)(p - value);
        if (digits > 6)
            return HTTP_MAX_WAIT_MS;
        long secs = strtol(value, NULL, 10);
        return secs * 1000 > HTTP_MAX_WAIT_MS ? HTTP_MAX_WAIT_MS : secs * 1000;
    }
    time_t when = curl_getdate(value, NULL);
    if (when == (time_t)-1)
        return -1;
    if (when <= now)
        return 0;
    long long d = ((long long)when - (long long)now) * 1000;
    return d > HTTP_MAX_WAIT_MS ? HTTP_MAX_WAIT_MS : (long)d;
}

static size_t on_header(char *buf, size_t size, size_t nitems, void *userdata)
{
    struct http_req *r = userdata;
    size_t n = size * nitems;
    char line[256];
    size_t k = n < sizeof line - 1 ? n : sizeof line - 1;
    memcpy(line, buf, k);
    line[k] = '\0';
    line[strcspn(line, "\r\n")] = '\0';
    if (strncmp(line, "HTTP/", 5) == 0) {
        /* A new response (after 100-continue): forget the previous one's headers. */
        r->retry_after_ms = r->quota_reset_ms = r->remaining = -1;
        return n;
    }
    char *colon = strchr(line, ':');
    if (!colon)
        return n;
    *colon = '\0';
    const char *v = colon + 1;
    while (*v == ' ' || *v == '\t')
        v++;
    if (strcasecmp(line, "Retry-After") == 0) {
        r->retry_after_ms = http_retry_after_ms(v, time(NULL));
    } else if (strcasecmp(line, "x-ms-user-quota-resets-after") == 0) {
        r->quota_reset_ms = parse_hms(v);
    } else if (strncasecmp(line, "x-ms-ratelimit-remaining-", 25) == 0 ||
               strcasecmp(line, "x-ms-user-quota-remaining") == 0) {
        /* Writes quotas do not concern a read-only collector. */
        if (strstr(line + 25, "writes") == NULL) {
            char *end;
            long left = strtol(v, &end, 10);
            if (end != v && left >= 0 && (r->remaining < 0 || left < r->remaining))
                r->remaining = left;
        }
    }
    return n;
}

static size_t on_body(char *ptr, size_t size, size_t nmemb, void *userdata)
{
    struct http_req *r = userdata;
    size_t n = size * nmemb;
    if (r->resp.len + n > HTTP_MAX_BODY) {
        r->too_big = true;
        return 0;
    }
    sb_buf_add(&r->resp, ptr, n);
    return n;
}

static void deliver_failure(struct http_client *c, struct http_req *r, long status, const char *code,
                            const char *message)
{
    struct http_result res = {.ok = false, .status = status, .request = r->label,
                              .error_code = code, .message = message};
    r->done(c, &res, r->ctx);
}

static bool past_deadline(const struct http_client *c, long long at)
{
    return c->o.deadline && at >= c->o.deadline;
}

static void deliver_deadline(struct http_client *c, struct http_req *r, long status)
{
    deliver_failure(c, r, status, "DeadlineExceeded",
                    "the collection deadline (--deadline) was reached before this request completed");
}

static int start(struct http_client *c, struct http_req *r, long long now)
{
    const char *token = NULL;
    struct sb_err e = {0};
    if (past_deadline(c, now)) {
        deliver_deadline(c, r, 0);
        return -1;
    }
    /* The one place a token is attached: whatever built the URL, it goes to the ARM origin only. */
    if (!c->o.origin || !http_url_same_origin(r->url, c->o.origin)) {
        deliver_failure(c, r, 0, "ForeignOrigin",
                        "the request URL is not on the Resource Manager endpoint; not sent");
        return -1;
    }
    if (c->auth_broken || auth_get(c->auth, r->force_token, r->token_gen, &token, &r->token_gen, &e) != 0) {
        if (!c->auth_broken) {
            c->auth_broken = true;
            redact_buf(c->o.redact, e.msg, sizeof e.msg);
            snprintf(c->auth_msg, sizeof c->auth_msg, "%s", e.msg);
            fprintf(stderr, "mcsb-audit: %s\n", e.msg);
        }
        c->auth_failed = true;
        deliver_failure(c, r, 401, "AuthenticationFailed", c->auth_msg);
        return -1;
    }
    r->force_token = false;
    r->easy = curl_easy_init();
    if (!r->easy) {
        deliver_failure(c, r, 0, "ClientError", "cannot create a curl handle");
        return -1;
    }
    sb_buf_free(&r->resp);
    r->too_big = false;
    r->retry_after_ms = r->quota_reset_ms = r->remaining = -1;
    r->errbuf[0] = '\0';
    curl_slist_free_all(r->hdr);
    r->hdr = NULL;
    char *auth_line = sb_xasprintf("Authorization: Bearer %s", token);
    r->hdr = curl_slist_append(r->hdr, auth_line);
    memset(auth_line, 0, strlen(auth_line));
    free(auth_line);
    r->hdr = curl_slist_append(r->hdr, "Accept: application/json");
    if (r->body)
        r->hdr = curl_slist_append(r->hdr, "Content-Type: application/json");
    /* No attempt may outlive the deadline. */
    long limit = c->o.timeout_ms;
    if (c->o.deadline && c->o.deadline - now < limit)
        limit = (long)(c->o.deadline - now);
    http_easy_common(r->easy, r->url, c->o.ca_bundle, limit < 1 ? 1 : limit);
    curl_easy_setopt(r->easy, CURLOPT_HTTPHEADER, r->hdr);
    curl_easy_setopt(r->easy, CURLOPT_ERRORBUFFER, r->errbuf);
    curl_easy_setopt(r->easy, CURLOPT_WRITEFUNCTION, on_body);
    curl_easy_setopt(r->easy, CURLOPT_WRITEDATA, r);
    curl_easy_setopt(r->easy, CURLOPT_HEADERFUNCTION, on_header);
    curl_easy_setopt(r->easy, CURLOPT_HEADERDATA, r);
    curl_easy_setopt(r->easy, CURLOPT_PRIVATE, r);
    if (r->body)
        curl_easy_setopt(r->easy, CURLOPT_COPYPOSTFIELDS, r->body);
    else
        curl_easy_setopt(r->easy, CURLOPT_HTTPGET, 1L);
    r->attempts++;
    r->started = now;
    if (r->attempts > 1)
        c->prog.retries++;
    c->prog.requests++;
    c->prog.active++;
    sb_grow((void **)&c->running, &c->cap_running, c->n_running + 1, sizeof *c->running);
    c->running[c->n_running++] = r;
    curl_multi_add_handle(c->multi, r->easy);
    return 0;
}

/* Start every due request while there is room. Failed starts are delivered and freed. */
static void start_due(struct http_client *c, long long now)
{
    for (int qi = 0; qi < 2; qi++) {
        struct http_queue *q = &c->queue[qi];
        struct http_req *prev = NULL, *r = q->head;
        while (r && c->prog.active < (size_t)c->o.max_parallel) {
            struct http_req *next = r->next;
            if (r->not_before > now || c->gate[r->cls] > now) {
                prev = r;
                r = next;
                continue;
            }
            if (prev)
                prev->next = next;
            else
                q->head = next;
            if (q->tail == r)
                q->tail = prev;
            if (start(c, r, now) != 0)
                req_free(r);
            r = next;
        }
    }
}

static long backoff_ms(struct http_client *c, int attempts)
{
    long step = c->o.retry_base_ms;
    for (int i = 1; i < attempts && step < BACKOFF_CAP_MS; i++)
        step *= 2;
    if (step > BACKOFF_CAP_MS)
        step = BACKOFF_CAP_MS;
    /* "Equal jitter": half fixed, half random, so concurrent retries spread out. */
    return step / 2 + (long)(next_rand(c) % (uint64_t)(step / 2 + 1));
}

static void push_gate(struct http_client *c, enum http_class cls, long long until)
{
    if (c->gate[cls] < until)
        c->gate[cls] = until;
}

/* Schedule the next attempt, unless it would start after the deadline: then the request ends
 * here (delivered and freed) as a gap that says why it waited (`status`, `why`). */
static void retry_later(struct http_client *c, struct http_req *r, long long now, long wait_ms, long status,
                        const char *why)
{
    if (past_deadline(c, now + wait_ms)) {
        char *msg = sb_xasprintf("%s; the next attempt, in %ld s, would start after the collection deadline "
                                 "(--deadline)", why, wait_ms / 1000);
        deliver_failure(c, r, status, "DeadlineExceeded", msg);
        free(msg);
        req_free(r);
        return;
    }
    r->not_before = now + wait_ms;
    enqueue(c, r);
}

/* Take r off the list of running transfers. */
static void forget_active(struct http_client *c, struct http_req *r)
{
    for (size_t i = 0; i < c->n_running; i++)
        if (c->running[i] == r) {
            c->running[i] = c->running[--c->n_running];
            return;
        }
}

/* One attempt ended: deliver, or schedule the next attempt. Takes ownership of r. */
static void finish(struct http_client *c, struct http_req *r, CURLcode cc)
{
    long long now = http_now_ms();
    long status = 0;
    curl_easy_getinfo(r->easy, CURLINFO_RESPONSE_CODE, &status);
    curl_multi_remove_handle(c->multi, r->easy);
    curl_easy_cleanup(r->easy);
    r->easy = NULL;
    c->prog.active--;
    forget_active(c, r);
    if (cc != CURLE_OK)
        status = 0;
    if (c->o.verbose) {
        char *label = redact_text(c->o.redact, r->label, 0);
        fprintf(stderr, "mcsb-audit: %s -> %ld (%lld ms, attempt %d)%s%s\n", label, status, now - r->started,
                r->attempts, cc != CURLE_OK ? " " : "", cc != CURLE_OK ? curl_easy_strerror(cc) : "");
        free(label);
    }

    /* Slow down before the quota runs out rather than after. */
    if (r->remaining >= 0) {
        if (r->cls == HTTP_CLASS_ARG && r->remaining <= 1)
            push_gate(c, r->cls, now + (r->quota_reset_ms >= 0 ? r->quota_reset_ms : 1000));
        else if (r->cls == HTTP_CLASS_ARM && r->remaining < QUOTA_LOW)
            push_gate(c, r->cls, now + (QUOTA_LOW - r->remaining) * 100);
    }
    bool can_retry = r->attempts <= c->o.max_retries;
    char *msg = NULL;
    const char *code = NULL;
    cJSON *json = NULL;

    if (cc != CURLE_OK) {
        if (r->too_big) {
            msg = sb_xasprintf("response larger than %zu bytes", HTTP_MAX_BODY);
            code = "ResponseTooLarge";
            can_retry = false;
        } else {
            msg = sb_xstrdup(r->errbuf[0] ? r->errbuf : curl_easy_strerror(cc));
            code = cc == CURLE_OPERATION_TIMEDOUT ? "Timeout" : "NetworkError";
        }
        if (cc == CURLE_OPERATION_TIMEDOUT && past_deadline(c, now)) {
            deliver_deadline(c, r, 0);
            goto done;
        }
        if (can_retry) {
            retry_later(c, r, now, backoff_ms(c, r->attempts), 0, msg);
            free(msg);
            return;
        }
        deliver_failure(c, r, 0, code, msg);
        goto done;
    }
    if (status == 401 && !r->auth_retried) {
        /* Expired or revoked token: fetch a new one once and try again at once. */
        r->auth_retried = true;
        r->force_token = true;
        retry_later(c, r, now, 0, status, "the token was refused");
        return;
    }
    if (status == 429 || status == 408 || status == 500 || status == 502 || status == 503 || status == 504) {
        if (can_retry) {
            long wait = -1;
            if (status == 429) {
                wait = r->retry_after_ms >= 0 ? r->retry_after_ms : r->quota_reset_ms;
                if (wait >= 0) {
                    wait += (long)(next_rand(c) % 250);
                    /* A wait that ends past the deadline ends this request only, not the class. */
                    if (!past_deadline(c, now + wait))
                        push_gate(c, r->cls, now + wait);
                }
            }
            if (wait < 0)
                wait = backoff_ms(c, r->attempts);
            char *why = sb_xasprintf("HTTP %ld%s", status, status == 429 ? " (throttled)" : "");
            retry_later(c, r, now, wait, status, why);
            free(why);
            return;
        }
    }
    if (status >= 200 && status < 300) {
        json = http_parse_json(r->resp.data ? r->resp.data : "", r->resp.len);
        if (json) {
            struct http_result res = {.ok = true, .status = status, .json = json, .request = r->label};
            r->done(c, &res, r->ctx);
            cJSON_Delete(res.json);
            goto done;
        }
        if (can_retry) {
            retry_later(c, r, now, backoff_ms(c, r->attempts), status, "response body is not complete, valid JSON");
            return;
        }
        deliver_failure(c, r, status, "InvalidResponse", "response body is not complete, valid JSON");
        goto done;
    }
    json = http_parse_json(r->resp.data ? r->resp.data : "", r->resp.len);
    const char *ecode = NULL, *emsg = NULL;
    http_error_fields(json, &ecode, &emsg);
    if (status == 401)
        c->auth_failed = true;
    if (!ecode)
        ecode = status == 429 ? "TooManyRequests" : "HttpError";
    msg = sb_xasprintf("%s%s", emsg ? emsg : "HTTP error", status == 429 || status >= 500 ? " (retries exhausted)" : "");
    deliver_failure(c, r, status, ecode, msg);
    cJSON_Delete(json);
done:
    free(msg);
    req_free(r);
}

static void draw_progress(struct http_client *c, long long now, bool final)
{
    if (!c->o.progress || (!final && now - c->last_draw < PROGRESS_EVERY_MS))
        return;
    c->last_draw = now;
    struct http_progress *p = &c->prog;
    fprintf(stderr, "\rmcsb-audit: %zu subscriptions, %zu pages, %zu requests (%zu active, %zu retries), %zu resources\033[K",
            p->subscriptions, p->pages, p->requests, p->active, p->retries, p->resources);
    c->drew = true;
    if (final)
        fputc('\n', stderr);
    fflush(stderr);
}

/* The deadline passed: every transfer still running and every request still queued ends as a gap.
 * Callbacks may queue more (a next page); those end the same way on the next pass. */
static void abandon_all(struct http_client *c)
{
    while (c->n_running || c->queue[0].head || c->queue[1].head) {
        while (c->n_running) {
            struct http_req *r = c->running[c->n_running - 1];
            c->n_running--;
            curl_multi_remove_handle(c->multi, r->easy);
            curl_easy_cleanup(r->easy);
            r->easy = NULL;
            c->prog.active--;
            deliver_deadline(c, r, 0);
            req_free(r);
        }
        for (int qi = 0; qi < 2; qi++) {
            struct http_req *r;
            while ((r = c->queue[qi].head)) {
                c->queue[qi].head = r->next;
                if (!c->queue[qi].head)
                    c->queue[qi].tail = NULL;
                deliver_deadline(c, r, 0);
                req_free(r);
            }
        }
    }
}

int http_run(struct http_client *c, struct sb_err *e)
{
    while (c->queue[0].head || c->queue[1].head || c->prog.active) {
        long long now = http_now_ms();
        if (past_deadline(c, now)) {
            abandon_all(c);
            break;
        }
        start_due(c, now);
        int running = 0;
        CURLMcode mc = curl_multi_perform(c->multi, &running);
        if (mc != CURLM_OK)
            return sb_err_set(e, SB_EXIT_OUTPUT, "libcurl: %s", curl_multi_strerror(mc));
        CURLMsg *m;
        int left;
        while ((m = curl_multi_info_read(c->multi, &left))) {
            if (m->msg != CURLMSG_DONE)
                continue;
            struct http_req *r = NULL;
            CURLcode cc = m->data.result;
            curl_easy_getinfo(m->easy_handle, CURLINFO_PRIVATE, (char **)&r);
            finish(c, r, cc);
        }
        if (!c->prog.active && !c->queue[0].head && !c->queue[1].head)
            break;
        now = http_now_ms();
        draw_progress(c, now, false);
        /* Sleep until a transfer needs us or a waiting request becomes due. */
        long wait = PROGRESS_EVERY_MS;
        for (int qi = 0; qi < 2; qi++)
            for (struct http_req *r = c->queue[qi].head; r; r = r->next) {
                long long due = r->not_before > c->gate[r->cls] ? r->not_before : c->gate[r->cls];
                long d = due <= now ? 0 : (long)(due - now);
                if (d < wait && (d > 0 || c->prog.active < (size_t)c->o.max_parallel))
                    wait = d;
            }
        if (c->o.deadline && c->o.deadline - now < wait)
            wait = c->o.deadline - now < 0 ? 0 : (long)(c->o.deadline - now);
        long cto = -1;
        curl_multi_timeout(c->multi, &cto);
        if (cto >= 0 && cto < wait)
            wait = cto;
        if (wait <= 0)
            continue;
        if (c->prog.active) {
            curl_multi_poll(c->multi, NULL, 0, (int)wait, NULL);
        } else {
            struct timespec ts = {wait / 1000, (wait % 1000) * 1000000L};
            nanosleep(&ts, NULL);
        }
    }
    if (c->drew)
        draw_progress(c, http_now_ms(), true);
    return 0;
}
