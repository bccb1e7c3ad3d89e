/* report.oscal.json: an OSCAL 1.0.6 assessment-results document. Mapping and UUID scheme: docs/interop.md. */
#include "render.h"

#include "err.h"
#include "json_stream.h"
#include "manifest.h"
#include "util.h"
#include "uuid5.h"

#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define OSCAL_VERSION "1.0.6"
/* Namespace of our own props (OSCAL's core names need no ns). A URN: nothing to resolve, nothing to squat. */
#define OSCAL_NS "urn:mcsb-audit:oscal"

/* OSCAL strings (StringDatatype) must be one line without leading or trailing whitespace. */
static char *one_line(const char *s)
{
    if (!s)
        return NULL;
    char *t = sb_xstrdup(s);
    for (char *p = t; *p; p++)
        if ((unsigned char)*p < 0x20 || *p == 0x7f)
            *p = ' ';
    char *start = t;
    while (*start == ' ')
        start++;
    size_t n = strlen(start);
    while (n && start[n - 1] == ' ')
        n--;
    char *out = n ? sb_xstrndup(start, n) : NULL;
    free(t);
    return out;
}

/* Add {name, ns?, value, group?} to the "props" array of o (created on first use); empty values are left out. */
static void prop(cJSON *o, const char *name, bool ours, const char *value, const char *group)
{
    char *v = one_line(value);
    if (!v)
        return;
    cJSON *arr = cJSON_GetObjectItemCaseSensitive(o, "props");
    if (!arr)
        arr = cJSON_AddArrayToObject(o, "props");
    cJSON *p = cJSON_CreateObject();
    cJSON_AddStringToObject(p, "name", name);
    if (ours)
        cJSON_AddStringToObject(p, "ns", OSCAL_NS);
    cJSON_AddStringToObject(p, "value", v);
    if (group)
        cJSON_AddStringToObject(p, "group", group);
    cJSON_AddItemToArray(arr, p);
    free(v);
}

/* A relative URI reference for a file name: unreserved characters and '/' stay, everything else is %XX. */
static char *uri_ref(const char *name)
{
    struct sb_buf b = {0};
    for (const unsigned char *p = (const unsigned char *)name; *p; p++) {
        if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') || strchr("-._~/", *p))
            sb_buf_putc(&b, (char)*p);
        else
            sb_buf_printf(&b, "%%%02X", *p);
    }
    return sb_buf_take(&b);
}

static void add_uuid(cJSON *o, const char *kind, const char *key)
{
    char u[37];
    sb_uuid5_of(u, kind, key);
    cJSON_AddStringToObject(o, "uuid", u);
}

static void add_uuid_ref(cJSON *o, const char *field, const char *kind, const char *key)
{
    char u[37];
    sb_uuid5_of(u, kind, key);
    cJSON_AddStringToObject(o, field, u);
}

/* Keys of the inputs' back-matter resources: position, role, name and hash (the same file twice stays distinct). */
static char *input_key(const struct sb_report *r, size_t i)
{
    return sb_xasprintf("%zu\n%s\n%s\n%s", i, r->inputs[i].role, r->inputs[i].name, r->inputs[i].sha256);
}

/* What identifies this run: the baseline, the generation time and every input's hash. */
static char *run_key(const struct sb_report *r)
{
    struct sb_buf b = {0};
    sb_buf_printf(&b, "%s\n%s", r->baseline->sha256, r->generated);
    for (size_t i = 0; i < r->ninputs; i++)
        sb_buf_printf(&b, "\n%s %s", r->inputs[i].role, r->inputs[i].sha256);
    return sb_buf_take(&b);
}

static cJSON *metadata_json(const struct sb_report *r)
{
    cJSON *m = cJSON_CreateObject();
    char *title = sb_xasprintf("%s: assessment results", r->baseline->title);
    cJSON_AddStringToObject(m, "title", title);
    free(title);
    cJSON_AddStringToObject(m, "last-modified", r->generated);
    cJSON_AddStringToObject(m, "version", r->generated);
    cJSON_AddStringToObject(m, "oscal-version", OSCAL_VERSION);
    prop(m, "marking", false, r->classification, NULL);
    prop(m, "tool", true, r->tool_name, NULL);
    prop(m, "tool-version", true, r->tool_version, NULL);
    char *org = one_line(r->organisation);
    if (org) {
        cJSON *party = cJSON_CreateObject();
        add_uuid(party, "party", org);
        cJSON_AddStringToObject(party, "type", "organization");
        cJSON_AddStringToObject(party, "name", org);
        cJSON_AddItemToArray(cJSON_AddArrayToObject(m, "parties"), party);
        free(org);
    }
    return m;
}

struct res_lc {
    char *lc;
    const struct sb_result *res;
};

static int cmp_res_lc(const void *a, const void *b)
{
    const struct res_lc *x = a, *y = b;
    int c = strcmp(x->lc, y->lc);
    /* Ties keep report order, so the spelling shown for a resource id never depends on the sort. */
    return c ? c : (x->res > y->res) - (x->res < y->res);
}

/* The assessed Azure resources, the subjects of the observations: sorted, unique by lower-case id. */
struct inventory {
    struct res_lc *v;
    size_t n;
};

static struct inventory inventory_make(const struct sb_report *r)
{
    struct inventory inv = {sb_xcalloc(r->nresults + 1, sizeof *inv.v), 0};
    for (size_t i = 0; i < r->nresults; i++)
        if (r->results[i].resource_id)
            inv.v[inv.n++] = (struct res_lc){sb_lower(r->results[i].resource_id), &r->results[i]};
    sb_sort(inv.v, inv.n, sizeof *inv.v, cmp_res_lc);
    size_t k = 0;
    for (size_t i = 0; i < inv.n; i++) {
        if (k && strcmp(inv.v[i].lc, inv.v[k - 1].lc) == 0)
            free(inv.v[i].lc);
        else
            inv.v[k++] = inv.v[i];
    }
    inv.n = k;
    return inv;
}

static void inventory_free(struct inventory *inv)
{
    for (size_t i = 0; i < inv->n; i++)
        free(inv->v[i].lc);
    free(inv->v);
}

/* One inventory item (streamed). */
static cJSON *inventory_item(void *ctx, size_t i)
{
    const struct inventory *inv = ctx;
    const struct sb_result *res = inv->v[i].res;
    cJSON *item = cJSON_CreateObject();
    add_uuid(item, "resource", inv->v[i].lc);
    char *desc = sb_xasprintf("Azure resource %s", res->resource_id);
    cJSON_AddStringToObject(item, "description", desc);
    free(desc);
    prop(item, "asset-id", false, res->resource_id, NULL);
    prop(item, "resource-type", true, res->resource_type, NULL);
    prop(item, "subscription-id", true, res->subscription_id, NULL);
    prop(item, "resource-group", true, res->resource_group, NULL);
    return item;
}

/* A time a snapshot recorded (collection start or end), normalised; the report time when none was recorded or it
 * lies after the report (OSCAL wants collection before the assessment's end). */
static void recorded_time(const struct sb_report *r, const char *recorded, char out[32])
{
    time_t t;
    if (recorded && sb_parse_datetime(recorded, &t) == 0 && t <= r->generated_at)
        sb_iso8601(t, out);
    else
        snprintf(out, 32, "%s", r->generated);
}

/* What an observation and a finding of one result both start with: uuid, title, description, finding id. */
static void result_header(cJSON *o, const char *kind, const struct sb_result *res)
{
    add_uuid(o, kind, res->id);
    char *title = sb_xasprintf("%s %s%s%s", res->control->id, res->feature->name, res->resource_name ? ": " : "",
                               res->resource_name ? res->resource_name : "");
    cJSON_AddStringToObject(o, "title", title);
    free(title);
    cJSON_AddStringToObject(o, "description", sb_empty(res->summary) ? sb_status_label(res->status) : res->summary);
    prop(o, "finding-id", true, res->id, NULL);
}

static cJSON *observation_json(const struct sb_report *r, const struct sb_result *res)
{
    cJSON *o = cJSON_CreateObject();
    result_header(o, "observation", res);
    for (size_t i = 0; i < res->nevidence; i++) {
        const struct sb_evidence *ev = &res->evidence[i];
        char group[32];
        snprintf(group, sizeof group, "evidence-%zu", i + 1);
        prop(o, "evidence-resource", true, ev->resource_id, group);
        prop(o, "property-path", true, ev->path, group);
        prop(o, "observed-value", true, ev->value, group);
        prop(o, "expected", true, ev->expected, group);
        prop(o, "evidence-source", true, ev->source, group);
    }
    cJSON_AddItemToArray(cJSON_AddArrayToObject(o, "methods"), cJSON_CreateString("TEST"));
    if (res->resource_id) {
        cJSON *s = cJSON_CreateObject();
        char *lc = sb_lower(res->resource_id);
        add_uuid_ref(s, "subject-uuid", "resource", lc);
        free(lc);
        cJSON_AddStringToObject(s, "type", "inventory-item");
        cJSON_AddStringToObject(s, "title", res->resource_id);
        cJSON_AddItemToArray(cJSON_AddArrayToObject(o, "subjects"), s);
    }
    /* Inputs are merged into one state before evaluation, so the evidence is the set of resource-state inputs. */
    cJSON *rel = NULL;
    for (size_t i = 0; i < r->ninputs; i++) {
        if (strcmp(r->inputs[i].role, "input") != 0)
            continue;
        if (!rel)
            rel = cJSON_AddArrayToObject(o, "relevant-evidence");
        cJSON *ev = cJSON_CreateObject();
        char *key = input_key(r, i);
        char u[37];
        sb_uuid5_of(u, "input", key);
        free(key);
        char *href = sb_xasprintf("#%s", u);
        cJSON_AddStringToObject(ev, "href", href);
        free(href);
        char *desc = sb_xasprintf("resource state input %s (SHA-256 %s)", r->inputs[i].name, r->inputs[i].sha256);
        cJSON_AddStringToObject(ev, "description", desc);
        free(desc);
        cJSON_AddItemToArray(rel, ev);
    }
    char when[32];
    recorded_time(r, r->collection_finished, when); /* when the evidence was collected */
    cJSON_AddStringToObject(o, "collected", when);
    return o;
}

/* Risk UUID key: the entry's position and id in the exceptions file (ids are not required to be unique). */
static char *risk_key(const struct sb_report *r, const struct sb_exception *x)
{
    return sb_xasprintf("%td\n%s", x - r->exceptions, x->entry_id);
}

static void add_risk_uuid(cJSON *o, const char *field, const struct sb_report *r, const struct sb_exception *x)
{
    char *key = risk_key(r, x);
    add_uuid_ref(o, field, "risk", key);
    free(key);
}

static cJSON *finding_json(const struct sb_report *r, const struct sb_result *res)
{
    cJSON *o = cJSON_CreateObject();
    result_header(o, "finding", res);
    prop(o, "control-id", true, res->control->id, NULL);
    prop(o, "feature", true, res->feature->name, NULL);
    prop(o, "resource-id", true, res->resource_id, NULL);
    prop(o, "status", true, sb_status_id(res->status), NULL);
    if (res->severity != SB_SEV_NONE)
        prop(o, "severity", true, sb_severity_id(res->severity), NULL);
    if (res->exception)
        prop(o, "exception", true, res->exception->entry_id, NULL);
    cJSON *t = cJSON_AddObjectToObject(o, "target");
    cJSON_AddStringToObject(t, "type", "objective-id");
    cJSON_AddStringToObject(t, "target-id", res->control->id);
    cJSON_AddStringToObject(t, "title", res->control->title);
    cJSON *st = cJSON_AddObjectToObject(t, "status");
    /* Only a pass satisfies the objective. Manual and not-assessed are undecided, never a silent pass; a feature
     * that does not apply leaves nothing to satisfy. Our own status is the "status" prop above. */
    switch (res->status) {
    case SB_STATUS_PASS:
        cJSON_AddStringToObject(st, "state", "satisfied");
        cJSON_AddStringToObject(st, "reason", "pass");
        break;
    case SB_STATUS_FAIL:
        cJSON_AddStringToObject(st, "state", "not-satisfied");
        cJSON_AddStringToObject(st, "reason", "fail");
        break;
    case SB_STATUS_NOT_APPLICABLE:
        cJSON_AddStringToObject(st, "state", "satisfied");
        cJSON_AddStringToObject(st, "reason", "other");
        break;
    default:
        cJSON_AddStringToObject(st, "state", "not-satisfied");
        cJSON_AddStringToObject(st, "reason", "other");
        break;
    }
    cJSON *ro = cJSON_CreateObject();
    add_uuid_ref(ro, "observation-uuid", "observation", res->id);
    cJSON_AddItemToArray(cJSON_AddArrayToObject(o, "related-observations"), ro);
    const struct sb_exception *x = res->exception ? res->exception : res->expired_exception;
    if (x) {
        cJSON *rr = cJSON_CreateObject();
        add_risk_uuid(rr, "risk-uuid", r, x);
        cJSON_AddItemToArray(cJSON_AddArrayToObject(o, "related-risks"), rr);
    }
    if (!sb_empty(res->remediation))
        cJSON_AddStringToObject(o, "remarks", res->remediation);
    return o;
}

/* An exception entry that matched results: active ones are approved deviations, expired ones open risks again. */
static cJSON *risk_json(const struct sb_report *r, const struct sb_exception *x)
{
    cJSON *o = cJSON_CreateObject();
    add_risk_uuid(o, "uuid", r, x);
    char *title = sb_xasprintf("%s %s", sb_exception_kind_label(x->kind), x->entry_id);
    cJSON_AddStringToObject(o, "title", title);
    free(title);
    cJSON_AddStringToObject(o, "description", sb_empty(x->justification) ? "No justification recorded." : x->justification);
    char *stmt = sb_xasprintf("%s for %zu result(s)%s%s%s%s%s%s.", sb_exception_kind_label(x->kind), x->matched,
                              x->approved_by ? ", approved by " : "", x->approved_by ? x->approved_by : "",
                              x->ticket ? ", ticket " : "", x->ticket ? x->ticket : "",
                              x->expires ? (x->expired ? ", expired after " : ", valid through ") : "",
                              x->expires ? x->expires : "");
    cJSON_AddStringToObject(o, "statement", stmt);
    free(stmt);
    prop(o, "exception-entry", true, x->entry_id, NULL);
    prop(o, "exception-kind", true, sb_exception_kind_id(x->kind), NULL);
    prop(o, "approved-by", true, x->approved_by, NULL);
    prop(o, "approved-on", true, x->approved_on, NULL);
    prop(o, "owner", true, x->owner, NULL);
    prop(o, "ticket", true, x->ticket, NULL);
    prop(o, "evidence", true, x->evidence, NULL);
    prop(o, "exception-state", true, x->expired ? "expired" : "applied", NULL);
    cJSON_AddStringToObject(o, "status", x->expired ? "open" : "deviation-approved");
    time_t t;
    if (x->expires && sb_parse_date(x->expires, &t) == 0) {
        char deadline[40];
        snprintf(deadline, sizeof deadline, "%sT23:59:59Z", x->expires); /* valid through that day, UTC */
        cJSON_AddStringToObject(o, "deadline", deadline);
    }
    return o;
}

/* The result's long lists, streamed by json_stream_document into their (empty) slots. */
struct result_lists {
    const cJSON *inventory; /* NULL when no result names a resource */
    const cJSON *observations, *findings;
};

static cJSON *observation_item(void *ctx, size_t i)
{
    const struct sb_report *r = ctx;
    return observation_json(r, &r->results[i]);
}

static cJSON *finding_item(void *ctx, size_t i)
{
    const struct sb_report *r = ctx;
    return finding_json(r, &r->results[i]);
}

static cJSON *result_json(const struct sb_report *r, size_t ninventory, struct result_lists *lists)
{
    const struct sb_baseline *b = r->baseline;
    cJSON *res = cJSON_CreateObject();
    char *key = run_key(r);
    add_uuid(res, "result", key);
    free(key);
    char *title = sb_xasprintf("Assessment against the %s", b->title);
    cJSON_AddStringToObject(res, "title", title);
    free(title);
    char *desc = sb_xasprintf("%s %s evaluated %zu resource(s) against every control of the %s (MCSB %s): "
                              "%zu pass, %zu fail, %zu manual, %zu not applicable, %zu not assessed.",
                              r->tool_name, r->tool_version, r->scope.nresources, b->title, b->mcsb_version,
                              r->counts[SB_STATUS_PASS], r->counts[SB_STATUS_FAIL], r->counts[SB_STATUS_MANUAL],
                              r->counts[SB_STATUS_NOT_APPLICABLE], r->counts[SB_STATUS_NOT_ASSESSED]);
    cJSON_AddStringToObject(res, "description", desc);
    free(desc);
    char start[32];
    recorded_time(r, r->collection_started, start); /* start of the assessment */
    cJSON_AddStringToObject(res, "start", start);
    cJSON_AddStringToObject(res, "end", r->generated);
    prop(res, "baseline-id", true, b->id, NULL);
    prop(res, "mcsb-version", true, b->mcsb_version, NULL);
    prop(res, "cloud", true, r->cloud, NULL);
    lists->inventory = NULL;
    if (ninventory)
        lists->inventory = cJSON_AddArrayToObject(cJSON_AddObjectToObject(res, "local-definitions"), "inventory-items");
    cJSON *rc = cJSON_AddObjectToObject(res, "reviewed-controls");
    char *rcd = sb_xasprintf("Every control of the %s.", b->title);
    cJSON_AddStringToObject(rc, "description", rcd);
    free(rcd);
    cJSON *sel = cJSON_CreateObject();
    cJSON_AddItemToArray(cJSON_AddArrayToObject(rc, "control-selections"), sel);
    cJSON *inc = cJSON_AddArrayToObject(sel, "include-controls");
    for (size_t c = 0; c < b->ncontrols; c++) {
        cJSON *ctl = cJSON_CreateObject();
        cJSON_AddStringToObject(ctl, "control-id", b->controls[c].id);
        cJSON_AddItemToArray(inc, ctl);
    }
    lists->observations = cJSON_AddArrayToObject(res, "observations");
    cJSON *risks = NULL;
    for (size_t i = 0; i < r->nexceptions; i++) {
        if (!r->exceptions[i].matched)
            continue;
        if (!risks)
            risks = cJSON_AddArrayToObject(res, "risks");
        cJSON_AddItemToArray(risks, risk_json(r, &r->exceptions[i]));
    }
    lists->findings = cJSON_AddArrayToObject(res, "findings");
    return res;
}

static cJSON *file_resource(const char *uuid_kind, const char *uuid_key, const char *name, const char *role,
                            const char *kind, const char *sha256)
{
    cJSON *o = cJSON_CreateObject();
    add_uuid(o, uuid_kind, uuid_key);
    cJSON_AddStringToObject(o, "title", name);
    char *desc = sb_xasprintf("%s file %s", role, name);
    cJSON_AddStringToObject(o, "description", desc);
    free(desc);
    prop(o, "role", true, role, NULL);
    prop(o, "input-kind", true, kind, NULL);
    cJSON *link = cJSON_CreateObject();
    char *href = uri_ref(name);
    cJSON_AddStringToObject(link, "href", href);
    free(href);
    cJSON *h = cJSON_CreateObject();
    cJSON_AddStringToObject(h, "algorithm", "SHA-256");
    cJSON_AddStringToObject(h, "value", sha256);
    cJSON_AddItemToArray(cJSON_AddArrayToObject(link, "hashes"), h);
    cJSON_AddItemToArray(cJSON_AddArrayToObject(o, "rlinks"), link);
    return o;
}

/* Every input, then every report file written before this one in the same run (the manifest and this document
 * itself cannot be: the manifest hashes this file, and a file cannot contain its own hash). Streamed last, so that
 * the other formats, rendered meanwhile, are waited for only here. */
struct back_matter {
    const struct sb_report *r;
    const struct sb_render_opts *o;
    const struct sb_render_output *outputs; /* known once o->wait_outputs has returned */
    size_t noutputs;
    bool waited;
    struct sb_err err;         /* a file that could not be hashed */
    bool failed;
};

static cJSON *back_matter_item(void *ctx, size_t i)
{
    struct back_matter *b = ctx;
    const struct sb_report *r = b->r;
    if (i < r->ninputs) {
        char *key = input_key(r, i);
        cJSON *res = file_resource("input", key, r->inputs[i].name, r->inputs[i].role, r->inputs[i].kind,
                                   r->inputs[i].sha256);
        free(key);
        return res;
    }
    if (!b->waited) {
        b->waited = true;
        if (b->o && b->o->wait_outputs)
            b->outputs = b->o->wait_outputs(b->o->wait_ctx, &b->noutputs);
    }
    size_t k = i - r->ninputs;
    if (b->failed || k >= b->noutputs)
        return NULL;
    uint64_t size;
    char sha[65];
    if (manifest_hash_file(b->outputs[k].path, &size, sha, SB_EXIT_OUTPUT, &b->err) != 0) {
        b->failed = true;
        return NULL;
    }
    return file_resource("output", b->outputs[k].name, b->outputs[k].name, "output", NULL, sha);
}

int render_oscal(const struct sb_report *r, const struct sb_render_opts *o, const char *out_path, struct sb_err *e)
{
    struct back_matter bmc = {.r = r, .o = o};
    cJSON *bm = cJSON_CreateObject();
    const cJSON *resources = cJSON_AddArrayToObject(bm, "resources");
    cJSON *root = cJSON_CreateObject();
    cJSON *ar = cJSON_AddObjectToObject(root, "assessment-results");
    char *key = run_key(r);
    add_uuid(ar, "assessment-results", key);
    free(key);
    cJSON_AddItemToObject(ar, "metadata", metadata_json(r));
    /* No separate assessment plan exists: the baseline file (in back-matter) is the plan this run carried out. */
    cJSON *ap = cJSON_AddObjectToObject(ar, "import-ap");
    for (size_t i = 0; i < r->ninputs; i++) {
        if (strcmp(r->inputs[i].role, "baseline") != 0)
            continue;
        char *k = input_key(r, i);
        char u[37];
        sb_uuid5_of(u, "input", k);
        free(k);
        char *href = sb_xasprintf("#%s", u);
        cJSON_AddStringToObject(ap, "href", href);
        free(href);
        break;
    }
    if (!cJSON_GetObjectItemCaseSensitive(ap, "href")) {
        char *href = uri_ref(r->baseline->path ? r->baseline->path : r->baseline->id);
        cJSON_AddStringToObject(ap, "href", href);
        free(href);
    }
    cJSON_AddStringToObject(ap, "remarks", "The assessment plan is the baseline: every control, evaluated by the rules "
                                           "described in the report's method appendix.");
    struct inventory inv = inventory_make(r);
    struct result_lists lists;
    cJSON_AddItemToArray(cJSON_AddArrayToObject(ar, "results"), result_json(r, inv.n, &lists));
    cJSON_AddItemToObject(ar, "back-matter", bm);

    const struct json_lazy lazy[] = {
        {lists.observations, r->nresults, observation_item, (void *)r},
        {lists.findings, r->nresults, finding_item, (void *)r},
        {resources, r->ninputs + SB_MAX_FORMATS + SB_MAX_EXTRA_OUTPUTS, back_matter_item, &bmc},
        {lists.inventory, inv.n, inventory_item, &inv},
    };
    int rc = json_stream_document(out_path, root, lazy, lists.inventory ? 4 : 3, "OSCAL", e);
    inventory_free(&inv);
    if (rc == 0 && bmc.failed) {
        *e = bmc.err;
        rc = -1;
    }
    return rc;
}
