/*
 * The baseline loader: templates/baselines/<id>.json becomes struct sb_baseline.
 *
 * The file is the audit's yardstick, so the loader is strict: a typo in a key or an enum
 * value must stop the run rather than silently drop a control. sb_json_parse() deals with
 * the text (syntax, UTF-8, NUL bytes, nesting, trailing data); this file deals with the
 * tree's cJSON pitfalls (duplicate keys, case-insensitive lookup) and the schema. The cJSON
 * tree is deleted before baseline_load returns.
 */
#include "baseline.h"

#include "err.h"
#include "json_parse.h"
#include "util.h"

#include <cjson/cJSON.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define BASELINE_SCHEMA "mcsb-audit-baseline/1"
#define BASELINE_MAX_BYTES ((size_t)4 << 20)
#define POLICY_DEFINITION_PREFIX "/providers/Microsoft.Authorization/policyDefinitions/"
/* Excel's limit for a hyperlink (libxlsxwriter refuses longer ones); a page link is far shorter. */
#define URL_MAX 2000
#define JPATH_MAX 256

static const char TRI_EXPECTED[] = "expected \"True\", \"False\" or \"Not Applicable\"";
static const char RESP_EXPECTED[] =
    "expected \"Microsoft\", \"Customer\", \"Shared\" or \"Not Applicable\"";

/* Loader context: the file name every message starts with, and where errors go. */
struct ld {
    const char *file;
    struct sb_err *e;
};

static int fail(const struct ld *l, const char *jpath, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static int fail(const struct ld *l, const char *jpath, const char *fmt, ...)
{
    char msg[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    return sb_err_set(l->e, SB_EXIT_INPUT, "%s: %s: %s", l->file, jpath, msg);
}

/* ---- JSON paths ("controls[2].features[0].supported") ---- */

/* Paths longer than JPATH_MAX are cut short: still a usable pointer into the file. */
static void jpath_fmt(char out[JPATH_MAX], const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void jpath_fmt(char out[JPATH_MAX], const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(out, JPATH_MAX, fmt, ap);
    va_end(ap);
}

static void jpath_key(char out[JPATH_MAX], const char *parent, const char *key)
{
    jpath_fmt(out, "%s%s%s", parent, parent[0] ? "." : "", key);
    /* Keys come from the file: keep the one-line message one line. */
    for (char *p = out; *p; p++)
        if ((unsigned char)*p < 0x20 || *p == 0x7f)
            *p = '?';
}

static void jpath_index(char out[JPATH_MAX], const char *parent, size_t i)
{
    jpath_fmt(out, "%s[%zu]", parent, i);
}

static bool is_json_space(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

/* ---- typed access to one object ---- */

/* Every key must be in `allowed` (a NULL-terminated list) and appear once. */
static int check_keys(const struct ld *l, const cJSON *obj, const char *jpath,
                      const char *const *allowed)
{
    for (const cJSON *c = obj->child; c; c = c->next) {
        char kp[JPATH_MAX];
        jpath_key(kp, jpath, c->string);
        bool known = false;
        for (const char *const *a = allowed; *a && !known; a++)
            known = strcmp(*a, c->string) == 0;
        if (!known)
            return fail(l, kp, "unknown key");
        /* cJSON keeps duplicates and lookups return the first: a second copy would be ignored. */
        for (const cJSON *p = obj->child; p != c; p = p->next)
            if (strcmp(p->string, c->string) == 0)
                return fail(l, kp, "duplicate key");
    }
    return 0;
}

enum str_flags {
    S_REQUIRED = 0,
    S_NULLABLE = 1 << 0, /* key present, value may be null */
    S_OPTIONAL = 1 << 1, /* key may be absent or null */
    S_LINE = 1 << 2      /* a name or id: no control characters (newlines allowed elsewhere) */
};

static bool has_control_char(const char *s)
{
    for (; *s; s++)
        if ((unsigned char)*s < 0x20 || *s == 0x7f)
            return true;
    return false;
}

static int get_str(char **out, const struct ld *l, const cJSON *obj, const char *jpath,
                   const char *key, unsigned flags)
{
    *out = NULL;
    char kp[JPATH_MAX];
    jpath_key(kp, jpath, key);
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, key);
    bool may_null = flags & (S_NULLABLE | S_OPTIONAL);
    if (!v) {
        if (flags & S_OPTIONAL)
            return 0;
        return fail(l, kp, "missing required field");
    }
    if (may_null && cJSON_IsNull(v))
        return 0;
    if (!cJSON_IsString(v) || !v->valuestring)
        return fail(l, kp, may_null ? "expected a string or null" : "expected a string");
    const char *s = v->valuestring;
    size_t n = strlen(s);
    if (n == 0)
        return fail(l, kp, may_null ? "must not be empty (use null)" : "must not be empty");
    if (is_json_space(s[0]) || is_json_space(s[n - 1]))
        return fail(l, kp, "must not begin or end with white space");
    if ((flags & S_LINE) && has_control_char(s))
        return fail(l, kp, "must be one line without control characters");
    *out = sb_xstrdup(s);
    return 0;
}

/* Returns the array (possibly empty) or NULL with the error set. */
static const cJSON *get_array(const struct ld *l, const cJSON *obj, const char *jpath,
                              const char *key, bool nonempty, const char *what)
{
    char kp[JPATH_MAX];
    jpath_key(kp, jpath, key);
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, key);
    if (!v) {
        fail(l, kp, "missing required field");
        return NULL;
    }
    if (!cJSON_IsArray(v)) {
        fail(l, kp, "expected an array");
        return NULL;
    }
    if (nonempty && !v->child) {
        fail(l, kp, "must list at least one %s", what);
        return NULL;
    }
    return v;
}

static int expect_object(const struct ld *l, const cJSON *v, const char *jpath)
{
    return cJSON_IsObject(v) ? 0 : fail(l, jpath, "expected an object");
}

static int get_enum(int *out, const struct ld *l, const cJSON *obj, const char *jpath,
                    const char *key, const char *const *names, int count, const char *expected)
{
    char kp[JPATH_MAX];
    jpath_key(kp, jpath, key);
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, key);
    if (!v)
        return fail(l, kp, "missing required field");
    if (cJSON_IsString(v) && v->valuestring)
        for (int i = 0; i < count; i++)
            if (strcmp(v->valuestring, names[i]) == 0) {
                *out = i;
                return 0;
            }
    return fail(l, kp, "%s", expected);
}

/* Indexed by the enum values. */
static const char *const TRI_NAMES[] = {"False", "True", "Not Applicable"};
static const char *const RESP_NAMES[] = {"Microsoft", "Customer", "Shared", "Not Applicable"};

/* ---- value formats ---- */

static bool is_baseline_id(const char *s)
{
    if (!((*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9')))
        return false;
    for (; *s; s++)
        if (!((*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9') || *s == '-'))
            return false;
    return true;
}

/* MCSB control ids: "NS-1", "IM-8", "GS-10". */
static bool is_control_id(const char *s)
{
    const char *p = s;
    while (*p >= 'A' && *p <= 'Z')
        p++;
    if (p == s || *p != '-')
        return false;
    const char *d = ++p;
    while (*p >= '0' && *p <= '9')
        p++;
    return p != d && *p == '\0';
}

static bool is_rule_id(const char *s)
{
    for (; *s; s++)
        if (!((*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9') || *s == '_'))
            return false;
    return true;
}

/*
 * A link the reports make clickable: an absolute https URL of printable ASCII. Reports put it
 * into PDF link annotations and spreadsheet hyperlinks, so anything a reader's viewer might
 * treat otherwise is refused: other schemes (http, javascript:, file:), relative links, user
 * information before the host ("https://learn.microsoft.com@elsewhere"), spaces and the
 * characters RFC 3986 never allows in a URL.
 */
const char *baseline_url_problem(const char *s)
{
    static const char scheme[] = "https://";
    if (strncmp(s, scheme, sizeof scheme - 1) != 0)
        return "expected an absolute https URL (\"https://host/path\")";
    if (strlen(s) > URL_MAX)
        return "URL longer than 2000 characters";
    const char *host = s + sizeof scheme - 1;
    size_t hn = strcspn(host, "/?#");
    if (hn == 0)
        return "expected a host name after \"https://\"";
    for (size_t i = 0; i < hn; i++)
        if (!((host[i] >= 'a' && host[i] <= 'z') || (host[i] >= 'A' && host[i] <= 'Z') ||
              (host[i] >= '0' && host[i] <= '9') || host[i] == '-' || host[i] == '.' || host[i] == ':'))
            return "the host may hold only letters, digits, '-', '.' and a ':port'";
    for (const char *p = s; *p; p++)
        if ((unsigned char)*p <= 0x20 || (unsigned char)*p >= 0x7f || strchr("\"<>\\^`{|}", *p))
            return "a URL must be printable ASCII without spaces, quotes, '<', '>', '\\', '^', '`', '{', '|' or '}'";
    return NULL;
}

/* An optional link field: absent or null is NULL, else an https URL (baseline_url_problem). */
static int get_url(char **out, const struct ld *l, const cJSON *obj, const char *jpath, const char *key)
{
    if (get_str(out, l, obj, jpath, key, S_OPTIONAL | S_LINE) < 0)
        return -1;
    const char *why = *out ? baseline_url_problem(*out) : NULL;
    if (!why)
        return 0;
    char kp[JPATH_MAX];
    jpath_key(kp, jpath, key);
    return fail(l, kp, "%s", why);
}

/* ---- the tree ---- */

static int load_policy(struct sb_policy *p, const struct ld *l, const cJSON *obj, const char *jpath)
{
    static const char *const keys[] = {"name", "description", "effects", "version",
                                       "definition_id", NULL};
    if (expect_object(l, obj, jpath) < 0 || check_keys(l, obj, jpath, keys) < 0 ||
        get_str(&p->name, l, obj, jpath, "name", S_LINE) < 0 ||
        get_str(&p->description, l, obj, jpath, "description", S_REQUIRED) < 0 ||
        get_str(&p->effects, l, obj, jpath, "effects", S_LINE) < 0 ||
        get_str(&p->version, l, obj, jpath, "version", S_LINE) < 0 ||
        get_str(&p->definition_id, l, obj, jpath, "definition_id", S_OPTIONAL | S_LINE) < 0)
        return -1;
    if (p->definition_id && (!sb_istarts(p->definition_id, POLICY_DEFINITION_PREFIX) ||
                             strlen(p->definition_id) == strlen(POLICY_DEFINITION_PREFIX))) {
        char kp[JPATH_MAX];
        jpath_key(kp, jpath, "definition_id");
        return fail(l, kp, "expected \"%s<name>\"", POLICY_DEFINITION_PREFIX);
    }
    return 0;
}

/* Fields of one feature, then the consistency rule between its three columns. */
static int load_feature(struct sb_feature *f, const struct ld *l, const cJSON *obj, const char *jpath)
{
    static const char *const keys[] = {"name", "description", "learn_more_url", "supported",
                                       "enabled_by_default", "responsibility", "notes", "guidance",
                                       "reference", "reference_url", "policies", "rule", NULL};
    int sup = 0, ebd = 0, resp = 0;
    if (expect_object(l, obj, jpath) < 0 || check_keys(l, obj, jpath, keys) < 0 ||
        get_str(&f->name, l, obj, jpath, "name", S_LINE) < 0 ||
        get_str(&f->description, l, obj, jpath, "description", S_REQUIRED) < 0 ||
        get_url(&f->learn_more_url, l, obj, jpath, "learn_more_url") < 0 ||
        get_enum(&sup, l, obj, jpath, "supported", TRI_NAMES, 3, TRI_EXPECTED) < 0 ||
        get_enum(&ebd, l, obj, jpath, "enabled_by_default", TRI_NAMES, 3, TRI_EXPECTED) < 0 ||
        get_enum(&resp, l, obj, jpath, "responsibility", RESP_NAMES, 4, RESP_EXPECTED) < 0 ||
        get_str(&f->notes, l, obj, jpath, "notes", S_NULLABLE) < 0 ||
        get_str(&f->guidance, l, obj, jpath, "guidance", S_REQUIRED) < 0 ||
        get_str(&f->reference, l, obj, jpath, "reference", S_NULLABLE) < 0 ||
        get_url(&f->reference_url, l, obj, jpath, "reference_url") < 0 ||
        get_str(&f->rule, l, obj, jpath, "rule", S_NULLABLE | S_LINE) < 0)
        return -1;
    f->supported = (enum sb_tri)sup;
    f->enabled_by_default = (enum sb_tri)ebd;
    f->responsibility = (enum sb_resp)resp;

    char kp[JPATH_MAX];
    /* The URL is where the "Reference:" text points: no text, nothing to link. */
    if (f->reference_url && !f->reference) {
        jpath_key(kp, jpath, "reference_url");
        return fail(l, kp, "set without a \"reference\" text to link");
    }
    if (f->rule && !is_rule_id(f->rule)) {
        jpath_key(kp, jpath, "rule");
        return fail(l, kp, "expected a rule id of a-z, 0-9 and '_'");
    }
    /* An unsupported feature cannot be on by default nor be anyone's job to configure. */
    if (f->supported == SB_TRI_FALSE && f->enabled_by_default != SB_TRI_NA) {
        jpath_key(kp, jpath, "enabled_by_default");
        return fail(l, kp, "must be \"Not Applicable\" when supported is \"False\"");
    }
    if (f->supported == SB_TRI_FALSE && f->responsibility != SB_RESP_NA) {
        jpath_key(kp, jpath, "responsibility");
        return fail(l, kp, "must be \"Not Applicable\" when supported is \"False\"");
    }

    const cJSON *pols = get_array(l, obj, jpath, "policies", false, NULL);
    if (!pols)
        return -1;
    char pp[JPATH_MAX];
    jpath_key(pp, jpath, "policies");
    f->npolicies = (size_t)cJSON_GetArraySize(pols);
    f->policies = sb_xcalloc(f->npolicies, sizeof *f->policies);
    size_t i = 0;
    for (const cJSON *c = pols->child; c; c = c->next, i++) {
        char ip[JPATH_MAX];
        jpath_index(ip, pp, i);
        if (load_policy(&f->policies[i], l, c, ip) < 0)
            return -1;
    }
    return 0;
}

static int load_control(struct sb_control *c, const struct ld *l, const cJSON *obj, const char *jpath)
{
    static const char *const keys[] = {"id", "domain", "domain_url", "title", "features", NULL};
    if (expect_object(l, obj, jpath) < 0 || check_keys(l, obj, jpath, keys) < 0 ||
        get_str(&c->id, l, obj, jpath, "id", S_LINE) < 0 ||
        get_str(&c->domain, l, obj, jpath, "domain", S_LINE) < 0 ||
        get_url(&c->domain_url, l, obj, jpath, "domain_url") < 0 ||
        get_str(&c->title, l, obj, jpath, "title", S_LINE) < 0)
        return -1;
    char kp[JPATH_MAX];
    if (!is_control_id(c->id)) {
        jpath_key(kp, jpath, "id");
        return fail(l, kp, "expected a control id such as \"NS-1\"");
    }
    const cJSON *feats = get_array(l, obj, jpath, "features", true, "feature");
    if (!feats)
        return -1;
    jpath_key(kp, jpath, "features");
    c->nfeatures = (size_t)cJSON_GetArraySize(feats);
    c->features = sb_xcalloc(c->nfeatures, sizeof *c->features);
    size_t i = 0;
    for (const cJSON *fj = feats->child; fj; fj = fj->next, i++) {
        char ip[JPATH_MAX];
        jpath_index(ip, kp, i);
        struct sb_feature *f = &c->features[i];
        f->control = c;
        if (load_feature(f, l, fj, ip) < 0)
            return -1;
        for (size_t k = 0; k < i; k++)
            if (strcmp(c->features[k].name, f->name) == 0) {
                char np[JPATH_MAX];
                jpath_key(np, ip, "name");
                return fail(l, np, "duplicate feature \"%s\" in %s (also features[%zu])", f->name,
                            c->id, k);
            }
    }
    return 0;
}

static int load_profile(struct sb_baseline *b, const struct ld *l, const cJSON *root)
{
    static const char *const keys[] = {"name", "value", NULL};
    const cJSON *arr = get_array(l, root, "", "profile", false, NULL);
    if (!arr)
        return -1;
    b->nprofile = (size_t)cJSON_GetArraySize(arr);
    b->profile = sb_xcalloc(b->nprofile, sizeof *b->profile);
    size_t i = 0;
    for (const cJSON *c = arr->child; c; c = c->next, i++) {
        char ip[JPATH_MAX];
        jpath_index(ip, "profile", i);
        struct sb_profile_attr *a = &b->profile[i];
        if (expect_object(l, c, ip) < 0 || check_keys(l, c, ip, keys) < 0 ||
            get_str(&a->name, l, c, ip, "name", S_LINE) < 0 ||
            get_str(&a->value, l, c, ip, "value", S_LINE) < 0)
            return -1;
        for (size_t k = 0; k < i; k++)
            if (strcmp(b->profile[k].name, a->name) == 0) {
                char np[JPATH_MAX];
                jpath_key(np, ip, "name");
                return fail(l, np, "duplicate attribute \"%s\" (also profile[%zu])", a->name, k);
            }
    }
    return 0;
}

/* Control ids are unique; so are rule ids, as a rule reports on exactly one feature. */
static int check_unique_ids(const struct sb_baseline *b, const struct ld *l)
{
    for (size_t i = 0; i < b->ncontrols; i++) {
        const struct sb_control *c = &b->controls[i];
        char jp[JPATH_MAX];
        for (size_t k = 0; k < i; k++)
            if (strcmp(b->controls[k].id, c->id) == 0) {
                jpath_fmt(jp, "controls[%zu].id", i);
                return fail(l, jp, "duplicate control id \"%s\" (also controls[%zu])", c->id, k);
            }
        /* One domain, one benchmark page: a control that disagrees is a copy-paste slip. */
        for (size_t k = 0; k < i; k++) {
            const struct sb_control *o = &b->controls[k];
            bool same = o->domain_url && c->domain_url ? strcmp(o->domain_url, c->domain_url) == 0
                                                       : o->domain_url == c->domain_url;
            if (strcmp(o->domain, c->domain) != 0 || same)
                continue;
            jpath_fmt(jp, "controls[%zu].domain_url", i);
            return fail(l, jp, "differs from controls[%zu].domain_url of the same domain \"%s\"", k, c->domain);
        }
        for (size_t j = 0; j < c->nfeatures; j++) {
            const char *rule = c->features[j].rule;
            if (!rule)
                continue;
            for (size_t pi = 0; pi <= i; pi++)
                for (size_t pj = 0; pj < (pi == i ? j : b->controls[pi].nfeatures); pj++) {
                    const char *other = b->controls[pi].features[pj].rule;
                    if (other && strcmp(other, rule) == 0) {
                        jpath_fmt(jp, "controls[%zu].features[%zu].rule", i, j);
                        return fail(l, jp, "rule \"%s\" is already used by controls[%zu].features[%zu]",
                                    rule, pi, pj);
                    }
                }
        }
    }
    return 0;
}

static int load_root(struct sb_baseline *b, const struct ld *l, const cJSON *root)
{
    static const char *const keys[] = {"schema", "id", "service", "title", "mcsb_version",
                                       "source", "profile", "controls", NULL};
    if (!cJSON_IsObject(root))
        return sb_err_set(l->e, SB_EXIT_INPUT, "%s: top level: expected a JSON object", l->file);
    /* The schema first: a file of another schema version should say so, not list unknown keys. */
    char *schema = NULL;
    if (get_str(&schema, l, root, "", "schema", S_LINE) < 0)
        return -1;
    bool ok = strcmp(schema, BASELINE_SCHEMA) == 0;
    if (!ok)
        fail(l, "schema", "unsupported schema \"%s\" (expected \"%s\")", schema, BASELINE_SCHEMA);
    free(schema);
    if (!ok)
        return -1;
    if (check_keys(l, root, "", keys) < 0 ||
        get_str(&b->id, l, root, "", "id", S_LINE) < 0 ||
        get_str(&b->service, l, root, "", "service", S_LINE) < 0 ||
        get_str(&b->title, l, root, "", "title", S_LINE) < 0 ||
        get_str(&b->mcsb_version, l, root, "", "mcsb_version", S_LINE) < 0 ||
        get_str(&b->source, l, root, "", "source", S_LINE) < 0)
        return -1;
    if (!is_baseline_id(b->id))
        return fail(l, "id", "expected a baseline id of a-z, 0-9 and '-'");
    if (load_profile(b, l, root) < 0)
        return -1;

    const cJSON *ctrls = get_array(l, root, "", "controls", true, "control");
    if (!ctrls)
        return -1;
    b->ncontrols = (size_t)cJSON_GetArraySize(ctrls);
    b->controls = sb_xcalloc(b->ncontrols, sizeof *b->controls);
    size_t i = 0;
    for (const cJSON *c = ctrls->child; c; c = c->next, i++) {
        char ip[JPATH_MAX];
        jpath_index(ip, "controls", i);
        if (load_control(&b->controls[i], l, c, ip) < 0)
            return -1;
    }
    return check_unique_ids(b, l);
}

int baseline_load(struct sb_baseline **out, const char *path, struct sb_err *e)
{
    *out = NULL;
    struct ld l = {path, e};
    char *text = NULL;
    size_t len = 0;
    cJSON *root = NULL;
    struct sb_baseline *b = NULL;
    int rc = -1;

    if (sb_read_file(&text, &len, path, BASELINE_MAX_BYTES, e) < 0)
        goto cleanup;
    if (sb_json_parse(&root, text, len, path, e) < 0)
        goto cleanup;
    b = sb_xcalloc(1, sizeof *b);
    b->path = sb_xstrdup(path);
    char hex[65];
    sb_sha256_hex(text, len, hex);
    b->sha256 = sb_xstrdup(hex);
    int lr = load_root(b, &l, root);
    cJSON_Delete(root);
    root = NULL;
    if (lr < 0)
        goto cleanup;
    *out = b;
    b = NULL;
    rc = 0;
cleanup:
    cJSON_Delete(root);
    free(text);
    baseline_free(b);
    return rc;
}

/* ---- freeing and lookup ---- */

static void feature_free(struct sb_feature *f)
{
    free(f->name);
    free(f->description);
    free(f->notes);
    free(f->guidance);
    free(f->reference);
    free(f->learn_more_url);
    free(f->reference_url);
    free(f->rule);
    for (size_t i = 0; i < f->npolicies; i++) {
        struct sb_policy *p = &f->policies[i];
        free(p->name);
        free(p->description);
        free(p->effects);
        free(p->version);
        free(p->definition_id);
    }
    free(f->policies);
}

/* Arrays are allocated at full size before they are filled, so a partly loaded tree frees cleanly. */
void baseline_free(struct sb_baseline *b)
{
    if (!b)
        return;
    for (size_t i = 0; i < b->ncontrols; i++) {
        struct sb_control *c = &b->controls[i];
        for (size_t j = 0; j < c->nfeatures; j++)
            feature_free(&c->features[j]);
        free(c->features);
        free(c->id);
        free(c->domain);
        free(c->domain_url);
        free(c->title);
    }
    free(b->controls);
    for (size_t i = 0; i < b->nprofile; i++) {
        free(b->profile[i].name);
        free(b->profile[i].value);
    }
    free(b->profile);
    free(b->id);
    free(b->service);
    free(b->title);
    free(b->mcsb_version);
    free(b->source);
    free(b->sha256);
    free(b->path);
    free(b);
}

size_t baseline_feature_count(const struct sb_baseline *b)
{
    size_t n = 0;
    if (b)
        for (size_t i = 0; i < b->ncontrols; i++)
            n += b->controls[i].nfeatures;
    return n;
}

const struct sb_control *baseline_find_control(const struct sb_baseline *b, const char *id)
{
    if (!b || !id)
        return NULL;
    for (size_t i = 0; i < b->ncontrols; i++)
        if (strcmp(b->controls[i].id, id) == 0)
            return &b->controls[i];
    return NULL;
}

const struct sb_feature *baseline_find_feature(const struct sb_baseline *b, const char *control_id,
                                               const char *feature_name)
{
    const struct sb_control *c = baseline_find_control(b, control_id);
    if (!c || !feature_name)
        return NULL;
    for (size_t i = 0; i < c->nfeatures; i++)
        if (strcmp(c->features[i].name, feature_name) == 0)
            return &c->features[i];
    return NULL;
}

const char *sb_tri_str(enum sb_tri v)
{
    return (unsigned)v <= SB_TRI_NA ? TRI_NAMES[v] : "Not Applicable";
}

const char *sb_resp_str(enum sb_resp v)
{
    return (unsigned)v <= SB_RESP_NA ? RESP_NAMES[v] : "Not Applicable";
}

/* ---- `baseline show` ---- */

/* Display width in code points: the data is validated UTF-8, and monospace terminals
 * give the characters a baseline uses (Latin text, dashes) one cell each. */
static size_t text_width(const char *s)
{
    size_t w = 0;
    for (; *s; s++)
        if (((unsigned char)*s & 0xC0) != 0x80)
            w++;
    return w;
}

static void put_cell(FILE *f, const char *s, size_t width, bool last)
{
    fputs(s, f);
    if (last) {
        fputc('\n', f);
        return;
    }
    for (size_t w = text_width(s); w < width + 2; w++)
        fputc(' ', f);
}

enum { MATRIX_COLS = 5 };

static void put_row(FILE *f, const char *const cells[MATRIX_COLS], const size_t widths[MATRIX_COLS])
{
    for (int i = 0; i < MATRIX_COLS; i++)
        put_cell(f, cells[i], widths[i], i == MATRIX_COLS - 1);
}

static void feature_cells(const char *cells[MATRIX_COLS], const struct sb_control *c,
                          const struct sb_feature *ft)
{
    cells[0] = c->id;
    cells[1] = ft->name;
    cells[2] = sb_tri_str(ft->supported);
    cells[3] = sb_tri_str(ft->enabled_by_default);
    cells[4] = sb_resp_str(ft->responsibility);
}

int baseline_print_matrix(const struct sb_baseline *b, FILE *f)
{
    static const char *const head[MATRIX_COLS] = {"Control", "Feature", "Supported",
                                                  "Enabled by default", "Responsibility"};
    size_t widths[MATRIX_COLS];
    for (int i = 0; i < MATRIX_COLS; i++)
        widths[i] = text_width(head[i]);
    for (size_t i = 0; i < b->ncontrols; i++)
        for (size_t j = 0; j < b->controls[i].nfeatures; j++) {
            const char *cells[MATRIX_COLS];
            feature_cells(cells, &b->controls[i], &b->controls[i].features[j]);
            for (int k = 0; k < MATRIX_COLS; k++)
                if (text_width(cells[k]) > widths[k])
                    widths[k] = text_width(cells[k]);
        }

    fprintf(f, "%s\n", b->title);
    fprintf(f, "Microsoft cloud security benchmark version %s\n", b->mcsb_version);
    fprintf(f, "Baseline: %s (%zu controls, %zu features)\n", b->id, b->ncontrols,
            baseline_feature_count(b));
    fprintf(f, "Source: %s\n\n", b->source);

    put_row(f, head, widths);
    for (int i = 0; i < MATRIX_COLS; i++) {
        for (size_t w = 0; w < widths[i]; w++)
            fputc('-', f);
        fputs(i == MATRIX_COLS - 1 ? "\n" : "  ", f);
    }
    for (size_t i = 0; i < b->ncontrols; i++) {
        const struct sb_control *c = &b->controls[i];
        fprintf(f, "\n%s: %s (%s)\n", c->id, c->title, c->domain);
        for (size_t j = 0; j < c->nfeatures; j++) {
            const char *cells[MATRIX_COLS];
            feature_cells(cells, c, &c->features[j]);
            put_row(f, cells, widths);
        }
    }
    /* Flush so a full disk or closed pipe is reported here, not lost at exit. */
    if (fflush(f) != 0 || ferror(f))
        return -1;
    return 0;
}
