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

static const char *const known_keys[] = {"id",       "finding_id",  "control", "feature",     "resource",
                                         "kind",     "justification", "approver", "approved_by", "approved_on",
                                         "owner",    "evidence",    "ticket",  "expires"};

/* Errors name an entry by its 1-based position, as the docs and the default id ("#3") do. */
static int str_field(char **out, const cJSON *entry, const char *key, bool required, const char *path, int num,
                     struct sb_err *e)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(entry, key);
    *out = NULL;
    if (!v || cJSON_IsNull(v)) {
        if (required)
            return sb_err_set(e, SB_EXIT_INPUT, "%s: entry #%d: \"%s\" is missing", path, num, key);
        return 0;
    }
    if (!cJSON_IsString(v))
        return sb_err_set(e, SB_EXIT_INPUT, "%s: entry #%d: \"%s\": expected a string", path, num, key);
    if (required && sb_empty(v->valuestring))
        return sb_err_set(e, SB_EXIT_INPUT, "%s: entry #%d: \"%s\" must not be empty", path, num, key);
    *out = sb_empty(v->valuestring) ? NULL : sb_xstrdup(v->valuestring);
    return 0;
}

/* "approved_by" is the name since the approval trail; "approver" is still read, never both. */
static int approver_field(struct sb_exception *x, const cJSON *entry, const char *path, int num, struct sb_err *e)
{
    char *old = NULL;
    if (str_field(&x->approved_by, entry, "approved_by", false, path, num, e) ||
        str_field(&old, entry, "approver", false, path, num, e))
        return -1;
    if (old && x->approved_by) {
        free(old);
        return sb_err_set(e, SB_EXIT_INPUT, "%s: entry #%d: give \"approved_by\" or its older name \"approver\", "
                          "not both", path, num);
    }
    if (old)
        x->approved_by = old;
    return 0;
}

static int parse_entry(struct sb_exception *x, const cJSON *entry, const char *path, int num, time_t now,
                       struct sb_err *e)
{
    memset(x, 0, sizeof *x);
    x->number = num;
    if (!cJSON_IsObject(entry))
        return sb_err_set(e, SB_EXIT_INPUT, "%s: entry #%d: expected an object", path, num);
    const cJSON *it;
    cJSON_ArrayForEach(it, entry)
    {
        bool known = false;
        for (size_t k = 0; k < sizeof known_keys / sizeof *known_keys; k++)
            known |= strcmp(it->string, known_keys[k]) == 0;
        if (!known)
            return sb_err_set(e, SB_EXIT_INPUT, "%s: entry #%d: unknown key \"%s\"", path, num, it->string);
    }
    char *kind = NULL;
    if (str_field(&x->entry_id, entry, "id", false, path, num, e) ||
        str_field(&x->finding_id, entry, "finding_id", false, path, num, e) ||
        str_field(&x->control, entry, "control", false, path, num, e) ||
        str_field(&x->feature, entry, "feature", false, path, num, e) ||
        str_field(&x->resource_pattern, entry, "resource", false, path, num, e) ||
        str_field(&kind, entry, "kind", true, path, num, e) ||
        str_field(&x->justification, entry, "justification", true, path, num, e) ||
        approver_field(x, entry, path, num, e) ||
        str_field(&x->approved_on, entry, "approved_on", false, path, num, e) ||
        str_field(&x->owner, entry, "owner", false, path, num, e) ||
        str_field(&x->evidence, entry, "evidence", false, path, num, e) ||
        str_field(&x->ticket, entry, "ticket", false, path, num, e) ||
        str_field(&x->expires, entry, "expires", true, path, num, e)) {
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
                        "%s: entry #%d: \"kind\": expected \"accepted_risk\", \"compensating_control\" or \"attestation\"",
                        path, num);
    free(kind);
    if (rc)
        return rc;
    if (!x->finding_id && !x->control)
        return sb_err_set(e, SB_EXIT_INPUT, "%s: entry #%d: needs \"finding_id\", or \"control\" (with optional "
                          "\"feature\" and \"resource\")", path, num);
    time_t exp, approved;
    if (sb_parse_date(x->expires, &exp) != 0)
        return sb_err_set(e, SB_EXIT_INPUT, "%s: entry #%d: \"expires\": expected a date YYYY-MM-DD", path, num);
    if (x->approved_on && (strlen(x->approved_on) != 10 || sb_parse_date(x->approved_on, &approved) != 0))
        return sb_err_set(e, SB_EXIT_INPUT, "%s: entry #%d: \"approved_on\": expected a date YYYY-MM-DD", path, num);
    if (x->approved_on && approved > exp)
        return sb_err_set(e, SB_EXIT_INPUT, "%s: entry #%d: approved on %s, after it expires (%s)", path, num,
                          x->approved_on, x->expires);
    /* Valid through the whole expiry day (UTC). */
    x->expired = now >= exp + 86400;
    if (!x->entry_id)
        x->entry_id = sb_xasprintf("#%d", num);
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
    int rc = 0;
    const cJSON *entry;
    cJSON_ArrayForEach(entry, arr)
    {
        if (parse_entry(&xs[i], entry, path, (int)i + 1, now, e) != 0) {
            rc = -1;
            i++;
            break;
        }
        for (size_t k = 0; k < i && rc == 0; k++)
            if (strcmp(xs[k].entry_id, xs[i].entry_id) == 0)
                rc = sb_err_set(e, SB_EXIT_INPUT, "%s: entry #%zu: duplicate id \"%s\" (also entry #%zu)", path,
                                i + 1, xs[i].entry_id, k + 1);
        i++;
        if (rc)
            break;
    }
    cJSON_Delete(root);
    if (rc) {
        for (size_t k = 0; k < i; k++)
            sb_exception_clear(&xs[k]);
        free(xs);
        return -1;
    }
    *out = xs;
    *n = count;
    return 0;
}

static const struct sb_control *find_control(const struct sb_baseline *b, const char *id)
{
    for (size_t i = 0; i < b->ncontrols; i++)
        if (strcasecmp(b->controls[i].id, id) == 0)
            return &b->controls[i];
    return NULL;
}

int exceptions_check_baseline(const struct sb_exception *ex, size_t n, const struct sb_baseline *b,
                              const char *path, struct sb_err *e)
{
    for (size_t i = 0; i < n; i++) {
        const struct sb_exception *x = &ex[i];
        /* A finding id names one result; the control and feature then play no part in matching. */
        if (x->finding_id || !x->control)
            continue;
        const struct sb_control *c = find_control(b, x->control);
        if (!c)
            return sb_err_set(e, SB_EXIT_INPUT, "%s: entry #%d (%s): control \"%s\" is not in the baseline (%s)", path,
                              x->number, x->entry_id, x->control, b->id ? b->id : "?");
        if (!x->feature)
            continue;
        bool found = false;
        for (size_t k = 0; k < c->nfeatures && !found; k++)
            found = strcasecmp(c->features[k].name, x->feature) == 0;
        if (!found)
            return sb_err_set(e, SB_EXIT_INPUT, "%s: entry #%d (%s): feature \"%s\" is not a feature of control %s "
                              "(the names are listed by 'mcsb-audit baseline show')", path, x->number, x->entry_id,
                              x->feature, c->id);
    }
    return 0;
}

static void warn(struct sb_exception *x, char *text)
{
    x->warnings = sb_xrealloc(x->warnings, (x->nwarnings + 1) * sizeof *x->warnings);
    x->warnings[x->nwarnings++] = text;
}

static bool only_stars(const char *p)
{
    return p[strspn(p, "*")] == '\0';
}

void exceptions_review(struct sb_exception *ex, size_t n, time_t now, int max_days)
{
    const time_t today = now - now % 86400;
    for (size_t i = 0; i < n; i++) {
        struct sb_exception *x = &ex[i];
        if (x->expired)
            continue; /* not applied: its scope and term no longer matter */
        if (!x->finding_id && x->control) {
            if (!x->feature)
                warn(x, sb_xasprintf("blanket scope: covers every feature of control %s (no \"feature\")", x->control));
            else if (!x->resource_pattern || only_stars(x->resource_pattern))
                warn(x, sb_xasprintf("blanket scope: covers every resource of %s \xc2\xb7 %s (\"resource\" %s)",
                                     x->control, x->feature, x->resource_pattern ? "is only *" : "not given"));
        }
        time_t exp;
        if (sb_parse_date(x->expires, &exp) == 0) {
            long long days = (long long)(exp - today) / 86400;
            if (days > max_days)
                warn(x, sb_xasprintf("expires %s, %lld days after the report date (more than the %d days of "
                                     "--max-exception-days)", x->expires, days, max_days));
        }
        if (!x->approved_by)
            warn(x, sb_xstrdup("no approver (\"approved_by\")"));
    }
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
            ex[k].matched_ids = sb_xrealloc(ex[k].matched_ids, (ex[k].matched + 1) * sizeof *ex[k].matched_ids);
            ex[k].matched_ids[ex[k].matched++] = r->id;
            if (ex[k].expired) {
                if (!r->expired_exception)
                    r->expired_exception = &ex[k];
            } else if (!r->exception) {
                r->exception = &ex[k];
            }
        }
    }
}
