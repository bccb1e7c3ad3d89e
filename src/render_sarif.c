/* report.sarif: SARIF 2.1.0 for code-scanning dashboards (GitHub, Azure DevOps). See docs/interop.md. */
#include "render.h"

#include "err.h"
#include "json_stream.h"
#include "util.h"

#include <cjson/cJSON.h>
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#define SARIF_SCHEMA "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"

static void add_text(cJSON *o, const char *key, const char *text)
{
    cJSON *m = cJSON_AddObjectToObject(o, key);
    cJSON_AddStringToObject(m, "text", text);
}

/* Rule id: "<control>/<feature as a slug>", e.g. "NS-1/network-security-group-support". */
static char *rule_id(const struct sb_feature *f)
{
    struct sb_buf b = {0};
    sb_buf_puts(&b, f->control->id);
    sb_buf_putc(&b, '/');
    bool dash = false;
    for (const unsigned char *p = (const unsigned char *)f->name; *p; p++) {
        if (isalnum(*p)) {
            if (dash && b.data[b.len - 1] != '/')
                sb_buf_putc(&b, '-');
            sb_buf_putc(&b, (char)tolower(*p));
            dash = false;
        } else {
            dash = true;
        }
    }
    return sb_buf_take(&b);
}

static bool is_url(const char *s)
{
    return s && (strncmp(s, "https://", 8) == 0 || strncmp(s, "http://", 7) == 0);
}

static cJSON *rule_json(const struct sb_baseline *b, const struct sb_feature *f)
{
    cJSON *o = cJSON_CreateObject();
    char *id = rule_id(f);
    cJSON_AddStringToObject(o, "id", id);
    free(id);
    char *title = sb_xasprintf("%s %s: %s", f->control->id, f->control->title, f->name);
    add_text(o, "shortDescription", title);
    free(title);
    add_text(o, "fullDescription", sb_empty(f->description) ? f->name : f->description);
    struct sb_buf help = {0};
    sb_buf_printf(&help, "%s (%s), %s: %s\nResponsibility: %s.", b->title, f->control->id, f->control->title, f->name,
                  sb_resp_str(f->responsibility));
    if (!sb_empty(f->guidance))
        sb_buf_printf(&help, "\nConfiguration guidance: %s", f->guidance);
    if (f->learn_more_url)
        sb_buf_printf(&help, "\nLearn more: %s", f->learn_more_url);
    if (!sb_empty(f->reference))
        sb_buf_printf(&help, "\nReference: %s", f->reference);
    if (f->reference_url)
        sb_buf_printf(&help, " (%s)", f->reference_url);
    if (!sb_empty(b->source))
        sb_buf_printf(&help, "\nBaseline: %s", b->source);
    add_text(o, "help", help.data);
    sb_buf_free(&help);
    if (is_url(b->source))
        cJSON_AddStringToObject(o, "helpUri", b->source);
    cJSON *cfg = cJSON_AddObjectToObject(o, "defaultConfiguration");
    cJSON_AddStringToObject(cfg, "level", "warning");
    cJSON *props = cJSON_AddObjectToObject(o, "properties");
    cJSON *tags = cJSON_AddArrayToObject(props, "tags");
    cJSON_AddItemToArray(tags, cJSON_CreateString("security"));
    cJSON_AddItemToArray(tags, cJSON_CreateString("mcsb"));
    cJSON_AddItemToArray(tags, cJSON_CreateString(f->control->domain));
    cJSON_AddStringToObject(props, "control", f->control->id);
    cJSON_AddStringToObject(props, "feature", f->name);
    cJSON_AddStringToObject(props, "responsibility", sb_resp_str(f->responsibility));
    return o;
}

/* A failing result's level follows its severity; a not-assessed result is kind "open", which SARIF
 * (3.27.10) only allows with level "none": the tool could not decide, so it must not claim a failure. */
static const char *result_level(const struct sb_result *res)
{
    if (res->status != SB_STATUS_FAIL)
        return "none";
    switch (res->severity) {
    case SB_SEV_LOW: return "note";
    case SB_SEV_MEDIUM: return "warning";
    default: return "error";
    }
}

static cJSON *result_json(const struct sb_result *res, int rule_index)
{
    cJSON *o = cJSON_CreateObject();
    char *id = rule_id(res->feature);
    cJSON_AddStringToObject(o, "ruleId", id);
    free(id);
    cJSON_AddNumberToObject(o, "ruleIndex", rule_index);
    cJSON_AddStringToObject(o, "kind", res->status == SB_STATUS_FAIL ? "fail" : "open");
    cJSON_AddStringToObject(o, "level", result_level(res));
    struct sb_buf msg = {0};
    sb_buf_puts(&msg, sb_empty(res->summary) ? sb_status_label(res->status) : res->summary);
    bool stop = msg.len && strchr(".!?", msg.data[msg.len - 1]);
    for (size_t i = 0; i < res->nevidence; i++) {
        char *line = sb_evidence_line(&res->evidence[i]);
        sb_buf_printf(&msg, "%s%s", i ? "; " : stop ? " Evidence: " : ". Evidence: ", line);
        free(line);
    }
    add_text(o, "message", msg.data);
    sb_buf_free(&msg);
    if (res->resource_id) {
        cJSON *locs = cJSON_AddArrayToObject(o, "locations");
        cJSON *loc = cJSON_CreateObject();
        cJSON *logical = cJSON_AddArrayToObject(loc, "logicalLocations");
        cJSON *l = cJSON_CreateObject();
        if (res->resource_name)
            cJSON_AddStringToObject(l, "name", res->resource_name);
        cJSON_AddStringToObject(l, "fullyQualifiedName", res->resource_id);
        cJSON_AddStringToObject(l, "kind", "resource");
        cJSON_AddItemToArray(logical, l);
        cJSON_AddItemToArray(locs, loc);
    }
    cJSON *fp = cJSON_AddObjectToObject(o, "partialFingerprints");
    cJSON_AddStringToObject(fp, "mcsbFindingId/v1", res->id);
    if (res->exception) {
        const struct sb_exception *x = res->exception;
        cJSON *sups = cJSON_AddArrayToObject(o, "suppressions");
        cJSON *s = cJSON_CreateObject();
        cJSON_AddStringToObject(s, "kind", "external");
        cJSON_AddStringToObject(s, "status", "accepted");
        char *why = sb_xasprintf("%s %s%s%s%s%s, until %s", sb_exception_kind_label(x->kind), x->entry_id,
                                 x->approved_by ? ", approved by " : "", x->approved_by ? x->approved_by : "",
                                 x->justification ? ": " : "", x->justification ? x->justification : "",
                                 x->expires ? x->expires : "(no expiry)");
        cJSON_AddStringToObject(s, "justification", why);
        free(why);
        cJSON_AddItemToArray(sups, s);
    }
    cJSON *props = cJSON_AddObjectToObject(o, "properties");
    cJSON_AddStringToObject(props, "findingId", res->id);
    cJSON_AddStringToObject(props, "status", sb_status_id(res->status));
    cJSON_AddStringToObject(props, "severity", sb_severity_id(res->severity));
    if (res->resource_type)
        cJSON_AddStringToObject(props, "resourceType", res->resource_type);
    if (res->remediation)
        cJSON_AddStringToObject(props, "remediation", res->remediation);
    cJSON *ev = cJSON_AddArrayToObject(props, "evidence");
    for (size_t i = 0; i < res->nevidence; i++) {
        const struct sb_evidence *x = &res->evidence[i];
        cJSON *e = cJSON_CreateObject();
        if (x->resource_id)
            cJSON_AddStringToObject(e, "resourceId", x->resource_id);
        cJSON_AddStringToObject(e, "path", x->path ? x->path : "");
        cJSON_AddStringToObject(e, "value", x->value ? x->value : "");
        if (x->expected)
            cJSON_AddStringToObject(e, "expected", x->expected);
        if (x->source)
            cJSON_AddStringToObject(e, "source", x->source);
        cJSON_AddItemToArray(ev, e);
    }
    return o;
}

/* The files the run read, hashed, so a dashboard can tie the results to their evidence. */
static cJSON *artifacts_json(const struct sb_report *r)
{
    cJSON *arr = cJSON_CreateArray();
    for (size_t i = 0; i < r->ninputs; i++) {
        const struct sb_report_input *in = &r->inputs[i];
        cJSON *a = cJSON_CreateObject();
        cJSON *loc = cJSON_AddObjectToObject(a, "location");
        cJSON_AddStringToObject(loc, "uri", in->name);
        cJSON *roles = cJSON_AddArrayToObject(a, "roles");
        const char *role = strcmp(in->role, "input") == 0      ? "analysisTarget"
                           : strcmp(in->role, "baseline") == 0 ? "policy"
                           : strcmp(in->role, "exceptions") == 0 ? "userSpecifiedConfiguration"
                                                                 : "referencedOnCommandLine";
        cJSON_AddItemToArray(roles, cJSON_CreateString(role));
        cJSON_AddNumberToObject(a, "length", (double)in->size);
        cJSON *h = cJSON_AddObjectToObject(a, "hashes");
        cJSON_AddStringToObject(h, "sha-256", in->sha256);
        cJSON *p = cJSON_AddObjectToObject(a, "properties");
        cJSON_AddStringToObject(p, "role", in->role);
        cJSON_AddItemToArray(arr, a);
    }
    return arr;
}

struct result_ctx {
    const struct sb_report *r;
    const struct sb_feature *const *order; /* rules in baseline order */
    size_t nrules;
};

/* Only failing and not-assessed results are code-scanning alerts; the rest are left out. */
static cJSON *result_item(void *ctx, size_t i)
{
    const struct result_ctx *c = ctx;
    const struct sb_result *res = &c->r->results[i];
    if (res->status != SB_STATUS_FAIL && res->status != SB_STATUS_NOT_ASSESSED)
        return NULL;
    int idx = 0;
    while ((size_t)idx < c->nrules && c->order[idx] != res->feature)
        idx++;
    return result_json(res, idx);
}

int render_sarif(const struct sb_report *r, const struct sb_render_opts *o, const char *out_path, struct sb_err *e)
{
    (void)o;
    const struct sb_baseline *b = r->baseline;
    cJSON *root = cJSON_CreateObject();
    cJSON_AddStringToObject(root, "$schema", SARIF_SCHEMA);
    cJSON_AddStringToObject(root, "version", "2.1.0");
    cJSON *run = cJSON_CreateObject();
    cJSON_AddItemToArray(cJSON_AddArrayToObject(root, "runs"), run);
    cJSON *driver = cJSON_AddObjectToObject(cJSON_AddObjectToObject(run, "tool"), "driver");
    cJSON_AddStringToObject(driver, "name", r->tool_name);
    cJSON_AddStringToObject(driver, "version", r->tool_version);
    cJSON_AddStringToObject(driver, "semanticVersion", r->tool_version);
    if (is_url(b->source))
        cJSON_AddStringToObject(driver, "informationUri", b->source);
    cJSON *rules = cJSON_AddArrayToObject(driver, "rules");
    /* Rules in baseline order; a result's rule index is its feature's position in that order. */
    const struct sb_feature **order = sb_xcalloc(baseline_feature_count(b) + 1, sizeof *order);
    size_t nrules = 0;
    for (size_t c = 0; c < b->ncontrols; c++)
        for (size_t f = 0; f < b->controls[c].nfeatures; f++) {
            order[nrules++] = &b->controls[c].features[f];
            cJSON_AddItemToArray(rules, rule_json(b, &b->controls[c].features[f]));
        }
    cJSON *auto_ = cJSON_AddObjectToObject(run, "automationDetails");
    char *auto_id = sb_xasprintf("%s/%s/%s", r->tool_name, b->id, r->generated);
    cJSON_AddStringToObject(auto_, "id", auto_id);
    free(auto_id);
    cJSON *inv = cJSON_CreateObject();
    cJSON_AddBoolToObject(inv, "executionSuccessful", true);
    cJSON_AddStringToObject(inv, "endTimeUtc", r->generated);
    cJSON_AddItemToArray(cJSON_AddArrayToObject(run, "invocations"), inv);
    cJSON_AddItemToObject(run, "artifacts", artifacts_json(r));
    const cJSON *results = cJSON_AddArrayToObject(run, "results");
    cJSON *props = cJSON_AddObjectToObject(run, "properties");
    cJSON_AddStringToObject(props, "baseline", b->title);
    cJSON_AddStringToObject(props, "baselineSha256", b->sha256);
    cJSON_AddStringToObject(props, "generated", r->generated);

    struct result_ctx ctx = {r, order, nrules};
    const struct json_lazy lazy = {results, r->nresults, result_item, &ctx};
    int rc = json_stream_document(out_path, root, &lazy, 1, "SARIF", e);
    free(order);
    return rc;
}
