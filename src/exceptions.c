#include "exceptions.h"

#include "err.h"
#include "json_parse.h"
#include "util.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

int sb_glob_match(const char *p, const char *t)
{
    /* Iterative matcher with one backtrack point: linear, no recursion on hostile patterns. */
    const char *star = NULL, *resume = NULL;
    while (*t) {
        if (*p == '*') {
            star = p++;
            resume = t;
        } else if (*p == '?' || (*p && tolower((unsigned char)*p) == tolower((unsigned char)*t))) {
            p++;
            t++;
        } else if (star) {
            p = star + 1;
            t = ++resume;
        } else {
            return 0;
        }
    }
    while (*p == '*')
        p++;
    return *p == '\0';
}

static const char *const known_keys[] = {"id", "finding_id", "control", "feature", "resource", "kind",
                                         "justification", "approver", "ticket", "expires"};

static int str_field(char **out, const cJSON *entry, const char *key, bool required, const char *path, int idx,
                     struct sb_err *e)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(entry, key);
    *out = NULL;
    if (!v || cJSON_IsNull(v)) {
        if (required)
            return sb_err_set(e, SB_EXIT_INPUT, "%s: exceptions[%d].%s: missing", path, idx, key);
        return 0;
    }
    if (!cJSON_IsString(v))
        return sb_err_set(e, SB_EXIT_INPUT, "%s: exceptions[%d].%s: expected a string", path, idx, key);
    if (required && sb_empty(v->valuestring))
        return sb_err_set(e, SB_EXIT_INPUT, "%s: exceptions[%d].%s: must not be empty", path, idx, key);
    *out = sb_empty(v->valuestring) ? NULL : sb_xstrdup(v->valuestring);
    return 0;
}

static int parse_entry(struct sb_exception *x, const cJSON *entry, const char *path, int idx, time_t now,
                       struct sb_err *e)
{
    memset(x, 0, sizeof *x);
    if (!cJSON_IsObject(entry))
        return sb_err_set(e, SB_EXIT_INPUT, "%s: exceptions[%d]: expected an object", path, idx);
    const cJSON *it;
    cJSON_ArrayForEach(it, entry)
    {
        bool known = false;
        for (size_t k = 0; k < sizeof known_keys / sizeof *known_keys; k++)
            known |= strcmp(it->string, known_keys[k]) == 0;
        if (!known)
            return sb_err_set(e, SB_EXIT_INPUT, "%s: exceptions[%d]: unknown key \"%s\"", path, idx, it->string);
    }
    char *kind = NULL;
    if (str_field(&x->entry_id, entry, "id", false, path, idx, e) ||
        str_field(&x->finding_id, entry, "finding_id", false, path, idx, e) ||
        str_field(&x->control, entry, "control", false, path, idx, e) ||
        str_field(&x->feature, entry, "feature", false, path, idx, e) ||
        str_field(&x->resource_pattern, entry, "resource", false, path, idx, e) ||
        str_field(&kind, entry, "kind", true, path, idx, e) ||
        str_field(&x->justification, entry, "justification", true, path, idx, e) ||
        str_field(&x->approver, entry, "approver", true, path, idx, e) ||
        str_field(&x->ticket, entry, "ticket", false, path, idx, e) ||
        str_field(&x->expires, entry, "expires", true, path, idx, e)) {
        free(kind);
        return -1;
    }
    int rc = 0;
    if (strcmp(kind, "accepted_risk") == 0)
        x->kind = SB_EXC_ACCEPTED_RISK;
    else if (strcmp(kind, "compensating_control") == 0)
        x->kind = SB_EXC_COMPENSATING_CONTROL;
    else if (strcmp(kind, "attestation") == 0)
        x->kind = SB_EXC_ATTESTATION;
    else
        rc = sb_err_set(e, SB_EXIT_INPUT,
                        "%s: exceptions[%d].kind: expected \"accepted_risk\", \"compensating_control\" or \"attestation\"",
                        path, idx);
    free(kind);
    if (rc)
        return rc;
    if (!x->finding_id && !x->control)
        return sb_err_set(e, SB_EXIT_INPUT, "%s: exceptions[%d]: needs \"finding_id\", or \"control\" (with optional "
                          "\"feature\" and \"resource\")", path, idx);
    time_t exp;
    if (sb_parse_date(x->expires, &exp) != 0)
        return sb_err_set(e, SB_EXIT_INPUT, "%s: exceptions[%d].expires: expected a date YYYY-MM-DD", path, idx);
    /* Valid through the whole expiry day (UTC). */
    x->expired = now >= exp + 86400;
    if (!x->entry_id)
        x->entry_id = sb_xasprintf("#%d", idx + 1);
    return 0;
}

int exceptions_load(struct sb_exception **out, size_t *n, const char *path, const char *buf, size_t len, time_t now,
                    struct sb_err *e)
{
    *out = NULL;
    *n = 0;
    cJSON *root;
    if (sb_json_parse(&root, buf, len, path, e) != 0)
        return -1;
    const cJSON *arr = root;
    if (cJSON_IsObject(root)) {
        const cJSON *it;
        cJSON_ArrayForEach(it, root)
        {
            if (strcmp(it->string, "exceptions") != 0 && strcmp(it->string, "schema") != 0) {
                sb_err_set(e, SB_EXIT_INPUT, "%s: unknown key \"%s\" (expected \"exceptions\")", path, it->string);
                cJSON_Delete(root);
                return -1;
            }
        }
        arr = cJSON_GetObjectItemCaseSensitive(root, "exceptions");
    }
    if (!cJSON_IsArray(arr)) {
        cJSON_Delete(root);
        return sb_err_set(e, SB_EXIT_INPUT, "%s: exceptions: expected an array", path);
    }
    size_t count = (size_t)cJSON_GetArraySize(arr);
    struct sb_exception *xs = sb_xcalloc(count ? count : 1, sizeof *xs);
    size_t i = 0;
    const cJSON *entry;
    cJSON_ArrayForEach(entry, arr)
    {
        if (parse_entry(&xs[i], entry, path, (int)i, now, e) != 0) {
            for (size_t k = 0; k <= i; k++)
                sb_exception_clear(&xs[k]);
            free(xs);
            cJSON_Delete(root);
            return -1;
        }
        for (size_t k = 0; k < i; k++)
            if (strcmp(xs[k].entry_id, xs[i].entry_id) == 0) {
                sb_err_set(e, SB_EXIT_INPUT, "%s: exceptions[%zu].id: duplicate id \"%s\"", path, i, xs[i].entry_id);
                for (size_t m = 0; m <= i; m++)
                    sb_exception_clear(&xs[m]);
                free(xs);
                cJSON_Delete(root);
                return -1;
            }
        i++;
    }
    cJSON_Delete(root);
    *out = xs;
    *n = count;
    return 0;
}

static bool matches(const struct sb_exception *x, const struct sb_result *r)
{
    if (x->finding_id)
        return strcasecmp(x->finding_id, r->id) == 0;
    if (strcasecmp(x->control, r->control->id) != 0)
        return false;
    if (x->feature && strcasecmp(x->feature, r->feature->name) != 0)
        return false;
    if (x->resource_pattern)
        return r->resource_id && sb_glob_match(x->resource_pattern, r->resource_id);
    return true;
}

/* Attestations cover manual results; risk acceptance and compensating controls cover any result that is not a pass. */
static bool applicable(const struct sb_exception *x, const struct sb_result *r)
{
    if (r->status == SB_STATUS_PASS || r->status == SB_STATUS_NOT_APPLICABLE)
        return false;
    if (x->kind == SB_EXC_ATTESTATION)
        return r->status == SB_STATUS_MANUAL;
    return true;
}

void exceptions_apply(struct sb_exception *ex, size_t n, struct sb_result *results, size_t nresults)
{
    for (size_t i = 0; i < nresults; i++) {
        struct sb_result *r = &results[i];
        for (size_t k = 0; k < n; k++) {
            if (!matches(&ex[k], r) || !applicable(&ex[k], r))
                continue;
            ex[k].matched++;
            if (ex[k].expired) {
                if (!r->expired_exception)
                    r->expired_exception = &ex[k];
            } else if (!r->exception) {
                r->exception = &ex[k];
            }
        }
    }
}
