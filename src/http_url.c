#include "http_url.h"

#include "err.h"
#include "util.h"

#include <curl/curl.h>
#include <stdlib.h>
#include <string.h>

bool http_host_is_loopback(const char *host)
{
    if (!host)
        return false;
    if (sb_ieq(host, "localhost") || strcmp(host, "::1") == 0 || strcmp(host, "[::1]") == 0)
        return true;
    /* 127.0.0.0/8 written as a dotted quad. */
    if (strncmp(host, "127.", 4) != 0)
        return false;
    int dots = 0;
    for (const char *p = host; *p; p++) {
        if (*p == '.')
            dots++;
        else if (*p < '0' || *p > '9')
            return false;
    }
    return dots == 3;
}

/* Parsed pieces of a URL (each NULL when absent); free with url_parts_free. */
struct url_parts {
    char *scheme, *host, *port, *path, *user;
};

static void url_parts_free(struct url_parts *u)
{
    curl_free(u->scheme);
    curl_free(u->host);
    curl_free(u->port);
    curl_free(u->path);
    curl_free(u->user);
}

static int url_split(const char *url, struct url_parts *out)
{
    memset(out, 0, sizeof *out);
    CURLU *h = curl_url();
    if (!h)
        return -1;
    int rc = -1;
    if (curl_url_set(h, CURLUPART_URL, url, 0) != CURLUE_OK)
        goto done;
    if (curl_url_get(h, CURLUPART_SCHEME, &out->scheme, 0) != CURLUE_OK ||
        curl_url_get(h, CURLUPART_HOST, &out->host, 0) != CURLUE_OK)
        goto done;
    /* Default ports spelled out, so https://h and https://h:443 are one origin. */
    (void)curl_url_get(h, CURLUPART_PORT, &out->port, CURLU_DEFAULT_PORT);
    (void)curl_url_get(h, CURLUPART_PATH, &out->path, 0);
    (void)curl_url_get(h, CURLUPART_USER, &out->user, 0);
    rc = 0;
done:
    curl_url_cleanup(h);
    if (rc != 0)
        url_parts_free(out);
    return rc;
}

int http_url_check(const char *url, bool allow_metadata, const char *what, struct sb_err *e)
{
    struct url_parts u;
    if (sb_empty(url) || url_split(url, &u) != 0)
        return sb_err_set(e, SB_EXIT_USAGE, "%s: not a valid URL", what);
    int rc = 0;
    if (u.user) {
        rc = sb_err_set(e, SB_EXIT_USAGE, "%s: user info (user@host) is not allowed in the URL", what);
    } else if (sb_ieq(u.scheme, "https")) {
        rc = 0;
    } else if (sb_ieq(u.scheme, "http")) {
        bool ok = http_host_is_loopback(u.host) || (allow_metadata && strcmp(u.host, "169.254.169.254") == 0);
        if (!ok)
            rc = sb_err_set(e, SB_EXIT_USAGE, "%s: plain http is allowed only to loopback addresses", what);
    } else {
        rc = sb_err_set(e, SB_EXIT_USAGE, "%s: scheme must be https", what);
    }
    url_parts_free(&u);
    return rc;
}

char *http_url_origin(const char *url)
{
    struct url_parts u;
    if (!url || url_split(url, &u) != 0)
        return NULL;
    if (u.user) {
        url_parts_free(&u);
        return NULL;
    }
    char *o = u.port ? sb_xasprintf("%s://%s:%s", u.scheme, u.host, u.port)
                     : sb_xasprintf("%s://%s", u.scheme, u.host);
    url_parts_free(&u);
    char *lower = sb_lower(o);
    free(o);
    return lower;
}

bool http_url_same_origin(const char *url, const char *origin)
{
    char *o = http_url_origin(url);
    bool same = o && origin && strcmp(o, origin) == 0;
    free(o);
    return same;
}

char *http_request_label(const char *method, const char *url)
{
    struct url_parts u;
    if (!url || url_split(url, &u) != 0)
        return sb_xasprintf("%s (unparseable URL)", method);
    char *label = sb_xasprintf("%s %s", method, u.path ? u.path : "/");
    url_parts_free(&u);
    return label;
}

const char *http_resource_id_problem(const char *id)
{
    if (sb_empty(id))
        return "empty id";
    if (strlen(id) > 4096)
        return "longer than 4096 bytes";
    if (!sb_istarts(id, "/subscriptions/") && !sb_istarts(id, "/providers/"))
        return "does not start with /subscriptions/ or /providers/";
    for (const unsigned char *p = (const unsigned char *)id; *p; p++) {
        if (*p < 0x20 || *p == 0x7F)
            return "contains a control character";
        if (*p == '@' || *p == '\\' || *p == '?' || *p == '#')
            return "contains '@', '\\', '?' or '#'";
    }
    if (strstr(id, "//"))
        return "contains an empty segment ('//')";
    if (strstr(id, "://"))
        return "contains a URL scheme";
    /* Dot segments are resolved by URL parsers: /a/../b would name another resource. */
    for (const char *p = id; (p = strchr(p, '/')); p++) {
        size_t dots = strspn(p + 1, ".");
        if ((dots == 1 || dots == 2) && (p[1 + dots] == '/' || p[1 + dots] == '\0'))
            return "contains a '.' or '..' segment";
    }
    return NULL;
}

char *http_url_build(const char *endpoint, const char *path, const char *query, struct sb_err *e)
{
    char *origin = http_url_origin(endpoint);
    CURLU *h = curl_url();
    char *base_path = NULL, *url = NULL, *out = NULL;
    if (!origin || !h || curl_url_set(h, CURLUPART_URL, endpoint, 0) != CURLUE_OK) {
        sb_err_set(e, SB_EXIT_INPUT, "%s: not a valid endpoint URL", endpoint);
        goto done;
    }
    CURLUcode uc = CURLUE_OK;
    if (path) {
        (void)curl_url_get(h, CURLUPART_PATH, &base_path, 0);
        size_t blen = base_path ? strlen(base_path) : 0;
        while (blen > 0 && base_path[blen - 1] == '/')
            blen--;
        char *escaped = http_path_escape(path);
        char *full = sb_xasprintf("%.*s%s%s", (int)blen, base_path ? base_path : "", escaped[0] == '/' ? "" : "/",
                                  escaped);
        free(escaped);
        uc = curl_url_set(h, CURLUPART_PATH, full, 0);
        free(full);
    }
    if (uc == CURLUE_OK)
        uc = curl_url_set(h, CURLUPART_QUERY, query, 0);
    if (uc == CURLUE_OK)
        uc = curl_url_get(h, CURLUPART_URL, &url, 0);
    if (uc != CURLUE_OK) {
        sb_err_set(e, SB_EXIT_INPUT, "cannot build a URL from path %s: %s", path ? path : "(none)",
                   curl_url_strerror(uc));
        goto done;
    }
    /* The check that matters: whatever the path held, the request stays on the endpoint. */
    if (!http_url_same_origin(url, origin)) {
        sb_err_set(e, SB_EXIT_INPUT, "path %s would leave the endpoint %s", path ? path : "(none)", origin);
        goto done;
    }
    out = sb_xstrdup(url);
done:
    curl_free(url);
    curl_free(base_path);
    curl_url_cleanup(h);
    free(origin);
    return out;
}

char *http_path_escape(const char *path)
{
    static const char keep[] = "-._~/!$&'()*+,;=:@";
    struct sb_buf b = {0};
    for (const unsigned char *p = (const unsigned char *)path; *p; p++) {
        if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
            strchr(keep, *p))
            sb_buf_putc(&b, (char)*p);
        else
            sb_buf_printf(&b, "%%%02X", *p);
    }
    return sb_buf_take(&b);
}

char *http_trim_endpoint(const char *url)
{
    size_t n = strlen(url);
    while (n > 0 && url[n - 1] == '/')
        n--;
    return sb_xstrndup(url, n);
}
